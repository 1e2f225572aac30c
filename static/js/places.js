// Place pickers (the publish form, Nearby): [data-place-picker] holds a name input
// [data-place-input] and [data-place-options], where htmx puts the gazetteer's suggestions as the
// reader types. Without this script the input offers the biggest cities (a <datalist>) and the
// server finds the city a typed name is in. With it, choosing a suggestion fills the input and
// the hidden city id [data-place-id] if there is one, and sends the form if the picker has
// data-place-submit. On the publish form "Use my location" (app.js) fills the hidden
// [data-place-latitude] and [data-place-longitude]; this script then names the place after the
// city it is in, unless the author has named it.
(function () {
  "use strict";

  function setUp(picker) {
    var input = picker.querySelector("[data-place-input]");
    var city = picker.querySelector("[data-place-id]");
    var latitude = picker.querySelector("[data-place-latitude]");
    var longitude = picker.querySelector("[data-place-longitude]");
    var options = picker.querySelector("[data-place-options]");
    var url = picker.getAttribute("data-place-url");
    if (!input || !options || !url || !window.htmx) { return; }
    // The suggestions stand in for the browser's list of big cities.
    input.removeAttribute("list");

    function choices() {
      return Array.prototype.slice.call(options.querySelectorAll("[data-place-choice]"));
    }

    function close() { options.replaceChildren(); }

    function choose(button) {
      input.value = button.getAttribute("data-place-label");
      close();
      if (picker.hasAttribute("data-place-submit") && input.form) {
        input.form.requestSubmit();
        return;
      }
      if (button.hasAttribute("data-place-point")) {
        city.value = "";  // the place is named after its city; the author's own point stays
      } else if (city) {
        city.value = button.getAttribute("data-place-choice");
        if (latitude) { latitude.value = ""; }
        if (longitude) { longitude.value = ""; }
      }
      input.focus();
    }

    // htmx sends the input under its own name; the search answers to q.
    input.addEventListener("htmx:configRequest", function (event) {
      event.detail.parameters = { q: input.value };
    });
    // A name typed by hand is no longer the chosen city: the server finds the city it names.
    input.addEventListener("input", function () { if (city) { city.value = ""; } });
    input.addEventListener("keydown", function (event) {
      var first = choices()[0];
      if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        first.focus();
      } else if (event.key === "Escape") {
        close();
      }
    });
    options.addEventListener("click", function (event) {
      var button = event.target.closest("[data-place-choice]");
      if (button) { choose(button); }
    });
    options.addEventListener("keydown", function (event) {
      var list = choices();
      var at = list.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < list.length - 1) {
        event.preventDefault();
        list[at + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (at > 0 ? list[at - 1] : input).focus();
      } else if (event.key === "Escape") {
        close();
        input.focus();
      }
    });

    picker.addEventListener("locate:done", function () {
      var query = "?lat=" + encodeURIComponent(latitude.value) +
        "&lng=" + encodeURIComponent(longitude.value);
      window.htmx.ajax("GET", url + query, { target: options, swap: "innerHTML" }).then(function () {
        var near = choices()[0];
        if (near && !input.value.trim()) { choose(near); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-place-picker]"), setUp);
  });
})();
