"""What a visitor sees when the database takes no writes, and quick clicks from a new
visitor, in Chromium against real gunicorn (several processes, the real session locking).

SCREENSHOTS=1 also keeps screenshots of the notice in artifacts/screenshots/.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import guarded_pages, screenshot
from tools.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.server]

NOTICE = "The guide is read-only for a few minutes."


@pytest.fixture
def pages(browser, browser_problems):
    """open(server) opens a guarded page on that server's site."""
    with_blocks = []

    def open_on(server, **options):
        block = guarded_pages(browser, server.base_url, browser_problems)
        with_blocks.append(block)
        return block.__enter__()(**options)

    yield open_on
    for block in reversed(with_blocks):
        block.__exit__(None, None, None)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_read_only_database_shows_a_notice_and_keeps_the_builder(
    tmp_path, pages, browser_problems, width, static_root, database_template
):
    shared = {"static_root": static_root, "database_template": database_template}
    with Server(tmp_path, workers=1, threads=4, **shared) as writable:
        page = pages(writable, viewport={"width": width, "height": 900})
        page.goto("/points/bl23/")
        page.get_by_role("link", name="Add BL23 to routine").click()
        expect(page.get_by_text("Added as step 1")).to_be_visible()
        page.wait_for_load_state("networkidle")  # nothing in flight when the server stops
        # Chromium fetches the icon when it likes, perhaps while no server is listening.
        browser_problems.expect("favicon")
    # The same site and database, now read-only (DATABASE_READ_ONLY=1, as while it is moved).
    read_only = Server(
        tmp_path,
        workers=1,
        threads=4,
        port=writable.port,
        migrate=False,
        static_root=static_root,
        server_env={"DATABASE_READ_ONLY": "1"},
    )
    with read_only:
        # The browser logs the 503 answers it was given; they are what this test is about.
        browser_problems.expect("status of 503")
        page.goto("/routine/")
        page.get_by_label("Title").fill("Evening routine")
        page.get_by_role("button", name="Rename").click()

        notice = page.locator("#live-notice")
        expect(notice).to_contain_text(NOTICE)
        expect(notice).to_contain_text("your routine is as it was")
        expect(notice).to_be_in_viewport()
        # The builder is still there, once, with the step it had.
        expect(page.locator("main")).to_have_count(1)
        expect(page.locator("#routine .step")).to_have_count(1)
        screenshot(page, f"read-only-notice-{width}", full_page=False)

        # Trying again clears the old notice before the answer puts up the new one.
        page.locator("#routine .step").get_by_role("button", name="Remove").click()
        expect(notice).to_contain_text(NOTICE)
        expect(page.locator("#routine .step")).to_have_count(1)

        # Without JavaScript the same change gets the whole page.
        plain = pages(read_only, java_script_enabled=False)
        plain.context.add_cookies(page.context.cookies())
        plain.goto("/routine/")
        plain.get_by_role("button", name="Rename").click()
        expect(plain.get_by_role("heading", level=1)).to_have_text(
            "The guide is read-only for a few minutes"
        )


def test_quick_clicks_of_a_new_visitor_keep_every_point(
    tmp_path, pages, static_root, database_template
):
    with Server(
        tmp_path,
        workers=2,
        threads=4,
        static_root=static_root,
        database_template=database_template,
    ) as server:
        page = pages(server)
        page.goto("/points/")
        page.wait_for_load_state("networkidle")  # htmx has taken over the buttons
        targets = page.locator(".add-to-routine").evaluate_all(
            "links => links.map(link => link.getAttribute('hx-post'))"
        )
        count = len(targets)
        assert count == 16  # every point of the guide, well within the 30-step limit
        # Faster than a person can click down the list: all before any answer is back.
        page.locator(".add-to-routine").evaluate_all("links => links.forEach(link => link.click())")
        expect(page.get_by_text("Added as step", exact=False)).to_have_count(count)
        page.goto("/routine/")
        expect(page.locator("#routine .step")).to_have_count(count)
