import re
from collections.abc import Iterable

from django import template
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext

from acupressure.translations import (
    english_review,
    missing_fields,
    review_summary,
    translation_review,
)
from points.models import RedFlag, detail_prefetches

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
    """Seconds as a person says them: "45 s", "90 s", "3 min", "6 min 30 s"."""
    seconds = int(seconds or 0)
    minutes, rest = divmod(seconds, 60)
    if not minutes or (minutes == 1 and rest):
        return gettext("%(seconds)s s") % {"seconds": seconds}
    if rest:
        return gettext("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": rest}
    return gettext("%(minutes)s min") % {"minutes": minutes}


def seconds_range(low, high):
    """A press time from `low` to `high` seconds: "60–90 s", "30 s to 3 min"."""
    if low == high:
        return duration(low)
    if high < 120:
        return gettext("%(low)s–%(high)s s") % {"low": low, "high": high}
    return gettext("%(low)s to %(high)s") % {
        "low": duration(low),
        "high": duration(high),
    }


@register.filter
def with_details(point):
    """The point with the rows its page shows, read only where a template asks: inside a
    {% cache %} block, that is only when the cached part is missing."""
    prefetch_related_objects([point], *detail_prefetches(), "tips")
    return point


@register.filter
def tiers(red_flags):
    """The red flags in their tiers, emergency first, leaving out a tier with none:
    [(tier, flags)], tier being a RedFlag.Tier."""
    groups = {tier: [] for tier in RedFlag.Tier}
    for flag in red_flags:
        groups[flag.tier].append(flag)
    return [(tier, flags) for tier, flags in groups.items() if flags]


@register.simple_tag
def care_numbers():
    """The phone numbers for each tier of warning signs in the page's language
    (settings.EMERGENCY_NUMBERS): {"emergency": [(number, where)], "soon": [...]}."""
    return settings.EMERGENCY_NUMBERS.get(get_language(), {})


@register.filter
def dial(number):
    """A number as a tel: link dials it: "116 117" -> "tel:116117"."""
    return "tel:" + "".join(digit for digit in number if digit.isdigit() or digit == "+")


@register.simple_tag
def untranslated(*items):
    """A polite note where any of these items (or of these lists of items) is shown in
    English, its translation into the page's language not written yet: English fills in
    (settings.MODELTRANSLATION_FALLBACK_LANGUAGES)."""
    code = get_language()
    if code == settings.LANGUAGE_CODE:
        return ""
    flat = [row for item in items for row in (item if isinstance(item, Iterable) else [item])]
    if not any(missing_fields(row, code) for row in flat if row is not None):
        return ""
    return render_to_string("includes/untranslated_note.html")


# Languages that write nouns with a capital letter mid-sentence too.
NOUNS_CAPITALISED = {"de"}


# Languages that write the names of languages with a capital letter ("in English"), unlike
# Spanish ("en inglés").
LANGUAGE_NAMES_CAPITALISED = {"en", "de"}


@register.filter(is_safe=True)
def language_in_sentence(name):
    """A language's name as it reads inside a sentence of the page's language."""
    name = str(name)
    return name if get_language() in LANGUAGE_NAMES_CAPITALISED else name.lower()


@register.filter(is_safe=True)
def in_sentence(name):
    """A pain type's name as it reads inside a sentence: "points for sciatica", but German
    "Punkte bei Ischiasschmerzen"."""
    name = str(name)
    return name if get_language() in NOUNS_CAPITALISED else name.lower()


@register.simple_tag
def review_note(item, quiet=False):
    """Who reviewed this item, in what role and when, or that nobody has; on a page in
    another language, the same for its translation (translations.english_review). `quiet`
    says nothing of an item nobody reviewed (a list says that once for all of them)."""
    code = get_language()
    context = {"review": english_review(item), "translated": code != settings.LANGUAGE_CODE}
    if context["translated"]:
        context["translation_review"] = translation_review(item, code)
    if quiet and context["review"] is None and not context.get("translation_review"):
        return ""
    return render_to_string("includes/review_note.html", context)


@register.simple_tag
def review_summary_note(groups):
    """How far the items shown together (in groups: points, red flags…) stand reviewed for
    this page's language: "Reviewed by …", "Partly reviewed…" or "Not yet reviewed by a
    clinician."."""
    items = [item for group in groups for item in group]
    context = {"summary": review_summary(items, get_language())}
    return render_to_string("includes/review_summary.html", context)


@register.filter
def page_language_first(references):
    """Sources in the page's language before the others (a German page cites its national
    guideline first), otherwise as they come."""
    code = get_language()
    return sorted(references, key=lambda reference: reference.language != code)
