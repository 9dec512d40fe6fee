"""A saved routine's schedule as calendar reminders: an iCalendar file (RFC 5545).

One repeating event per time of day, in the visitor's time zone, each linking to the
routine's guided session. Every event has a UID made of the routine's token and its slot
(first, second… time of the day), so downloading the file again, with other times, updates
the events a calendar already has instead of adding a second set.
"""

import math
import re
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_safe
from icalendar import Alarm, Calendar, Event, vRecur, vText

from .models import Routine, one_line, title_to_show
from .views import gone_if_pruned, shared_routine

PRODUCT_ID = "-//Acupressure guide//Routine reminders//EN"
MIN_DURATION = timedelta(minutes=5)
# What <input type="time"> sends (its default step is a minute): 00:00 to 23:59.
TIME_OF_DAY = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
# RFC 5545's weekday codes, by ISO weekday digit.
BYDAY = {"1": "MO", "2": "TU", "3": "WE", "4": "TH", "5": "FR", "6": "SA", "7": "SU"}


class CalendarRequestError(ValueError):
    """A calendar request that cannot be answered, with the message to show the visitor."""


@cache
def time_zones():
    # The system's (or the tzdata package's) list, read from disk once per process.
    return available_timezones()


def read_time_zone(value):
    if not value:
        raise CalendarRequestError(gettext("Choose a time zone, such as Europe/Madrid."))
    if value not in time_zones():
        raise CalendarRequestError(
            gettext("“%(zone)s” is not a time zone we know. Use a name such as Europe/Madrid.")
            % {"zone": value[:60]}
        )
    return ZoneInfo(value)


def read_times(values, times_per_day):
    """The times of day asked for, earliest first."""
    if len(values) != times_per_day:
        raise CalendarRequestError(
            ngettext(
                "This routine is done once a day: choose %(count)s time.",
                "This routine is done %(count)s times a day: choose %(count)s times.",
                times_per_day,
            )
            % {"count": times_per_day}
        )
    times = []
    for value in values:
        match = TIME_OF_DAY.fullmatch(value)
        if not match:
            raise CalendarRequestError(
                gettext("“%(time)s” is not a time of day. Use hours and minutes, such as 08:00.")
                % {"time": value[:20]}
            )
        times.append(time(int(match[1]), int(match[2])))
    if len(set(times)) != len(times):
        raise CalendarRequestError(gettext("Choose a different time for each session."))
    return sorted(times)


def first_day(schedule, today):
    """The first day from `today` on (today included) that the schedule has a session."""
    return next(
        day
        for day in (today + timedelta(days=offset) for offset in range(7))
        if str(day.isoweekday()) in schedule.weekdays
    )


def recurrence(schedule):
    """The RRULE of one time of day: every day or on the chosen weekdays, as many times as
    the weeks ask for (COUNT), or with no end when the schedule is open-ended."""
    if schedule.every_day:
        rule = vRecur(freq="DAILY")
    else:
        rule = vRecur(freq="WEEKLY", byday=[BYDAY[day] for day in schedule.weekdays])
    if schedule.weeks is not None:
        rule["COUNT"] = len(schedule.weekdays) * schedule.weeks
    return rule


def build_calendar(routine, *, times, zone, seconds, session_url, host, now=None):
    """The routine's reminders as a Calendar: one repeating event per time of day in
    `times`, in `zone` (a ZoneInfo), each `seconds` long at least MIN_DURATION, linking
    to `session_url`."""
    schedule = routine.schedule
    now = now or timezone.now()
    start = first_day(schedule, now.astimezone(zone).date())
    # One line whatever a title holds (rows saved before titles were checked): a line
    # break in a calendar's name would end its line and start a property of its own.
    title = one_line(title_to_show(routine.title))
    # Whole minutes, as calendars show them.
    duration = max(timedelta(minutes=math.ceil(seconds / 60)), MIN_DURATION)

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is not escaped as text unless it is said to be text.
    calendar.add("x-wr-calname", vText(title))
    for slot, time_of_day in enumerate(times, start=1):
        event = Event()
        event.add("uid", f"{routine.token}-{slot}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", datetime.combine(start, time_of_day, tzinfo=zone))
        event.add("duration", duration)
        event.add("rrule", recurrence(schedule))
        event.add("summary", title)
        event.add(
            "description",
            f"{schedule.describe()}\n"
            + gettext("Start the guided session: %(url)s") % {"url": session_url},
        )
        event.add("url", session_url)
        # The reminder itself: calendars that take alarms from a file show it at the start.
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    # The zone's rules from the first event on, for calendars that do not know the zone.
    calendar.add_missing_timezones(first_date=start)
    return calendar


def bad_request(message):
    response = HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response


@require_safe
@gone_if_pruned
def calendar_file(request, token):
    """GET /r/<token>/calendar.ics?time=08:00&time=20:00&tz=Europe/Madrid"""
    routine, steps = shared_routine(request, token)
    try:
        zone = read_time_zone(request.GET.get("tz", "").strip())
        times = read_times(request.GET.getlist("time"), routine.schedule.times_per_day)
    except CalendarRequestError as error:
        return bad_request(str(error))
    calendar = build_calendar(
        routine,
        times=times,
        zone=zone,
        seconds=sum(step.total_seconds for step in steps),
        # In the page's language: the URL is reversed under the request's language prefix.
        session_url=request.build_absolute_uri(
            reverse("routines:shared_session", args=[routine.token])
        ),
        host=request.get_host(),
    )
    # A calendar carries the link for weeks, as a printed sheet does: keep it as long.
    Routine.objects.mark_printed(token)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    name = slugify(title_to_show(routine.title)) or "routine"
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.ics")
    # Made for this visitor's times and zone: kept by no shared cache (the header says
    # private, no-store), and the view is not a public_page, so never in the page cache.
    add_never_cache_headers(response)
    return response
