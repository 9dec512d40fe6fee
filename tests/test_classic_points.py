"""The classic self-help points for low back pain that the guide adds to the source article's
five: each record as complete as the first five, in every language, on its own page."""

import pytest
from django.utils import translation

from points.models import Point, Reference
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "es", "de")
TRANSLATED_FIELDS = ("name", "summary", "location", "how_to_find", "technique")

# code: (pinyin, Chinese characters, meridian, body views it is drawn on, the landmarks a
# lay person feels for in the English steps)
CLASSIC_POINTS = {
    "GV4": ("Mingmen", "命门", "GV", ["back"], ["hip bones", "L4", "L2"]),
    "GV3": ("Yaoyangguan", "腰阳关", "GV", ["back"], ["hip bones", "L4"]),
    "BL25": ("Dachangshu", "大肠俞", "BL", ["back"], ["hip bones", "L4", "two finger widths"]),
    "BL52": ("Zhishi", "志室", "BL", ["back"], ["hip bones", "L2", "four finger widths"]),
    "BL57": ("Chengshan", "承山", "BL", ["back"], ["Achilles tendon", "calf"]),
    "BL60": ("Kunlun", "昆仑", "BL", ["outer-foot"], ["outside of your ankle", "Achilles"]),
    "GB34": ("Yanglingquan", "阳陵泉", "GB", ["outer-leg"], ["head of the fibula", "knee"]),
    "KI3": ("Taixi", "太溪", "KI", ["inner-foot"], ["inside of your ankle", "Achilles"]),
    "LR3": ("Taichong", "太冲", "LR", ["foot-top"], ["big toe", "second toe", "long bones"]),
    "SI3": ("Houxi", "后溪", "SI", ["hand"], ["loose fist", "knuckle of the little finger"]),
    "EX-UE7": ("Yaotongdian", "腰痛点", "EX", ["hand"], ["long bones", "index and middle"]),
}
# Where each meridian's section starts and ends in WHO Standard Acupuncture Point Locations
# (2008), from its table of contents; for GB, LR and GV the section's pages could not be
# read, so the citation names the section only.
WHO_SECTION_PAGES = {"BL": "99–134", "KI": "135–150", "SI": "87–98"}


def classic_point(code):
    return Point.objects.prefetch_related(
        "markers__view", "point_references__reference", "point_pain_types", "cautions"
    ).get(code=code)


@pytest.mark.parametrize("code", CLASSIC_POINTS)
def test_the_record_names_the_point_in_every_way_a_reader_looks_it_up(code):
    pinyin, hanzi, meridian, _, _ = CLASSIC_POINTS[code]
    point = classic_point(code)

    assert point.is_published
    assert (point.pinyin, point.chinese_name, point.meridian.code) == (pinyin, hanzi, meridian)
    assert point.slug == code.lower()
    assert 0 < point.press_seconds_min <= point.press_seconds_max <= 180
    # The governor vessel runs up the middle of the back: one point, not a pair.
    assert point.bilateral == (meridian != "GV")


@pytest.mark.parametrize("code", CLASSIC_POINTS)
def test_every_field_is_written_in_english_spanish_and_german(code):
    point = classic_point(code)
    for field in TRANSLATED_FIELDS:
        english = getattr(point, f"{field}_en")
        assert english, field
        for language in ("es", "de"):
            text = getattr(point, f"{field}_{language}")
            assert text, f"{field}_{language}"
            if field != "name":  # "Kunlun Mountains" may keep its proper name
                assert text != english, f"{field}_{language} is still English"


@pytest.mark.parametrize("code", CLASSIC_POINTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_steps_to_find_it_are_numbered_from_landmarks(code, language):
    point = classic_point(code)
    steps = getattr(point, f"how_to_find_{language}").splitlines()
    assert len(steps) >= 3
    assert [step.split(".", 1)[0] for step in steps] == [str(n) for n in range(1, len(steps) + 1)]
    if language == "en":
        for landmark in CLASSIC_POINTS[code][4]:
            assert landmark in point.how_to_find, landmark


@pytest.mark.parametrize("code", CLASSIC_POINTS)
def test_the_location_cites_the_who_standard_and_at_least_one_more_source(code):
    point = classic_point(code)
    sources = point.sources
    assert len(sources) >= 2
    assert all(source.reference.accessed_on or source.reference.url for source in sources)
    standards = [s for s in sources if s.reference.kind == Reference.Kind.STANDARD]
    if point.meridian.code == "EX":
        # WHO's 2008 standard covers the 361 meridian points only; the location says so
        # and names the reference it follows instead.
        assert standards == []
        assert "not one of the 361 points of WHO's 2008 standard" in point.location
        assert "Acupuncture Points Notebook" in point.location
        return
    (who,) = standards
    assert sources[0] == who
    assert who.reference.title == (
        "WHO Standard Acupuncture Point Locations in the Western Pacific Region"
    )
    assert who.supports.startswith("location")
    assert who.pages == WHO_SECTION_PAGES.get(point.meridian.code, "")


@pytest.mark.parametrize("code", CLASSIC_POINTS)
def test_it_is_drawn_on_the_views_it_needs(code):
    point = classic_point(code)
    views = sorted({marker.view.slug for marker in point.markers.all()})
    assert views == sorted(CLASSIC_POINTS[code][3])
    for marker in point.markers.all():
        marker.full_clean()


def test_yaotongdian_is_two_spots_on_the_back_of_each_hand():
    markers = classic_point("EX-UE7").markers.order_by("spot")
    assert [(marker.view.slug, marker.spot) for marker in markers] == [("hand", 1), ("hand", 2)]
    # The index-and-middle spot nearer the thumb, both the same distance from the wrist.
    assert markers[0].x < markers[1].x
    assert markers[0].y == markers[1].y


@pytest.mark.parametrize("code", CLASSIC_POINTS)
def test_it_is_linked_to_pain_types_with_a_note_on_why_in_every_language(code):
    links = classic_point(code).point_pain_types.all()
    assert links
    for link in links:
        for language in LANGUAGES:
            assert getattr(link, f"note_{language}"), (link.pain_type_id, language)


@pytest.mark.parametrize("code", CLASSIC_POINTS)
def test_every_point_warns_of_injured_skin_and_the_leg_points_of_their_own_risks(code):
    cautions = {caution.title for caution in classic_point(code).cautions.all()}
    assert "Injuries, wounds and recent surgery" in cautions
    assert ("Pregnancy" in cautions) == (code == "BL60")
    assert ("Varicose veins, or a swollen, painful calf" in cautions) == (code == "BL57")


@pytest.mark.parametrize("code", CLASSIC_POINTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_its_page_shows_the_chinese_name_a_diagram_and_its_sources_fully_translated(
    client, code, language
):
    point = classic_point(code)
    prefix = "" if language == "en" else f"/{language}"
    response = client.get(f"{prefix}/points/{point.slug}/")
    page = response.content.decode()
    text = visible_text(response)

    assert response.status_code == 200
    assert point.chinese_name in text
    assert f'aria-label="{point.code} ' in page  # a marker on a diagram
    assert 'class="body-svg"' in page
    if point.meridian.code != "EX":
        assert "WHO Standard Acupuncture Point Locations" in text
    assert "untranslated-note" not in page
    with translation.override(language):
        assert point.name in text
        assert point.location in text
