"""A saved routine's guided session without signal, in a real Chromium: after one online
visit the service worker (static/js/sw.js) serves it offline, timer included; a page it
never kept gets the offline page; a visitor's working routine is never kept.

SCREENSHOTS=1 also writes the offline page at desktop and phone widths to
artifacts/screenshots/.
"""

import re

import pytest
from django.templatetags.static import static
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from routines.models import Routine
from tests.browser.pages import (
    record_csp_violations,
    record_pain,
    screenshots_at_widths,
    stored_pain_logs,
    wait_until,
)

pytestmark = [
    pytest.mark.browser,
    # The suggested routines come from data migrations; serialized_rollback keeps them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SESSION_ROOT = "[data-state]"
# What Chromium logs for the offline page's honest 503 status.
OFFLINE_STATUS = "503 (Service Unavailable)"
KEPT_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls;
}"""


def wait_until_controlled(page):
    """The worker claims the page that registered it; a reload makes sure otherwise."""
    controlled = "() => navigator.serviceWorker.controller !== null"
    try:
        page.wait_for_function(controlled)
    except PlaywrightTimeoutError:
        page.reload()
        page.wait_for_function(controlled)


def kept_paths(page):
    return [re.sub(r"^https?://[^/]+", "", url) for url in page.evaluate(KEPT_URLS)]


def wait_until_kept(page, path):
    for _ in range(50):
        if path in kept_paths(page):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"{path} was never kept; the cache holds {kept_paths(page)}")


def suggested_routine():
    return Routine.objects.filter(is_suggestion=True, steps__isnull=False).distinct().first()


def test_a_session_opened_once_runs_offline(page, browser_problems):
    browser_problems.expect(OFFLINE_STATUS)
    session = f"/r/{suggested_routine().token}/session/"
    page.goto(session)
    wait_until_controlled(page)
    wait_until_kept(page, session)
    # The static files the session names are kept with it.
    kept = kept_paths(page)
    # pain-log.js too: the session loads it on the first save, which may come offline.
    for file in (
        "js/session.js",
        "js/pain-log.js",
        "js/site.js",
        "css/session.css",
        "css/site.css",
    ):
        assert static(file) in kept

    # The builder, with this visitor's own routine, goes through the worker and is not kept.
    page.goto("/routine/")
    expect(page.locator("h1")).to_be_visible()
    page.goto(session)

    page.context.set_offline(True)
    page.reload()
    root = page.locator(SESSION_ROOT)
    expect(root).to_have_attribute("data-state", "ready")
    record_pain(page, "before", 5, "offline")
    assert [entry["pain"] for _, log in stored_pain_logs(page) for entry in log] == [5]
    countdown = page.locator("[data-countdown]")
    before = countdown.inner_text()
    page.get_by_role("button", name="Start").click()
    expect(root).to_have_attribute("data-state", "running")
    expect(countdown).not_to_have_text(before, timeout=3_000)
    record_csp_violations(page, browser_problems)

    # A page never opened: the offline page, which leads back to the kept session.
    response = page.goto("/points/")
    assert response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    link = page.get_by_role("link", name=suggested_routine().title)
    expect(link).to_have_attribute("href", re.compile(re.escape(session) + "$"))
    record_csp_violations(page, browser_problems)
    screenshots_at_widths(page, "offline")

    link.click()
    expect(page.locator(SESSION_ROOT)).to_have_attribute("data-state", "ready")

    paths = kept_paths(page)
    assert session in paths
    assert not [path for path in paths if "/routine/" in path], paths
    assert "/points/" not in paths


def test_an_offline_page_in_the_visitors_language(page, browser_problems):
    browser_problems.expect(OFFLINE_STATUS)
    page.goto("/es/")
    wait_until_controlled(page)
    page.context.set_offline(True)
    response = page.goto("/es/points/")
    assert response.status == 503
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # No session kept yet: the list of them stays hidden.
    expect(page.locator("[data-kept-sessions]")).to_be_hidden()
    record_csp_violations(page, browser_problems)


def test_the_working_routines_session_is_never_kept(page):
    page.goto("/routine/session/")
    wait_until_controlled(page)
    page.reload()
    page.goto("/routine/")
    # A saved routine's session, opened after them, is kept: by then the worker has dealt
    # with the working routine's pages too.
    session = f"/r/{suggested_routine().token}/session/"
    page.goto(session)
    wait_until_kept(page, session)
    assert not [path for path in kept_paths(page) if "/routine/" in path]


def test_a_new_release_replaces_the_worker_and_its_cache(page, monkeypatch):
    session = f"/r/{suggested_routine().token}/session/"
    page.goto(session)
    wait_until_controlled(page)
    wait_until_kept(page, session)
    (before,) = page.evaluate("caches.keys()")

    # live_server runs in this process: the next /sw.js names another release.
    monkeypatch.setattr("acupressure.views.code_version", lambda: "0123456789ab")
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")

    def one_other_cache():
        names = page.evaluate("caches.keys()")
        return names if names != [before] and len(names) == 1 else None

    (after,) = wait_until(page, one_other_cache, "the new release's cache in place of the old")
    assert after.startswith("acupressure-0123456789ab-"), after
    # The session opened under the old release is kept by the new one.
    wait_until_kept(page, session)
