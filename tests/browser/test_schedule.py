"""Setting a routine's schedule in the builder, with htmx, and what the printed sheet makes
of it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import tab_to, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOG_ROWS = ".log-table tbody tr"
VERSION = ".schedule-form input[name=version]"


def change_schedule(page, action):
    """Do `action` to the schedule form, then wait until htmx has swapped in the builder
    the server answered with (its version moves on): the next change must be made on it."""
    before = page.locator(VERSION).input_value()
    action(page.locator(".schedule-form"))
    expect(page.locator(VERSION)).not_to_have_value(before)


def test_a_schedule_set_in_the_builder_gives_the_sheet_its_log_rows(page):
    page.goto("/routine/add/bl23/")
    page.get_by_role("button", name="Add to routine").click()
    expect(page).to_have_url(re.compile(r"/routine/$"))
    page.goto("/routine/print/")
    expect(page.locator(LOG_ROWS)).to_have_count(14)

    page.goto("/routine/")
    schedule = page.locator(".schedule-form")
    change_schedule(page, lambda form: form.get_by_label("Times a day").select_option("2"))
    expect(schedule).to_contain_text("Twice a day, every day, for 2 weeks")
    change_schedule(page, lambda form: form.locator("select[name=weeks]").select_option("1"))
    expect(schedule).to_contain_text("Twice a day, every day, for 1 week")
    for day in ["Tuesday", "Wednesday", "Thursday", "Saturday", "Sunday"]:
        # Each change goes to the server with htmx and comes back as the whole builder.
        change_schedule(page, lambda form, day=day: form.get_by_label(day).uncheck())
        expect(schedule.get_by_label(day)).not_to_be_checked()
    expect(page.locator(".schedule-form")).to_contain_text(
        "Twice a day, on Monday and Friday, for 1 week"
    )
    # Nothing left the page: htmx swapped the builder in place.
    expect(page).to_have_url(re.compile(r"/routine/$"))

    page.goto("/routine/print/")
    expect(page.locator(".sheet__schedule")).to_contain_text(
        "Twice a day, on Monday and Friday, for 1 week"
    )
    # Twice a day on two days for a week: four sessions to log.
    expect(page.locator(LOG_ROWS)).to_have_count(4)


def test_days_unticked_in_quick_succession_are_all_kept(page):
    """A person runs down the weekdays while the first answer is still on its way (held
    back here, as a slow connection would): every click counts, and none meets the
    "changed in another tab" refusal."""
    page.goto("/routine/add/bl23/")
    page.get_by_role("button", name="Add to routine").click()
    expect(page).to_have_url(re.compile(r"/routine/$"))
    held = []
    page.route("**/routine/schedule/", lambda route: held.append((route, route.fetch())))

    schedule = page.locator(".schedule-form")
    for day in ["Tuesday", "Thursday", "Saturday"]:
        schedule.get_by_label(day).uncheck()
    wait_until(page, lambda: held, "the schedule's change request")
    for route, response in held:
        route.fulfill(response=response)

    expect(schedule).to_contain_text(
        "Once a day, on Monday, Wednesday, Friday and Sunday, for 2 weeks"
    )
    expect(page.locator(".notice")).to_have_count(0)
    page.goto("/routine/print/")
    expect(page.locator(".sheet__schedule")).to_contain_text(
        "Once a day, on Monday, Wednesday, Friday and Sunday, for 2 weeks"
    )


def test_a_keyboard_user_keeps_their_place_in_the_schedule(page):
    """Each change swaps in a new builder; the focus comes back to the field it left, so
    Tab goes on to the next day rather than from the top of the page."""
    page.goto("/routine/add/bl23/")
    page.get_by_role("button", name="Add to routine").click()
    expect(page).to_have_url(re.compile(r"/routine/$"))
    schedule = page.locator(".schedule-form")

    tab_to(page, "#schedule-times")
    change_schedule(page, lambda form: page.keyboard.press("ArrowDown"))
    expect(schedule.get_by_label("Times a day")).to_be_focused()
    tab_to(page, "#schedule-day-2")
    for day in ["Tuesday", "Wednesday"]:
        expect(schedule.get_by_label(day)).to_be_focused()
        change_schedule(page, lambda form: page.keyboard.press("Space"))
        expect(schedule.get_by_label(day)).to_be_focused()
        page.keyboard.press("Tab")
    expect(schedule).to_contain_text(
        "Twice a day, on Monday, Thursday, Friday, Saturday and Sunday, for 2 weeks"
    )
