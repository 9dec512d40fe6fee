// "Add to calendar": start the time-zone field at the browser's own zone, which the
// cached page cannot know. Without JavaScript the visitor types or picks one.
(function () {
  "use strict";

  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  for (const input of document.querySelectorAll("input[data-calendar-zone]")) {
    if (!input.value) input.value = zone;
  }
})();
