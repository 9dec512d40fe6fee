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
        # The same words as the |duration filter (points.models.format_seconds).
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
