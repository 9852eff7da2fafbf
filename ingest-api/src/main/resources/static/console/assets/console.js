// The console's own script: times in the reader's zone, the zone sent with list filters, and a
// confirmation before destructive actions. No inline script is allowed by the page's policy.
(function () {
  "use strict";

  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var format = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
  });

  // Each <time datetime> shows the reader's local time; its title keeps the UTC time for hover.
  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (element) {
      var at = new Date(element.getAttribute("datetime"));
      if (!isNaN(at.getTime()) && !element.dataset.local) {
        element.textContent = format.format(at);
        element.dataset.local = "true";
      }
    });
  }

  // Filters read their time range in the browser's zone.
  function browserZone(root) {
    root.querySelectorAll("input.browser-zone").forEach(function (input) {
      if (!input.value) {
        input.value = zone;
      }
    });
  }

  function prepare(root) {
    localTimes(root);
    browserZone(root);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    prepare(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    prepare(event.target.parentNode || document);
  });
})();
