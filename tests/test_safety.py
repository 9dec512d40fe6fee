"""Warning signs in two tiers on every kind of page, with the phone numbers of the page's
language; cautions that follow the person; claims hedged or cited; and reviews that say
who reviewed what, in what role and when, never more than is true."""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import formats, timezone

from points.models import Caution, PainType, Point, RedFlag, Reference
from tests.factories import make_routine
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

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
        r'class="flag-tier flag-tier--(emergency|soon)"(.*?)</section>',
        page,
        flags=re.S,
    )
    return [(tier, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))) for tier, body in boxes]


def assert_tiered(page, flags):
    boxes = tier_boxes(page)
    assert [tier for tier, _ in boxes] == ["emergency", "soon"], boxes
    (_, emergency), (_, soon) = boxes
    assert "emergency" in emergency.lower()
    assert "999 (UK) · 112 (EU) · 911 (US and Canada)" in emergency
    assert "111 (NHS 111, UK)" in soon
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
        "tummy (abdomen) or back",
        "serious accident",
        "In pregnancy: bleeding from the vagina",
    ]:
        assert sign in emergency, sign
    # Patients need the words to say at triage.
    assert emergency.count("(possible cauda equina syndrome)") == 4
    assert "sciatica in both legs; possible cauda equina syndrome" in emergency
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
        "between the shoulder blades",
        "not begun to ease after about 4 to 6 weeks",
        "eases when you move (possible axial spondyloarthritis)",
        "blood clot (deep vein thrombosis)",
    ]:
        assert sign in soon, sign


def test_the_aneurysm_sign_is_pain_in_the_tummy_or_the_back_as_the_nhs_words_it():
    flag = RedFlag.objects.get(key="sudden-severe-pain-in-your-tummy-abdomen-as-well")
    assert flag.emergency
    assert "tummy (abdomen) or back" in flag.text
    assert "as well as" not in flag.text
    assert flag.references.get().url == "https://www.nhs.uk/conditions/abdominal-aortic-aneurysm/"


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
    "documents.pub",
    "livehealthily.com",
    "freefrombackpain.org",
]


def test_every_red_flag_and_caution_cites_sources_that_were_read():
    # Pain-type flags and point cautions too, not only the general ones.
    for item in [*RedFlag.objects.all(), *Caution.objects.all()]:
        assert item.references.exists(), item
        for reference in item.references.all():
            assert reference.url, (item, reference)
            assert reference.accessed_on, (item, reference)
            # Health services, guidelines and studies; never only what others say.
            assert reference.kind != Reference.Kind.OTHER or item.references.exclude(
                kind=Reference.Kind.OTHER
            ), (item, reference)


def test_spanish_and_german_pages_show_a_national_source_of_their_own(client):
    for code, publisher in [("es", "MedlinePlus en español"), ("de", "leitlinien.de")]:
        reference = Reference.objects.get(language=code)
        assert reference.site_name == publisher
        text = visible_text(client.get(f"/{code}/safety/"))
        # Listed first beside the signs it backs, on the page in its language.
        assert f"{publisher};" in text or f": {publisher}" in text


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
    assert "Read on 7 December 2026" in text
    # The better sources first; blogs and practitioners' pages last, as what others say.
    assert text.index("Standards") < text.index("Health services and guidelines")
    assert text.index("Health services and guidelines") < text.index("Research")
    assert text.index("Research") < text.index("What others say")
    assert "WHO Standard Acupuncture Point Locations in the Western Pacific Region" in text
    assert "documents.pub" not in text


def test_safety_page_names_the_source_of_each_sign_and_what_the_evidence_says(client):
    text = visible_text(client.get("/safety/"))
    assert "What the evidence says" in text
    assert "of low or very low certainty ( Li et al., 2021 )" in text
    assert "( Hsieh et al., 2006 )" in text
    assert "promising but preliminary ( Murphy et al., 2019 )" in text
    assert "not to offer acupuncture for low back pain" in text
    assert "Source" in text
    assert "NHS inform" in text


def test_bl40_page_shows_the_flags_of_its_pain_types():
    # BL40 is used for knee stiffness: its page shows that pain type's sign, and the
    # general ones (bilateral sciatica among them); not the headache signs.
    from django.test import Client

    text = visible_text(Client().get("/points/bl40/"))
    assert "(sciatica in both legs; possible cauda equina syndrome)" in text
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
    flags = RedFlag.objects.filter(pain_types__slug=pain_type, is_general=False)
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
    assert "Varicose veins, or a swollen, painful calf (BL40)" in text


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


# The numbers each language's readers are likely to need, on every kind of page that shows
# warning signs.
NUMBERS = {
    "en": (["999 (UK)", "112 (EU)", "911 (US and Canada)"], ["111 (NHS 111, UK)"]),
    "es": (["112 (España y la UE)", "911 (México, EE. UU. y la mayor parte de América)"], []),
    "de": (["112"], ["116 117 (ärztlicher Bereitschaftsdienst)"]),
}
NOT_THERE = {"en": ["116 117"], "es": ["999", "111", "116 117"], "de": ["999", "911", "111"]}


@pytest.mark.parametrize("language", NUMBERS)
@pytest.mark.parametrize("url", PUBLIC_PAGES + ROUTINE_PAGES)
def test_each_page_shows_the_numbers_of_its_language(client, back_and_knee, language, url):
    prefix = "" if language == "en" else f"/{language}"
    response = client.get(prefix + url.format(token=back_and_knee.token))
    assert response.status_code == 200
    boxes = dict(tier_boxes(response.content.decode()))
    emergency_numbers, soon_numbers = NUMBERS[language]
    for number in emergency_numbers:
        assert number in boxes["emergency"], (language, number)
    for number in soon_numbers:
        assert number in boxes["soon"], (language, number)
    for number in NOT_THERE[language]:
        assert f"{number} (" not in boxes["emergency"] + boxes["soon"], (language, number)
    # A phone dials them.
    assert 'href="tel:112"' in response.content.decode()


def test_a_site_sets_its_own_numbers_for_a_language(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.EMERGENCY_NUMBERS = {
        **settings.EMERGENCY_NUMBERS,
        "en": {"emergency": [("000", "Australia")], "soon": [("13 HEALTH", "Queensland")]},
    }
    boxes = dict(tier_boxes(client.get("/safety/").content.decode()))
    assert "000 (Australia)" in boxes["emergency"]
    assert "999" not in boxes["emergency"]
    assert "13 HEALTH (Queensland)" in boxes["soon"]
    # Other languages keep theirs.
    assert "116 117" in dict(tier_boxes(client.get("/de/safety/").content.decode()))["soon"]


# Reviews


def test_no_migration_or_import_sets_a_review():
    for model in (Point, PainType, RedFlag, Caution):
        assert not model.objects.exclude(last_reviewed=None).exists(), model
        assert not model.objects.exclude(reviewed_by=None).exists(), model
        assert not model.objects.exclude(reviewer_name="").exists(), model
    migrations = Path(__file__).resolve().parent.parent / "points" / "migrations"
    for path in migrations.glob("0*.py"):
        assert not re.search(r"last_reviewed\s*=\s*(?!None)", path.read_text()), path.name


def reviewed_on_today():
    return formats.date_format(timezone.localdate(), "DATE_FORMAT")


@pytest.mark.parametrize("url", ["/", "/points/bl40/", "/pain/sciatica/", "/safety/"])
def test_unreviewed_content_says_so(client, url):
    text = visible_text(client.get(url))
    assert "Not yet reviewed by a clinician." in text
    assert "Reviewed by" not in text


def test_the_print_sheet_says_whether_anyone_reviewed_it(client, back_and_knee, editor):
    url = f"/r/{back_and_knee.token}/print/"
    assert "Not yet reviewed by a clinician." in visible_text(client.get(url))
    for item in [*Point.objects.all(), *RedFlag.objects.all(), *Caution.objects.all()]:
        item.mark_reviewed(editor)
    text = visible_text(client.get(url))
    assert f"Reviewed by Ada Editor, physiotherapist, on {reviewed_on_today()}." in text
    # A Spanish sheet reads the Spanish text, whose translation nobody reviewed.
    spanish = visible_text(client.get(f"/es{url}"))
    assert "Aún no revisado por un profesional sanitario." in spanish


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
    assert (point.reviewer_name, point.reviewer_role) == ("Ada Editor", "physiotherapist")
    text = visible_text(visitor.get("/points/bl40/"))
    assert f"Reviewed by Ada Editor, physiotherapist, on {reviewed_on_today()}." in text
    # A Spanish reader sees the English review and that of the translation, apart.
    spanish = visible_text(visitor.get("/es/points/bl40/"))
    assert "Revisado por Ada Editor, fisioterapeuta, el" in spanish
    assert "Esta traducción aún no se ha revisado." in spanish


def test_a_text_changed_after_its_review_shows_as_not_reviewed_again(editor):
    from django.test import Client

    point = Point.objects.get(code="GB30")
    point.mark_reviewed(editor)
    assert "Reviewed by Ada Editor" in visible_text(Client().get("/points/gb30/"))
    point.location_en += " A later edit."
    point.save()
    text = visible_text(Client().get("/points/gb30/"))
    assert "Not yet reviewed by a clinician." in text
    assert "Reviewed by Ada Editor" not in text


def test_a_review_keeps_the_role_the_editor_had_then(editor):
    point = Point.objects.get(code="GB30")
    point.mark_reviewed(editor)
    editor.editor_profile.role = "doctor"
    editor.editor_profile.save()
    point.refresh_from_db()
    assert point.get_reviewer_role_display() == "physiotherapist"


def test_an_editor_without_a_name_and_role_cannot_record_a_review(client, editor):
    editor.editor_profile.delete()
    point = Point.objects.get(code="BL40")
    response = client.post(
        "/admin/points/point/",
        {"action": "mark_reviewed", "_selected_action": [point.pk]},
        follow=True,
    )
    assert "Your review cannot be recorded yet" in response.content.decode()
    point.refresh_from_db()
    assert point.last_reviewed is None


@pytest.mark.parametrize("model", ["point", "paintype", "redflag", "caution"])
def test_editors_can_review_each_kind_of_content(client, editor, model):
    row = {"point": Point, "paintype": PainType, "redflag": RedFlag, "caution": Caution}[
        model
    ].objects.first()
    response = client.post(
        f"/admin/points/{model}/", {"action": "mark_reviewed", "_selected_action": [row.pk]}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.last_reviewed, row.reviewed_by) == (timezone.localdate(), editor)
    assert row.reviewer_name == "Ada Editor"


def test_the_admin_lists_what_is_due_for_review(client, editor, settings):
    settings.REVIEW_INTERVAL_DAYS = 365
    today = timezone.localdate()
    Point.objects.filter(code="BL23").update(last_reviewed=today, reviewed_by=editor)
    Point.objects.filter(code="BL40").update(last_reviewed=today - timedelta(days=400))
    due = set(Point.objects.due_for_review().values_list("code", flat=True))
    assert len(due) == 15
    assert "BL23" not in due
    assert {"GB30", "BL40", "LI4", "BL62", "GV4", "EX-UE7"} <= due
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
    assert "reviewer_" not in exported
    assert '"emergency": true' in exported
    call_command("import_content", str(path), stdout=StringIO())
    point.refresh_from_db()
    assert point.reviewed_by == editor
    assert point.reviewer_name == "Ada Editor"
    assert RedFlag.objects.get(text="Losing weight without trying").references.count() == 2


def test_the_pregnancy_caution_names_only_the_points_its_sources_name():
    text = Caution.objects.get(key="pregnancy").text
    assert (
        "among them LI4 and BL60 (and SP6, which this guide does not use): leave them out" in text
    )
    assert "GB21" not in text
