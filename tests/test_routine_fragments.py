"""The builder's shortcuts never show a visitor anything stale.

Working routines take their points from a per-process memo (routines.working.PointMemo)
that lasts as long as the guide's content version, and their forms' addresses from a
memo of reversed URLs. These tests change content and prefixes under a warm memo.
"""

import html
import re

import pytest
from django.test import Client
from django.urls import set_script_prefix

from acupressure.caching import content_version
from points.models import Point
from routines.working import PointMemo, WorkingRoutine, point_memo

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def visible_text(response):
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.fixture
def visitor():
    """A visitor whose routine holds GB30, BL40 and LI4, drawn once so the memo is warm."""
    client = Client()
    for slug in ["gb30", "bl40", "li4"]:
        assert client.post(f"/routine/add/{slug}/").status_code == 302
    assert client.get("/routine/").status_code == 200
    version, remembered = point_memo.get({point.pk for point in Point.objects.all()})
    assert version == content_version()
    assert {point.code for point in remembered.values()} == {"GB30", "BL40", "LI4"}
    return client


def move_first_down(client):
    working = WorkingRoutine(client.session)
    return client.post(
        f"/routine/steps/{working.steps()[0].key}/move/",
        {"direction": "down", "version": working.version},
        headers=HTMX,
    )


def test_an_edit_saved_as_the_admin_saves_it_shows_in_the_next_answer(visitor):
    point = Point.objects.get(code="BL40")
    point.english_name = "Bend Middle, renamed"
    point.press_seconds_max = 240
    point.save()  # the signal that retires cached pages retires the memo too

    page = visitor.get("/routine/", headers=HTMX).content.decode()

    assert "Bend Middle, renamed" in page
    assert 'max="240"' in page


def test_a_point_unpublished_without_a_signal_still_drops_out(visitor):
    # queryset.update() sends no signal, so the content version stays; whether a point is
    # published is asked of the database on every answer all the same.
    Point.objects.filter(code="BL40").update(is_published=False)

    response = move_first_down(visitor)

    assert response.status_code == 200
    text = visible_text(response)
    assert "BL40" not in text
    assert "Step 1: LI4" in text
    assert "Step 2: GB30" in text
    assert "2 steps" in text


def test_adding_counts_only_the_steps_the_visitor_sees(visitor):
    Point.objects.filter(code="BL40").update(is_published=False)

    response = visitor.post("/routine/add/bl23/", headers=HTMX)

    assert response.status_code == 200
    assert "Added as step 3" in visible_text(response)
    assert [step.point.code for step in WorkingRoutine(visitor.session).steps()] == [
        "GB30",
        "LI4",
        "BL23",
    ]


def test_the_memo_keeps_points_for_the_content_they_were_loaded_for():
    point = Point.objects.get(code="GB30")
    memo = PointMemo()
    version, remembered = memo.get({point.pk})
    assert remembered == {}
    memo.keep(version, {point.pk: point})
    assert memo.get({point.pk}) == (version, {point.pk: point})

    stale = PointMemo()
    version, _ = stale.get({point.pk})
    stale.content_version = "newer"  # another request saw a content change meanwhile
    stale.keep(version, {point.pk: point})
    assert stale.points == {}


def test_form_addresses_follow_the_script_prefix(visitor):
    """A site served under a path prefix gets its forms' addresses with the prefix, even
    right after the same steps were drawn without one."""
    key = WorkingRoutine(visitor.session).steps()[0].key
    plain = visitor.get("/routine/", headers=HTMX).content.decode()
    # The test client does not set the prefix from SCRIPT_NAME as the WSGI handler does.
    set_script_prefix("/guide/")
    try:
        prefixed = visitor.get("/routine/", headers=HTMX).content.decode()
    finally:
        set_script_prefix("/")

    assert f'action="/routine/steps/{key}/move/"' in plain
    assert f'action="/guide/routine/steps/{key}/move/"' in prefixed
    assert 'href="/guide/points/gb30/"' in prefixed
    assert 'action="/routine/steps/' not in prefixed


def test_every_form_of_the_routine_carries_the_token_and_the_version(visitor):
    page = visitor.get("/routine/", headers=HTMX).content.decode()
    forms = re.findall(r"<form\b.*?</form>", page, re.S)
    version = WorkingRoutine(visitor.session).version

    assert len(forms) == 3 * 3 + 4  # three per step, then rename, free step, save, clear
    for form in forms:
        assert 'name="csrfmiddlewaretoken" value="' in form
        assert f'<input type="hidden" name="version" value="{version}">' in form
