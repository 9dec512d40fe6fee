// The routine builder's keyboard focus after a change (loaded by routines/routine.html).
(function () {
  "use strict";

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
