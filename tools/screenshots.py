"""Screenshots and printed pages of the site, for a person to look at: `make screenshots`
writes them to artifacts/screenshots/. Nothing here checks anything; the tests do that.

The site runs under gunicorn with a database of its own, as the tests' servers run it
(tools/server.py), and Chromium visits it through Playwright (tools/chromium.py). Pages are
taken whole at a desktop and a phone width, as <name>-<width>.png; printed pages are kept
as PDF and, where poppler-utils is installed, as PNG (<name>-1.png, ...).

    python -m tools.screenshots                          # every set, a minute or two
    python -m tools.screenshots --sets languages,safety  # some of them

The browser tests that keep a picture of what they check (the offline page, the pain log,
the read-only notice, the handouts) write theirs with SCREENSHOTS=1, through the helpers
at the end of this file; `make screenshots` runs them too.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager

from tools.server import BASE_DIR, Server

FOLDER = BASE_DIR / "artifacts" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
HEIGHT = 900
TIMEOUT_MS = 10_000

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
FIVE_POINT_TITLE = "Lower back: the five points of the article"
LANGUAGES = ["es", "de"]
EDITOR = ("editor", "a long and unusual pass phrase 3")
# The guide's own points and as many again and more: the list has a second page.
LONG_LIST_POINTS = 46


# Files


def take(page, name, full_page=True):
    """The page as it is now, in <name>.png; `name` may name a subfolder."""
    path = FOLDER / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=full_page)


def keep_printout(pdf, name):
    """A printed PDF in <name>.pdf and its pages as <name>-1.png, ... (with pdftoppm)."""
    path = FOLDER / f"{name}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", path.name, path.stem], cwd=path.parent, check=True
        )


def take_at_widths(page, name):
    """The whole page at each of WIDTHS (<name>-desktop.png, <name>-phone.png); the
    viewport is then put back as it was."""
    size = page.viewport_size
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": HEIGHT})
        take(page, f"{name}-{width_name}")
    page.set_viewport_size(size)


# The browser


class Camera:
    """Chromium on the site at `base_url`: a fresh context (no cookies, empty cache) for
    each page opened."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url

    @contextmanager
    def page(self, width=WIDTHS["desktop"], **context_options):
        context = self.browser.new_context(
            base_url=self.base_url, viewport={"width": width, "height": HEIGHT}, **context_options
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context.new_page()
        finally:
            context.close()

    def at_widths(self):
        """(width, page): a fresh page at each of WIDTHS in turn."""
        for width in WIDTHS.values():
            with self.page(width) as page:
                yield width, page


# The sets


def public_pages(camera, server):
    for width, page in camera.at_widths():
        for name, path in PUBLIC_PAGES.items():
            page.goto(path)
            take(page, f"{name}-{width}")
    with camera.page() as page:
        page.goto("/points/bl23/")
        keep_printout(page.pdf(format="A4"), "point-bl23-print")


def routine_pages(camera, server):
    from routines.models import Routine

    suggestion = Routine.objects.suggestions().first()
    for width, page in camera.at_widths():
        page.goto(f"/r/{suggestion.token}/copy/")
        page.get_by_role("button", name="Copy to my routine").click()
        page.get_by_role("button", name="Save and share").click()
        page.wait_for_url(re.compile(r"/r/[\w-]+/$"))
        shared = page.url
        for name, path in {
            "routine": "/routine/",
            "shared": shared,
            "print": f"{shared}print/",
            "session": f"{shared}session/",
        }.items():
            page.goto(path)
            take(page, f"routine-{name}-{width}")
        page.get_by_role("button", name="Start").click()
        take(page, f"routine-session-running-{width}")
        if width == WIDTHS["desktop"]:
            page.goto(f"{shared}print/")
            keep_printout(page.pdf(format="A4"), "routine-print")


def editors_sign_in(camera, server):
    from axes.models import AccessAttempt
    from django.contrib.auth.models import User

    username, password = EDITOR
    User.objects.create_user(username, password=password, is_staff=True)
    for width, page in camera.at_widths():
        page.goto("/admin/login/")
        take(page, f"admin-sign-in-{width}")
        sign_in(page, username, password)
        page.goto("/admin/two-factor/")
        page.get_by_role("button", name="Set up two-factor sign-in").click()
        take(page, f"admin-two-factor-{width}")
        page.context.clear_cookies()
        for _ in range(6):
            page.goto("/admin/login/")
            sign_in(page, username, "not the pass phrase")
        take(page, f"admin-locked-out-{width}")
        AccessAttempt.objects.all().delete()  # the next width signs in afresh


def sign_in(page, username, password):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def languages(camera, server):
    from django.utils import translation

    from tests.pages import every_kind_of_page

    token = five_point_routine().token
    pages = every_kind_of_page(token)
    for code in LANGUAGES:
        with translation.override(code):
            add_to_routine = translation.gettext("Add to routine")
        for width, page in camera.at_widths():
            page.goto(f"/{code}/routine/add/bl23/")
            page.get_by_role("button", name=add_to_routine).click()
            for path in pages:
                name = path.strip("/").replace("/", "-") or "home"
                page.goto(f"/{code}{path}")
                take(page, f"{code}/{name}-{width}")
        with camera.page() as page:
            page.goto(f"/{code}/r/{token}/print/")
            keep_printout(page.pdf(format="A4"), f"{code}/sheet")


def safety(camera, server):
    """The safety page, a point with cautions, the builder and the print sheet of the
    five-point suggestion, and the safety boxes alone at full size."""
    token = five_point_routine().token
    for width, page in camera.at_widths():
        page.goto(f"/r/{token}/copy/")
        page.get_by_role("button", name="Copy to my routine").click()
        for name, path in {
            "safety": "/safety/",
            "point-bl40": "/points/bl40/",
            "builder": "/routine/",
            "print": f"/r/{token}/print/",
        }.items():
            page.goto(path)
            take(page, f"safety/{name}-{width}")
            for box in ["cautions", "red-flags"]:
                found = page.locator(f"aside.{box}")
                if found.count():
                    found.first.screenshot(path=FOLDER / "safety" / f"{name}-{box}-{width}.png")
    with camera.page() as page:
        page.goto(f"/r/{token}/print/")
        keep_printout(page.pdf(format="A4"), "safety/print-five-points")


def long_list(camera, server):
    """The point list's second page, once the benchmark's generator has added points."""
    subprocess.run(
        [sys.executable, "-m", "tools.bench_data", "--points", str(LONG_LIST_POINTS)],
        cwd=BASE_DIR,
        env=server.env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    for width, page in camera.at_widths():
        page.goto("/points/?page=2")
        take(page, f"list-page-2-{width}")


def five_point_routine():
    from routines.models import Routine

    return Routine.objects.get(is_suggestion=True, title_en=FIVE_POINT_TITLE)


# In this order: the long list adds points, which the other sets would show too.
SETS = {
    "public": public_pages,
    "routine": routine_pages,
    "sign-in": editors_sign_in,
    "languages": languages,
    "safety": safety,
    "long-list": long_list,
}


def use_the_database_of(server):
    """Django in this process, on the server's database and page cache: the sets read the
    suggestions' links there and add what their pages need."""
    import django

    os.environ.update(server.env)
    # Playwright's sync API runs an asyncio loop on this thread; the ORM calls made while
    # it runs are plain synchronous ones all the same.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    django.setup()


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.screenshots", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sets",
        default=",".join(SETS),
        help=f"comma-separated, of {', '.join(SETS)} (default: all)",
    )
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.sets.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(SETS))
    if unknown:
        parser.error(f"no such set: {', '.join(unknown)}")

    from playwright.sync_api import sync_playwright

    from tools.chromium import launch

    with (
        tempfile.TemporaryDirectory(prefix="screenshots-") as directory,
        Server(directory, workers=2) as server,
    ):
        use_the_database_of(server)
        with sync_playwright() as playwright:
            browser = launch(playwright)
            camera = Camera(browser, server.base_url)
            for name in (name for name in SETS if name in chosen):
                print(f"{name} ...", flush=True)
                SETS[name](camera, server)
            browser.close()
    print(f"Written to {FOLDER}")


if __name__ == "__main__":
    main()
