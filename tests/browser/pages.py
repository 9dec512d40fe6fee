"""What the browser tests share: the guard every page of theirs runs under (see
conftest.py, whose fixtures use it), reading a page's Content-Security-Policy violations,
moving the focus as a keyboard user does, reading a printed PDF, keeping a pain log and
keeping pictures to look at.

A test module imports these from here, never from conftest.py or another test module.
"""

import contextlib
import os
import re
import shutil
import subprocess
import time
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tools import screenshots

# A broken page should fail in seconds, not after Playwright's default 30.
TIMEOUT_MS = 5_000
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


def csp_violations(page):
    """The violations the current document of `page` has reported so far."""
    return page.evaluate("window.__cspViolations || []")


def record_csp_violations(page, problems):
    for violation in csp_violations(page):
        problems.record("Content-Security-Policy violation", f"{violation} ({page.url})")


def wait_until(page, condition, what, timeout_ms=TIMEOUT_MS):
    """Let the page's events run (route handlers, say) until `condition()` gives something
    true, and return that; fail the test, naming `what`, if it does not within
    `timeout_ms`."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not (result := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout_ms} ms", pytrace=False)
        page.wait_for_timeout(20)
    return result


def say(code, message):
    """`message` as the site says it in the language `code`."""
    with translation.override(code):
        return translation.gettext(message)


def tab_to(page, selector, presses=60, key="Tab"):
    """Press Tab (or `key`, e.g. Shift+Tab) until the element matching `selector` has the
    focus."""
    for _ in range(presses):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{key} never reached {selector}")


# Pictures of what a test checks, for a person to look at: written with SCREENSHOTS=1 (as
# `make screenshots` runs these tests) by the helpers of tools/screenshots.py.


def screenshots_wanted():
    return os.environ.get("SCREENSHOTS") == "1"


def screenshot(page, name, full_page=True):
    """With SCREENSHOTS=1, the page as it is now, in artifacts/screenshots/<name>.png."""
    if screenshots_wanted():
        screenshots.take(page, name, full_page)


def screenshots_at_widths(page, name):
    """With SCREENSHOTS=1, the whole page at a desktop and a phone width
    (<name>-desktop.png and <name>-phone.png)."""
    if screenshots_wanted():
        screenshots.take_at_widths(page, name)


def keep_printout(pdf, name):
    """With SCREENSHOTS=1, a printed PDF and its pages as PNG (<name>-1.png, ...); `name`
    may name a subfolder."""
    if screenshots_wanted():
        screenshots.keep_printout(pdf, name)


# Printed pages


def pdf_page_count(pdf, folder):
    """Pages of a PDF: rendered to PNG with pdftoppm where poppler-utils is installed,
    otherwise counted from its page objects."""
    if not shutil.which("pdftoppm"):
        return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    path = folder / "routine.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", path, folder / "page"], check=True)
    return len(list(folder.glob("page*.png")))


def pdf_text(pdf, folder):
    """The PDF's text in reading order, spaces collapsed; None without pdftotext."""
    if not shutil.which("pdftotext"):
        return None
    path = folder / "routine.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True, text=True)
    return " ".join(result.stdout.split())


# The pain log a guided session keeps in the browser (static/js/pain-log.js)

PAIN_LOG_PREFIX = "acupressure:pain-log:"


def record_pain(page, phase, pain, note, language="en"):
    """Saves an entry in the session's form for `phase` ("before" or "after")."""
    box = page.locator(f'[data-pain-entry="{phase}"]')
    box.get_by_role("radio", name=str(pain), exact=True).check()
    box.get_by_label(say(language, "Note (optional)")).fill(note)
    box.get_by_role("button", name=say(language, "Save to this device")).click()
    expect(box.get_by_role("status")).to_contain_text(f" {pain} ")
    expect(box.locator("form")).to_be_hidden()


def stored_pain_logs(page):
    """The browser's pain logs, as [storage key, entries] pairs."""
    return page.evaluate(
        "prefix => Object.keys(localStorage).filter(key => key.startsWith(prefix))"
        ".map(key => [key, JSON.parse(localStorage.getItem(key))])",
        PAIN_LOG_PREFIX,
    )
