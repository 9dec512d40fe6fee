"""A routine's schedule: in words, in the builder, saved, on the sheet, and refused when bad."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from routines.models import Routine
from routines.schedule import EVERY_DAY, Schedule
from routines.working import WorkingRoutine
from tests.factories import make_routine
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        (Schedule(2, EVERY_DAY, 2), "Twice a day, every day, for 2 weeks"),
        (Schedule(1, "14", 1), "Once a day, on Monday and Thursday, for 1 week"),
        (
            Schedule(3, "135", None),
            "3 times a day, on Monday, Wednesday and Friday, for as long as it helps",
        ),
        (Schedule(4, "7", 12), "4 times a day, on Sunday, for 12 weeks"),
    ],
)
def test_a_schedule_says_itself_in_words(schedule, words):
    assert schedule.describe() == words


def test_the_words_follow_the_page_language():
    with translation.override("es"):
        spanish = Schedule(2, "14", 2).describe()
    with translation.override("de"):
        german = Schedule(2, "14", 2).describe()
    assert "lunes" in spanish.lower()
    assert "Montag" in german
    assert "Twice" not in spanish + german


@pytest.mark.parametrize(
    ("schedule", "sessions", "rows"),
    [
        (Schedule(1, EVERY_DAY, 2), 14, 14),
        (Schedule(1, "14", 1), 2, 2),
        (Schedule(2, EVERY_DAY, 2), 28, 14),
        (Schedule(1, EVERY_DAY, None), None, 14),
    ],
)
def test_the_log_has_a_row_per_session_up_to_what_the_sheet_holds(schedule, sessions, rows):
    assert schedule.sessions() == sessions
    assert schedule.log_rows() == rows


def version_of(client):
    return WorkingRoutine(client.session).version


def test_the_builder_sets_the_schedule_and_the_sheet_follows(client):
    client.post("/routine/add/bl23/")
    response = client.post(
        "/routine/schedule/",
        {"version": version_of(client), "times": 2, "days": ["1", "4"], "weeks": 1},
    )
    assert response.status_code == 302
    assert "Twice a day, on Monday and Thursday, for 1 week" in visible_text(
        client.get("/routine/")
    )
    sheet = client.get("/routine/print/").content.decode()
    assert "Twice a day, on Monday and Thursday, for 1 week" in sheet
    # Twice a day on two days for a week: four sessions, four rows to fill in.
    assert sheet.count('<tr><th scope="row">') == 4


def test_saving_keeps_the_schedule_and_the_shared_page_shows_it(client):
    client.post("/routine/add/li4/")
    client.post(
        "/routine/schedule/",
        {"version": version_of(client), "times": 1, "days": list("12345"), "weeks": ""},
    )
    saved = client.post("/routine/save/", {"version": version_of(client)})
    routine = Routine.objects.get(token=saved.url.split("/")[-2])
    assert routine.schedule == Schedule(1, "12345", None)
    words = (
        "Once a day, on Monday, Tuesday, Wednesday, Thursday and Friday, for as long as it helps"
    )
    assert words in visible_text(client.get(saved.url))
    assert words in visible_text(client.get(f"{saved.url}session/"))


def test_copying_a_routine_takes_its_schedule(client):
    routine = make_routine(steps=["Lie down"], times_per_day=3, weekdays="26", weeks=4)
    client.post(f"/r/{routine.token}/copy/")
    assert WorkingRoutine(client.session).schedule == Schedule(3, "26", 4)


@pytest.mark.parametrize(
    "data",
    [
        {"times": 5, "days": ["1"], "weeks": 2},
        {"times": 0, "days": ["1"], "weeks": 2},
        {"times": "twice", "days": ["1"], "weeks": 2},
        {"times": 1, "days": [], "weeks": 2},
        {"times": 1, "days": ["8"], "weeks": 2},
        {"times": 1, "days": ["1"], "weeks": 13},
        {"times": 1, "days": ["1"], "weeks": -1},
    ],
)
def test_a_schedule_out_of_range_is_refused_with_a_notice(client, data):
    client.post("/routine/add/bl23/")
    before = WorkingRoutine(client.session).schedule
    response = client.post("/routine/schedule/", {"version": version_of(client), **data})
    assert response.status_code == 400
    assert 'class="notice"' in response.content.decode()
    assert WorkingRoutine(client.session).schedule == before


def test_a_stale_schedule_change_is_refused(client):
    client.post("/routine/add/bl23/")
    stale = version_of(client) - 1
    response = client.post("/routine/schedule/", {"version": stale, "times": 2, "days": ["1"]})
    assert response.status_code == 409


def test_a_tampered_session_schedule_reads_as_the_default(client):
    client.post("/routine/add/bl23/")
    session = client.session
    session["routine"]["schedule"] = {"times": 99, "days": "x", "weeks": "many"}
    session.save()
    assert client.get("/routine/").status_code == 200
    assert WorkingRoutine(client.session).schedule == Schedule()


@pytest.mark.parametrize(
    "fields",
    [{"times_per_day": 5}, {"weeks": 13}, {"weekdays": ""}],
)
def test_the_database_refuses_a_schedule_out_of_range(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_routine(**fields)


@pytest.mark.parametrize("weekdays", ["71", "113", "8", "1a"])
def test_an_editor_cannot_save_weekdays_out_of_order_or_unknown(weekdays):
    with pytest.raises(ValidationError):
        Routine(title="A suggestion", weekdays=weekdays).clean()
