// Searchable filters on the list pages (no framework).
// A <select data-searchable> with more than ten options, or a group of chips
// (.form-selectgroup[data-searchable]) with more than ten, gets a search box above it:
// typing hides the options or chips whose text does not contain what was typed; Enter
// selects the first matching option. Without script the form works as it is.
(function () {
  "use strict";
  function enhance(select) {
    if (select.options.length <= 10 || select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.searchPlaceholder || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        var keep = !needle || option.value === "" || option.text.toLowerCase().indexOf(needle) !== -1;
        option.hidden = !keep;
      });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var first = Array.prototype.find.call(select.options, function (option) { return !option.hidden && option.value; });
      if (first) { select.value = first.value; }
      event.preventDefault();
    });
  }
  function enhanceChips(group) {
    var chips = group.querySelectorAll(".form-selectgroup-item");
    if (chips.length <= 10 || group.dataset.searchReady) return;
    group.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = group.dataset.searchPlaceholder || "";
    box.setAttribute("aria-label", box.placeholder);
    group.parentNode.insertBefore(box, group);
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      chips.forEach(function (chip) {
        var checked = chip.querySelector("input").checked;
        chip.hidden = !(checked || !needle || chip.textContent.toLowerCase().indexOf(needle) !== -1);
      });
    });
    box.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
  }
  function init() {
    document.querySelectorAll("select[data-searchable]").forEach(enhance);
    document.querySelectorAll(".form-selectgroup[data-searchable]").forEach(enhanceChips);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
