"""The Content-Security-Policy holds while the site is used: every public page, the routine
builder, the print sheet, the guided session and the admin run with no violation.

The browser fixture records every `securitypolicyviolation` event and console report, so
these tests fail on the first inline script, inline style or foreign request a page makes.
"""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.browser.pages import csp_violations
from tests.pages import PUBLIC_PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADMIN_PASSWORD = "a long and unusual pass phrase 9"
PAGES = [*PUBLIC_PAGES, "/no-such-page/"]


def visit(page, path):
    """Open `path`, check it is served under the strict policy, and let it settle."""
    response = page.goto(path)
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'none'" in policy, f"{path} has no strict policy: {policy!r}"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    page.wait_for_load_state("networkidle")
    return response


def assert_no_violations(page):
    assert csp_violations(page) == []


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_load_without_violations(page, browser_problems, path):
    if path == "/no-such-page/":
        browser_problems.expect("404 (Not Found)")
    visit(page, path)
    expect(page.locator("a.routine-link[data-loaded]")).to_have_count(1)
    assert_no_violations(page)


def test_filtering_and_adding_to_the_routine_without_violations(page):
    visit(page, "/points/")
    page.get_by_label("Sciatica").check()
    expect(page).to_have_url(re.compile(r"pain=sciatica"))
    page.get_by_label("Search").fill("bladder")
    expect(page).to_have_url(re.compile(r"q=bladder"))
    assert_no_violations(page)

    visit(page, "/points/gb30/")
    expect(page.locator("a.routine-link[data-loaded]")).to_have_count(1)
    page.get_by_role("link", name=re.compile("Add .*to (my )?routine", re.I)).first.click()
    expect(page.locator("a.routine-link")).to_contain_text("1 step")
    assert_no_violations(page)


def test_building_saving_printing_and_following_a_routine_without_violations(page):
    for slug in ("gb30", "bl40"):
        page.goto(f"/routine/add/{slug}/")
        page.get_by_role("button", name=re.compile("Add", re.I)).first.click()
    visit(page, "/routine/")
    page.get_by_role("button", name="Move up: BL40 Commanding Middle").click()
    expect(page.locator("#routine .step__title").first).to_contain_text("BL40")
    seconds = page.locator("#routine .step", has_text="GB30").get_by_label("Seconds per side")
    seconds.fill("90")
    seconds.press("Enter")
    expect(page.locator(".routine-total")).to_contain_text("about 5 min in all")
    assert_no_violations(page)

    visit(page, "/routine/print/")
    assert_no_violations(page)

    page.goto("/routine/")
    page.get_by_role("button", name="Save and share").click()
    expect(page).to_have_url(re.compile(r"/r/[\w-]{22,}/$"))
    shared_url = page.url
    visit(page, shared_url)
    assert_no_violations(page)
    visit(page, shared_url + "print/")
    assert_no_violations(page)

    # The page's clock, moved on by the test: the session runs for a while at once.
    page.clock.install()
    visit(page, shared_url + "session/?speed=50")
    page.get_by_role("button", name=re.compile("Start", re.I)).click()
    page.clock.run_for(500)  # 25 s of the session at 50 times the speed
    page.keyboard.press("Space")  # pause
    assert_no_violations(page)


def sign_in_to_the_admin(page):
    User.objects.create_superuser("csp-admin", "admin@example.com", ADMIN_PASSWORD)
    visit(page, "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("csp-admin")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


ADMIN_PAGES = [
    "/admin/",
    "/admin/points/point/",
    "/admin/points/point/add/",
    "/admin/points/paintype/",
    "/admin/points/bodyview/",
    "/admin/routines/routine/",
    "/admin/auth/user/",
    "/admin/two-factor/",
]


def test_the_admin_works_under_the_same_policy(page):
    sign_in_to_the_admin(page)
    for path in ADMIN_PAGES:
        visit(page, path)
        assert_no_violations(page)

    # The point form: inlines, autocomplete widgets, the marker picker and prepopulated slug.
    page.goto("/admin/points/point/")
    page.get_by_role("link", name="BL40").first.click()
    page.wait_for_load_state("networkidle")
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results")).to_be_visible()
    page.keyboard.press("Escape")
    page.locator(".marker-preview--picker svg").first.click()
    page.get_by_role("link", name=re.compile("Add another", re.I)).first.click()
    assert_no_violations(page)

    visit(page, "/admin/points/point/add/")
    page.get_by_label("Code").press_sequentially("BL60")
    expect(page.get_by_label("Slug")).to_have_value("bl60")
    assert_no_violations(page)

    visit(page, "/admin/two-factor/")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.locator(".two-factor__qr svg")).to_be_visible()
    assert_no_violations(page)


def test_the_policy_blocks_inline_code_and_these_tests_see_it(page, browser_problems):
    # The other tests pass only if violations are both prevented and noticed: check both.
    browser_problems.expect("Content Security Policy")
    browser_problems.expect("Content-Security-Policy violation")
    visit(page, "/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
            document.body.setAttribute("style", "background: red");
        }"""
    )
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.evaluate("window.inlineRan === undefined")
    directives = " ".join(csp_violations(page))
    assert "script-src-elem" in directives
    assert "style-src-attr" in directives
