"""What visitors type stays text: a line break, a control character or a line separator in
a title, a free step or a note is refused at the form, in the visitor's language, and
whatever title reaches a calendar file is one line of it."""

from datetime import time
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from routines.calendar import build_calendar
from routines.models import Routine, refuse_control_characters
from routines.working import WorkingRoutine
from tests.factories import make_routine
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

HOSTILE = {
    "line feed": "Back\nUID:evil",
    "carriage return": "Back\rUID:evil\rSUMMARY:pwned",
    "nul": "Back\x00pain",
    "line separator": "Back\u2028pain",
    "escape": "Back\x1b[31mpain",
}
REFUSED = "Write it on one line: line breaks and control characters cannot be kept."


def working(client):
    return WorkingRoutine(client.session)


def post(client, url, language="", **data):
    data.setdefault("version", working(client).version)
    return client.post(f"{language}{url}", data)


@pytest.fixture
def visitor(client):
    client.post("/routine/add/gb30/")
    return client


@pytest.mark.parametrize("title", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_title_with_a_line_break_or_control_character_is_refused(visitor, title):
    before = working(visitor).title

    response = post(visitor, "/routine/title/", title=title)

    assert response.status_code == 400
    if "\x00" in title:
        assert "Null characters are not allowed." in visible_text(response)
    else:
        assert REFUSED in visible_text(response)
    assert working(visitor).title == before


def test_a_title_of_ten_thousand_characters_is_refused(visitor):
    response = post(visitor, "/routine/title/", title="b" * 10_000)

    assert response.status_code == 400
    assert "at most 80 characters" in visible_text(response)


def test_the_refusal_is_in_the_visitors_language(visitor):
    spanish = post(visitor, "/routine/title/", language="/es", title="Espalda\nUID:x")
    german = post(visitor, "/routine/title/", language="/de", title="Rücken\rUID:x")

    assert spanish.status_code == german.status_code == 400
    assert "Escríbalo en una sola línea" in visible_text(spanish)
    assert "Schreiben Sie es in eine Zeile" in visible_text(german)


@pytest.mark.parametrize(
    ("url", "field", "extra"),
    [
        ("/routine/free-step/", "text", {"seconds": "60"}),
        ("/routine/steps/{key}/", "note", {"seconds": "60", "sides": "both"}),
    ],
)
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_free_steps_and_notes_refuse_them_too(visitor, url, field, extra, text):
    entries = [dict(entry) for entry in working(visitor).entries]
    key = working(visitor).steps()[0].key

    response = post(visitor, url.format(key=key), **{field: text}, **extra)

    assert response.status_code == 400
    assert [dict(entry) for entry in working(visitor).entries] == entries


def test_a_tab_is_kept(visitor):
    response = post(visitor, "/routine/title/", title="Back\tand hips")

    assert response.status_code == 302
    assert working(visitor).title == "Back\tand hips"


def test_the_models_refuse_them_for_editors_too():
    routine = Routine(title="Back\rpain")
    with pytest.raises(Exception, match="one line"):
        routine.full_clean(exclude=["token"])
    refuse_control_characters("Back and hips\t")


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Back\nUID:evil", "Back UID:evil"),
        ("Back\rUID:evil\rSUMMARY:pwned", "Back UID:evil SUMMARY:pwned"),
        ("Back\u2028pain", "Back pain"),
        ("Back\x1b[31mpain", "Back [31mpain"),
    ],
)
def test_a_title_saved_before_the_check_is_one_line_of_its_calendar(client, title, shown):
    # Rows saved before titles were checked, or written by hand: the file still answers.
    routine = make_routine(title=title, steps=["Roll out your back"])

    response = client.get(
        f"/r/{routine.token}/calendar.ics", {"time": "08:00", "tz": "Europe/Madrid"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    lines = body.split("\r\n")
    # Nothing but CRLF ends a line, and no visitor's words start one.
    assert not any("\r" in line or "\n" in line for line in lines)
    assert [line for line in lines if line.startswith("UID:")] == [
        f"UID:{routine.token}-1@testserver"
    ]
    assert not any(line.startswith("SUMMARY:pwned") for line in lines)
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == shown
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == shown


def test_a_title_of_ten_thousand_characters_still_makes_a_sound_calendar():
    # Longer than any form lets through (a row written by hand): folded, not broken.
    routine = Routine(title="b" * 10_000)
    calendar = build_calendar(
        routine,
        times=[time(8)],
        zone=ZoneInfo("Europe/Madrid"),
        seconds=60,
        session_url="https://example.org/r/x/session/",
        host="example.org",
    )

    body = calendar.to_ical()
    assert max(len(line) for line in body.split(b"\r\n")) <= 75
    assert str(Calendar.from_ical(body)["X-WR-CALNAME"]) == "b" * 10_000
