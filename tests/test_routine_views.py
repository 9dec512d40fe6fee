"""The routine builder's pages and actions, with htmx and without.

Every change is a small POST: htmx gets the `#routine` partial back (or the small "Added"
button), a browser without JavaScript gets a redirect to /routine/. Bad input gets a 4xx
with a message on the page and leaves the routine as it was.
"""

import html
import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from points.models import Point, RedFlag
from routines.models import Routine
from routines.views import SAVES_PER_SESSION_PER_DAY
from routines.working import WorkingRoutine
from tests.factories import make_point, make_routine
from tests.pages import (
    FIVE_POINT_TITLE,
    HTMX,
    add,
    assert_strict_csp_ready,
    change,
    five_point_suggestion,
    save,
    snapshot,
    visible_text,
    working,
)

pytestmark = pytest.mark.django_db

SCIATICA_TITLE = "Sciatica: buttock and knee"
# The general pregnancy caution, which every routine shows.
LI4_PREGNANCY = "Some points are traditionally avoided in pregnancy, among them LI4"


# Helpers


def steps_text(response):
    """The visible text of the list of steps only (figures also name the steps)."""
    page = response.content.decode()
    assert '<ol class="step-list' in page
    steps = page.split('<ol class="step-list', 1)[1].split(">", 1)[1].split("</ol>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", steps)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def builder_steps(response):
    """The builder's steps in order, as their titles read (the numbers are CSS counters)."""
    titles = re.findall(r'<h2 class="step__title">(.*?)</h2>', response.content.decode(), re.S)
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", t))).strip() for t in titles]


def step_codes(response):
    """The first word of each step's title in the builder: a point's code."""
    return [title.split()[0] for title in builder_steps(response)]


def all_versions(page):
    return set(re.findall(r'name="version" value="(\d+)"', page))


def working_version(response):
    return WorkingRoutine(response.wsgi_request.session).version


def codes(client):
    """The visitor's steps: a point's code or a free step's text, in order."""
    return [step.point.code if step.point else step.text for step in working(client).steps()]


def key(client, code):
    return next(
        step.key
        for step in working(client).steps()
        if (step.point.code if step.point else step.text) == code
    )


def step_rows(routine):
    return list(
        routine.steps.order_by("position").values_list(
            "pk", "position", "point_id", "text", "seconds", "sides", "note"
        )
    )


def routine_row(routine):
    return Routine.objects.filter(pk=routine.pk).values(
        "token", "title", "summary", "is_suggestion", "source_id", "created_at"
    )[0]


def assert_changed(response, htmx, whole=True):
    """How a successful change answers: a redirect without htmx; with it, the whole builder,
    or (whole=False) only the parts the change touched, each swapped in out of band."""
    if htmx:
        page = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in page
        assert json.loads(response["HX-Trigger"]) == {"routine-changed": {}}
        assert "private" in response["Cache-Control"]
        if whole:
            assert 'id="routine"' in page
            assert "HX-Reswap" not in response
        else:
            assert 'id="routine"' not in page
            assert response["HX-Reswap"] == "none"
            assert all_versions(page) == {str(working_version(response))}
    else:
        assert response.status_code == 302
        assert response["Location"] == "/routine/"


def assert_refused(response, status, message):
    """A 4xx with the message on the page (the routine, whole or as the htmx partial)."""
    assert response.status_code == status
    assert 'id="routine"' in response.content.decode()
    assert message in visible_text(response)
    assert "private" in response["Cache-Control"]


@pytest.fixture
def visitor(client):
    """A visitor whose routine holds GB30 then BL40."""
    add(client, "gb30", "bl40")
    return client


@pytest.fixture
def saved(visitor):
    """The routine the visitor saved and shared: GB30 then BL40."""
    return save(visitor)


@pytest.fixture
def suggestion():
    return five_point_suggestion()


# The routine page


def test_empty_routine_page_says_how_to_start(client):
    response = client.get("/routine/")
    text = visible_text(response)
    assert response.status_code == 200
    assert "Your routine is empty" in text
    assert FIVE_POINT_TITLE in text
    assert "Save and share" not in text


def test_routine_page_lists_steps_with_number_point_time_and_total(visitor):
    response = visitor.get("/routine/")
    page = response.content.decode()
    text = visible_text(response)
    assert response.status_code == 200
    assert step_codes(response) == ["GB30", "BL40"]
    assert "2 steps · about 4 min in all" in text
    assert len(re.findall(r'id="seconds-\w+" type="number" name="seconds" value="60"', page)) == 2
    assert "Save and share" in text
    # The routine's points on a body diagram, marked by step number.
    assert re.search(r'class="marker marker--numbered"[^>]*aria-label="Step 1: GB30', page)


def test_routine_page_shows_the_cautions_and_red_flags_of_its_points(client):
    add(client, "li4")
    text = visible_text(client.get("/routine/"))
    assert LI4_PREGNANCY in text
    for flag in RedFlag.objects.general():
        assert flag.text in text


def test_htmx_get_of_the_routine_page_is_the_partial(visitor):
    response = visitor.get("/routine/", headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<div id="routine"')


# Adding a point from a public page


def test_add_link_opens_a_confirm_page_with_a_form_and_a_csrf_token(client):
    response = client.get("/routine/add/gb30/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Add GB30" in visible_text(response)
    assert re.search(r'<form method="post" action="/routine/add/gb30/"', page)
    assert 'name="csrfmiddlewaretoken"' in page
    assert "private" in response["Cache-Control"]
    assert codes(client) == []


def test_add_point_without_htmx_redirects_to_the_routine(client):
    response = client.post("/routine/add/gb30/")
    assert response.status_code == 302
    assert response["Location"] == "/routine/"
    assert codes(client) == ["GB30"]


def test_add_point_with_htmx_answers_with_a_small_added_button(visitor):
    response = visitor.post("/routine/add/li4/", headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Added as step 3" in visible_text(response)
    assert 'href="/routine/"' in page
    assert json.loads(response["HX-Trigger"]) == {"routine-changed": {}}
    assert "private" in response["Cache-Control"]
    assert codes(visitor) == ["GB30", "BL40", "LI4"]


@pytest.mark.parametrize("htmx", [False, True])
def test_adding_a_point_twice_is_refused_with_a_message(visitor, htmx):
    before = snapshot(visitor)
    response = visitor.post("/routine/add/gb30/", headers=HTMX if htmx else {})
    assert response.status_code == 409
    assert "GB30 is already in your routine" in visible_text(response)
    assert snapshot(visitor) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_adding_an_unknown_point_is_404(client, method):
    response = getattr(client, method)("/routine/add/zz99/")
    assert response.status_code == 404
    assert "We can't find that page" in html.unescape(response.content.decode())
    assert codes(client) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_adding_an_unpublished_point_is_404(client, method):
    hidden = make_point(is_published=False)
    response = getattr(client, method)(f"/routine/add/{hidden.slug}/")
    assert response.status_code == 404
    assert codes(client) == []


@pytest.mark.parametrize("htmx", [False, True])
def test_the_31st_step_is_refused_with_a_message(client, htmx):
    for number in range(30):
        response = change(client, "/routine/free-step/", text=f"Step {number}", seconds=10)
        assert response.status_code == 302
    before = snapshot(client)

    point = client.post("/routine/add/gb30/", headers=HTMX if htmx else {})
    free = change(client, "/routine/free-step/", htmx=htmx, text="One more", seconds=10)

    for response in (point, free):
        assert response.status_code == 422
        assert "at most 30 steps" in visible_text(response)
    assert snapshot(client) == before


# Changing steps: each action with and without htmx


@pytest.mark.parametrize("htmx", [False, True])
def test_update_seconds_sides_and_note(visitor, htmx):
    url = f"/routine/steps/{key(visitor, 'GB30')}/"
    response = change(visitor, url, htmx=htmx, seconds=150, sides="left", note="gently")

    assert_changed(response, htmx, whole=False)
    step = working(visitor).steps()[0]
    assert (step.seconds, step.sides, step.note) == (150, "left", "gently")
    # 150 s on one side plus BL40's 60 s on each side.
    assert working(visitor).total_seconds() == 270
    if htmx:
        page = response.content.decode()
        # The step in place of itself, and GB30's marker, now on the left side only.
        assert f'<li class="step" id="step-{step.key}" hx-swap-oob="true">' in page
        assert 'value="150"' in page
        assert 'value="gently"' in page
        assert "about 4 min 30 s in all" in visible_text(response)
        assert 'aria-label="Step 1: GB30 Jumping Circle, left side"' in page
        assert "BL40" not in builder_steps(response)


def test_a_two_sided_point_without_a_side_is_pressed_on_both(visitor):
    url = f"/routine/steps/{key(visitor, 'GB30')}/"
    assert change(visitor, url, seconds=90, sides="").status_code == 302
    assert working(visitor).steps()[0].sides == "both"


@pytest.mark.parametrize("htmx", [False, True])
def test_update_a_free_step(client, htmx):
    change(client, "/routine/free-step/", text="Roll out your back", seconds=60)
    url = f"/routine/steps/{key(client, 'Roll out your back')}/"
    response = change(client, url, htmx=htmx, seconds=600, sides="both", note="slowly")
    assert_changed(response, htmx)
    step = working(client).steps()[0]
    assert (step.seconds, step.sides, step.note) == (600, "", "slowly")


@pytest.mark.parametrize("htmx", [False, True])
def test_move_a_step_up(visitor, htmx):
    response = change(
        visitor, f"/routine/steps/{key(visitor, 'BL40')}/move/", htmx=htmx, direction="up"
    )
    assert_changed(response, htmx, whole=False)
    assert codes(visitor) == ["BL40", "GB30"]
    if htmx:
        bl40, gb30 = (step.key for step in working(visitor).steps())
        page = response.content.decode()
        # BL40's step leaves its place and comes back before GB30's; nothing else is sent
        # but the markers, the total and the new version.
        assert f'<li id="step-{bl40}" hx-swap-oob="delete"></li>' in page
        assert f'<ol hx-swap-oob="beforebegin:#step-{gb30}">' in page
        assert builder_steps(response) == ["BL40 Commanding Middle"]
        assert 'aria-label="Step 1: BL40' in page


@pytest.mark.parametrize("htmx", [False, True])
def test_move_a_step_down(visitor, htmx):
    add(visitor, "li4")
    response = change(
        visitor, f"/routine/steps/{key(visitor, 'GB30')}/move/", htmx=htmx, direction="down"
    )
    assert_changed(response, htmx, whole=False)
    assert codes(visitor) == ["BL40", "GB30", "LI4"]
    if htmx:
        bl40 = key(visitor, "BL40")
        assert f'<ol hx-swap-oob="afterend:#step-{bl40}">' in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_remove_a_step(visitor, htmx):
    response = change(visitor, f"/routine/steps/{key(visitor, 'GB30')}/remove/", htmx=htmx)
    # The last step but one: the routine keeps one step, and the whole builder comes back.
    assert_changed(response, htmx)
    assert codes(visitor) == ["BL40"]
    if htmx:
        assert step_codes(response) == ["BL40"]


@pytest.mark.parametrize("htmx", [False, True])
def test_remove_a_step_of_three(visitor, htmx):
    add(visitor, "li4")
    gb30 = key(visitor, "GB30")
    response = change(visitor, f"/routine/steps/{gb30}/remove/", htmx=htmx)
    assert_changed(response, htmx, whole=False)
    assert codes(visitor) == ["BL40", "LI4"]
    if htmx:
        page = response.content.decode()
        assert f'<li id="step-{gb30}" hx-swap-oob="delete"></li>' in page
        assert builder_steps(response) == []
        # The markers, renumbered, and the safety notes, with those of the points left.
        assert 'id="routine-aside" hx-swap-oob="true"' in page
        assert 'aria-label="Step 1: BL40' in page
        assert "GB30" not in visible_text(response)
        assert "2 steps" in visible_text(response)


def test_a_move_in_a_long_routine_answers_a_small_part_of_the_builder(client):
    """Every point of the guide and free steps up to 25: each move down the list answers
    the step, the marks of the figures that show it and its neighbour, and the total."""
    add(client, *Point.objects.published().values_list("slug", flat=True))
    while len(working(client).steps()) < 25:
        change(client, "/routine/free-step/", text="Walk for a while", seconds=30)
    whole = client.get("/routine/", headers=HTMX).content

    first = working(client).steps()[0]
    sizes = []
    for _ in range(24):  # the first step, down to the bottom: it passes every other one
        response = change(client, f"/routine/steps/{first.key}/move/", htmx=True, direction="down")
        assert_changed(response, htmx=True, whole=False)
        sizes.append(len(response.content))

    assert working(client).steps()[-1].key == first.key
    assert max(sizes) <= 15_000 < len(whole)


@pytest.mark.parametrize("htmx", [False, True])
def test_add_a_free_step(visitor, htmx):
    response = change(
        visitor,
        "/routine/free-step/",
        htmx=htmx,
        text="Massage the arches of your feet",
        seconds=90,
    )
    assert_changed(response, htmx, whole=False)
    assert codes(visitor) == ["GB30", "BL40", "Massage the arches of your feet"]
    assert working(visitor).steps()[-1].seconds == 90
    if htmx:
        page = response.content.decode()
        assert '<ol hx-swap-oob="beforeend:#step-list">' in page
        assert builder_steps(response) == ["Massage the arches of your feet"]
        # A fresh form, ready for the next step.
        assert 'id="free-step-form" hx-swap-oob="true"' in page
        assert 'name="text" value=' not in page


@pytest.mark.parametrize("htmx", [False, True])
def test_rename_the_routine(visitor, htmx):
    response = change(visitor, "/routine/title/", htmx=htmx, title="  Before bed  ")
    assert_changed(response, htmx)
    assert working(visitor).title == "Before bed"
    if htmx:
        assert 'value="Before bed"' in response.content.decode()


def test_an_empty_title_falls_back_to_the_default(visitor):
    change(visitor, "/routine/title/", title="Before bed")
    assert change(visitor, "/routine/title/", title="   ").status_code == 302
    assert working(visitor).title == "My back-pain routine"


@pytest.mark.parametrize("htmx", [False, True])
def test_clear_the_routine(visitor, htmx):
    change(visitor, "/routine/title/", title="Before bed")
    response = change(visitor, "/routine/clear/", htmx=htmx)
    assert_changed(response, htmx)
    assert codes(visitor) == []
    assert working(visitor).title == "My back-pain routine"
    if htmx:
        assert "Your routine is empty" in visible_text(response)


def test_the_routine_survives_reloads(visitor):
    change(visitor, "/routine/title/", title="Before bed")
    for _ in range(3):
        assert step_codes(visitor.get("/routine/")) == ["GB30", "BL40"]
    assert codes(visitor) == ["GB30", "BL40"]


def test_two_visitors_have_their_own_routines(visitor):
    other = Client()
    add(other, "li4")
    assert codes(visitor) == ["GB30", "BL40"]
    assert codes(other) == ["LI4"]


def test_visitors_text_is_escaped_on_every_page(visitor):
    script = "<script>alert(1)</script>"
    change(visitor, "/routine/title/", title=script)
    change(visitor, "/routine/free-step/", text=script, seconds=60)
    change(visitor, f"/routine/steps/{key(visitor, 'GB30')}/", seconds=60, note=script)
    routine = save(visitor)
    for url in ["/routine/", "/routine/print/", "/routine/session/", f"/r/{routine.token}/"]:
        page = visitor.get(url).content.decode()
        assert script not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    for url in [f"/r/{routine.token}/print/", f"/r/{routine.token}/session/"]:
        assert script not in Client().get(url).content.decode(), url


# A point an editor unpublishes drops out of working routines


@pytest.fixture
def visitor_with_a_hidden_step(client):
    """GB30, BL40, LI4 added; then an editor unpublishes BL40."""
    add(client, "gb30", "bl40", "li4")
    Point.objects.filter(code="BL40").update(is_published=False)
    return client


def test_a_hidden_step_is_left_out_of_the_page_and_the_saved_copy(visitor_with_a_hidden_step):
    client = visitor_with_a_hidden_step
    assert step_codes(client.get("/routine/")) == ["GB30", "LI4"]
    routine = save(client)
    assert list(routine.steps.values_list("position", "point__code")) == [(1, "GB30"), (2, "LI4")]


def test_the_badge_counts_the_steps_the_routine_page_shows(visitor_with_a_hidden_step):
    client = visitor_with_a_hidden_step
    assert "2 steps · about 4 min in all" in visible_text(client.get("/routine/"))
    assert visible_text(client.get("/routine/badge/")) == "Routine · 2 steps · 4 min"


def test_moving_a_step_up_passes_a_hidden_step(visitor_with_a_hidden_step):
    client = visitor_with_a_hidden_step
    response = change(client, f"/routine/steps/{key(client, 'LI4')}/move/", direction="up")
    assert response.status_code == 302
    # LI4 was step 2 on the visitor's page; "up" makes it step 1.
    assert codes(client) == ["LI4", "GB30"]


# Saving and sharing


@pytest.mark.parametrize("htmx", [False, True])
def test_save_gives_a_new_read_only_link(visitor, htmx):
    change(visitor, "/routine/title/", title="Before bed")
    response = change(visitor, "/routine/save/", htmx=htmx)

    routine = Routine.objects.shared().get()
    if htmx:
        assert response.status_code == 204
        assert response["HX-Redirect"] == f"/r/{routine.token}/"
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/r/{routine.token}/"
    assert routine.title == "Before bed"
    assert list(routine.steps.values_list("position", "point__code", "seconds", "sides")) == [
        (1, "GB30", 60, "both"),
        (2, "BL40", 60, "both"),
    ]
    # The working routine stays, to change further and save again.
    assert codes(visitor) == ["GB30", "BL40"]


def test_shared_page_is_read_only_and_offers_print_session_and_copy(saved):
    response = Client().get(f"/r/{saved.token}/")
    page = response.content.decode()
    text = visible_text(response)
    assert response.status_code == 200
    assert "read-only" in text
    steps = steps_text(response)
    assert steps.index("Step 1: GB30") < steps.index("Step 2: BL40")
    assert f'href="/r/{saved.token}/print/"' in page
    assert f'href="/r/{saved.token}/session/"' in page
    assert f'href="/r/{saved.token}/copy/"' in page
    assert "Copy to my routine" in text
    assert "Save and share" not in text
    # Nothing on it can change the routine: its one form asks for a calendar file (GET).
    assert re.findall(r"<form\b[^>]*>", page) == [
        f'<form method="get" action="/r/{saved.token}/calendar.ics">'
    ]


def test_double_submit_of_the_same_routine_gives_the_same_link(visitor):
    form_version = working(visitor).version
    first = visitor.post("/routine/save/", {"version": form_version})
    second = visitor.post("/routine/save/", {"version": form_version})
    htmx = visitor.post("/routine/save/", {"version": form_version}, headers=HTMX)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == htmx["HX-Redirect"]
    assert Routine.objects.shared().count() == 1


def test_saving_a_changed_routine_gives_a_new_link_and_keeps_the_old_one(visitor, saved):
    before = step_rows(saved)
    change(visitor, f"/routine/steps/{key(visitor, 'BL40')}/move/", direction="up")
    second = save(visitor)

    assert second.token != saved.token
    assert list(second.steps.values_list("point__code", flat=True)) == ["BL40", "GB30"]
    assert step_rows(saved) == before


def test_saving_an_empty_routine_is_refused(client):
    response = change(client, "/routine/save/")
    assert_refused(response, 422, "Add at least one step before you save")
    assert not Routine.objects.shared().exists()


def test_a_stale_save_is_refused(visitor):
    stale = working(visitor).version
    add(visitor, "li4")
    response = visitor.post("/routine/save/", {"version": stale})
    assert_refused(response, 409, "changed in another tab")
    assert not Routine.objects.shared().exists()


def test_saves_per_session_per_day_are_limited(client):
    add(client, "gb30")
    for number in range(SAVES_PER_SESSION_PER_DAY):
        change(client, "/routine/title/", title=f"Version {number}")
        assert change(client, "/routine/save/").status_code == 302
    assert Routine.objects.shared().count() == SAVES_PER_SESSION_PER_DAY

    change(client, "/routine/title/", title="One too many")
    response = change(client, "/routine/save/")

    assert_refused(response, 429, f"You have saved {SAVES_PER_SESSION_PER_DAY} routines today")
    assert Routine.objects.shared().count() == SAVES_PER_SESSION_PER_DAY
    # Another visitor is not held back by this one.
    other = Client()
    add(other, "li4")
    assert change(other, "/routine/save/").status_code == 302


def test_saves_older_than_a_day_do_not_count_against_the_limit(client):
    add(client, "gb30")
    for number in range(SAVES_PER_SESSION_PER_DAY):
        change(client, "/routine/title/", title=f"Version {number}")
        assert change(client, "/routine/save/").status_code == 302
    yesterday = timezone.now() - timedelta(days=1, minutes=1)
    Routine.objects.shared().update(created_at=yesterday)

    change(client, "/routine/title/", title="Today's first")
    assert change(client, "/routine/save/").status_code == 302
    assert Routine.objects.shared().count() == SAVES_PER_SESSION_PER_DAY + 1


def test_the_site_wide_hourly_limit_answers_503(visitor, settings):
    settings.ROUTINE_SAVES_PER_HOUR = 1
    make_routine(steps=["Roll out your back"])
    response = change(visitor, "/routine/save/")
    assert_refused(response, 503, "Very many routines are being saved right now")
    assert Routine.objects.shared().count() == 1


def test_suggestions_do_not_count_against_the_hourly_limit(visitor, settings):
    settings.ROUTINE_SAVES_PER_HOUR = 1
    assert Routine.objects.suggestions().count() == 5
    assert change(visitor, "/routine/save/").status_code == 302


# Copying a saved routine or a suggestion


def test_copy_link_opens_a_confirm_page(visitor, suggestion):
    response = visitor.get(f"/r/{suggestion.token}/copy/")
    page = response.content.decode()
    text = visible_text(response)
    assert response.status_code == 200
    assert re.search(rf'<form method="post" action="/r/{suggestion.token}/copy/"', page)
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Its 7 steps become your own routine" in text
    assert "This replaces the 2 steps in your current routine" in text
    assert "private" in response["Cache-Control"]
    assert codes(visitor) == ["GB30", "BL40"]


def test_copy_replaces_the_working_routine(visitor, suggestion):
    response = visitor.post(f"/r/{suggestion.token}/copy/")
    assert response.status_code == 302
    assert response["Location"] == "/routine/"
    assert working(visitor).title == FIVE_POINT_TITLE
    assert codes(visitor) == [
        "Relax your back on a roller",
        "BL23",
        "GB30",
        "BL40",
        "BL62",
        "Massage the arches of your feet",
        "LI4",
    ]


def test_htmx_copy_into_an_empty_routine_goes_to_the_routine(client, suggestion):
    response = client.post(f"/r/{suggestion.token}/copy/", headers=HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/routine/"
    assert len(working(client).steps()) == 7


def test_htmx_copy_over_a_routine_with_steps_asks_first(visitor, suggestion):
    before = snapshot(visitor)
    response = visitor.post(f"/r/{suggestion.token}/copy/", headers=HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/r/{suggestion.token}/copy/"
    assert snapshot(visitor) == before


def test_copying_an_unknown_routine_is_404(visitor):
    before = snapshot(visitor)
    for method in ("get", "post"):
        response = getattr(visitor, method)("/r/no-such-token/copy/")
        assert response.status_code == 404
    assert snapshot(visitor) == before


def test_copy_then_save_gives_a_new_link_pointing_at_the_original(saved):
    original = routine_row(saved)
    original_steps = step_rows(saved)
    other = Client()

    assert other.post(f"/r/{saved.token}/copy/").status_code == 302
    change(other, f"/routine/steps/{key(other, 'GB30')}/", seconds=120, sides="left")
    change(other, "/routine/free-step/", text="Lie down and breathe slowly", seconds=60)
    copy = save(other)

    assert copy.token != saved.token
    assert copy.source_id == saved.pk
    assert list(copy.steps.values_list("point__code", "text", "seconds", "sides")) == [
        ("GB30", "", 120, "left"),
        ("BL40", "", 60, "both"),
        (None, "Lie down and breathe slowly", 60, ""),
    ]
    assert routine_row(saved) == original
    assert step_rows(saved) == original_steps


def test_a_copy_of_a_suggestion_saved_unchanged_is_a_new_link(client, suggestion):
    original_steps = step_rows(suggestion)
    client.post(f"/r/{suggestion.token}/copy/")
    copy = save(client)
    assert copy.token != suggestion.token
    assert not copy.is_suggestion
    assert copy.source == suggestion
    assert [row[1:] for row in step_rows(copy)] == [row[1:] for row in original_steps]
    assert step_rows(suggestion) == original_steps


# A shared link is read-only: nothing posted anywhere changes it


def every_post_at(routine):
    """Every routine URL, aimed at a saved routine by its token and its steps' ids."""
    step_ids = [str(pk) for pk in routine.steps.values_list("pk", flat=True)]
    targets = [*step_ids, routine.token]
    form = {"seconds": "100", "sides": "left", "note": "changed", "direction": "up"}
    urls = [
        f"/r/{routine.token}/",
        f"/r/{routine.token}/print/",
        f"/r/{routine.token}/session/",
        f"/r/{routine.token}/copy/",
        "/routine/",
        "/routine/title/",
        "/routine/free-step/",
        "/routine/clear/",
        "/routine/save/",
    ]
    for target in targets:
        urls += [
            f"/routine/steps/{target}/",
            f"/routine/steps/{target}/move/",
            f"/routine/steps/{target}/remove/",
        ]
    return [(url, {**form, "title": "Hijacked", "text": "Hijacked"}) for url in urls]


@pytest.mark.parametrize("who", ["another visitor", "the visitor who saved it"])
def test_no_request_changes_a_saved_routine(visitor, saved, who):
    client = Client() if who == "another visitor" else visitor
    original, original_steps = routine_row(saved), step_rows(saved)

    statuses = {}
    for url, data in every_post_at(saved):
        for headers in ({}, HTMX):
            for version in (working(client).version, 0, saved.pk):
                response = client.post(url, {**data, "version": version}, headers=headers)
                assert response.status_code < 500, url
                statuses[url] = response.status_code
            for method in ("put", "patch", "delete"):
                assert getattr(client, method)(url, headers=headers).status_code in {403, 405}

    assert routine_row(saved) == original
    assert step_rows(saved) == original_steps
    # The saved routine's own pages refuse POST outright; its step ids are no step of
    # any working routine.
    assert statuses[f"/r/{saved.token}/"] == 405
    assert statuses[f"/r/{saved.token}/print/"] == 405
    assert statuses[f"/r/{saved.token}/session/"] == 405
    step_id = str(saved.steps.first().pk)
    assert statuses[f"/routine/steps/{step_id}/"] == 404


def test_changing_the_working_routine_after_saving_leaves_the_link_alone(visitor, saved):
    original_steps = step_rows(saved)
    change(visitor, f"/routine/steps/{key(visitor, 'GB30')}/", seconds=170, sides="right")
    change(visitor, f"/routine/steps/{key(visitor, 'BL40')}/remove/")
    change(visitor, "/routine/title/", title="Changed")
    change(visitor, "/routine/clear/")
    assert step_rows(saved) == original_steps
    assert Routine.objects.get(pk=saved.pk).title == "My back-pain routine"


# Bad input: a 4xx with a message, and nothing saved half-way


@pytest.mark.parametrize("seconds", ["30", "200", "59", "91"])
@pytest.mark.parametrize("htmx", [False, True])
def test_seconds_outside_the_points_range_are_refused(client, seconds, htmx):
    add(client, "li4")
    before = snapshot(client)
    url = f"/routine/steps/{key(client, 'LI4')}/"
    response = change(client, url, htmx=htmx, seconds=seconds, sides="both")
    assert_refused(response, 400, "LI4 takes between 60 and 90 seconds")
    assert snapshot(client) == before


def test_a_refused_press_time_is_explained_in_the_pages_language(client):
    add(client, "li4")
    before = snapshot(client)
    response = change(client, f"/es/routine/steps/{key(client, 'LI4')}/", seconds=200, sides="both")
    assert_refused(response, 400, "LI4 dura entre 60 y 90 segundos.")
    assert snapshot(client) == before


@pytest.mark.parametrize(
    "seconds",
    ["", "abc", "60s", "60.5", "-60", "0", "1e3", "99999999999999999999999", "\x00"],
)
def test_garbled_seconds_are_refused(visitor, seconds):
    before = snapshot(visitor)
    url = f"/routine/steps/{key(visitor, 'GB30')}/"
    response = change(visitor, url, seconds=seconds, sides="both")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert snapshot(visitor) == before


@pytest.mark.parametrize("seconds", ["4", "601", "-5", "100000", "many"])
def test_free_step_seconds_outside_5_to_600_are_refused(visitor, seconds):
    before = snapshot(visitor)
    response = change(visitor, "/routine/free-step/", text="Roll out your back", seconds=seconds)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert snapshot(visitor) == before


def test_a_bad_side_is_refused(visitor):
    before = snapshot(visitor)
    url = f"/routine/steps/{key(visitor, 'GB30')}/"
    response = change(visitor, url, seconds=60, sides="middle")
    assert response.status_code == 400
    assert snapshot(visitor) == before


def test_a_title_of_80_characters_is_fine_and_81_is_refused(visitor):
    assert change(visitor, "/routine/title/", title="t" * 80).status_code == 302
    before = snapshot(visitor)
    response = change(visitor, "/routine/title/", title="t" * 81)
    assert_refused(response, 400, "at most 80 characters")
    assert snapshot(visitor) == before


def test_a_note_of_200_characters_is_fine_and_201_is_refused(visitor):
    url = f"/routine/steps/{key(visitor, 'GB30')}/"
    assert change(visitor, url, seconds=60, sides="both", note="n" * 200).status_code == 302
    before = snapshot(visitor)
    response = change(visitor, url, seconds=90, sides="both", note="n" * 201)
    assert_refused(response, 400, "at most 200 characters")
    assert snapshot(visitor) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [("x" * 121, "at most 120 characters"), ("", "required"), ("   ", "required")],
)
def test_free_step_text_must_be_1_to_120_characters(visitor, text, message):
    before = snapshot(visitor)
    response = change(visitor, "/routine/free-step/", text=text, seconds=60)
    assert_refused(response, 400, message)
    assert snapshot(visitor) == before


def test_free_step_of_120_characters_is_fine(visitor):
    assert change(visitor, "/routine/free-step/", text="x" * 120, seconds=60).status_code == 302
    assert codes(visitor)[-1] == "x" * 120


@pytest.mark.parametrize("text", ["Roll\x00out", "a\x00"])
def test_text_with_a_nul_byte_is_refused(visitor, text):
    before = snapshot(visitor)
    for url, data in [
        ("/routine/free-step/", {"text": text, "seconds": 60}),
        ("/routine/title/", {"title": text}),
        (f"/routine/steps/{key(visitor, 'GB30')}/", {"seconds": 60, "note": text}),
    ]:
        assert change(visitor, url, **data).status_code == 400
    assert snapshot(visitor) == before


@pytest.mark.parametrize("action", ["", "move/", "remove/"])
@pytest.mark.parametrize("step_key", ["deadbeef", "0", "gb30", "a" * 200])
def test_an_unknown_step_is_404(visitor, action, step_key):
    before = snapshot(visitor)
    response = change(
        visitor, f"/routine/steps/{step_key}/{action}", seconds=60, sides="both", direction="up"
    )
    assert_refused(response, 404, "That step is no longer in your routine")
    assert snapshot(visitor) == before


def version_urls(client):
    """Every change that carries the routine's version, with otherwise valid data."""
    gb30 = key(client, "GB30")
    bl40 = key(client, "BL40")
    return [
        (f"/routine/steps/{gb30}/", {"seconds": 90, "sides": "both", "note": ""}),
        (f"/routine/steps/{bl40}/move/", {"direction": "up"}),
        (f"/routine/steps/{gb30}/remove/", {}),
        ("/routine/free-step/", {"text": "Roll out your back", "seconds": 60}),
        ("/routine/title/", {"title": "Renamed"}),
        ("/routine/clear/", {}),
        ("/routine/save/", {}),
    ]


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "1.5", "9" * 30, "\x00"])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_missing_or_garbled_version_is_400(visitor, version, htmx):
    before = snapshot(visitor)
    for url, data in version_urls(visitor):
        if version is not None:
            data["version"] = version
        response = visitor.post(url, data, headers=HTMX if htmx else {})
        assert response.status_code == 400, url
        assert 'id="routine"' in response.content.decode()
    assert snapshot(visitor) == before
    assert not Routine.objects.shared().exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_stale_or_replayed_request_is_409(visitor, htmx):
    stale = working(visitor).version
    add(visitor, "li4")
    before = snapshot(visitor)
    for url, data in version_urls(visitor):
        response = visitor.post(url, {**data, "version": stale}, headers=HTMX if htmx else {})
        assert_refused(response, 409, "Your routine changed in another tab or window")
    assert snapshot(visitor) == before
    assert not Routine.objects.shared().exists()


def test_replaying_a_move_does_not_move_the_step_twice(visitor):
    add(visitor, "li4")
    data = {"version": working(visitor).version, "direction": "up"}
    url = f"/routine/steps/{key(visitor, 'LI4')}/move/"
    assert visitor.post(url, data).status_code == 302
    assert visitor.post(url, data).status_code == 409
    assert codes(visitor) == ["GB30", "LI4", "BL40"]


@pytest.mark.parametrize("direction", [None, "", "left", "UP", "sideways" * 100])
def test_a_bad_move_direction_is_400(visitor, direction):
    before = snapshot(visitor)
    data = {} if direction is None else {"direction": direction}
    response = change(visitor, f"/routine/steps/{key(visitor, 'GB30')}/move/", **data)
    assert_refused(response, 400, "Move a step up or down")
    assert snapshot(visitor) == before


@pytest.mark.parametrize(("code", "direction"), [("GB30", "up"), ("BL40", "down")])
def test_moving_past_either_end_is_refused(visitor, code, direction):
    before = snapshot(visitor)
    response = change(visitor, f"/routine/steps/{key(visitor, code)}/move/", direction=direction)
    assert_refused(response, 422, "cannot move any further")
    assert snapshot(visitor) == before


@pytest.mark.parametrize(
    "url",
    [
        "/routine/title/",
        "/routine/free-step/",
        "/routine/clear/",
        "/routine/save/",
        "/routine/steps/deadbeef/",
        "/routine/steps/deadbeef/move/",
        "/routine/steps/deadbeef/remove/",
    ],
)
def test_changes_refuse_get(client, url):
    assert client.get(url).status_code == 405


# CSRF: a missing token is a friendly 403, and htmx is sent where a browser would go


@pytest.fixture
def csrf_client(client):
    """A visitor with GB30 and BL40 (added with tokens) whose later POSTs carry none."""
    add(client, "gb30", "bl40")
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    return strict


def csrf_posts(client, suggestion):
    return [
        "/routine/add/li4/",
        f"/routine/steps/{key(client, 'GB30')}/",
        f"/routine/steps/{key(client, 'BL40')}/move/",
        f"/routine/steps/{key(client, 'GB30')}/remove/",
        "/routine/free-step/",
        "/routine/title/",
        "/routine/clear/",
        "/routine/save/",
        f"/r/{suggestion.token}/copy/",
    ]


def test_a_post_without_csrf_token_gets_the_friendly_403(csrf_client, suggestion):
    before = snapshot(csrf_client)
    for url in csrf_posts(csrf_client, suggestion):
        data = {"version": working(csrf_client).version, "direction": "up", "title": "x"}
        response = csrf_client.post(url, data)
        assert response.status_code == 403, url
        assert "That form had expired" in visible_text(response)
        assert 'href="/routine/"' in response.content.decode()
        assert "private" in response["Cache-Control"]
    assert snapshot(csrf_client) == before
    assert not Routine.objects.shared().exists()


def test_an_htmx_post_without_csrf_token_is_sent_to_a_plain_page(csrf_client, suggestion):
    """To the confirmation page where the action has one, else back to the page the
    visitor was on (the builder), reloaded with a fresh token."""
    before = snapshot(csrf_client)
    on_the_builder = {**HTMX, "HX-Current-URL": "http://testserver/routine/"}
    expected = {
        "/routine/add/li4/": "/routine/add/li4/",
        f"/r/{suggestion.token}/copy/": f"/r/{suggestion.token}/copy/",
    }
    for url in csrf_posts(csrf_client, suggestion):
        data = {"version": working(csrf_client).version}
        response = csrf_client.post(url, data, headers=on_the_builder)
        assert response.status_code == 403, url
        assert response["HX-Redirect"] == expected.get(url, "/routine/"), url
    # A page of another site is never a target.
    elsewhere = {**HTMX, "HX-Current-URL": "https://elsewhere.example/routine/"}
    response = csrf_client.post("/routine/title/", {"title": "x"}, headers=elsewhere)
    assert response["HX-Redirect"] == "/"
    assert snapshot(csrf_client) == before


def test_an_htmx_post_with_a_wrong_csrf_token_is_refused(csrf_client):
    csrf_client.get("/routine/badge/")
    headers = {**HTMX, "X-CSRFToken": "x" * 32}
    response = csrf_client.post("/routine/add/li4/", headers=headers)
    assert response.status_code == 403
    assert codes(csrf_client) == ["GB30", "BL40"]


def test_the_badge_cookie_lets_htmx_add_from_a_cached_public_page():
    strict = Client(enforce_csrf_checks=True)
    public = strict.get("/points/gb30/")
    assert not public.cookies
    badge = strict.get("/routine/badge/")
    token = badge.cookies["csrftoken"].value

    # What static/js/site.js does: the cookie's value as a header on htmx's POSTs.
    response = strict.post("/routine/add/gb30/", headers={**HTMX, "X-CSRFToken": token})

    assert response.status_code == 200
    assert "Added as step 1" in visible_text(response)
    assert codes(strict) == ["GB30"]


# The badge


def test_badge_of_a_new_visitor(client):
    response = client.get("/routine/badge/")
    assert response.status_code == 200
    assert visible_text(response) == "My routine"
    assert 'href="/routine/"' in response.content.decode()


def test_badge_counts_steps_and_minutes(visitor):
    response = visitor.get("/routine/badge/", headers=HTMX)
    assert visible_text(response) == "Routine · 2 steps · 4 min"
    add(visitor, "li4")
    assert visible_text(visitor.get("/routine/badge/")) == "Routine · 3 steps · 6 min"


def test_badge_says_1_step(client):
    add(client, "gb30")
    assert visible_text(client.get("/routine/badge/")) == "Routine · 1 step · 2 min"


def test_badge_sets_the_csrf_cookie_and_is_never_cached(client):
    response = client.get("/routine/badge/")
    assert response.cookies["csrftoken"].value
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "<html" not in response.content.decode()


def test_badge_reloads_itself_when_the_routine_changes(client):
    # The loader wraps the link and stays on the page, so a refresh cannot be lost when the
    # link it fetched replaces the old one.
    page = client.get("/points/").content.decode()
    loader = re.search(r'<li hx-get="/routine/badge/"[^>]*>', page).group(0)
    assert 'hx-trigger="load, routine-changed from:body"' in loader
    assert 'hx-swap="innerHTML"' in loader
    assert 'hx-sync="this:queue last"' in loader
    badge = client.get("/routine/badge/").content.decode()
    assert "hx-get" not in badge


# Caching: per-visitor pages are private; public pages carry nothing per visitor


def working_pages(saved):
    return [
        ("/routine/", {}),
        ("/routine/", HTMX),
        ("/routine/badge/", {}),
        ("/routine/add/li4/", {}),
        ("/routine/print/", {}),
        ("/routine/session/", {}),
        (f"/r/{saved.token}/copy/", {}),
    ]


def test_every_page_of_a_visitors_routine_is_private(visitor, saved):
    for url, headers in working_pages(saved):
        response = visitor.get(url, headers=headers)
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"], url


def test_every_answer_to_a_change_is_private(visitor):
    responses = [
        visitor.post("/routine/add/li4/", headers=HTMX),
        visitor.post("/routine/add/li4/"),
        visitor.post("/routine/add/li4/", headers=HTMX),
        change(visitor, "/routine/title/", htmx=True, title="Mine"),
        change(visitor, "/routine/title/", title="t" * 81),
        change(visitor, "/routine/title/", htmx=True, version=0, title="Mine"),
        change(visitor, "/routine/steps/deadbeef/remove/", htmx=True),
    ]
    for response in responses:
        assert "private" in response["Cache-Control"], response.content[:200]


PUBLIC_WITH_ADD_LINKS = {
    "/": None,
    "/points/": "gb30",
    "/points/bl23/": "bl23",
    "/pain/sciatica/": "bl40",
}


@pytest.mark.parametrize("url", PUBLIC_WITH_ADD_LINKS)
def test_public_pages_carry_add_links_but_nothing_per_visitor(visitor, url):
    anonymous = Client().get(url)
    with_routine = visitor.get(url)

    for response in (anonymous, with_routine):
        page = response.content.decode()
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in page
        assert not response.cookies
        assert "Set-Cookie" not in response.headers
        assert "cookie" not in response.get("Vary", "").lower()
        assert "private" not in response.get("Cache-Control", "")
        assert "Routine · " not in page
    # The same bytes for everyone, so the whole page can be cached.
    assert anonymous.content == with_routine.content
    slug = PUBLIC_WITH_ADD_LINKS[url]
    if slug:
        page = anonymous.content.decode()
        assert re.search(rf'<a [^>]*href="/routine/add/{slug}/"[^>]*>Add {slug.upper()} to', page)
        assert f'hx-post="/routine/add/{slug}/"' in page


def test_point_list_offers_every_point_to_the_routine(client):
    page = client.get("/points/").content.decode()
    for slug in ["bl23", "gb30", "bl40", "li4", "bl62"]:
        assert f'href="/routine/add/{slug}/"' in page


# Suggested routines and shared pages


def test_lower_back_pain_page_offers_the_five_point_routine(client, suggestion):
    response = client.get("/pain/lower-back-pain/")
    page = response.content.decode()
    assert FIVE_POINT_TITLE in visible_text(response)
    assert f'href="/r/{suggestion.token}/"' in page


def test_sciatica_page_offers_its_own_suggestion_only(client):
    text = visible_text(client.get("/pain/sciatica/"))
    assert SCIATICA_TITLE in text
    assert FIVE_POINT_TITLE not in text


def test_suggested_routine_page_shows_its_seven_steps_and_ten_minutes(client, suggestion):
    response = client.get(f"/r/{suggestion.token}/")
    text = visible_text(response)
    assert response.status_code == 200
    assert "Suggested routine" in text
    assert "7 steps · about 10 min in all" in text
    steps = steps_text(response)
    assert "Step 8" not in steps
    order = [
        "Step 1: Relax your back on a roller",
        "Step 2: BL23",
        "Step 3: GB30",
        "Step 4: BL40",
        "Step 5: BL62",
        "Step 6: Massage the arches of your feet",
        "Step 7: LI4",
    ]
    assert [steps.index(step) for step in order] == sorted(steps.index(step) for step in order)


def test_shared_page_shows_the_cautions_and_red_flags(client, suggestion):
    text = visible_text(client.get(f"/r/{suggestion.token}/"))
    assert LI4_PREGNANCY in text
    for flag in RedFlag.objects.general():
        assert flag.text in text
    assert "Not medical advice" in text


def test_shared_page_shows_how_to_find_and_press_each_point(client, suggestion):
    text = visible_text(client.get(f"/r/{suggestion.token}/"))
    for code in ["BL23", "GB30", "BL40", "BL62", "LI4"]:
        point = Point.objects.get(code=code)
        assert point.location in text
        assert point.technique in text


def test_unknown_shared_link_is_404(client):
    for url in ["/r/nope/", "/r/nope/print/", "/r/nope/session/", "/r/nope/copy/"]:
        assert client.get(url).status_code == 404


def test_opening_a_shared_link_records_it(saved):
    Routine.objects.filter(pk=saved.pk).update(created_at=timezone.now() - timedelta(days=1))
    assert saved.last_opened_at is None
    Client().get(f"/r/{saved.token}/")
    saved.refresh_from_db()
    assert timezone.now() - saved.last_opened_at < timedelta(minutes=1)


def test_landing_on_the_link_right_after_saving_does_not_count_as_opening(visitor):
    # Otherwise every saved copy would be "opened" at once and pruning would spare it.
    response = visitor.post("/routine/save/", {"version": working(visitor).version}, follow=True)
    assert response.status_code == 200
    assert Routine.objects.shared().get().last_opened_at is None


def test_a_saved_routine_leaves_out_a_point_editors_unpublished(saved):
    Point.objects.filter(code="GB30").update(is_published=False)
    page = visible_text(Client().get(f"/r/{saved.token}/"))
    assert "GB30" not in page
    assert "BL40" in page
    assert "1 step" in page


# Pruning never-opened copies


def test_prune_deletes_old_never_opened_copies_only(settings):
    settings.ROUTINE_PRUNE_AFTER_DAYS = 30
    long_ago = timezone.now() - timedelta(days=31)
    stale = make_routine(created_at=long_ago, steps=[Point.objects.get(code="GB30")])
    opened = make_routine(created_at=long_ago, last_opened_at=long_ago)
    recent = make_routine(created_at=timezone.now() - timedelta(days=29))
    old_suggestion = make_routine(created_at=long_ago, is_suggestion=True)
    output = StringIO()

    call_command("prune_routines", stdout=output)

    remaining = set(Routine.objects.values_list("pk", flat=True))
    assert stale.pk not in remaining
    assert {opened.pk, recent.pk, old_suggestion.pk} <= remaining
    assert Routine.objects.suggestions().count() == 6
    assert "Deleted 1 routine(s)" in output.getvalue()


def test_prune_spares_a_link_once_it_was_opened(client, settings):
    settings.ROUTINE_PRUNE_AFTER_DAYS = 30
    routine = make_routine(created_at=timezone.now() - timedelta(days=31))
    client.get(routine.get_absolute_url())
    call_command("prune_routines", stdout=StringIO())
    assert Routine.objects.filter(pk=routine.pk).exists()


def test_prune_dry_run_deletes_nothing():
    long_ago = timezone.now() - timedelta(days=90)
    make_routine(created_at=long_ago)
    make_routine(created_at=long_ago)
    before = Routine.objects.count()
    output = StringIO()

    call_command("prune_routines", "--dry-run", stdout=output)

    assert Routine.objects.count() == before
    assert "Would delete 2 routine(s)" in output.getvalue()


def test_prune_takes_a_number_of_days():
    make_routine(created_at=timezone.now() - timedelta(days=8))
    call_command("prune_routines", "--days", "7", stdout=StringIO())
    assert not Routine.objects.shared().exists()


# The printable sheet and the guided session, as the server sends them


def test_print_sheet_has_everything_to_tape_to_the_fridge(client, suggestion):
    response = client.get(f"/r/{suggestion.token}/print/")
    page = response.content.decode()
    text = visible_text(response)
    assert response.status_code == 200
    assert FIVE_POINT_TITLE in text
    assert "7 steps · about 10 min in all" in text
    titles = re.findall(r'<h3 class="sheet-step__title">(.*?)</h3>', page)
    assert [re.sub(r"<[^>]+>", "", title).split(": ", 1)[0] for title in titles] == [
        f"Step {number}" for number in range(1, 8)
    ]
    # One figure per body view used, each point marked by its step number, both sides of
    # a two-sided point on a symmetric view.
    for view in ["back", "hand", "outer-foot"]:
        assert page.count(f'data-view="{view}"') == 1
    numbered = re.findall(r'class="marker marker--numbered"[^>]*aria-label="([^"]+)"', page)
    assert "Step 2: BL23 Sea of Vitality, left side" in numbered
    assert "Step 2: BL23 Sea of Vitality, right side" in numbered
    assert re.search(r'class="marker__number"[^>]*>3</text>', page)
    # How to find and press each point, and for how long.
    for code in ["BL23", "GB30", "BL40", "BL62", "LI4"]:
        assert Point.objects.get(code=code).technique in text
    # Safety, the way back online, the sources, the date and the two-week log.
    assert LI4_PREGNANCY in text
    for flag in RedFlag.objects.general():
        assert flag.text in text
    assert re.search(r'<svg[^>]*class="qr"', page)
    assert f'href="http://testserver/r/{suggestion.token}/"' in page
    assert "Stone, S. (n.d.)" in text
    assert f"Printed {timezone.now():%-d %B %Y}" in text
    assert len(re.findall(r'<tr><th scope="row">', page)) == 14


def test_the_lower_back_sheet_draws_the_crowded_waist_close_up(client):
    waist = Routine.objects.get(title_en="Lower back: the points around the waist")
    page = client.get(f"/r/{waist.token}/print/").content.decode()

    # GV4, BL23, BL52, GV3 and BL25 lie a finger or two apart: on the whole back their
    # numbers would cover each other, so the back frames them and a close-up numbers them.
    assert page.count('data-view="back"') == 2
    # One frame on the whole back, one round the close-up.
    assert page.count('class="inset-frame"') == 2
    assert "Back of the body: step 6. The framed part is drawn larger in the close-up." in page
    assert "Close-up: steps 1, 2, 3, 4, 5." in page
    close_up = page.split("body-figure--close-up", 1)[1].split("</figure>", 1)[0]
    numbers = re.findall(r'class="marker__number"[^>]*>(\d+)</text>', close_up)
    assert sorted(numbers) == ["1", "2", "2", "3", "3", "4", "5", "5"]


def test_the_desk_break_sheet_marks_yaotongdians_two_spots_as_one_step(client):
    desk_break = Routine.objects.get(title_en="Desk break: ten minutes in your chair")
    page = client.get(f"/r/{desk_break.token}/print/").content.decode()

    numbered = re.findall(r'class="marker marker--numbered"[^>]*aria-label="([^"]+)"', page)
    assert "Step 1: EX-UE7 Lumbar Pain Point, right side, spot 1 of 2" in numbered
    assert "Step 1: EX-UE7 Lumbar Pain Point, right side, spot 2 of 2" in numbered
    # The caption counts steps, not markers.
    assert "Back of the hand: steps 1, 2, 3." in page


def test_print_sheet_of_the_working_routine_is_private_and_has_no_link_yet(visitor):
    response = visitor.get("/routine/print/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert re.search(r'<h3 class="sheet-step__title">.*?GB30', page)
    assert 'class="qr"' not in page


def test_session_page_starts_ready_with_the_steps_as_data(client, suggestion):
    response = client.get(f"/r/{suggestion.token}/session/")
    page = response.content.decode()
    text = visible_text(response)
    assert response.status_code == 200
    root = re.search(r"<[^>]*\bdata-state=\"([a-z]+)\"[^>]*>", page)
    assert root.group(1) == "ready"
    assert 'data-step="1"' in root.group(0)
    assert re.findall(r'data-seconds="(\d+)"', page) == ["60", "60", "45", "45", "30", "60", "60"]
    for label in ["Start", "Back", "Skip"]:
        assert re.search(rf"<button[^>]*>{label}</button>", page)
    # Without JavaScript it is the list of steps, with the safety notes.
    assert "Relax your back on a roller" in text
    assert Point.objects.get(code="GB30").technique in text
    assert LI4_PREGNANCY in text
    assert re.search(r'<script src="/static/js/session\.js"', page)


@pytest.mark.parametrize(
    "url",
    [
        "/routine/",
        "/routine/badge/",
        "/routine/add/gb30/",
        "/routine/print/",
        "/routine/session/",
        "/r/{token}/",
        "/r/{token}/print/",
        "/r/{token}/session/",
        "/r/{token}/copy/",
    ],
)
def test_routine_pages_are_ready_for_a_strict_csp(visitor, saved, url):
    response = visitor.get(url.format(token=saved.token))
    assert response.status_code == 200
    assert_strict_csp_ready(response.content.decode())
