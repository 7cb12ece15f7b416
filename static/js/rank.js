// The ranking page: drag a row by its handle to reorder (the rank numbers follow the
// order), and "use the suggested list". Without JavaScript, ranks are typed.
(function () {
  function rankInput(row) {
    return row.querySelector('input[name^="rank-"]');
  }
  var suggest = document.querySelector("[data-use-suggestion]");
  if (suggest) {
    suggest.addEventListener("click", function () {
      document.querySelectorAll('[data-testid="rank-table"] input[name^="rank-"]').forEach(function (input) {
        input.value = input.dataset.suggested || "";
      });
    });
  }
  var table = document.querySelector("[data-rank-table]");
  if (!table) return;
  var body = table.tBodies[0];
  var dragged = null;
  function renumber(moved) {
    var n = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var input = rankInput(row);
      if (input && (input.value.trim() !== "" || row === moved)) {
        n += 1;
        input.value = n;
      }
    });
  }
  body.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("tr");
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.id || "");
    dragged.classList.add("opacity-50");
  });
  body.addEventListener("dragover", function (event) {
    if (!dragged) return;
    event.preventDefault();
    var row = event.target.closest("tr");
    if (!row || row === dragged || row.parentNode !== body) return;
    var box = row.getBoundingClientRect();
    body.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? row.nextSibling : row);
  });
  body.addEventListener("drop", function (event) {
    event.preventDefault();
  });
  body.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("opacity-50");
    renumber(dragged);
    dragged = null;
  });
})();
