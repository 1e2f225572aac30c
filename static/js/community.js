// Nearby: the "Use my location" button. Without this script Nearby works with its city picker and
// coordinate fields. (The waterfall of cards is static/js/waterfall.js, on every page.)
(function () {
  "use strict";

  // Nearby: the browser's position fills the coordinate fields, then the GET form is sent.
  function setUpLocate(form) {
    var button = form.querySelector("[data-locate]");
    var status = form.querySelector("[data-locate-status]");
    var city = form.querySelector("select[name=city]");
    var latitude = form.querySelector("input[name=lat]");
    var longitude = form.querySelector("input[name=lng]");
    if (city && latitude && longitude) {
      city.addEventListener("change", function () { latitude.value = ""; longitude.value = ""; });
    }
    if (!button || !status || !latitude || !longitude || !("geolocation" in navigator)) { return; }
    function say(text) {
      status.textContent = text;
      status.hidden = !text;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      say(button.dataset.waiting || "…");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          latitude.value = position.coords.latitude.toFixed(3);
          longitude.value = position.coords.longitude.toFixed(3);
          if (city) { city.value = ""; }
          form.submit();
        },
        function () {
          button.disabled = false;
          say(button.dataset.failed || "");
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
      );
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-nearby-form]").forEach(setUpLocate);
  });
})();
