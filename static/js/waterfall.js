// The waterfall of note cards (templates/components/waterfall.html), on every page that has one.
// Equal columns, as many as the CSS custom property --waterfall-columns says (breakpoints live in
// community.css only); each card joins the shortest column in the order it arrived. Infinite
// scroll is htmx: a sentinel below the cards fetches the next page once, htmx appends its cards to
// the end of the waterfall and swaps in a new footer; this script moves the new cards into the
// columns. Without it the waterfall is a CSS grid of the same columns, read row by row.
(function () {
  "use strict";

  function columnCount(waterfall) {
    var value = parseInt(getComputedStyle(waterfall).getPropertyValue("--waterfall-columns"), 10);
    return value > 0 ? value : 2;
  }

  function children(element, className) {
    return Array.prototype.filter.call(element.children, function (child) {
      return child.classList.contains(className);
    });
  }

  function shortest(columns) {
    return columns.reduce(function (best, column) {
      return column.offsetHeight < best.offsetHeight ? column : best;
    });
  }

  // New columns for a new count (first run, or the window crossed a breakpoint); the cards
  // already placed are dealt out again in their arrival order.
  function rebuild(waterfall, count) {
    var placed = [];
    children(waterfall, "waterfall__column").forEach(function (column) {
      placed = placed.concat(children(column, "card"));
      column.remove();
    });
    placed.sort(function (a, b) { return a.dataset.arrival - b.dataset.arrival; });
    var columns = [];
    for (var index = 0; index < count; index += 1) {
      var column = document.createElement("div");
      column.className = "waterfall__column";
      waterfall.appendChild(column);
      columns.push(column);
    }
    placed.forEach(function (card) { shortest(columns).appendChild(card); });
    return columns;
  }

  // Cards still sitting directly in the waterfall (the first page, or one htmx just appended)
  // go to the shortest column, one by one, in order.
  function place(waterfall) {
    var count = columnCount(waterfall);
    var columns = children(waterfall, "waterfall__column");
    if (columns.length !== count) { columns = rebuild(waterfall, count); }
    var arrival = parseInt(waterfall.dataset.arrivals || "0", 10);
    children(waterfall, "card").forEach(function (card) {
      card.dataset.arrival = String(arrival);
      arrival += 1;
      shortest(columns).appendChild(card);
    });
    waterfall.dataset.arrivals = String(arrival);
    waterfall.classList.add("is-masonry");
  }

  function placeAll() {
    document.querySelectorAll("[data-waterfall]").forEach(place);
  }

  document.addEventListener("DOMContentLoaded", placeAll);
  // Fired on the swap's target (the waterfall) before the browser paints: no card shows outside
  // its column. Other swaps on the page (a like) find nothing to place.
  document.addEventListener("htmx:afterSwap", placeAll);
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(placeAll, 150);
  });
})();
