// Helix: small progressive enhancements on top of htmx. Pages work without this file.
(function () {
  "use strict";
  // After a pagination link replaced the results, move focus to the results heading so
  // keyboard and screen-reader users continue at the new page instead of the top of the body.
  document.addEventListener("htmx:afterSettle", function (event) {
    var source = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.hasAttribute && source.hasAttribute("data-focus-results")) {
      var heading = document.getElementById("results-heading");
      if (heading) {
        heading.focus();
      }
    }
  });
  // Keep permalinks short: leave empty filter fields out of the pushed URL (the plain GET form
  // without JavaScript sends them too; the server treats empty and absent alike).
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    var form = elt && elt.closest ? elt.closest("form[data-drop-empty]") : null;
    if (!form) {
      return;
    }
    var empty = [];
    event.detail.formData.forEach(function (value, key) {
      if (value === "") {
        empty.push(key);
      }
    });
    empty.forEach(function (key) {
      delete event.detail.parameters[key];
    });
  });
  // Tell assistive technology that the result region is being refreshed.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var results = document.getElementById("results");
    if (results && event.detail.target === results) {
      results.setAttribute("aria-busy", "true");
    }
  });
})();
