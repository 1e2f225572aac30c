// Site-wide behaviour. Every page works without it; this only makes things smoother.
(function () {
  "use strict";

  // Toasts fade away after a few seconds.
  function dismissToasts(root) {
    root.querySelectorAll(".toast").forEach(function (toast) {
      window.setTimeout(function () { toast.classList.add("is-leaving"); }, 3500);
      window.setTimeout(function () { toast.remove(); }, 4200);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { dismissToasts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { dismissToasts(event.target); });
})();
