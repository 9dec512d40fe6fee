""" "Add to calendar" on a saved routine's page, in Chromium: the form downloads an .ics file
that parses and repeats as the routine's schedule says, with and without JavaScript."""

from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from django.utils import translation
from icalendar import Calendar
from playwright.sync_api import expect

from tests.factories import make_routine

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FORM = "form[action$='/calendar.ics']"
DOWNLOAD = "Download calendar file (.ics)"


def download_calendar(page, code="en"):
    with translation.override(code):
        label = translation.gettext(DOWNLOAD)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=label).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    return Calendar.from_ical(Path(download.path()).read_bytes())


def test_the_form_downloads_reminders_that_repeat_as_the_schedule_says(open_page):
    routine = make_routine(
        title="Desk breaks", steps=["Roll out your back"], times_per_day=2, weekdays="135", weeks=3
    )
    page = open_page(timezone_id="Europe/Madrid")
    page.goto(f"/es/r/{routine.token}/")

    form = page.locator(FORM)
    zone = form.locator("input[name=tz]")
    # calendar-zone.js starts the field at the browser's own zone.
    expect(zone).to_have_value("Europe/Madrid")
    times = form.locator("input[type=time]")
    expect(times).to_have_count(2)
    times.nth(0).fill("07:15")
    times.nth(1).fill("19:45")
    calendar = download_calendar(page, "es")

    events = calendar.walk("VEVENT")
    assert [event.decoded("DTSTART").strftime("%H:%M") for event in events] == ["07:15", "19:45"]
    total = 0
    for event in events:
        rule = event["RRULE"].to_ical().decode()
        assert rule == "FREQ=WEEKLY;COUNT=9;BYDAY=MO,WE,FR"
        assert event["DTSTART"].params["TZID"] == "Europe/Madrid"
        assert event["URL"].endswith(f"/es/r/{routine.token}/session/")
        starts = list(rrulestr(rule, dtstart=event.decoded("DTSTART")))
        assert {start.isoweekday() for start in starts} == {1, 3, 5}
        total += len(starts)
    assert total == 2 * 3 * 3
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]


def test_without_javascript_the_visitor_types_the_zone(open_page):
    routine = make_routine(steps=["Roll out your back"], times_per_day=1, weeks=None)
    page = open_page(java_script_enabled=False)
    page.goto(routine.get_absolute_url())

    zone = page.locator(FORM).locator("input[name=tz]")
    expect(zone).to_have_value("")
    zone.fill("America/Chicago")
    calendar = download_calendar(page)

    (event,) = calendar.walk("VEVENT")
    assert event["RRULE"].to_ical().decode() == "FREQ=DAILY"
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert event.decoded("DTSTART").strftime("%H:%M") == "08:00"
