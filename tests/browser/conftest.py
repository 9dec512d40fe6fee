"""Real-browser fixtures: Debian's Chromium, driven by Playwright, against live_server (or,
through `guarded_pages`, any server a test starts).

Every page opened here is guarded: a request to any host but the site's own is refused
(these machines have no network, and the guide must not depend on third-party hosts), and
browser console errors, Content-Security-Policy reports, uncaught exceptions and refused
requests fail the test that caused them.
"""

import contextlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Even requests Playwright's routing never sees (the browser's own) resolve nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
DEBIAN_CHROMIUM = "/usr/bin/chromium"
# A broken page should fail in seconds, not after Playwright's default 30.
TIMEOUT_MS = 5_000
AXE_BLOCKING_IMPACTS = {"serious", "critical"}
# Injected by Playwright before any page script (the page's own policy does not apply to
# it): every Content-Security-Policy violation on a page is kept for the test to read.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


def chromium_executable():
    """An installed Chromium; Playwright's own download only where there is none."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), DEBIAN_CHROMIUM):
        if candidate and Path(candidate).is_file():
            return candidate
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)
    return None  # Playwright then launches the build it just installed.


@pytest.fixture(scope="session")
def browser(django_db_setup):
    executable = chromium_executable()
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
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            # Before the test database is dropped, which open connections would block.
            connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class BrowserProblems:
    """Everything that went wrong inside the browser during one test."""

    def __init__(self):
        self.found = []
        self.expected = []

    def expect(self, text):
        """Tolerate problems containing `text`, e.g. the console line a 404 page causes."""
        self.expected.append(text)

    def record(self, kind, text):
        self.found.append(f"{kind}: {text}")

    def unexpected(self):
        return [
            problem
            for problem in self.found
            if not any(expected in problem for expected in self.expected)
        ]


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@contextlib.contextmanager
def guarded_pages(browser, base_url, problems):
    """Open pages of the site at `base_url`, each in a fresh browser context, guarded as
    the module says; what went wrong fails the test when the block ends.

    `open_page(**context_options)` passes its keyword arguments to new_context().
    """
    own_origin = urlsplit(base_url).netloc
    contexts = []

    def guard(route):
        url = route.request.url
        if urlsplit(url).netloc == own_origin:
            # A test may have handled this request itself (a held or faked response).
            with contextlib.suppress(PlaywrightError):
                route.continue_()
        else:
            problems.record("request to another host (refused)", url)
            route.abort("blockedbyclient")

    def on_console(message):
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            where = message.location.get("url", "")
            problems.record(f"console {message.type}", f"{text} ({where})")

    def open_page(**context_options):
        context = browser.new_context(base_url=base_url, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", guard)
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.record("uncaught exception", error))
        return page

    yield open_page

    for context in contexts:
        # Let requests a page still has in flight (the routine badge loads on every page)
        # finish first: the server must not be serving one while the test database is
        # rolled back, and a violation they cause belongs to this test.
        for open_one in context.pages:
            # A page that never settles is reported by its own test, not here.
            with contextlib.suppress(PlaywrightError):
                open_one.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
                record_csp_violations(open_one, problems)
        context.close()
    if found := problems.unexpected():
        pytest.fail(
            "The browser reported problems during the test:\n"
            + "\n".join(f"  - {problem}" for problem in found),
            pytrace=False,
        )


@pytest.fixture
def open_page(browser, live_server, browser_problems):
    """Open a page of the live server in a fresh browser context; keyword arguments go to
    new_context()."""
    with guarded_pages(browser, live_server.url, browser_problems) as open_page:
        yield open_page


def csp_violations(page):
    """The violations the current document of `page` has reported so far."""
    return page.evaluate("window.__cspViolations || []")


def record_csp_violations(page, problems):
    for violation in csp_violations(page):
        problems.record("Content-Security-Policy violation", f"{violation} ({page.url})")


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
