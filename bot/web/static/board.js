// The board's search box: hides the cards that do not contain what is typed (titles, leaders,
// departments, notes). Grouping and filters are plain links and work without this script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  if (!box) return;
  box.hidden = false;
  var none = document.getElementById("no-match");
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    document.querySelectorAll("section.group").forEach(function (section) {
      var left = 0;
      section.querySelectorAll("article.item").forEach(function (card) {
        var text = card.getAttribute("data-search") || "";
        var keep = words.every(function (w) { return text.indexOf(w) !== -1; });
        card.hidden = !keep;
        if (keep) left += 1;
      });
      section.hidden = left === 0;
      shown += left;
    });
    if (none) none.hidden = shown > 0;
  });
});
