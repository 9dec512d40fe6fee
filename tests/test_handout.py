"""The print sheet as a clinician's handout, as the server sends it: the "For", "From" and
"Contact" fields that go nowhere, and the large-print sheet (?size=large) with a figure for
each step. What the browser prints is checked in tests/browser/test_handout.py."""

import re

import pytest

from routines.working import WorkingRoutine
from tests.factories import make_routine
from tests.pages import five_point_suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestion():
    return five_point_suggestion()


@pytest.fixture
def visitor(client):
    """A visitor whose working routine holds GB30, LI4, then a free step."""
    for slug in ["gb30", "li4"]:
        assert client.post(f"/routine/add/{slug}/").status_code == 302
    version = WorkingRoutine(client.session).version
    data = {"text": "Walk for five minutes", "seconds": 300, "version": version}
    assert client.post("/routine/free-step/", data).status_code == 302
    return client


def step_items(page):
    """The HTML of each step in the sheet's list of steps."""
    steps = page.split('<ol class="sheet-steps">', 1)[1].split("</section>", 1)[0]
    return steps.split('<li class="sheet-step')[1:]


def figures_in(html):
    return re.findall(r'<figure [^>]*class="body-figure', html)


# The sizes


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 200),
        ("?size=large", 200),
        ("?size=standard", 200),
        ("?size=huge", 400),
        ("?size=", 400),
        ("?size=LARGE", 400),
        ("?size=large&size=standard", 400),
        ("?size=" + "x" * 5000, 400),
    ],
)
def test_the_size_is_standard_or_large_and_anything_else_is_a_400(
    client, suggestion, query, status
):
    for url in [
        f"/r/{suggestion.token}/print/",
        "/routine/print/",
        f"/es/r/{suggestion.token}/print/",
    ]:
        response = client.get(url + query)
        assert response.status_code == status, (url + query, response.status_code)


def test_a_made_up_size_does_not_count_as_printing_the_link(client, suggestion):
    routine = make_routine(steps=list(suggestion.steps.values_list("text", flat=True)[:1]))
    assert client.get(f"/r/{routine.token}/print/?size=huge").status_code == 400
    routine.refresh_from_db()
    assert routine.last_printed_at is None
    assert client.get(f"/r/{routine.token}/print/?size=large").status_code == 200
    routine.refresh_from_db()
    assert routine.last_printed_at is not None


def test_the_standard_sheet_shares_its_figures_and_the_large_one_has_one_per_step(
    client, suggestion
):
    standard = client.get(f"/r/{suggestion.token}/print/").content.decode()
    large = client.get(f"/r/{suggestion.token}/print/?size=large").content.decode()
    steps = list(suggestion.steps.all())
    with_point = [step for step in steps if step.point]

    # Standard: one figure per body view, beside the steps; no step has a figure of its own.
    assert 'class="sheet__figures"' in standard
    assert 'class="sheet-step__figure"' not in standard
    assert 'class="sheet sheet--large"' not in standard

    # Large: no shared figures; each step with a point has exactly one figure, in it,
    # marking that step's number only.
    assert 'class="sheet__figures"' not in large
    assert 'class="sheet sheet--large"' in large
    items = step_items(large)
    assert len(items) == len(steps)
    for step, item in zip(steps, items, strict=True):
        if step.point:
            assert len(figures_in(item)) == 1, step
            numbers = re.findall(r'<text class="marker__number"[^>]*>(\d+)</text>', item)
            assert numbers, step
            assert set(numbers) == {str(step.number)}, (step, numbers)
        else:
            assert figures_in(item) == [], step
    assert len(figures_in(large)) == len(with_point)


def test_the_large_sheet_of_a_working_routine_has_a_figure_per_step(visitor):
    response = visitor.get("/routine/print/?size=large")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    items = step_items(response.content.decode())
    # GB30 and LI4 each on a figure of their own, the free step on none.
    assert [len(figures_in(item)) for item in items] == [1, 1, 0]
    assert 'data-view="back"' in items[0]
    assert 'data-view="hand"' in items[1]


def test_the_toolbar_switches_between_the_two_sizes(client, suggestion):
    url = f"/de/r/{suggestion.token}/print/"
    standard = client.get(url).content.decode()
    large = client.get(url + "?size=large").content.decode()
    assert f'href="{url}" aria-current="page"' in standard
    assert f'href="{url}?size=large">' in standard
    assert f'href="{url}?size=large" aria-current="page"' in large
    assert f'href="{url}">' in large


def test_each_size_is_cached_under_its_own_key(client, suggestion, django_assert_max_num_queries):
    url = f"/r/{suggestion.token}/print/"
    standard = client.get(url).content.decode()
    large = client.get(url + "?size=large").content.decode()
    assert "sheet--large" in large
    assert "sheet--large" not in standard
    # Served again from the page cache (only the "printed" stamp is written), each is
    # still itself.
    for query, page in [("", standard), ("?size=large", large)]:
        with django_assert_max_num_queries(3):
            assert client.get(url + query).content.decode() == page
    # "?size=standard" is the standard sheet, not a copy of the large one.
    assert "sheet--large" not in client.get(url + "?size=standard").content.decode()


# The handout's fields


def test_for_from_and_contact_are_labelled_fields_outside_any_form(client, suggestion):
    for query in ["", "?size=large"]:
        page = client.get(f"/r/{suggestion.token}/print/{query}").content.decode()
        assert "<form" not in page
        for field in ["for", "from", "contact"]:
            tag = re.search(rf'<input[^>]*id="handout-{field}"[^>]*>', page).group(0)
            # No name: even inside a form, a browser would send nothing of it.
            assert "name=" not in tag
            assert 'autocomplete="off"' in tag
            assert f'<label class="handout-field__label" for="handout-{field}">' in page
        assert "What you type stays on this page: it is not sent anywhere or saved." in page


# A patient reads top to bottom: the warning signs and "Before you start" come before the
# first step, and each step says its own point's cautions.
SHEET_WORDS = {
    # language: (before you start, step 1, LI4's note, GB30's note)
    "en": ("Before you start", "Relax your back on a roller", "Not in pregnancy.", "shoots"),
    "es": ("Antes de empezar", "Relaje la espalda", "No durante el embarazo.", "descarga"),
    "de": ("Bevor Sie beginnen", "Rücken auf einer Rolle", "Nicht in der Schwangerschaft.", "ein"),
}


@pytest.mark.parametrize("language", SHEET_WORDS)
def test_the_sheet_gives_the_safety_notes_before_step_one(client, suggestion, language):
    prefix = "" if language == "en" else f"/{language}"
    page = client.get(f"{prefix}/r/{suggestion.token}/print/").content.decode()
    before_you_start, first_step, _, _ = SHEET_WORDS[language]

    steps_start = page.index('<ol class="sheet-steps">')
    assert page.index('class="flag-tier flag-tier--emergency"') < steps_start
    assert page.index('class="flag-tier flag-tier--soon"') < steps_start
    assert page.index(before_you_start) < steps_start
    assert first_step in step_items(page)[0]


@pytest.mark.parametrize("language", SHEET_WORDS)
def test_each_step_carries_its_points_cautions(client, suggestion, language):
    prefix = "" if language == "en" else f"/{language}"
    page = client.get(f"{prefix}/r/{suggestion.token}/print/").content.decode()
    steps = {
        code: item
        for item in step_items(page)
        for code in ["LI4", "GB30", "BL40", "BL23"]
        if f'<span class="sheet-step__code">{code}</span>' in item
    }
    _, _, li4_note, gb30_word = SHEET_WORDS[language]

    assert li4_note in steps["LI4"]
    assert 'class="sheet-step__caution"' in steps["GB30"]
    assert gb30_word in steps["GB30"].split('class="sheet-step__caution"')[1]
    assert 'class="sheet-step__caution"' in steps["BL40"]
    # A caution that concerns every point is given once, before the steps.
    assert 'class="sheet-step__caution"' not in steps["BL23"]
    assert li4_note not in steps["GB30"]
