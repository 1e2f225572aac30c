// Feeds and profiles: a real waterfall (cards go to the shortest column, also after infinite
// scroll). Without this script the waterfall is CSS columns.
(function () {
  "use strict";

  var ITEMS = ":scope > .card, :scope > .nearby-card";

  // The column count comes from CSS (--waterfall-columns), so breakpoints live in one place.
  function columnCount(waterfall) {
    var value = parseInt(getComputedStyle(waterfall).getPropertyValue("--waterfall-columns"), 10);
    return value > 0 ? value : 2;
  }

  function shortest(columns) {
    return columns.reduce(function (best, column) {
      return column.offsetHeight < best.offsetHeight ? column : best;
    });
  }

  function columnsOf(waterfall) {
    return Array.prototype.slice.call(waterfall.querySelectorAll(":scope > .waterfall__column"));
  }

  function build(waterfall, count) {
    var items = columnsOf(waterfall)
      .reduce(function (all, column) { return all.concat(Array.prototype.slice.call(column.children)); }, [])
      .sort(function (a, b) { return a.dataset.waterfallIndex - b.dataset.waterfallIndex; });
    columnsOf(waterfall).forEach(function (column) { column.remove(); });
    var columns = [];
    for (var index = 0; index < count; index += 1) {
      var column = document.createElement("div");
      column.className = "waterfall__column";
      waterfall.appendChild(column);
      columns.push(column);
    }
    items.forEach(function (item) { shortest(columns).appendChild(item); });
    waterfall.dataset.columns = String(count);
    return columns;
  }

  // Cards not yet in a column (the first page, or a page htmx just appended) join the shortest one.
  function place(waterfall) {
    var count = columnCount(waterfall);
    var columns = String(count) === waterfall.dataset.columns ? columnsOf(waterfall) : build(waterfall, count);
    var next = parseInt(waterfall.dataset.waterfallNext || "0", 10);
    waterfall.querySelectorAll(ITEMS).forEach(function (item) {
      item.dataset.waterfallIndex = String(next);
      next += 1;
      shortest(columns).appendChild(item);
    });
    waterfall.dataset.waterfallNext = String(next);
    var more = waterfall.querySelector(":scope > .waterfall__more");
    if (more) { waterfall.appendChild(more); }
    waterfall.classList.add("is-masonry");
  }

  function placeAll() {
    document.querySelectorAll(".waterfall").forEach(place);
  }

  function watchResize() {
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(placeAll, 150);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    placeAll();
    watchResize();
  });
  document.addEventListener("htmx:afterSwap", placeAll);
})();
