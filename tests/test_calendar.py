"""Calendar reminders for a saved routine: the .ics file parses back as RFC 5545, repeats
as the schedule says, carries its time zone, keeps its UIDs across downloads and links to
the guided session in the page's language; bad input is a 400."""

import re
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, available_timezones

import pytest
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from routines.calendar import build_calendar
from routines.models import Routine
from tests.factories import make_routine
from tests.strategies import query_strings

MADRID = "Europe/Madrid"
FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def calendar_url(routine, language=""):
    prefix = f"/{language}" if language else ""
    return f"{prefix}/r/{routine.token}/calendar.ics"


def download(client, routine, times, zone=MADRID, language=""):
    return client.get(calendar_url(routine, language), {"time": times, "tz": zone})


def parse(content):
    return Calendar.from_ical(content)


def events(calendar):
    return calendar.walk("VEVENT")


def rule_text(event):
    return event["RRULE"].to_ical().decode()


def occurrences(event):
    """Every start of the event, expanded from its RRULE as a calendar would."""
    start = event.decoded("DTSTART")
    return list(rrulestr(rule_text(event), dtstart=start))


def saved_routine(**schedule):
    # Two free steps of 60 s: a 2-minute routine.
    return make_routine(steps=["Roll out your back", "Massage your feet"], **schedule)


def unsaved_routine(times_per_day, weekdays, weeks):
    return Routine(
        token="AbCdEfGhIjKlMnOpQrStUv",
        title="Morning back",
        times_per_day=times_per_day,
        weekdays=weekdays,
        weeks=weeks,
    )


# The file and its rules


@pytest.mark.django_db
def test_a_daily_routine_downloads_one_daily_event_per_time_of_day(client):
    routine = saved_routine(times_per_day=2, weekdays="1234567", weeks=2)

    response = download(client, routine, ["20:00", "08:00"])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.ics"')
    calendar = parse(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    both = events(calendar)
    # Earliest first, whatever order the times came in.
    assert [event.decoded("DTSTART").strftime("%H:%M") for event in both] == ["08:00", "20:00"]
    for event in both:
        assert rule_text(event) == "FREQ=DAILY;COUNT=14"
        assert event["SUMMARY"] == routine.title
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert event.walk("VALARM")
    assert sum(len(occurrences(event)) for event in both) == 2 * 7 * 2


@pytest.mark.django_db
def test_chosen_weekdays_repeat_weekly_on_those_days(client):
    routine = saved_routine(times_per_day=1, weekdays="135", weeks=3)

    calendar = parse(download(client, routine, ["07:30"]).content)

    (event,) = events(calendar)
    assert rule_text(event) == "FREQ=WEEKLY;COUNT=9;BYDAY=MO,WE,FR"
    starts = occurrences(event)
    assert len(starts) == 3 * 3
    assert {start.isoweekday() for start in starts} == {1, 3, 5}
    assert all(start.strftime("%H:%M") == "07:30" for start in starts)
    # Three weeks of sessions fit in three weeks.
    assert starts[-1] - starts[0] < timedelta(weeks=3)


@pytest.mark.django_db
def test_an_open_ended_routine_repeats_with_no_end(client):
    routine = saved_routine(times_per_day=1, weekdays="1234567", weeks=None)

    (event,) = events(parse(download(client, routine, ["09:00"]).content))

    assert rule_text(event) == "FREQ=DAILY"
    assert "COUNT" not in event["RRULE"]
    assert "UNTIL" not in event["RRULE"]


@pytest.mark.django_db
def test_events_start_in_the_chosen_zone_which_the_file_describes(client):
    routine = saved_routine(times_per_day=1)

    calendar = parse(download(client, routine, ["08:00"], zone="America/New_York").content)

    (event,) = events(calendar)
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    start = event.decoded("DTSTART")
    assert start.utcoffset() == start.astimezone(ZoneInfo("America/New_York")).utcoffset()
    assert (start.hour, start.minute) == (8, 0)
    # The first scheduled day from today on, in that zone.
    today = datetime.now(ZoneInfo("America/New_York")).date()
    assert today <= start.date() < today + timedelta(days=7)


@pytest.mark.django_db
def test_a_session_lasts_as_long_as_the_routine_and_at_least_five_minutes(client):
    short = saved_routine()  # two minutes
    longer = make_routine(
        steps=[{"text": f"Stretch {number}", "seconds": 122} for number in range(5)]
    )

    (short_event,) = events(parse(download(client, short, ["08:00"]).content))
    (long_event,) = events(parse(download(client, longer, ["08:00"]).content))

    assert short_event.decoded("DURATION") == timedelta(minutes=5)
    # 10 min 10 s, rounded up to whole minutes.
    assert long_event.decoded("DURATION") == timedelta(minutes=11)


@pytest.mark.django_db
def test_uids_stay_the_same_across_downloads_so_a_calendar_updates_its_events(client):
    routine = saved_routine(times_per_day=2)
    other = saved_routine(times_per_day=2)

    def uids(routine, times, language=""):
        calendar = parse(download(client, routine, times, language=language).content)
        return [str(event["UID"]) for event in events(calendar)]

    first = uids(routine, ["08:00", "20:00"])
    assert uids(routine, ["08:00", "20:00"]) == first
    # Other times, another language: the same two events, moved.
    assert uids(routine, ["07:00", "19:30"], language="de") == first
    assert len(set(first)) == 2
    assert all(routine.token in uid and uid.endswith("@testserver") for uid in first)
    assert not set(uids(other, ["08:00", "20:00"])) & set(first)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["", "es", "de"])
def test_each_event_links_to_the_session_in_the_language_of_the_request(client, language):
    routine = saved_routine(times_per_day=1)
    prefix = f"/{language}" if language else ""
    session = f"http://testserver{prefix}/r/{routine.token}/session/"

    response = download(client, routine, ["08:00"], language=language)

    (event,) = events(parse(response.content))
    assert event["URL"] == session
    assert session in event["DESCRIPTION"]
    assert client.get(session).status_code == 200


@pytest.mark.django_db
def test_the_file_is_made_for_each_request_and_kept_by_no_shared_cache(client):
    routine = saved_routine(times_per_day=1)

    morning = download(client, routine, ["08:00"])
    evening = download(client, routine, ["19:00"])

    assert "private" in morning["Cache-Control"]
    assert "no-store" in morning["Cache-Control"]
    (event,) = events(parse(evening.content))
    assert event.decoded("DTSTART").hour == 19


@pytest.mark.django_db
def test_downloading_the_calendar_keeps_the_link_as_printing_does(client):
    routine = saved_routine(times_per_day=1)

    download(client, routine, ["08:00"])

    routine.refresh_from_db()
    assert routine.last_printed_at is not None


# The rules for any schedule, straight from build_calendar


@settings(FUZZ, max_examples=100)
@given(
    times_per_day=st.integers(min_value=1, max_value=4),
    weekdays=st.sets(st.sampled_from("1234567"), min_size=1).map(lambda d: "".join(sorted(d))),
    weeks=st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
    today=st.dates(min_value=date(2024, 1, 1), max_value=date(2037, 1, 1)),
    zone=st.sampled_from([MADRID, "America/Sao_Paulo", "Australia/Sydney", "UTC"]),
)
def test_any_schedule_expands_to_times_a_day_by_days_by_weeks(
    times_per_day, weekdays, weeks, today, zone
):
    routine = unsaved_routine(times_per_day, weekdays, weeks)
    times = [time(7), time(12, 30), time(18), time(22, 15)][:times_per_day]
    now = datetime(today.year, today.month, today.day, 12, tzinfo=ZoneInfo(zone))

    calendar = build_calendar(
        routine,
        times=times,
        zone=ZoneInfo(zone),
        seconds=300,
        session_url="https://example.org/r/x/session/",
        host="example.org",
        now=now,
    )

    every = events(calendar)
    assert len(every) == times_per_day
    assert len({str(event["UID"]) for event in every}) == times_per_day
    rule = every[0]["RRULE"]
    assert rule["FREQ"] == (["DAILY"] if weekdays == "1234567" else ["WEEKLY"])
    if weekdays != "1234567":
        days = dict(zip("1234567", ["MO", "TU", "WE", "TH", "FR", "SA", "SU"], strict=True))
        assert rule["BYDAY"] == [days[day] for day in weekdays]
    if weeks is None:
        assert "COUNT" not in rule
        assert "UNTIL" not in rule
        return
    total = 0
    for event, time_of_day in zip(every, times, strict=True):
        starts = occurrences(event)
        total += len(starts)
        assert starts[0].date() >= today
        assert starts[0].date() < today + timedelta(days=7)
        # Local times hold across daylight-saving changes.
        assert all(start.time() == time_of_day for start in starts)
        assert {str(start.isoweekday()) for start in starts} <= set(weekdays)
        assert starts[-1] - starts[0] < timedelta(weeks=weeks)
    assert total == times_per_day * len(weekdays) * weeks


# The form on the shared page


@pytest.mark.django_db
@pytest.mark.parametrize("times_per_day", [1, 2, 3, 4])
def test_the_shared_page_offers_a_form_whose_defaults_download_as_they_are(client, times_per_day):
    routine = saved_routine(times_per_day=times_per_day)

    page = client.get(routine.get_absolute_url()).content.decode()

    assert f'action="{calendar_url(routine)}"' in page
    assert "Download calendar file (.ics)" in page
    assert "js/calendar-zone.js" in page
    defaults = re.findall(r'<input type="time" name="time" value="([0-9:]+)"', page)
    assert len(defaults) == times_per_day
    assert download(client, routine, defaults).status_code == 200


@pytest.mark.django_db
def test_every_zone_the_form_suggests_is_a_real_one(client):
    routine = saved_routine()

    page = client.get(routine.get_absolute_url()).content.decode()

    datalist = page[page.index('<datalist id="calendar-zones">') :]
    suggested = re.findall(r'<option value="([^"]+)">', datalist[: datalist.index("</datalist>")])
    assert MADRID in suggested
    assert set(suggested) <= available_timezones()


# Bad input


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"tz": MADRID}, "choose 2 times"),
        ({"time": "08:00", "tz": MADRID}, "choose 2 times"),
        ({"time": ["08:00", "12:00", "20:00"], "tz": MADRID}, "choose 2 times"),
        ({"time": ["08:00", "8am"], "tz": MADRID}, "“8am” is not a time of day"),
        ({"time": ["08:00", "24:00"], "tz": MADRID}, "“24:00” is not a time of day"),
        ({"time": ["08:00", "08:60"], "tz": MADRID}, "not a time of day"),
        ({"time": ["08:00", ""], "tz": MADRID}, "not a time of day"),
        ({"time": ["08:00", "08:00"], "tz": MADRID}, "a different time for each"),
        ({"time": ["08:00", "20:00"]}, "Choose a time zone"),
        ({"time": ["08:00", "20:00"], "tz": "Mars/Olympus"}, "“Mars/Olympus” is not a time zone"),
        ({"time": ["08:00", "20:00"], "tz": "../../etc/passwd"}, "is not a time zone"),
        ({"time": ["08:00", "20:00"], "tz": "europe/madrid"}, "is not a time zone"),
    ],
)
def test_bad_times_or_zones_are_a_clear_400(client, query, message):
    routine = saved_routine(times_per_day=2)

    response = client.get(calendar_url(routine), query)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_routine_that_does_not_exist_is_404(client):
    response = client.get(
        "/r/NoSuchRoutineTokenHere0/calendar.ics", {"time": "08:00", "tz": MADRID}
    )

    assert response.status_code == 404


@pytest.mark.django_db
def test_a_draft_suggestion_is_404_to_visitors(client):
    draft = saved_routine(is_suggestion=True, is_published=False, times_per_day=1)

    assert download(client, draft, ["08:00"]).status_code == 404


@pytest.mark.django_db
def test_only_get_and_head_are_allowed(client):
    routine = saved_routine(times_per_day=1)

    assert client.post(calendar_url(routine), {"time": "08:00", "tz": MADRID}).status_code == 405
    assert client.head(calendar_url(routine) + "?time=08:00&tz=UTC").status_code == 200


good_time = st.sampled_from(["08:00", "13:30", "23:59", "00:00"])
bad_time = st.one_of(
    st.text(max_size=12), st.sampled_from(["24:00", "8:00", "08:00:00", "０８:００", "08:0"])
)
zone_text = st.one_of(
    st.sampled_from([MADRID, "UTC", "Asia/Kolkata"]),
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "Europe/", "/etc/localtime", "Etc/GMT+99", "A" * 5000]),
)
pairs = st.lists(
    st.tuples(
        st.sampled_from(["time", "tz", "time[]", "TZ"]) | st.text(max_size=8),
        good_time | bad_time | zone_text,
    ),
    max_size=8,
)


@settings(FUZZ, max_examples=150)
@given(
    query=st.one_of(pairs.map(urlencode), query_strings()),
    method=st.sampled_from(["get", "head"]),
)
def test_any_query_string_gets_a_calendar_or_a_400_never_a_server_error(
    client, calendar_routine, query, method
):
    response = getattr(client, method)(calendar_url(calendar_routine), QUERY_STRING=query)

    assert response.status_code in (200, 400)
    if method == "get" and response.status_code == 200:
        (event,) = events(parse(response.content))
        assert rule_text(event) == "FREQ=DAILY;COUNT=14"


@pytest.fixture
def calendar_routine(db):
    return saved_routine(times_per_day=1, weekdays="1234567", weeks=2)
