// The rollout page follows the installs live: it polls progress.json until the rollout has finished.
// A static file, not an inline script, so the Content Security Policy needs no 'unsafe-inline'.
(function () {
  var box = document.getElementById("rollout"), url = box.dataset.progressUrl;
  function tick() {
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      var p = data.progress;
      document.getElementById("rollout-bar").value = p.percent;
      document.getElementById("rollout-percent").textContent = p.percent;
      ["installed", "pending", "failed", "pinned"].forEach(function (k) {
        box.querySelector('[data-count="' + k + '"]').textContent = p[k];
      });
      data.targets.forEach(function (t) {
        var row = document.querySelector('tr[data-target="' + t.id + '"]');
        if (!row) return;
        row.querySelector('[data-field="state"]').textContent = t.state_label;
        row.querySelector('[data-field="reason"]').textContent = t.reason;
        if (t.installed_at) row.querySelector('[data-field="installed_at"]').textContent = t.installed_at.replace("T", " ").slice(0, 19);
      });
      if (!p.finished) setTimeout(tick, 1000);
    }).catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 1000);
})();
