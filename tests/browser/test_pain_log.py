"""The pain log that stays on the device: pain 0-10 and a note recorded at the start and
the end of a guided session, kept in the browser's storage only, drawn as a chart and a
table on the routine's page, downloaded as CSV and deleted there.

SCREENSHOTS=1 also writes the form and the chart at desktop and phone widths to
artifacts/screenshots/.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from routines.models import Routine
from tests.browser.pages import (
    PAIN_LOG_PREFIX,
    record_pain,
    say,
    screenshots_at_widths,
    stored_pain_logs,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTE_BEFORE = "Stiff after the long drive, qz7"
NOTE_AFTER = "Easier to bend, xk4"


def suggestion():
    return Routine.objects.filter(is_suggestion=True).order_by("pk").first()


def watch_requests(page):
    """Every request the page makes, as URL and body, to look for the notes in."""
    sent = []

    def keep(request):
        try:
            body = request.post_data or ""
        except UnicodeDecodeError:
            body = request.post_data_buffer.decode("latin-1")
        sent.append(request.url + "\n" + body)

    page.on("request", keep)
    return sent


def pain_log(page):
    return page.get_by_role("region", name="Your pain log on this device")


def test_a_session_records_pain_before_and_after_and_the_routine_page_charts_it(page, axe):
    routine = suggestion()
    sent = watch_requests(page)
    page.goto(f"/r/{routine.token}/session/")
    root = page.locator("[data-session]")
    before = page.locator('[data-pain-entry="before"]')
    expect(before).to_be_visible()
    expect(page.locator("form.pain-entry__form").first).to_have_attribute("method", "dialog")
    axe(page)
    screenshots_at_widths(page, "pain-log-session-before")

    record_pain(page, "before", 6, NOTE_BEFORE)
    expect(before.get_by_role("status")).to_have_text(
        "Saved on this device: pain 6 of 10 before the session."
    )
    # On to the timer, which the entry made way for.
    expect(page.get_by_role("button", name="Start")).to_be_focused()
    page.get_by_role("button", name="Start").click()
    expect(before).to_be_hidden()
    for _ in range(routine.steps.count()):
        page.locator('[data-action="skip"]').click()
    expect(root).to_have_attribute("data-state", "done")

    after = page.locator('[data-pain-entry="after"]')
    expect(after).to_be_visible()
    axe(page)
    record_pain(page, "after", 3, NOTE_AFTER)
    entries = stored_pain_logs(page)
    assert [key for key, _ in entries] == [PAIN_LOG_PREFIX + routine.token]
    assert [(e["phase"], e["pain"], e["note"]) for e in entries[0][1]] == [
        ("before", 6, NOTE_BEFORE),
        ("after", 3, NOTE_AFTER),
    ]

    page.locator("[data-summary]").get_by_role("link", name="Back to the routine").click()
    expect(page).to_have_url(re.compile(rf"/r/{routine.token}/$"))
    for visit in ["first", "after a reload"]:
        log = pain_log(page)
        expect(log, visit).to_be_visible()
        expect(log).to_contain_text("stored only in this browser on this device")
        chart = log.get_by_role("img", name="Pain before and after each session, from 0 to 10")
        expect(chart.locator('[data-series="before"] circle')).to_have_count(1)
        expect(chart.locator('[data-series="before"] circle')).to_have_attribute("data-pain", "6")
        expect(chart.locator('[data-series="after"] rect')).to_have_count(1)
        expect(chart.locator('[data-series="after"] rect')).to_have_attribute("data-pain", "3")
        expect(chart.locator("desc")).to_contain_text("2 entries")
        expect(chart.locator("desc")).to_contain_text("Before a session: first 6, latest 6 of 10.")
        expect(chart.locator("desc")).to_contain_text("After a session: first 3, latest 3 of 10.")

        log.get_by_text("Show the 2 entries as a table").click()
        rows = log.locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("Before the session")
        expect(rows.nth(0).locator("td").nth(2)).to_have_text("6")
        expect(rows.nth(0)).to_contain_text(NOTE_BEFORE)
        expect(rows.nth(1)).to_contain_text("After the session")
        expect(rows.nth(1).locator("td").nth(2)).to_have_text("3")
        expect(rows.nth(1)).to_contain_text(NOTE_AFTER)
        if visit == "first":
            axe(page)
            screenshots_at_widths(page, "pain-log-chart")
            page.reload()

    with page.expect_download() as download_info:
        log.get_by_role("button", name="Download as CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(content)))
    assert lines[0] == ["When", "Before or after", "Pain (0-10)", "Note"]
    assert [line[1:] for line in lines[1:]] == [
        ["Before the session", "6", NOTE_BEFORE],
        ["After the session", "3", NOTE_AFTER],
    ]
    assert [line[0] for line in lines[1:]] == [e["time"] for e in entries[0][1]]

    # Delete asks first; Cancel keeps the log.
    log.get_by_role("button", name="Delete my log").click()
    confirm = log.get_by_role("group", name=re.compile("^Delete"))
    expect(confirm).to_contain_text("Delete all 2 entries")
    log.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    expect(log.get_by_role("button", name="Delete my log")).to_be_focused()
    expect(log.locator("tbody tr")).to_have_count(2)

    log.get_by_role("button", name="Delete my log").click()
    log.get_by_role("button", name="Yes, delete my log").click()
    expect(log.get_by_role("status")).to_have_text(
        "Your pain log for this routine was deleted from this browser."
    )
    expect(log.get_by_role("img")).to_be_hidden()
    expect(log.locator("tbody tr")).to_have_count(0)
    expect(log.locator("svg circle, svg rect")).to_have_count(2)  # the legend's keys only
    expect(log).to_contain_text("No entries yet.")
    assert stored_pain_logs(page) == []
    page.reload()
    expect(pain_log(page)).to_contain_text("No entries yet.")
    assert stored_pain_logs(page) == []

    # Nothing of what was typed ever went to the server, in a URL or a body.
    assert sent
    leaked = [request for request in sent if "qz7" in request or "xk4" in request]
    assert leaked == []


def test_the_scale_works_from_the_keyboard_and_skip_saves_nothing(page):
    routine = suggestion()
    page.goto(f"/r/{routine.token}/session/")
    before = page.locator('[data-pain-entry="before"]')

    before.get_by_role("button", name="Save to this device").click()
    expect(before.get_by_role("alert")).to_have_text("Choose a number from 0 to 10 first, or skip.")
    expect(before.get_by_role("radio", name="0", exact=True)).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(before.get_by_role("radio", name="2", exact=True)).to_be_checked()
    before.get_by_role("button", name="Save to this device").focus()
    page.keyboard.press("Enter")
    expect(before.get_by_role("status")).to_contain_text("pain 2 of 10")
    expect(page).to_have_url(re.compile(rf"/r/{routine.token}/session/$"))  # no submission
    assert [e["pain"] for _, log in stored_pain_logs(page) for e in log] == [2]

    # Start again: the forms come back; Skip records nothing and goes on to the timer.
    page.get_by_role("button", name="Start").click()
    for _ in range(routine.steps.count()):
        page.locator('[data-action="skip"]').click()
    page.locator("[data-summary]").get_by_role("button", name="Skip").click()
    expect(page.locator('[data-pain-entry="after"] form')).to_be_hidden()
    back = page.locator("[data-summary]").get_by_role("link", name="Back to the routine")
    expect(back).to_be_focused()
    page.get_by_role("button", name="Start again").click()
    expect(before.locator("form")).to_be_visible()
    expect(before.get_by_role("radio", name="2", exact=True)).not_to_be_checked()
    before.get_by_role("button", name="Skip").click()
    expect(before.locator("form")).to_be_hidden()
    assert [e["pain"] for _, log in stored_pain_logs(page) for e in log] == [2]


def test_a_save_that_cannot_fetch_the_logs_script_says_so_and_the_next_one_saves(
    open_page, browser_problems
):
    # The session loads static/js/pain-log.js on the first save; here the network drops it.
    # Without the service worker, which keeps the session's files itself and would answer
    # the second fetch from its cache, out of the page's routes' sight.
    page = open_page(service_workers="block")
    browser_problems.expect("net::ERR_FAILED")
    requests = []

    def drop_the_first(route):
        requests.append(route.request.url)
        if len(requests) == 1:
            route.abort()
        else:
            route.continue_()

    page.route("**/js/pain-log*.js", drop_the_first)
    routine = suggestion()
    page.goto(f"/r/{routine.token}/session/")
    before = page.locator('[data-pain-entry="before"]')
    before.get_by_role("radio", name="7", exact=True).check()
    before.get_by_role("button", name="Save to this device").click()
    expect(before.get_by_role("alert")).to_have_text(
        "The pain log could not be loaded. Check your connection and save again."
    )
    expect(before.locator("form")).to_be_visible()
    assert stored_pain_logs(page) == []

    before.get_by_role("button", name="Save to this device").dblclick()
    expect(before.get_by_role("status")).to_contain_text("pain 7 of 10")
    expect(before.locator("[data-pain-error]")).to_have_text("")
    # A double click saves once.
    assert [e["pain"] for _, log in stored_pain_logs(page) for e in log] == [7]
    assert len(requests) == 2


def test_the_working_routines_session_keeps_its_log_under_working(page):
    page.goto("/routine/add/bl23/")
    page.get_by_role("button", name="Add to routine").click()
    page.goto("/routine/session/")
    record_pain(page, "before", 4, "working note")
    assert [key for key, _ in stored_pain_logs(page)] == [PAIN_LOG_PREFIX + "working"]


def test_without_javascript_only_the_paper_log_remains(open_page):
    routine = suggestion()
    page = open_page(java_script_enabled=False)
    page.goto(f"/r/{routine.token}/")
    expect(page.locator("[data-pain-log]")).to_be_hidden()
    page.goto(f"/r/{routine.token}/session/")
    expect(page.locator("[data-pain-entry]")).to_have_count(2)
    expect(page.locator("[data-pain-entry]").first).to_be_hidden()


def test_the_spanish_page_shows_the_log_in_spanish(page, axe):
    routine = suggestion()
    page.goto(f"/es/r/{routine.token}/")
    page.evaluate(
        """([key, entries]) => localStorage.setItem(key, JSON.stringify(entries))""",
        [
            PAIN_LOG_PREFIX + routine.token,
            [
                {"time": "2025-03-10T08:00:00Z", "phase": "before", "pain": 7, "note": "mañana"},
                {"time": "2025-03-10T08:20:00Z", "phase": "after", "pain": 4, "note": ""},
            ],
        ],
    )
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    log = page.get_by_role("region", name=say("es", "Your pain log on this device"))
    expect(log).to_be_visible()
    expect(log.get_by_role("img")).to_have_accessible_name(
        say("es", "Pain before and after each session, from 0 to 10")
    )
    expect(log.locator("desc")).to_contain_text(
        say("es", "Before a session: first %(first)s, latest %(last)s of 10.")
        % {"first": 7, "last": 7}
    )
    log.locator("summary").click()
    expect(log.locator("thead")).to_contain_text(say("es", "Before or after"))
    expect(log.locator("tbody tr").first).to_contain_text(say("es", "Before the session"))
    expect(log.get_by_role("button", name=say("es", "Delete my log"))).to_be_visible()
    # Dates in the page's language: Spanish month names, lower case ("10 mar 2025").
    expect(log.locator("tbody time").first).to_have_text(re.compile(r"10 mar\w* 2025"))
    axe(page)
