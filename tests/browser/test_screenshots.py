"""Screenshots to look at, not to assert on: SCREENSHOTS=1 make test writes them to
artifacts/screenshots/ (desktop and phone widths, and printed pages as PNG)."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from playwright.sync_api import expect

from routines.models import Routine
from tests.browser.pages import SCREENSHOTS, WIDTHS, keep_printout, screenshots_wanted
from tests.factories import make_meridian, make_point

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not screenshots_wanted(), reason="set SCREENSHOTS=1"),
]

PUBLIC_PAGES = {
    "home": "/",
    "list": "/points/",
    "list-sciatica": "/points/?pain=sciatica",
    "point-bl23": "/points/bl23/",
    "point-li4": "/points/li4/",
    "point-bl62": "/points/bl62/",
    "pain-sciatica": "/pain/sciatica/",
    "pain-lower-back-pain": "/pain/lower-back-pain/",
    "references": "/references/",
    "safety": "/safety/",
}


@pytest.fixture
def folder():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def test_screenshots_of_the_public_pages(open_page, folder):
    for width in WIDTHS.values():
        page = open_page(viewport={"width": width, "height": 900})
        for name, path in PUBLIC_PAGES.items():
            page.goto(path)
            page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
    page.goto("/points/bl23/")
    keep_printout(page.pdf(format="A4"), "point-bl23-print")


def test_screenshots_of_the_routine_pages(open_page, folder):
    suggestion = Routine.objects.suggestions().first()
    for width in WIDTHS.values():
        page = open_page(viewport={"width": width, "height": 900})
        page.goto(f"/r/{suggestion.token}/copy/")
        page.get_by_role("button", name="Copy to my routine").click()
        page.get_by_role("button", name="Save and share").click()
        expect(page).to_have_url(re.compile(r"/r/[\w-]+/$"))
        shared = page.url
        for name, path in {
            "routine": "/routine/",
            "shared": shared,
            "print": f"{shared}print/",
            "session": f"{shared}session/",
        }.items():
            page.goto(path)
            page.screenshot(path=folder / f"routine-{name}-{width}.png", full_page=True)
        page.get_by_role("button", name="Start").click()
        page.screenshot(path=folder / f"routine-session-running-{width}.png", full_page=True)
    page.goto(f"{shared}print/")
    keep_printout(page.pdf(format="A4"), "routine-print")


def test_screenshots_of_the_editors_sign_in(open_page, folder, browser_problems):
    browser_problems.expect("429 (Too Many Requests)")  # the locked-out page is one
    User.objects.create_user("editor", password="a long and unusual pass phrase 3", is_staff=True)
    for width in WIDTHS.values():
        page = open_page(viewport={"width": width, "height": 900})
        page.goto("/admin/login/")
        page.screenshot(path=folder / f"admin-sign-in-{width}.png", full_page=True)
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("a long and unusual pass phrase 3")
        page.get_by_role("button", name="Sign in").click()
        page.goto("/admin/two-factor/")
        page.get_by_role("button", name="Set up two-factor sign-in").click()
        page.screenshot(path=folder / f"admin-two-factor-{width}.png", full_page=True)
        page.context.clear_cookies()
        for _ in range(6):
            page.goto("/admin/login/")
            page.get_by_label("Username").fill("editor")
            page.get_by_label("Password").fill("not the pass phrase")
            page.get_by_role("button", name="Sign in").click()
        page.screenshot(path=folder / f"admin-locked-out-{width}.png", full_page=True)
        AccessAttempt.objects.all().delete()


def test_screenshots_of_a_long_point_list(open_page, folder):
    meridian = make_meridian()
    for _ in range(30):
        make_point(meridian=meridian)
    for width in WIDTHS.values():
        page = open_page(viewport={"width": width, "height": 900})
        page.goto("/points/?page=2")
        page.screenshot(path=folder / f"list-page-2-{width}.png", full_page=True)
