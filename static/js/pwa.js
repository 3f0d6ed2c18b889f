/* Registers the service worker (offline page only; see templates/sw.js). Loaded with defer from
   templates/includes/pwa_head.html, so the URL comes from the script tag, not inline script. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) {
    return;
  }
  var script = document.currentScript;
  var url = (script && script.dataset.serviceWorker) || "/sw.js";
  // After the page has loaded: installing the worker must not compete with the page.
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
      // Offline or blocked: the portal works the same without it.
    });
  });
})();
