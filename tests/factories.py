"""Keyword-argument factories for the guide's models.

Every call gets unique codes, slugs and names, so tests can make as many objects as they
need next to the content the migration loads. `build_*` returns an unsaved object (for
bulk_create and full_clean), `make_*` saves it.
"""

import io
import itertools
import string
from datetime import date

from PIL import Image

from points.models import (
    BodyView,
    Caution,
    Meridian,
    PainType,
    Point,
    PointMarker,
    PointPainType,
    PointReference,
    RedFlag,
    Reference,
    Tip,
)
from routines.models import Routine, RoutineStep

_sequence = itertools.count(1)


def unique_number():
    return next(_sequence)


def unique_letters(length=3):
    """Upper-case letters, different on every call (17,576 before they repeat)."""
    number = unique_number()
    letters = []
    for _ in range(length):
        number, digit = divmod(number, 26)
        letters.append(string.ascii_uppercase[digit])
    return "".join(reversed(letters))


def make_meridian(**fields):
    # Always four characters, so "XABC" + "12" can never equal another meridian's code + number.
    code = fields.pop("code", None) or f"X{unique_letters()}"
    defaults = {
        "code": code,
        "name": f"Test meridian {code}",
        "other_names": f"Made-up channel {code}",
    }
    return Meridian.objects.create(**{**defaults, **fields})


def build_point(**fields):
    """An unsaved published point; pass meridian= to share one between many points."""
    meridian = fields.pop("meridian", None) or make_meridian()
    # Above 1000, clear of every real point number on a real meridian.
    number = fields.pop("number", None) or 1000 + unique_number()
    code = fields.pop("code", None) or f"{meridian.code}{number}"
    defaults = {
        "meridian": meridian,
        "number": number,
        "code": code,
        "slug": code.lower(),
        "name": f"Test point {code}",
        "pinyin": f"Pinyin{code.title()}",
        "aliases": f"Alias {code}",
        "region": "lower-back",
        "summary": f"Summary of {code}.",
        "location": f"Location of {code}.",
        "how_to_find": f"How to find {code}.",
        "technique": f"How to press {code}.",
        "press_seconds_min": 30,
        "press_seconds_max": 180,
        "is_published": True,
    }
    return Point(**{**defaults, **fields})


def make_point(*, pain_types=(), cautions=(), references=(), **fields):
    """A saved published point, linked to the given pain types, cautions and references."""
    point = build_point(**fields)
    point.save()
    for pain_type in pain_types:
        link_pain_type(point, pain_type)
    point.cautions.add(*cautions)
    for reference in references:
        PointReference.objects.create(point=point, reference=reference)
    return point


def link_pain_type(point, pain_type, note=""):
    return PointPainType.objects.create(point=point, pain_type=pain_type, note=note)


def make_pain_type(**fields):
    number = unique_number()
    defaults = {
        "name": f"Test pain {number}",
        "slug": f"test-pain-{number}",
        "summary": f"What test pain {number} feels like.",
        "advice": f"What else helps with test pain {number}.",
        "is_published": True,
    }
    return PainType.objects.create(**{**defaults, **fields})


def make_red_flag(**fields):
    defaults = {"text": f"Test warning sign {unique_number()}", "is_general": True}
    return RedFlag.objects.create(**{**defaults, **fields})


def make_caution(**fields):
    number = unique_number()
    defaults = {"title": f"Test caution {number}", "text": f"Do not press when {number}."}
    return Caution.objects.create(**{**defaults, **fields})


def make_reference(**fields):
    number = unique_number()
    defaults = {
        "authors": f"Author, T{number}.",
        "published_on": date(2020, 1, 2),
        "title": f"Test source {number}",
        "site_name": "Test site",
        "url": f"https://example.com/source-{number}",
    }
    return Reference.objects.create(**{**defaults, **fields})


def make_tip(**fields):
    number = unique_number()
    defaults = {"title": f"Test tip {number}", "text": f"Do thing {number}."}
    return Tip.objects.create(**{**defaults, **fields})


def png_bytes(width=2, height=2):
    """A real PNG image, made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color=(200, 120, 80)).save(buffer, format="PNG")
    return buffer.getvalue()


SIMPLE_DRAWING = '<path class="body" d="M20 20 L380 20 L380 880 L20 880 Z"></path>'


def make_body_view(**fields):
    """A saved body view, by default 400 × 900 and symmetric like the seeded back view."""
    number = unique_number()
    defaults = {
        "slug": f"test-view-{number}",
        "title": f"Test view {number}",
        "description": f"A drawing made for test {number}.",
        "width": 400,
        "height": 900,
        "symmetric": True,
        "drawing": SIMPLE_DRAWING,
        "sort_order": 500,
    }
    return BodyView.objects.create(**{**defaults, **fields})


def build_marker(**fields):
    """An unsaved marker; pass point= and view=, or get a new point and view."""
    point = fields.pop("point", None) or make_point()
    view = fields.pop("view", None) or make_body_view()
    defaults = {"x": 150, "y": 400, "side": "left", "label_position": "outside"}
    return PointMarker(point=point, view=view, **{**defaults, **fields})


def make_marker(**fields):
    marker = build_marker(**fields)
    marker.save()
    return marker


def build_routine_step(**fields):
    """An unsaved step: pass point= for a point (pressed for its shortest time, on both
    sides if it has two), or get a free step; pass routine= and position= to save it."""
    point = fields.get("point")
    if point is not None:
        defaults = {
            "seconds": point.press_seconds_min,
            "sides": "both" if point.bilateral else "",
        }
    else:
        defaults = {"text": f"Test free step {unique_number()}", "seconds": 60, "sides": ""}
    return RoutineStep(**{"position": 1, **defaults, **fields})


def make_routine(*, steps=(), **fields):
    """A saved, shared routine. Each of `steps` is a Point, a free step's text, or a dict
    of a step's fields; they are numbered 1, 2, 3… in the order given."""
    defaults = {"title": f"Test routine {unique_number()}"}
    routine = Routine.objects.create(**{**defaults, **fields})
    built = []
    for position, step in enumerate(steps, start=1):
        if isinstance(step, Point):
            step = {"point": step}
        elif isinstance(step, str):
            step = {"text": step}
        built.append(build_routine_step(routine=routine, position=position, **step))
    RoutineStep.objects.bulk_create(built)
    return routine
