// Lists edited as rows (templates/includes/rows.html): "add a row" copies the blank row kept in a <template>,
// "move up/down" moves a row and renumbers every row's order field, so the server saves the order shown.
// Without this script the page still works: a blank row to fill in, an order number and a remove box per row.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-rows]").forEach(function (box) {
    var prefix = box.getAttribute("data-rows");
    var list = box.querySelector("[data-rows-list]");
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var empty = box.querySelector("template[data-rows-empty]");
    var tools = box.querySelector("[data-rows-tools]");

    function rows() {
      return Array.prototype.filter.call(list.children, function (child) {
        return child.hasAttribute("data-row");
      });
    }

    function renumber() {
      rows().forEach(function (row, index) {
        var order = row.querySelector("input[name$='-ORDER']");
        if (order) {
          order.value = index + 1;
        }
        var number = row.querySelector("[data-row-number]");
        if (number) {
          number.textContent = index + 1;
        }
      });
    }

    function enableMoving(row) {
      var bar = row.querySelector("[data-row-move]");
      if (!bar) {
        return;
      }
      bar.hidden = false;
      bar.querySelector("[data-move-up]").addEventListener("click", function (event) {
        var previous = row.previousElementSibling;
        if (previous) {
          list.insertBefore(row, previous);
          renumber();
          event.currentTarget.focus();
        }
      });
      bar.querySelector("[data-move-down]").addEventListener("click", function (event) {
        var next = row.nextElementSibling;
        if (next) {
          list.insertBefore(next, row);
          renumber();
          event.currentTarget.focus();
        }
      });
    }

    rows().forEach(enableMoving);
    if (!total || !empty || !tools) {
      return;
    }
    tools.hidden = false;
    box.querySelector("[data-rows-add]").addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      list.insertAdjacentHTML("beforeend", empty.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = index + 1;
      var row = list.lastElementChild;
      enableMoving(row);
      renumber();
      var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), textarea, select");
      if (first) {
        first.focus();
      }
    });
  });
});
