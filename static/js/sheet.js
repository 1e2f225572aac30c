// Sheets (templates/components/sheet.html): the board sheet on a note page, for now.
// htmx adds a sheet to the page; this opens it as a modal (a bottom sheet on phones), closes it
// on the backdrop, removes it once closed, and hands the focus back to what it names. When the
// server is done with a sheet it swaps in a [data-sheet-done] marker naming where the focus goes.
// Pages work without this file: every sheet is also a page of its own.
(function () {
  "use strict";

  function focusOn(selector) {
    var target = selector ? document.querySelector(selector) : null;
    if (target) { target.focus(); }
  }

  function open(sheet) {
    document.querySelectorAll("dialog[data-sheet]").forEach(function (other) {
      if (other !== sheet) { other.remove(); }
    });
    sheet.addEventListener("close", function () {
      sheet.remove();
      focusOn(sheet.getAttribute("data-sheet-return"));
    });
    // A tap on the backdrop lands on the dialog itself, outside its panel.
    sheet.addEventListener("click", function (event) {
      if (event.target === sheet) { sheet.close(); }
    });
    if (!sheet.open) { sheet.showModal(); }
  }

  function done(marker) {
    var selector = marker.getAttribute("data-sheet-done");
    marker.remove();
    focusOn(selector);
  }

  document.addEventListener("htmx:load", function (event) {
    var element = event.detail.elt;
    if (!element.matches) { return; }
    if (element.matches("dialog[data-sheet]")) { open(element); }
    if (element.matches("[data-sheet-done]")) { done(element); }
  });
})();
