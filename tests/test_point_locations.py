"""Where GB30, BL23 and LI4 are, as WHO Standard Acupuncture Point Locations (2008) puts
them, in every language, in the steps to find them and in the diagrams."""

import re

import pytest
from django.utils import translation

from points.models import BodyView, Point, PointMarker, Reference
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def texts(code, field):
    point = Point.objects.get(code=code)
    return {language: getattr(point, f"{field}_{language}") for language in ("en", "es", "de")}


# GB30: on the line from the greater trochanter to the sacral hiatus, where the outer third
# meets the inner two thirds; not from the top of the sacrum, as the source article has it.
GB30_LANDMARKS = {
    "en": ["greater trochanter", "sacral hiatus", "outer third"],
    "es": ["trocánter mayor", "hiato sacro", "tercio externo"],
    "de": ["großen Rollhügels", "Hiatus sacralis", "äußere Drittel"],
}
TOP_OF_THE_SACRUM = {
    "en": "highest point of the sacrum",
    "es": "punto más alto del sacro",
    "de": "höchsten Punkt des Kreuzbeins",
}


@pytest.mark.parametrize("language", GB30_LANDMARKS)
def test_gb30_is_found_from_the_greater_trochanter_and_the_sacral_hiatus(language):
    location = texts("GB30", "location")[language]
    how_to_find = texts("GB30", "how_to_find")[language]
    for landmark in GB30_LANDMARKS[language]:
        assert landmark in location, landmark
    # The steps agree with the location: the same two landmarks, a third of the way along.
    assert ("sacral hiatus", "hiato sacro", "Hiatus sacralis")[
        ("en", "es", "de").index(language)
    ] in (how_to_find)
    for text in (location, how_to_find):
        assert TOP_OF_THE_SACRUM[language] not in text


def test_gb30_says_why_it_differs_from_the_source_article():
    assert "the source article measures from the top of the sacrum instead" in (
        Point.objects.get(code="GB30").location_en
    )


@pytest.mark.parametrize("language", ["en", "es", "de"])
def test_bl23_is_counted_up_from_the_hip_bones_not_along_the_ribs(language):
    how_to_find = texts("BL23", "how_to_find")[language]
    location = texts("BL23", "location")[language]
    assert "L4" in how_to_find
    assert "L2" in how_to_find
    assert "L2" in location
    assert ("iliac crests", "crestas ilíacas", "Darmbeinkämmen")[
        ("en", "es", "de").index(language)
    ] in how_to_find
    # Not along the lower ribs (about T12–L1), and no inches for 1.5 cun.
    for wrong in ("ribs?", "costillas?", "Brustkorbs?", "inch", "pulgada", "Zoll"):
        assert not re.search(rf"\b{wrong}\b", how_to_find), wrong
    assert ("two finger widths", "dos dedos de ancho", "zwei Fingerbreit")[
        ("en", "es", "de").index(language)
    ] in how_to_find


@pytest.mark.parametrize("language", ["en", "es", "de"])
def test_li4_is_on_the_back_of_the_hand_beside_the_second_metacarpal(language):
    location = texts("LI4", "location")[language]
    assert ("second metacarpal", "segundo metacarpiano", "zweiten Mittelhandknochens")[
        ("en", "es", "de").index(language)
    ] in location
    # The location is on the bone, not the web of skin; pressing the thumb to the finger is
    # only a way to check it.
    assert not re.search(r"\bweb\b|membrana|Hautfalte", location)
    assert ("press your thumb", "apriete el pulgar", "drücken Sie den Daumen")[
        ("en", "es", "de").index(language)
    ] in texts("LI4", "how_to_find")[language]


def test_the_back_view_draws_the_line_gb30_lies_on_and_marks_it_a_third_along():
    drawing = BodyView.objects.get(slug="back").drawing
    guides = re.search(r'class="guide" d="([^"]+)"', drawing).group(1)
    # The guide line from the greater trochanter (the hip point) to the sacral hiatus, on
    # the midline (x 200).
    trochanter_x, trochanter_y, hiatus_x, hiatus_y = map(
        float, re.search(r"M(\d+) (\d+) L(200) (\d+)", guides).groups()
    )
    marker = PointMarker.objects.get(point__code="GB30", view__slug="back")
    expected_x = trochanter_x + (hiatus_x - trochanter_x) / 3
    expected_y = trochanter_y + (hiatus_y - trochanter_y) / 3
    assert abs(marker.x - expected_x) < 2
    assert abs(marker.y - expected_y) < 2
    # L2 and the line between the iliac crests at L4, for finding BL23.
    assert ">L2</text>" in drawing
    assert ">L4</text>" in drawing


@pytest.mark.parametrize("code", ["GB30", "BL23", "LI4", "BL40", "BL62"])
def test_every_location_cites_the_who_standard_first(client, code):
    point = Point.objects.get(code=code)
    who = point.point_references.get(reference__kind=Reference.Kind.STANDARD)
    assert who.reference.title == (
        "WHO Standard Acupuncture Point Locations in the Western Pacific Region"
    )
    assert who.supports.startswith("location")
    assert point.sources[0] == who
    text = visible_text(client.get(point.get_absolute_url()))
    assert "WHO Standard Acupuncture Point Locations" in text
    with translation.override("de"):
        assert point.point_references.get(pk=who.pk).supports.startswith("Lage")
