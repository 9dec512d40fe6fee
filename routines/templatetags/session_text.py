"""The guided session's words for session.js, in the page's language.

The page's CSP allows no inline script, so the strings travel as JSON data
(`<script type="application/json" id="session-text">`), which session.js reads once.
Numbers are `%(name)s` placeholders that session.js fills in; a plural is sent in both
its forms (for 1 and for more), and session.js picks by `count === 1`, the rule English,
Spanish and German share.
"""

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext, ngettext

register = template.Library()


def both_forms(singular, plural):
    return [ngettext(singular, plural, 1), ngettext(singular, plural, 2)]


@register.simple_tag
def session_text():
    strings = {
        # The same words as the |duration filter (points.templatetags.guide.duration).
        "seconds": gettext("%(seconds)s s"),
        "minutes": gettext("%(minutes)s min"),
        "minutes_seconds": gettext("%(minutes)s min %(seconds)s s"),
        # Above the timer.
        "progress": gettext("Step %(number)s of %(total)s"),
        "side_left": gettext("Left side"),
        "side_right": gettext("Right side"),
        "side_left_only": gettext("Left side only"),
        "side_right_only": gettext("Right side only"),
        # The main button.
        "start": gettext("Start"),
        "pause": gettext("Pause"),
        "resume": gettext("Resume"),
        # Read out by screen readers.
        "step": gettext("Step %(number)s of %(total)s: %(label)s. %(time)s."),
        "step_left_first": gettext(
            "Step %(number)s of %(total)s: %(label)s. %(time)s, left side first."
        ),
        "step_left_only": gettext(
            "Step %(number)s of %(total)s: %(label)s. %(time)s, left side only."
        ),
        "step_right_only": gettext(
            "Step %(number)s of %(total)s: %(label)s. %(time)s, right side only."
        ),
        "left_now": gettext("Left side now."),
        "right_now": gettext("Right side now."),
        "halfway": gettext("Ease off, then press again."),
        "paused": gettext("Paused."),
        "running": gettext("Timer running."),
        "complete": gettext("Session complete. %(summary)s"),
        # The summary at the end.
        "finished": both_forms(
            "You finished %(count)s step in %(time)s.",
            "You finished %(count)s steps in %(time)s.",
        ),
        "finished_of": gettext("You finished %(count)s of %(total)s steps in %(time)s."),
    }
    return json_script(strings, "session-text")


@register.simple_tag
def pain_scale():
    """The choices of the pain log's 0-10 scale (routines/includes/pain_log_entry.html)."""
    return range(11)


@register.simple_tag
def pain_log_text():
    """The pain log's words: the session's forms (session.js) and the routine's chart (pain-log.js).

    Two sentences stand for one entry and for more rather than a plural pair: the one-entry
    sentence names a single date.
    """
    strings = {
        # The session's form.
        "choose": gettext("Choose a number from 0 to 10 first, or skip."),
        "saved_before": gettext("Saved on this device: pain %(pain)s of 10 before the session."),
        "saved_after": gettext("Saved on this device: pain %(pain)s of 10 after the session."),
        "not_saved": gettext(
            "This browser would not keep the entry (its storage may be off or full)."
        ),
        "not_loaded": gettext(
            "The pain log could not be loaded. Check your connection and save again."
        ),
        # The chart, the table and the CSV file.
        "before": gettext("Before the session"),
        "after": gettext("After the session"),
        "when": gettext("When"),
        "phase": gettext("Before or after"),
        "pain": gettext("Pain (0-10)"),
        "note": gettext("Note"),
        "summary_one": gettext("One entry, on %(first)s."),
        "summary_many": gettext("%(count)s entries, from %(first)s to %(last)s."),
        "trend_before": gettext("Before a session: first %(first)s, latest %(last)s of 10."),
        "trend_after": gettext("After a session: first %(first)s, latest %(last)s of 10."),
        "table_count": both_forms(
            "Show the %(count)s entry as a table",
            "Show the %(count)s entries as a table",
        ),
        "confirm": both_forms(
            "Delete the %(count)s entry of this log from this browser? This cannot be undone.",
            "Delete all %(count)s entries of this log from this browser? This cannot be undone.",
        ),
        "deleted": gettext("Your pain log for this routine was deleted from this browser."),
    }
    return json_script(strings, "pain-log-text")
