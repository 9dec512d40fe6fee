"""The guide's content as content/guide.json holds it, checked against the source article."""

import re

import pytest
from django.urls import reverse

from points.models import Benefit, PainType, Point, RedFlag, Reference, Tip
from tests.pages import CLASSIC_POINT_CODES

pytestmark = pytest.mark.django_db

ARTICLE_POINTS = {
    # code: (English name, region, shortest press, longest press)
    "BL23": ("Sea of Vitality", "lower-back", 30, 180),
    "GB30": ("Jumping Circle", "hips", 30, 180),
    "BL40": ("Commanding Middle", "legs", 30, 180),
    "LI4": ("Joining Valley", "arms", 60, 90),
    "BL62": ("Extending Vessel", "feet", 30, 180),
}

# The classic points the guide adds to the article's five (tests/test_classic_points.py
# checks each record is complete).
CLASSIC_POINTS = set(CLASSIC_POINT_CODES)

# Pain type slug -> the points the article names for it.
ARTICLE_FILTERS = {
    "sciatica": {"GB30", "BL40"},
    "piriformis-syndrome": {"GB30"},
    "herniated-disc": {"BL40"},
    "muscle-spasm": {"BL40"},
    "knee-stiffness": {"BL40"},
    "arthritis": {"BL40"},
    "headache": {"LI4"},
    "lower-back-pain": {"BL23", "BL40", "LI4", "BL62"},
}

# ... and the classic points linked to it as well.
GUIDE_FILTERS = {
    slug: codes
    | {
        "sciatica": {"BL25", "BL57", "BL60", "GB34", "GV3"},
        "muscle-spasm": {"BL57", "EX-UE7", "GB34", "LR3", "SI3"},
        "knee-stiffness": {"GB34"},
        "lower-back-pain": CLASSIC_POINTS - {"GB34"},
    }.get(slug, set())
    for slug, codes in ARTICLE_FILTERS.items()
}

ARTICLE_REFERENCES = {
    # authors: (date as cited, start of the title)
    "Stone, S.": ("n.d.", "Spring Cleaning for Your Back"),
    "Bourassa, P.": ("10 February 2018", "5 Acupressure Techniques To Relieve Lower Back Pain"),
    "George, S.": ("30 August 2016", "Bladder 23: An Acupressure/Acupuncture Point"),
    "Larsen, A.": ("28 May 2018", "Acupuncture Point: Gallbladder 30"),
    "Pletcher, P.": ("25 March 2015", "How to Massage Your Pressure Points"),
    "Tower Health": ("2018", "The 5 Most Important Acupuncture Points For Treating Back Pain"),
}


def result_slugs(response):
    """Slugs of the points linked from the results section of the point list."""
    html = response.content.decode()
    results = html.split('id="results"', 1)[1]
    return re.findall(r'href="/points/([\w-]+)/"', results)


def test_the_article_points_and_the_classic_set_are_published():
    codes = set(Point.objects.published().values_list("code", flat=True))
    assert codes == set(ARTICLE_POINTS) | CLASSIC_POINTS
    assert len(codes) == 16


@pytest.mark.parametrize("code", ARTICLE_POINTS)
def test_article_point_names_region_and_press_range(code):
    name, region, shortest, longest = ARTICLE_POINTS[code]
    point = Point.objects.get(code=code)
    assert point.name == name
    assert point.region == region
    assert (point.press_seconds_min, point.press_seconds_max) == (shortest, longest)
    assert point.bilateral
    assert point.slug == code.lower()


def test_press_times_read_as_in_the_article():
    assert Point.objects.get(code="LI4").press_time == "60–90 s"
    assert Point.objects.get(code="BL23").press_time == "30 s to 3 min"


def test_the_article_spelling_urinary_bladder_40_is_an_alias_of_bl40():
    aliases = Point.objects.get(code="BL40").alias_list
    assert "Urinary Bladder 40" in aliases
    assert "UB40" in aliases
    assert "Bladder 40" in aliases


@pytest.mark.parametrize(
    ("code", "landmarks"),
    [
        ("BL23", ["second lumbar vertebra", "spinous process of L2", "two finger widths"]),
        ("GB30", ["greater trochanter", "sacral hiatus", "outer third"]),
        ("BL40", ["crease", "knee"]),
        ("LI4", ["back of the hand", "second metacarpal bone", "thumb side"]),
        # Below, not behind: behind the ankle bone is BL60.
        ("BL62", ["directly below the tip of the outer ankle bone", "not behind it"]),
    ],
)
def test_point_locations_name_the_landmarks(code, landmarks):
    location = Point.objects.get(code=code).location
    for landmark in landmarks:
        assert landmark in location


def test_press_and_release_follows_the_article():
    press_and_release = set(
        Point.objects.filter(code__in=ARTICLE_POINTS, press_and_release=True).values_list(
            "code", flat=True
        )
    )
    assert press_and_release == {"BL23", "GB30", "BL40"}


@pytest.mark.parametrize(("slug", "codes"), GUIDE_FILTERS.items())
def test_pain_type_filter_finds_the_article_and_classic_points(client, slug, codes):
    response = client.get(reverse("points:list"), {"pain": slug})
    assert response.status_code == 200
    assert set(result_slugs(response)) == {code.lower() for code in codes}


@pytest.mark.parametrize(("slug", "codes"), GUIDE_FILTERS.items())
def test_pain_type_page_lists_the_article_and_classic_points(client, slug, codes):
    response = client.get(reverse("points:pain_type", args=[slug]))
    html = response.content.decode()
    assert response.status_code == 200
    linked = set(re.findall(r'href="/points/([\w-]+)/"', html))
    assert linked == {code.lower() for code in codes}


@pytest.mark.parametrize(("slug", "codes"), GUIDE_FILTERS.items())
def test_for_pain_types_queryset_finds_the_article_and_classic_points(slug, codes):
    pain_type = PainType.objects.get(slug=slug)
    found = Point.objects.published().for_pain_types([pain_type])
    assert {point.code for point in found} == codes


def test_every_pain_type_the_article_names_is_published():
    assert set(PainType.objects.published().values_list("slug", flat=True)) >= set(ARTICLE_FILTERS)


def test_gb30_note_says_why_it_is_used_for_sciatica_without_promising_it_works():
    link = Point.objects.get(code="GB30").point_pain_types.get(pain_type__slug="sciatica")
    assert link.note.startswith("Traditionally used for sciatic pain")
    assert "effective" not in link.note


def test_li4_and_bl60_carry_the_pregnancy_caution_and_no_other_point_does():
    # The two points tradition avoids in pregnancy (SP6, also avoided, is not in the guide).
    pregnancy_points = Point.objects.filter(cautions__title="Pregnancy").order_by("code")
    assert [point.code for point in pregnancy_points] == ["BL60", "LI4"]
    caution = Point.objects.get(code="LI4").cautions.get(title="Pregnancy")
    assert "pregnan" in caution.text.lower()
    assert "BL60" in caution.text


def test_the_calf_and_knee_points_warn_of_varicose_veins_and_a_swollen_calf():
    calf = Point.objects.filter(cautions__title__startswith="Varicose veins").order_by("code")
    assert [point.code for point in calf] == ["BL40", "BL57"]


def test_the_article_and_its_references_are_credited_with_their_dates_and_titles():
    # As what others say, after the better sources (tests/test_safety.py).
    references = {
        reference.authors: reference
        for reference in Reference.objects.filter(authors__in=ARTICLE_REFERENCES)
    }
    assert set(references) == set(ARTICLE_REFERENCES)
    assert {reference.kind for reference in references.values()} == {Reference.Kind.OTHER}
    for authors, (date_cited, title) in ARTICLE_REFERENCES.items():
        assert references[authors].date_cited == date_cited
        assert references[authors].title.startswith(title)


def test_the_source_article_is_the_only_source_article():
    source = Reference.objects.get(is_source_article=True)
    assert source.authors == "Stone, S."
    assert Reference.objects.first() == source


@pytest.mark.parametrize("code", ARTICLE_POINTS)
def test_every_point_cites_the_source_article(code):
    point = Point.objects.get(code=code)
    assert point.references.filter(is_source_article=True).exists()


def test_the_specific_sources_back_the_points_they_are_about():
    assert Point.objects.get(code="BL23").references.filter(authors="George, S.").exists()
    notebook = Point.objects.get(code="GB30").point_references.get(
        reference__title="GB-30 Huantiao"
    )
    assert "sciatic nerve" in notebook.supports
    # Pages nobody could open again are credited, but cite no fact.
    assert not Reference.objects.get(authors="Larsen, A.").point_references.exists()
    assert not Reference.objects.get(authors="Pletcher, P.").point_references.exists()


def test_general_red_flags_cover_the_back_pain_warning_signs():
    flags = " ".join(RedFlag.objects.general().values_list("text", flat=True)).lower()
    for sign in ["bladder or bowel", "genitals", "weakness", "temperature", "accident", "weight"]:
        assert sign in flags


def test_nine_key_benefits_from_the_article():
    # Worded as what people use acupressure for, not effects it is proven to have.
    benefits = list(Benefit.objects.values_list("text", flat=True))
    assert len(benefits) == 9
    assert "Tension headaches" in benefits


def test_follow_up_tips_from_the_article():
    arches = Tip.objects.get(title__icontains="arches")
    assert arches.point.code == "BL62"
    # Relax before and after the session: the article's roller advice, in both places.
    session_tips = " ".join(Tip.objects.filter(point=None).values_list("text", flat=True))
    assert "before you start" in session_tips.lower()
    assert "when you finish" in session_tips.lower()
    assert session_tips.lower().count("roller") >= 2
