"""Setting a routine's schedule in the builder, with htmx, and what the printed sheet makes
of it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOG_ROWS = ".log-table tbody tr"


def test_a_schedule_set_in_the_builder_gives_the_sheet_its_log_rows(page):
    page.goto("/routine/add/bl23/")
    page.get_by_role("button", name="Add to routine").click()
    expect(page).to_have_url(re.compile(r"/routine/$"))
    page.goto("/routine/print/")
    expect(page.locator(LOG_ROWS)).to_have_count(14)

    page.goto("/routine/")
    schedule = page.locator(".schedule-form")
    with page.expect_response(re.compile(r"/routine/schedule/$")):
        schedule.get_by_label("Times a day").select_option("2")
    expect(schedule).to_contain_text("Twice a day, every day, for 2 weeks")
    with page.expect_response(re.compile(r"/routine/schedule/$")):
        schedule.locator("select[name=weeks]").select_option("1")
    expect(schedule).to_contain_text("Twice a day, every day, for 1 week")
    for day in ["Tuesday", "Wednesday", "Thursday", "Saturday", "Sunday"]:
        # Each change goes to the server with htmx and comes back as the whole builder.
        with page.expect_response(re.compile(r"/routine/schedule/$")):
            page.locator(".schedule-form").get_by_label(day).uncheck()
        expect(page.locator(".schedule-form").get_by_label(day)).not_to_be_checked()
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
