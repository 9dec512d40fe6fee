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

  // After a change htmx refocuses the element of the same id, in the whole builder or in
  // the steps sent back. Where none is left to take the focus (a step's button hidden at
  // the top or bottom, "Clear routine" gone), keep keyboard users in the builder: on the
  // step's first visible button, or on the title. Each request remembers its own step, as
  // the settling of one answer may come after the next request has started.
  const stepOfRequest = new WeakMap();

  function isShown(element) {
    return getComputedStyle(element).visibility !== "hidden";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    // Only a step's own forms name one: the badge refresh the change triggers does not.
    const step = event.target.closest && event.target.closest(".step[id]");
    if (step) {
      stepOfRequest.set(event.detail.xhr, step.id);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || !event.detail.target.closest("#routine")) {
      return; // the badge, a notice, a page back from history
    }
    const active = document.activeElement;
    if (active && active !== document.body && isShown(active)) {
      return;
    }
    const step = document.getElementById(stepOfRequest.get(event.detail.xhr));
    const buttons = step ? Array.from(step.querySelectorAll(".step__actions button")) : [];
    const next = buttons.find(isShown) || document.getElementById("routine-title-input");
    if (next) {
      next.focus();
    }
  });
})();
