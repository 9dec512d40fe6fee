"""Issue 12: warning signs in two tiers on every kind of page, cautions that follow the
person, claims hedged or cited, and review dates that only editors give."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from points.models import Caution, Condition, Point, RedFlag, Reference
from tests.factories import make_routine
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

EMERGENCY_ACTION = (
    "Call your local emergency number (999 / 112 in the UK and EU) or go to an emergency department"
)
SOON_ACTION = "See a doctor soon"
GENERAL_CAUTIONS = [
    "Pregnancy",
    "Blood thinners or a bleeding disorder",
    "Fragile bones (osteoporosis)",
    "Injuries, wounds and recent surgery",
    "Shooting pain or tingling",
]


def tier_boxes(page):
    """The emergency and see-a-doctor-soon boxes of a page, as text, in page order."""
    boxes = re.findall(
        r'class="(?:flag-tier flag-tier|sheet-box sheet-box)--(emergency|soon)"'
        r"(.*?)</(?:section|div)>",
        page,
        flags=re.S,
    )
    return [(tier, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))) for tier, body in boxes]


def assert_tiered(page, flags):
    boxes = tier_boxes(page)
    assert [tier for tier, _ in boxes] == ["emergency", "soon"], boxes
    (_, emergency), (_, soon) = boxes
    assert "emergency" in emergency.lower()
    assert "999 / 112" in emergency
    assert "doctor soon" in soon.lower() or SOON_ACTION in page
    for flag in flags:
        assert flag.text in (emergency if flag.emergency else soon), flag.text
        assert flag.text not in (soon if flag.emergency else emergency), flag.text


@pytest.fixture
def back_and_knee(client):
    """A visitor's working routine of GB30 and BL40 only, and the same saved and shared."""
    for slug in ["gb30", "bl40"]:
        assert client.post(f"/routine/add/{slug}/").status_code == 302
    points = Point.objects.filter(code__in=["GB30", "BL40"]).order_by("code")
    return make_routine(steps=list(points))


PUBLIC_PAGES = ["/", "/safety/", "/pain/", "/pain/sciatica/", "/points/bl40/", "/points/"]
ROUTINE_PAGES = [
    "/routine/",
    "/routine/print/",
    "/routine/session/",
    "/r/{token}/",
    "/r/{token}/print/",
    "/r/{token}/session/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES + ROUTINE_PAGES)
def test_each_page_shows_the_emergency_tier_first_then_see_a_doctor_soon(
    client, back_and_knee, url
):
    response = client.get(url.format(token=back_and_knee.token))
    assert response.status_code == 200
    page = response.content.decode()
    assert_tiered(page, RedFlag.objects.general())
    text = visible_text(response)
    assert "emergency department" in text
    # A heading of its own, not colour alone.
    assert re.search(
        r"<h[23][^>]*>[^<]*(<span[^>]*>Emergency</span>)?[^<]*(Get emergency care now|EMERGENCY)",
        page,
    )


def test_every_back_pain_warning_sign_is_in_its_tier():
    emergency = " ".join(
        RedFlag.objects.general().filter(emergency=True).values_list("text", flat=True)
    )
    soon = " ".join(
        RedFlag.objects.general().filter(emergency=False).values_list("text", flat=True)
    )
    for sign in [
        "loss of bladder or bowel control",
        "difficulty passing urine",
        "genitals, bottom or inner thighs",
        "sexual function",
        "both legs",
        "Leg weakness that is new and severe",
        "chest pain",
        "tummy (abdomen)",
        "serious accident",
    ]:
        assert sign in emergency, sign
    for sign in [
        "high temperature",
        "Losing weight without trying",
        "history of cancer",
        "worse at night or at rest",
        "over 50 or under 20",
        "steroid tablets",
        "weakened immune system",
        "injecting drugs",
        "Osteoporosis",
        "minor fall",
    ]:
        assert sign in soon, sign


# No NHS page or professional body found yet says to keep pressure off varicose veins
# (searched 2026-12-06): the one caution still without a source. Take it out of this set
# once a source is added.
UNSOURCED_CAUTIONS = {"Varicose veins"}

# Sites a clinician would not sign safety text off on: a newspaper, copies of NHS or Mayo
# Clinic pages on unrelated sites, a red-flag list of unknown authorship, a course page.
WEAK_SITES = [
    "dailymail.co.uk",
    "megatopx.com",
    "ambersherbet.com",
    "hedgegrailpharmacy.co.uk",
    "zana.com",
    "redflagsymptoms.co.uk",
    "health2mama.com",
]


def test_every_red_flag_and_caution_cites_its_sources():
    # Pain-type flags and point cautions too, not only the general ones.
    for flag in RedFlag.objects.all():
        assert flag.references.exists(), flag.text
        assert all(ref.url and ref.accessed_on for ref in flag.references.all()), flag.text
    unsourced = set()
    for caution in Caution.objects.all():
        if not caution.references.exists():
            unsourced.add(caution.title)
        assert all(ref.url and ref.accessed_on for ref in caution.references.all())
    assert unsourced == UNSOURCED_CAUTIONS


def test_no_red_flag_or_caution_cites_a_weak_site():
    cited = Reference.objects.filter(red_flags__isnull=False) | Reference.objects.filter(
        cautions__isnull=False
    )
    for reference in cited.distinct():
        where = f"{reference.url} {reference.site_name}".lower()
        assert not any(site in where for site in WEAK_SITES), reference.url
    for site in WEAK_SITES:
        assert not Reference.objects.filter(url__icontains=site).exists(), site


@pytest.mark.parametrize(
    ("start", "emergency"),
    [
        # A&E after a head injury with a headache painkillers do not ease.
        ("A headache after a blow to the head", True),
        # An urgent GP appointment or 111, the same day: the see-a-doctor-soon tier.
        ("A joint that suddenly becomes", False),
    ],
)
def test_the_pain_type_signs_are_in_the_tier_their_sources_give(start, emergency):
    flag = RedFlag.objects.get(text__startswith=start)
    assert flag.emergency is emergency, flag.text
    assert flag.references.filter(url__contains="nhs.uk").exists(), flag.text


def test_the_sources_are_on_the_references_page_with_their_retrieval_date(client):
    text = visible_text(client.get("/references/"))
    for reference in Reference.objects.filter(accessed_on__isnull=False):
        assert reference.title in text
    assert "Low back pain and sciatica in over 16s (NG59)" in text
    assert "Retrieved 5 December 2026" in text


def test_safety_page_names_the_source_of_each_sign_and_what_the_evidence_says(client):
    text = visible_text(client.get("/safety/"))
    assert "What the evidence says" in text
    assert "not been shown to work better than sham" in text
    assert "low or very low quality" in text
    assert "Source" in text
    assert "Northern Health and Social Care Trust" in text


def test_bl40_page_shows_the_flags_of_its_pain_types():
    # BL40 is used for knee stiffness: its page shows that pain type's sign, and the
    # general ones (bilateral sciatica among them); not the headache signs.
    from django.test import Client

    text = visible_text(Client().get("/points/bl40/"))
    assert "(sciatica in both legs)" in text
    assert "A joint that suddenly becomes very painful" in text
    assert "A sudden, very severe headache" not in text


def test_li4_page_shows_the_headache_flags():
    from django.test import Client

    text = visible_text(Client().get("/points/li4/"))
    assert "A sudden, very severe headache" in text
    assert "Headache with a stiff neck" in text
    assert "A headache after a blow to the head that painkillers do not ease" in text


@pytest.mark.parametrize(
    ("url", "pain_type"),
    [
        ("/points/li4/", "headache"),
        ("/pain/headache/", "headache"),
        ("/points/bl40/", "knee-stiffness"),
        ("/pain/arthritis/", "arthritis"),
    ],
)
def test_the_signs_of_a_pain_type_are_in_their_own_tiers_box(client, url, pain_type):
    flags = RedFlag.objects.filter(conditions__slug=pain_type, is_general=False)
    assert flags.exists()
    assert_tiered(client.get(url).content.decode(), [*flags, *RedFlag.objects.general()])


@pytest.mark.parametrize("url", ROUTINE_PAGES)
def test_a_routine_without_li4_still_shows_the_pregnancy_caution(client, back_and_knee, url):
    response = client.get(url.format(token=back_and_knee.token))
    text = visible_text(response)
    assert "Some points are traditionally avoided in pregnancy" in text
    for title in GENERAL_CAUTIONS:
        assert title in text, title
    # The point's own caution, with the point it belongs to.
    assert "Varicose veins (BL40)" in text


def test_bl62_is_pressed_below_the_ankle_bone_not_behind_it(client):
    point = Point.objects.get(code="BL62")
    for field in [point.location, point.how_to_find]:
        assert "directly below" in field
        assert "not behind it" in field
    assert "below the bone" in point.technique
    assert "behind the ankle" not in point.how_to_find.replace("not behind it", "")


def test_claims_are_hedged_and_unsourced_advice_is_gone(client, back_and_knee):
    home = visible_text(client.get("/"))
    assert "Western medicine explains" not in home
    assert "One explanation" in home
    session = visible_text(client.get("/routine/session/"))
    assert "drink some water" not in session.lower()
    assert "core" not in Point.objects.get(code="BL23").summary


def test_the_emergency_numbers_are_one_setting(client, settings):
    settings.EMERGENCY_NUMBERS = "911"
    settings.PAGE_CACHE_SECONDS = 0
    text = visible_text(client.get("/safety/"))
    assert "Call your local emergency number (911) or go to an emergency department" in text
    settings.EMERGENCY_NUMBERS = ""
    text = visible_text(client.get("/points/"))
    assert "Call your local emergency number or go to an emergency department" in text


# Reviews


def test_no_migration_sets_a_review_date():
    for model in (Point, Condition, RedFlag, Caution):
        assert not model.objects.exclude(last_reviewed=None).exists(), model
        assert not model.objects.exclude(reviewed_by=None).exists(), model
    migrations = Path(__file__).resolve().parent.parent / "points" / "migrations"
    for path in migrations.glob("0*.py"):
        assert not re.search(r"last_reviewed\s*=\s*(?!None)", path.read_text()), path.name


def test_unreviewed_content_says_so_quietly(client):
    text = visible_text(client.get("/points/bl40/"))
    assert "Not yet reviewed by an editor." in text
    assert "Reviewed by an editor on" not in text
    assert "Not yet reviewed by an editor." in visible_text(client.get("/pain/sciatica/"))


def test_an_editor_marks_a_point_reviewed_and_its_cached_page_says_so(client, editor):
    from django.test import Client

    visitor = Client()
    assert "Not yet reviewed" in visible_text(visitor.get("/points/bl40/"))  # now cached
    point = Point.objects.get(code="BL40")
    response = client.post(
        "/admin/points/point/",
        {"action": "mark_reviewed", "_selected_action": [point.pk]},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.last_reviewed == timezone.localdate()
    assert point.reviewed_by == editor
    text = visible_text(visitor.get("/points/bl40/"))
    assert f"Reviewed by an editor on {timezone.localdate():%-d %B %Y}" in text


@pytest.mark.parametrize("model", ["point", "condition", "redflag", "caution"])
def test_editors_can_review_each_kind_of_content(client, editor, model):
    row = {"point": Point, "condition": Condition, "redflag": RedFlag, "caution": Caution}[
        model
    ].objects.first()
    response = client.post(
        f"/admin/points/{model}/", {"action": "mark_reviewed", "_selected_action": [row.pk]}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.last_reviewed, row.reviewed_by) == (timezone.localdate(), editor)


def test_the_admin_lists_what_is_due_for_review(client, editor, settings):
    settings.REVIEW_INTERVAL_DAYS = 365
    today = timezone.localdate()
    Point.objects.filter(code="BL23").update(last_reviewed=today, reviewed_by=editor)
    Point.objects.filter(code="BL40").update(last_reviewed=today - timedelta(days=400))
    due = set(Point.objects.due_for_review().values_list("code", flat=True))
    assert due == {"GB30", "BL40", "LI4", "BL62"}
    page = client.get("/admin/points/point/?review=due").content.decode()
    assert "BL40" in page
    assert "GB30" in page
    assert ">BL23<" not in page
    assert "Not yet reviewed" in page
    page = client.get("/admin/points/redflag/?review=due").content.decode()
    assert "Losing weight without trying" in page


def test_an_import_neither_brings_nor_drops_a_review(tmp_path, editor):
    point = Point.objects.get(code="BL40")
    point.mark_reviewed(editor)
    path = tmp_path / "content.json"
    call_command("export_content", str(path))
    exported = path.read_text()
    assert "last_reviewed" not in exported
    assert "reviewed_by" not in exported
    assert '"emergency": true' in exported
    call_command("import_content", str(path))
    point.refresh_from_db()
    assert point.reviewed_by == editor
    assert RedFlag.objects.get(text="Losing weight without trying").references.count() == 3


def test_the_pregnancy_caution_names_only_the_points_its_sources_name():
    text = Caution.objects.get(key="pregnancy").text
    assert "among them LI4, SP6 and BL60: leave them out" in text
    assert "GB21" not in text
