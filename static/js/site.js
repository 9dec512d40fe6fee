// Every page: send the CSRF cookie as a header with htmx's POSTs. Public pages carry no
// token in their HTML (so they can be cached whole); the routine badge, loaded on each
// page, makes sure the cookie exists.
(function () {
  "use strict";

  // The cookie's name comes from the settings (production calls it __Host-csrftoken).
  const names = document.querySelector('meta[name="csrf-cookie"]');

  function csrfToken() {
    const prefix = names.content + "=";
    const cookie = document.cookie.split("; ").find((item) => item.startsWith(prefix));
    return cookie ? decodeURIComponent(cookie.slice(prefix.length)) : null;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    const token = names && csrfToken();
    if (event.detail.verb !== "get" && token) {
      event.detail.headers[names.dataset.header] = token;
    }
  });

  // A notice about an earlier change (the database was read-only) goes when the visitor
  // tries again: the answer to this change says what happened to it.
  document.addEventListener("htmx:beforeRequest", function (event) {
    const notice = document.getElementById("live-notice");
    if (notice && event.detail.requestConfig.verb !== "get") {
      notice.replaceChildren();
    }
  });

  // A saved routine's guided session keeps working without signal (static/js/sw.js).
  // Registered once the page has loaded, so the first visit is not slowed; where the
  // browser refuses (a private window, say) the site simply works online only.
  const manifest = document.querySelector("link[data-service-worker]");
  if (manifest && "serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(manifest.dataset.serviceWorker).catch(function () {});
    });
  }

  // Fills a translated sentence's %(name)s placeholders (the words come from the page as
  // JSON data): shared by the session and pain-log scripts.
  window.acupressure = {
    format: (template, values) =>
      template.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? String(values[name]) : match)),
  };
})();
