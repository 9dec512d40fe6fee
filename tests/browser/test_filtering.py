"""The point list and the public pages in a real Chromium.

The expected results come from the content release: sciatica → the article's GB30 and
BL40 and five of the classic points, headache → LI4.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from points.models import PainType
from tests.browser.pages import tab_to
from tests.factories import make_meridian, make_point
from tests.pages import ARTICLE_POINT_CODES, CLASSIC_POINT_CODES

pytestmark = [
    pytest.mark.browser,
    # The guide's content comes from a data migration; a plain transactional test would
    # flush it away, serialized_rollback puts it back before every test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESULT_CODES = "#results .point-card .code"
EVERY_POINT = ARTICLE_POINT_CODES + CLASSIC_POINT_CODES
SCIATICA = ["BL25", "BL40", "BL57", "BL60", "GB30", "GB34", "GV3"]
FILTER_FORM = "form[role=search]"


def wait_for_codes(page, expected, timeout=5.0):
    """Wait until the results list exactly the expected point codes, in any order."""
    deadline = time.monotonic() + timeout
    while True:
        shown = sorted(page.locator(RESULT_CODES).all_inner_texts())
        if shown == sorted(expected) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(50)
    assert shown == sorted(expected)


def url_has(*params):
    """A URL matcher for query parameters, e.g. url_has("pain=sciatica")."""
    return re.compile("".join(rf"(?=.*[?&]{re.escape(p)}(&|$))" for p in params))


def test_filter_with_the_mouse_updates_results_and_url_in_place(page):
    page.goto("/points/")
    wait_for_codes(page, EVERY_POINT)
    # A full page load would wipe this marker; an htmx swap keeps it.
    page.evaluate("window.stillTheSamePage = true")

    with page.expect_request(lambda request: "pain=sciatica" in request.url) as request:
        page.get_by_label("Sciatica", exact=True).click()

    assert request.value.headers.get("hx-request") == "true"
    wait_for_codes(page, SCIATICA)
    expect(page).to_have_url(url_has("pain=sciatica"))
    expect(page.get_by_label("Sciatica", exact=True)).to_be_checked()
    assert page.evaluate("window.stillTheSamePage") is True


def test_filter_with_the_keyboard_only(page):
    page.goto("/points/")
    page.evaluate("window.stillTheSamePage = true")

    tab_to(page, f"{FILTER_FORM} input[type=checkbox]")
    tab_to(page, f"{FILTER_FORM} input[type=checkbox][value=sciatica]")
    page.keyboard.press("Space")
    wait_for_codes(page, SCIATICA)
    expect(page).to_have_url(url_has("pain=sciatica"))

    tab_to(page, f"{FILTER_FORM} select[name=region]")
    for _ in range(10):
        if page.evaluate("document.activeElement.value") == "legs":
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator("select[name=region]")).to_have_value("legs")
    wait_for_codes(page, ["BL40", "BL57", "GB34"])
    expect(page).to_have_url(url_has("pain=sciatica", "region=legs"))

    tab_to(page, f"{FILTER_FORM} input[type=search]")
    page.keyboard.type("GB30")
    wait_for_codes(page, [])
    expect(page.locator("#results-count")).to_contain_text("0 points")
    expect(page).to_have_url(url_has("pain=sciatica", "region=legs", "q=GB30"))

    assert page.evaluate("window.stillTheSamePage") is True


def test_back_button_restores_the_previous_filter(page):
    page.goto("/points/")
    sciatica = page.get_by_label("Sciatica", exact=True)
    headache = page.get_by_label("Headache", exact=True)

    sciatica.click()
    wait_for_codes(page, SCIATICA)
    expect(page).to_have_url(url_has("pain=sciatica"))
    headache.click()
    wait_for_codes(page, [*SCIATICA, "LI4"])
    expect(page).to_have_url(url_has("pain=sciatica", "pain=headache"))

    page.go_back()
    expect(page).not_to_have_url(re.compile("headache"))
    expect(page).to_have_url(url_has("pain=sciatica"))
    wait_for_codes(page, SCIATICA)
    expect(sciatica).to_be_checked()
    expect(headache).not_to_be_checked()

    page.go_back()
    expect(page).not_to_have_url(re.compile("pain="))
    wait_for_codes(page, EVERY_POINT)
    expect(sciatica).not_to_be_checked()

    # After a restore the form is live again: filtering still works in place.
    headache.click()
    wait_for_codes(page, ["LI4"])
    expect(page).to_have_url(url_has("pain=headache"))


def test_filter_form_works_without_javascript(open_page):
    page = open_page(java_script_enabled=False)
    page.goto("/points/")
    page.get_by_label("Sciatica", exact=True).check()

    with page.expect_navigation():
        page.get_by_role("button", name="Show points").click()

    expect(page).to_have_url(url_has("pain=sciatica"))
    assert sorted(page.locator(RESULT_CODES).all_inner_texts()) == sorted(SCIATICA)
    expect(page.get_by_label("Sciatica", exact=True)).to_be_checked()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/points/",
        "/points/?pain=sciatica&pain=headache&region=legs",
        "/points/bl23/",
        "/pain/sciatica/",
        "/references/",
        "/safety/",
    ],
)
def test_no_serious_accessibility_problems(page, axe, path):
    response = page.goto(path)
    assert response.status == 200
    axe(page)


def test_no_serious_accessibility_problems_on_the_404_page(
    page, axe, browser_problems, live_server
):
    path = "/points/no-such-point/"
    # Chromium logs every 4xx document as a console error; this one is the point here.
    browser_problems.expect(f"status of 404 (Not Found) ({live_server.url}{path})")
    response = page.goto(path)
    assert response.status == 404
    axe(page)


def test_no_serious_accessibility_problems_after_filtering_in_place(page, axe):
    page.goto("/points/")
    page.get_by_label("Sciatica", exact=True).click()
    wait_for_codes(page, SCIATICA)
    axe(page)


def test_paging_through_many_points_swaps_the_results_and_keeps_the_filter(page):
    meridian = make_meridian()
    sciatica = PainType.objects.get(slug="sciatica")
    for _ in range(30 - len(SCIATICA) + 2):
        make_point(meridian=meridian, pain_types=[sciatica])
    page.goto("/points/?pain=sciatica")
    expect(page.locator(RESULT_CODES)).to_have_count(24)
    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"pain=sciatica&page=2$"))
    expect(page.locator(".pager__where")).to_have_text("Page 2 of 2")
    expect(page.locator(RESULT_CODES)).to_have_count(8)  # 32 points for sciatica in all
    expect(page.get_by_label("Sciatica", exact=True)).to_be_checked()
    page.go_back()
    expect(page.locator(".pager__where")).to_have_text("Page 1 of 2")
