"""Real-browser fixtures: Debian's Chromium, driven by Playwright, against live_server (or,
through `guarded_pages`, any server a test starts).

Every page opened here is guarded: a request to any host but the site's own is refused
(these machines have no network, and the guide must not depend on third-party hosts), and
browser console errors, Content-Security-Policy reports, uncaught exceptions and refused
requests fail the test that caused them.
"""

import os
import textwrap

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.browser.pages import BrowserProblems, guarded_pages
from tools.chromium import launch

AXE_BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser(django_db_setup):
    # Playwright's sync API keeps an asyncio loop running on this thread. Two things follow:
    # Django's async-safety check would refuse every ORM call made in the test process (the
    # flush between transactional tests, for one), so allow them while the browser runs; and
    # Django keeps a thread's database connections in a separate store while a loop runs, so
    # the connections made from now on lack the copy of the migrated content that
    # serialized_rollback restores from. The test database is set up first (hence the
    # django_db_setup argument) so that copy exists to be handed over.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            browser = launch(playwright)
            yield browser
            browser.close()
            # Before the test database is dropped, which open connections would block.
            connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@pytest.fixture
def open_page(browser, live_server, browser_problems):
    """Open a page of the live server in a fresh browser context; keyword arguments go to
    new_context()."""
    with guarded_pages(browser, live_server.url, browser_problems) as open_page:
        yield open_page


@pytest.fixture
def page(open_page):
    return open_page()


def describe_violations(url, violations):
    lines = [f"axe-core found {len(violations)} serious or critical problem(s) on {url}:"]
    for violation in violations:
        lines.append(f"\n[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  at {' '.join(map(str, node['target']))}")
            lines.append(textwrap.indent(node["html"][:300], "      "))
            summary = node.get("failureSummary") or ""
            lines.append(textwrap.indent(summary, "    "))
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    """Check the page as it is now with axe-core; fail on serious or critical violations."""
    runner = Axe()

    def check(page):
        violations = runner.run(page).response["violations"]
        blocking = [v for v in violations if v["impact"] in AXE_BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(describe_violations(page.url, blocking), pytrace=False)

    return check
