// Every page: send the CSRF cookie as a header with htmx's POSTs. Public pages carry no
// token in their HTML (so they can be cached whole); the routine badge, loaded on each
// page, makes sure the cookie exists.
(function () {
  "use strict";

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    const token = csrfToken();
    if (event.detail.verb !== "get" && token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });
})();
