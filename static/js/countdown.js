// The 限时购 countdowns: each <time data-countdown datetime="…"> shows the time left as the server
// rendered it; this ticks it every second. Without this script the page shows that time, and the
// price it charges is decided on the server anyway.
(function () {
  "use strict";

  function pad(number) { return number < 10 ? "0" + number : String(number); }

  // data-days: how a time past a day reads in the page's language, "%(days)sd %(clock)s".
  function left(until, pattern) {
    var seconds = Math.max(0, Math.floor((until - Date.now()) / 1000));
    var days = Math.floor(seconds / 86400);
    seconds -= days * 86400;
    var clock = pad(Math.floor(seconds / 3600)) + ":" + pad(Math.floor((seconds % 3600) / 60)) + ":" + pad(seconds % 60);
    if (!days) { return clock; }
    return (pattern || "%(days)sd %(clock)s").replace("%(days)s", days).replace("%(clock)s", clock);
  }

  function tick(timers) {
    timers.forEach(function (timer) { timer.node.textContent = left(timer.until, timer.pattern); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var timers = [];
    document.querySelectorAll("[data-countdown]").forEach(function (node) {
      var until = Date.parse(node.getAttribute("datetime"));
      if (!isNaN(until)) { timers.push({ node: node, until: until, pattern: node.getAttribute("data-days") }); }
    });
    if (timers.length) {
      tick(timers);
      window.setInterval(function () { tick(timers); }, 1000);
    }
  });
})();
