// Site-wide behaviour. Every page works without it; this only makes things smoother.
(function () {
  "use strict";

  function each(root, selector, callback) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), callback);
  }

  // Toasts fade away after a few seconds.
  function dismissToasts(root) {
    each(root, ".toast", function (toast) {
      window.setTimeout(function () { toast.classList.add("is-leaving"); }, 3500);
      window.setTimeout(function () { toast.remove(); }, 4200);
    });
  }

  // --- Menus are <details data-menu>, so they open and close without this script. With it, a
  // click or a focus elsewhere closes them, and Escape closes them with the focus back on the toggle.
  function closeMenus(keep) {
    each(document, "details[data-menu][open]", function (menu) {
      if (!keep || !menu.contains(keep)) { menu.open = false; }
    });
  }
  document.addEventListener("click", function (event) { closeMenus(event.target); });
  document.addEventListener("focusin", function (event) { closeMenus(event.target); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    each(document, "details[data-menu][open]", function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      if (hadFocus) { menu.querySelector("summary").focus(); }
    });
  });

  // --- "Use my location": button[data-locate] fills the fields whose ids are in
  // data-locate-latitude and data-locate-longitude with the browser's position, rounded to
  // data-locate-digits decimals (5 unless told). data-locate-replaces names a field the position
  // stands in for (a city picker): the position clears it and picking it clears the coordinates.
  // Once located the button fires "locate:done", and data-locate-submit sends the form. The
  // form's [data-locate-status] says data-locate-waiting, -done or -failed. The button is hidden
  // until the browser can locate; the coordinate fields work by hand without it.
  function setUpLocate(button) {
    var latitude = document.getElementById(button.getAttribute("data-locate-latitude"));
    var longitude = document.getElementById(button.getAttribute("data-locate-longitude"));
    var replaced = document.getElementById(button.getAttribute("data-locate-replaces") || "");
    var form = button.form || button.closest("form");
    var status = form && form.querySelector("[data-locate-status]");
    var digits = parseInt(button.getAttribute("data-locate-digits") || "5", 10);
    if (!latitude || !longitude) { return; }
    if (replaced) {
      replaced.addEventListener("change", function () { latitude.value = ""; longitude.value = ""; });
    }
    if (!("geolocation" in navigator)) { return; }

    function say(text) {
      if (!status) { return; }
      status.textContent = text || "";
      status.hidden = !text;
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      say(button.getAttribute("data-locate-waiting") || "…");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          latitude.value = position.coords.latitude.toFixed(digits);
          longitude.value = position.coords.longitude.toFixed(digits);
          if (replaced) { replaced.value = ""; }
          button.dispatchEvent(new CustomEvent("locate:done", { bubbles: true }));
          if (button.hasAttribute("data-locate-submit") && form) {
            form.submit();
            return;
          }
          button.disabled = false;
          say(button.getAttribute("data-locate-done"));
        },
        function () {
          button.disabled = false;
          say(button.getAttribute("data-locate-failed"));
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
      );
    });
  }

  // --- File pickers: [data-file-picker] holds one file input, a label styled as a button and a
  // [data-file-preview]. Without this script the browser's own input shows. With it the input
  // hides behind the label, the chosen picture or video shows in the preview with its name in
  // [data-file-name], and [data-file-clear] puts the field back as it was.
  function setUpFilePicker(picker) {
    var input = picker.querySelector("input[type=file]");
    var preview = picker.querySelector("[data-file-preview]");
    var name = picker.querySelector("[data-file-name]");
    var clear = picker.querySelector("[data-file-clear]");
    if (!input || !preview) { return; }
    var original = Array.prototype.slice.call(preview.childNodes);
    var url = null;
    picker.classList.add("is-enhanced");

    function show(file) {
      if (url) { URL.revokeObjectURL(url); url = null; }
      var kind = file && /^(image|video)\//.exec(file.type);
      picker.classList.toggle("has-file", Boolean(file));
      if (name) { name.textContent = file ? file.name : ""; }
      if (clear) { clear.hidden = !file; }
      if (!kind) {
        preview.replaceChildren.apply(preview, original);
        return;
      }
      url = URL.createObjectURL(file);
      var media = document.createElement(kind[1] === "image" ? "img" : "video");
      media.className = preview.getAttribute("data-file-preview") || "";
      // A format the browser cannot show (HEIC, some MOV) keeps the old preview; the name still shows.
      media.addEventListener("error", function () { preview.replaceChildren.apply(preview, original); });
      media.src = url;
      if (kind[1] === "image") {
        media.alt = "";
      } else {
        media.muted = true;
        media.controls = true;
        media.playsInline = true;
        media.preload = "metadata";
      }
      preview.replaceChildren(media);
    }

    input.addEventListener("change", function () { show(input.files && input.files[0]); });
    if (clear) {
      clear.addEventListener("click", function () {
        input.value = "";
        show(null);
        input.focus();
      });
    }
    if (input.files && input.files.length) { show(input.files[0]); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    dismissToasts(document);
    each(document, "[data-locate]", setUpLocate);
    each(document, "[data-file-picker]", setUpFilePicker);
  });
  document.addEventListener("htmx:afterSwap", function (event) { dismissToasts(event.target); });
})();
