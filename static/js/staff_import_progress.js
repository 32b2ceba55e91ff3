// The import page follows the invitations going out: it polls progress.json until the import is done.
// A static file, not an inline script, so the Content Security Policy needs no 'unsafe-inline'. The counts sit
// in an aria-live region, so a screen reader hears them change.
(function () {
  var box = document.getElementById("import-progress");
  if (!box || box.dataset.finished) return;
  var url = box.dataset.progressUrl;
  function tick() {
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      ["status_label", "invitations_sent", "invitations_total", "units_created"].forEach(function (k) {
        box.querySelector('[data-field="' + k + '"]').textContent = data[k];
      });
      document.getElementById("import-bar").value = data.percent;
      if (!data.finished) setTimeout(tick, 1500);
    }).catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 1000);
})();
