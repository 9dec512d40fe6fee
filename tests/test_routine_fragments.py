"""What the builder draws follows the guide's content, the site's prefix and the forms'
limits: content and prefixes change between two answers to the same visitor."""

import re

import pytest
from django.test import Client
from django.urls import set_script_prefix

from points.models import Point
from routines.forms import FreeStepForm, StepForm, TitleForm
from routines.models import FREE_STEP_SECONDS
from routines.working import WorkingRoutine
from tests.pages import HTMX, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    """A visitor whose routine holds GB30, BL40 and LI4, drawn once already."""
    client = Client()
    for slug in ["gb30", "bl40", "li4"]:
        assert client.post(f"/routine/add/{slug}/").status_code == 302
    assert "BL40" in client.get("/routine/").content.decode()
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
    point.name = "Bend Middle, renamed"
    point.press_seconds_max = 240
    point.save()

    page = visitor.get("/routine/", headers=HTMX).content.decode()

    assert "Bend Middle, renamed" in page
    assert 'max="240"' in page


def test_a_point_unpublished_without_a_signal_still_drops_out(visitor):
    # queryset.update() sends no signal, so the content version stays; whether a point is
    # published is asked of the database on every answer all the same.
    Point.objects.filter(code="BL40").update(is_published=False)

    response = move_first_down(visitor)

    # The visitor's page still shows BL40: it gets the whole builder, not only the move.
    assert response.status_code == 200
    assert 'id="routine"' in response.content.decode()
    text = visible_text(response)
    assert "BL40" not in text
    assert text.index("LI4") < text.index("GB30")
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


def test_form_addresses_follow_the_script_prefix(visitor):
    """A site served under a path prefix gets its forms' addresses with the prefix, even
    right after the same steps were drawn without one (in the same process)."""
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

    # Three per step, then rename, free step, schedule, save, clear.
    assert len(forms) == 3 * 3 + 5
    for form in forms:
        assert 'name="csrfmiddlewaretoken" value="' in form
        assert f'<input type="hidden" name="version" value="{version}">' in form


def test_the_builder_draws_its_inputs_limits_from_the_forms(visitor):
    """The limits a browser enforces are the ones the forms check."""
    bl40 = Point.objects.get(code="BL40")
    page = visitor.get("/routine/", headers=HTMX).content.decode()
    title_input = re.search(r'<input id="routine-title-input"[^>]*>', page).group()
    note_input = re.search(r'<input id="note-[0-9a-f]+"[^>]*>', page).group()
    free_text = re.search(r'<input id="free-step-text"[^>]*>', page).group()
    free_seconds = re.search(r'<input id="free-step-seconds"[^>]*>', page).group()
    sides = re.search(r'<select id="sides-[0-9a-f]+" name="sides">(.*?)</select>', page, re.S)

    assert f'maxlength="{TitleForm.base_fields["title"].max_length}"' in title_input
    assert f'maxlength="{StepForm.base_fields["note"].max_length}"' in note_input
    assert f'maxlength="{FreeStepForm.base_fields["text"].max_length}"' in free_text
    low, high = FREE_STEP_SECONDS
    assert f'min="{low}" max="{high}"' in free_seconds
    assert 'value="60"' in free_seconds
    assert f'min="{bl40.press_seconds_min}"' in page
    assert f'max="{bl40.press_seconds_max}"' in page
    options = re.findall(r'<option value="(\w*)"( selected)?>([^<]+)</option>', sides.group(1))
    assert options == [
        ("both", " selected", "Both"),
        ("left", "", "Left only"),
        ("right", "", "Right only"),
    ]
    assert [value for value, _ in StepForm.base_fields["sides"].choices] == [
        "both",
        "left",
        "right",
    ]


def test_a_free_step_gets_the_free_step_limits(visitor):
    working = WorkingRoutine(visitor.session)
    response = visitor.post(
        "/routine/free-step/",
        {"text": "Roll out your back", "seconds": "90", "version": working.version},
        headers=HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    key = WorkingRoutine(visitor.session).steps()[-1].key
    seconds = re.search(rf'<input id="seconds-{key}"[^>]*>', page, re.S).group()
    low, high = FREE_STEP_SECONDS
    assert f'min="{low}"' in seconds
    assert f'max="{high}"' in seconds
