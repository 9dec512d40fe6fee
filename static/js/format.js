// Filling in the page's words, for session.js and pain-log.js. The words come from the page
// as JSON in its language (routines/templatetags/session_text.py), with Django's %(name)s
// placeholders. Loaded before both scripts (deferred scripts run in the order they appear).
(function () {
  "use strict";

  // format("Step %(number)s of %(total)s", { number: 2, total: 5 }) is "Step 2 of 5"; a
  // placeholder without a value stays as it is.
  const format = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? String(values[name]) : match));

  // Seconds as a person says them: "45 s", "90 s", "3 min", "6 min 30 s", in the page's words
  // for them (session_text's seconds, minutes and minutes_seconds). The same rule as the
  // |duration filter (points.models.format_seconds).
  function formatSeconds(seconds, words) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    if (!minutes || (minutes === 1 && rest)) return format(words.seconds, { seconds });
    if (rest) return format(words.minutes_seconds, { minutes, seconds: rest });
    return format(words.minutes, { minutes });
  }

  window.acupressure = Object.assign(window.acupressure || {}, { format, formatSeconds });
})();
