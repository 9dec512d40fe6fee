import re

from django import template

from points.models import format_seconds

register = template.Library()

STEP_NUMBER = re.compile(r"^\s*\d+[.)]\s*")


@register.filter
def steps(text):
    """Split "1. Do this\\n2. Then that" into its steps, without the typed numbers.

    Editors write steps as numbered lines; the page shows them as a real ordered list.
    """
    return [STEP_NUMBER.sub("", line).strip() for line in text.splitlines() if line.strip()]


@register.filter
def duration(seconds):
    return format_seconds(seconds or 0)
