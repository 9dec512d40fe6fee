"""Production parity: the site as deployed, used in Chromium over real TLS.

The site runs with `PRODUCTION=1` as the README deploys it (tools/tls.py): gunicorn with
gunicorn.conf.py behind a real nginx, which terminates TLS on a throwaway certificate,
with the README's proxy lines and `BEHIND_PROXY=1`. So cookies are the `__Host-` ones, HSTS and the
strict policy are on, CSRF checks see https and the sign-in asks for an authenticator code,
as on a public site. A visitor's whole journey and an editor's must work there with every
htmx request answered in place: no 4xx or 5xx, no fall back to a no-JavaScript page, no
Content-Security-Policy violation (the guard of tests/browser/conftest.py fails the test
on any console error, violation or uncaught exception).
"""

import base64
import http.client
import io
import re
import socket
import sqlite3
import ssl
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.utils import translation
from django_otp.oath import totp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.pages import (
    guarded_pages,
    pdf_page_count,
    pdf_text,
    record_pain,
    stored_pain_logs,
)
from tools.server import Server, free_ports, manage
from tools.tls import PROXY_ADDRESS, Nginx, production_env, self_signed_certificate

pytestmark = [pytest.mark.browser, pytest.mark.server]

EDITOR = "tier-editor"
EDITOR_PASSWORD = "a long and unusual pass phrase for the tier"
COOKIE_NAMES = {"__Host-csrftoken", "__Host-sessionid"}
LOADED_BADGE = "a.routine-link[data-loaded]"
STEP_TITLES = "#routine .step__title"
SHARED_STEP_TITLES = ".step-list .step__title"
TOKEN_PATH = re.compile(r"/r/([A-Za-z0-9_-]{22,})/$")
# What a client may claim in X-Forwarded-For; it must never be taken for its address.
SPOOFED_ADDRESS = "198.51.100.77"
CLIENT_ADDRESS = "127.0.0.1"
# The builder's addresses that only forms and links without JavaScript lead to.
FALLBACK_PAGES = re.compile(r"^(/es|/de)?/routine/(add|steps|free-step|title|save|clear)/|/copy/$")


# The two deployments


@dataclass
class Editor:
    username: str
    password: str
    totp_key: bytes
    backup_codes: list

    def current_code(self):
        return f"{totp(self.totp_key):06d}"


@dataclass
class Site:
    base_url: str
    app: Server
    proxy: Nginx
    editor: Editor = field(repr=False)

    def query(self, sql, *params):
        with closing(sqlite3.connect(self.app.database_path)) as database:
            return database.execute(sql, params).fetchall()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return self_signed_certificate(tmp_path_factory.mktemp("certificate"))


def enroll_editor(server):
    """An editor with an authenticator, made as a site owner would: createeditor, then
    enroll_totp, whose otpauth:// link holds the key their phone would scan."""
    env = {**server.env, "EDITOR_PASSWORD": EDITOR_PASSWORD}
    manage("createeditor", EDITOR, env=env)
    printed = manage("enroll_totp", EDITOR, env=env)
    link = re.search(r"otpauth://totp/\S+", printed).group(0)
    secret = parse_qs(urlsplit(link).query)["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    backup_codes = re.findall(r"^  (\w+)$", printed, re.MULTILINE)
    assert len(backup_codes) == 10, printed
    return Editor(EDITOR, EDITOR_PASSWORD, key, backup_codes)


@pytest.fixture(scope="module")
def site(tmp_path_factory, certificate, static_root, database_template):
    """The deployment, from a copy of the one migrated database."""
    directory = tmp_path_factory.mktemp("site")
    # The browser's port, which CSRF_TRUSTED_ORIGINS names, and the app's behind nginx:
    # chosen together, so that they differ.
    port, app_port = free_ports(2)
    env = production_env(port)
    with (
        Server(
            directory / "app",
            env=env,
            port=app_port,
            static_root=static_root,
            database_template=database_template,
        ) as app,
        Nginx(directory / "nginx", certificate, upstream_port=app.port, port=port) as proxy,
    ):
        yield Site(proxy.base_url, app, proxy, enroll_editor(app))


@pytest.fixture
def open_site_page(browser, site, browser_problems):
    """A page of the deployed site in a fresh browser context, under the guard of
    tests/browser/conftest.py; the certificate is self-signed, hence ignore_https_errors."""
    with guarded_pages(browser, site.base_url, browser_problems) as open_page:
        yield lambda **options: open_page(ignore_https_errors=True, **options)


# What every journey checks


class HtmxLog:
    """The answer to every request htmx made (those with an HX-Request header) from a page,
    every such request that got no answer, and every address the page was at."""

    def __init__(self, page):
        self.page = page
        self.answers = []
        self.unanswered = []
        self.visited = []
        page.on("response", self.answered)
        page.on("requestfailed", self.failed)
        page.on("framenavigated", self.navigated)

    def answered(self, response):
        request = response.request
        if request.headers.get("hx-request"):
            self.answers.append((request.method, urlsplit(request.url).path, response.status))

    def failed(self, request):
        # A page that is left cancels what it was still loading (the badge, mostly).
        left_behind = request.method == "GET" and request.failure == "net::ERR_ABORTED"
        if request.headers.get("hx-request") and not left_behind:
            self.unanswered.append(f"{request.method} {request.url}: {request.failure}")

    def navigated(self, frame):
        if frame == self.page.main_frame:
            self.visited.append(urlsplit(frame.url).path)

    def posted(self):
        return [path for method, path, _ in self.answers if method == "POST"]

    def assert_all_succeeded(self):
        refused = [answer for answer in self.answers if answer[2] >= 400]
        assert not refused, f"htmx requests refused: {refused}"
        assert not self.unanswered, f"htmx requests without an answer: {self.unanswered}"
        # A change that fell back to a full-page POST (or its 403 page) leaves the page at
        # the address it posted to; "Add" and "Copy" fall back to their confirmation pages.
        fallbacks = [path for path in self.visited if FALLBACK_PAGES.search(path)]
        assert not fallbacks, f"the page went to fallback pages: {fallbacks}"


def expect_path(page, path, query=""):
    """The page is still (or now) at `path`, its query string starting with `query`: htmx
    did the work in place, and did not send the visitor to a confirmation or error page."""
    rest = rf"\?{re.escape(query)}(&.*)?" if query else ""
    expect(page).to_have_url(re.compile(rf"^https://localhost:\d+{re.escape(path)}{rest}$"))


def wait_for_badge(page):
    """The badge loads on every page; its answer sets the CSRF cookie htmx's POSTs need."""
    expect(page.locator(LOADED_BADGE)).to_have_count(1)


def assert_production_cookies(context):
    cookies = context.cookies()
    assert {cookie["name"] for cookie in cookies} == COOKIE_NAMES
    for cookie in cookies:
        assert cookie["secure"], cookie
        assert cookie["path"] == "/", cookie
        assert cookie["sameSite"] == "Lax", cookie
    session = next(cookie for cookie in cookies if cookie["name"] == "__Host-sessionid")
    assert session["httpOnly"]


def assert_posted(htmx, paths):
    """htmx posted to each of these paths (regular expressions)."""
    posted = htmx.posted()
    missing = [path for path in paths if not any(re.fullmatch(path, p) for p in posted)]
    assert not missing, f"htmx never posted to {missing}; it posted to {posted}"


@contextmanager
def routine_changed(page):
    """Wait, after the block, until htmx has swapped in the routine the server changed (its
    version moves on): the next change must carry the new version, as a visitor's would."""
    version = page.locator('#routine form.routine-title input[name="version"]')
    before = version.input_value()
    yield
    expect(version).not_to_have_value(before)
    # Parts swapped in answer clicks once htmx has settled them.
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def expect_step_codes(page, codes, selector=STEP_TITLES):
    expect(page.locator(selector)).to_have_text([re.compile(rf"\b{code}\b") for code in codes])


# The visitor


def test_a_visitor_builds_shares_copies_prints_and_follows_a_routine(site, open_site_page):
    page = open_site_page()
    htmx = HtmxLog(page)

    response = page.goto("/points/")
    assert response.status == 200
    assert "max-age=63072000" in response.headers["strict-transport-security"]
    wait_for_badge(page)

    # Filter the list: htmx swaps the results and pushes the filtered address.
    page.get_by_label("Sciatica", exact=True).check()
    expect_path(page, "/points/", query="pain=sciatica")
    codes = page.locator("#results .point-card .code")
    expect(codes).to_have_count(7)
    assert {"BL40", "GB30", "BL57", "GB34"} <= set(codes.all_inner_texts())
    assert ("GET", "/points/", 200) in htmx.answers

    # Add from the list, then from a point's own page.
    page.get_by_role("link", name="Add GB30 to routine").click()
    expect(page.get_by_role("link", name=re.compile("Added as step 1"))).to_be_visible()
    expect_path(page, "/points/", query="pain=sciatica")
    page.goto("/points/bl23/")
    wait_for_badge(page)
    page.get_by_role("link", name="Add BL23 to routine").click()
    expect(page.get_by_role("link", name=re.compile("Added as step 2"))).to_be_visible()
    expect_path(page, "/points/bl23/")
    expect(page.locator(LOADED_BADGE)).to_have_text(re.compile(r"^Routine · 2 steps"))

    page.locator(LOADED_BADGE).click()
    expect_path(page, "/routine/")
    # htmx has read the page once the badge is in: a change made before would be the
    # no-JavaScript form post, which a loaded CI machine once raced.
    wait_for_badge(page)
    expect_step_codes(page, ["GB30", "BL23"])

    gb30 = page.locator("#routine .step", has_text="GB30")
    with routine_changed(page):
        gb30.get_by_label("Seconds").fill("90")
        gb30.get_by_label("Seconds").press("Enter")
    expect(gb30.get_by_label("Seconds")).to_have_value("90")
    expect(gb30.locator(".step__time")).to_contain_text("3 min in all")  # 90 s each side

    with routine_changed(page):
        page.get_by_role("button", name="Move up: BL23 Sea of Vitality").click()
    expect_step_codes(page, ["BL23", "GB30"])

    free_step = page.locator("form.free-step")
    with routine_changed(page):
        free_step.get_by_label("What to do").fill("Massage the arches of your feet")
        free_step.get_by_label("Seconds").fill("45")
        free_step.get_by_role("button", name="Add step").click()
    expect_step_codes(page, ["BL23", "GB30", "arches"])

    with routine_changed(page):
        page.get_by_role("button", name="Remove: BL23 Sea of Vitality").click()
    expect_step_codes(page, ["GB30", "arches"])

    with routine_changed(page):
        page.get_by_label("Title").fill("Evening, over HTTPS")
        page.get_by_role("button", name="Rename").click()
    expect(page.get_by_label("Title")).to_have_value("Evening, over HTTPS")
    expect(page.locator("#routine [role=alert]")).to_have_count(0)
    expect_path(page, "/routine/")

    page.get_by_role("button", name="Save and share").click()
    expect(page).to_have_url(TOKEN_PATH)
    token = TOKEN_PATH.search(page.url).group(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening, over HTTPS")
    assert_production_cookies(page.context)

    # Someone else opens the link and starts their own routine from it.
    reader = open_site_page()
    reader_htmx = HtmxLog(reader)
    reader.goto(f"/r/{token}/")
    wait_for_badge(reader)
    expect_step_codes(reader, ["GB30", "arches"], selector=SHARED_STEP_TITLES)
    expect(reader.locator(".step-list .step", has_text="GB30")).to_contain_text("90 s")
    reader.get_by_role("link", name="Copy to my routine").click()
    expect_path(reader, "/routine/")
    expect_step_codes(reader, ["GB30", "arches"])
    assert_production_cookies(reader.context)

    response = reader.goto(f"/r/{token}/print/")
    assert response.status == 200
    assert {"1"} <= set(reader.locator("svg .marker--numbered text").all_text_contents())
    # The warning signs, with the English numbers, come before the first step.
    emergency = reader.locator(".sheet .flag-tier--emergency")
    expect(emergency).to_contain_text("999 (UK)")
    first_step = reader.locator(".sheet-steps > li").first
    assert emergency.bounding_box()["y"] < first_step.bounding_box()["y"]

    reader.goto(f"/r/{token}/session/?speed=50")
    player = reader.locator("[data-state]")
    expect(player).to_have_attribute("data-state", "ready")
    # The pain log's script comes on the first save, under the production policy too.
    record_pain(reader, "before", 4, "after the drive")
    assert [e["pain"] for _, log in stored_pain_logs(reader) for e in log] == [4]
    reader.get_by_role("button", name="Start").click()
    expect(player).to_have_attribute("data-state", "running")
    reader.get_by_role("button", name="Pause").click()
    expect(player).to_have_attribute("data-state", "paused")

    htmx.assert_all_succeeded()
    reader_htmx.assert_all_succeeded()
    # Every change went through htmx, not through the pages that work without it.
    assert_posted(
        htmx,
        [
            "/routine/add/gb30/",
            "/routine/add/bl23/",
            r"/routine/steps/\w+/",
            r"/routine/steps/\w+/move/",
            "/routine/free-step/",
            r"/routine/steps/\w+/remove/",
            "/routine/title/",
            "/routine/save/",
        ],
    )
    assert_posted(reader_htmx, [f"/r/{token}/copy/"])


def test_a_spanish_visitor_builds_and_prints_a_routine_then_reads_it_in_english(
    site, open_site_page
):
    """Spanish from the browser's language on the first visit, then from the address alone:
    htmx's requests, the saved link and the printed sheet all keep to the language."""

    def say(message, **values):
        with translation.override("es"):
            return translation.gettext(message) % values

    page = open_site_page(locale="es-ES")
    htmx = HtmxLog(page)

    page.goto("/")
    expect_path(page, "/es/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.goto("/es/points/")
    wait_for_badge(page)
    page.get_by_role("link", name=say("Add %(code)s to routine", code="GB30")).click()
    page.get_by_role("link", name=say("Add %(code)s to routine", code="BL40")).click()
    added = say("Added as step %(number)s · View routine", number=2)
    expect(page.get_by_role("link", name=added)).to_be_visible()

    page.goto("/es/routine/")
    expect_step_codes(page, ["GB30", "BL40"])
    with routine_changed(page):
        remove = re.compile("^" + re.escape(say("Remove: %(step)s", step="GB30")))
        page.get_by_role("button", name=remove).click()
    expect_step_codes(page, ["BL40"])
    page.get_by_role("button", name=say("Save and share")).click()
    expect(page).to_have_url(re.compile(r"/es/r/[\w-]+/$"))
    token = urlsplit(page.url).path.split("/")[3]
    htmx.assert_all_succeeded()

    page.goto(f"/es/r/{token}/print/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("body")).to_contain_text(say("Your pain log"))
    # Spanish readers' numbers, not the UK's.
    expect(page.locator(".sheet .flag-tier--emergency")).to_contain_text("112 (España y la UE)")
    expect(page.locator(".sheet .flag-tier--emergency")).not_to_contain_text("999")

    # The same link in English, by the switcher on the shared page.
    page.goto(f"/es/r/{token}/")
    page.get_by_role("link", name="English").click()
    expect_path(page, f"/r/{token}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Copy to my routine")).to_be_visible()


def test_the_classic_points_print_and_speak_every_language_as_deployed(
    site, open_site_page, tmp_path
):
    """The points beyond the article's five, with their own views, drawing words and
    Chinese names, and a suggestion built on them printed from the deployed site."""
    page = open_site_page()
    page.goto("/de/points/gb34/")
    drawing = page.locator(".body-figure svg .drawing").first
    expect(drawing).to_contain_text("Kniescheibe")
    expect(drawing).not_to_contain_text("kneecap")
    expect(page.locator(".hanzi").first).to_have_text("阳陵泉")

    ((token,),) = site.query(
        "SELECT token FROM routines_routine WHERE title_en = ?",
        "Lower back: the points around the waist",
    )
    page.goto(f"/r/{token}/print/")
    expect(page.locator(".body-figure--close-up .marker--numbered")).to_have_count(8)
    pdf = page.pdf(format="Letter")
    assert 1 <= pdf_page_count(pdf, tmp_path) <= 2
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert "Close-up: steps 1, 2, 3, 4, 5." in text
        for name in ("命门", "肾俞", "志室", "腰阳关", "大肠俞", "委中", "昆仑"):
            assert name in text


# Clients that hold connections


def test_idle_and_half_sent_connections_do_not_hold_the_site(site):
    """Twenty connections that send nothing and ten that stop half-way through a request,
    all kept open: a static file still comes at once. nginx holds them; gunicorn, which
    reads from whoever it serves, never sees them (gunicorn.conf.py)."""
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    home = https_get(site, "/", insecure)
    static = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
    held = []
    try:
        for _ in range(20):
            held.append(socket.create_connection(("127.0.0.1", site.proxy.port), timeout=5))
        for _ in range(10):
            connection = insecure.wrap_socket(
                socket.create_connection(("127.0.0.1", site.proxy.port), timeout=5),
                server_hostname="localhost",
            )
            connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow")
            held.append(connection)

        started = time.monotonic()
        css = https_get(site, static, insecure)
        elapsed = time.monotonic() - started
    finally:
        for connection in held:
            connection.close()

    assert "body" in css
    assert elapsed < 2, f"a static file took {elapsed:.1f} s"


def https_get(site, path, context):
    connection = http.client.HTTPSConnection(
        "localhost", site.proxy.port, context=context, timeout=10
    )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200, (path, response.status)
        return response.read().decode()
    finally:
        connection.close()


def test_cookieless_changes_are_rationed_by_the_address_nginx_saw(site):
    """A script that keeps only a CSRF cookie starts a session with every add. From one
    address (not the browsers' 127.0.0.1, so the other tests keep their allowance) and
    whatever X-Forwarded-For it forges, it starts 60 sessions an hour and then gets 429."""
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE

    def request(method, path, headers):
        connection = http.client.HTTPSConnection(
            "localhost",
            site.proxy.port,
            context=insecure,
            timeout=10,
            source_address=("127.0.0.3", 0),
        )
        try:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            response.read()
            return response
        finally:
            connection.close()

    token = re.search(
        r"__Host-csrftoken=([^;]+)", request("GET", "/routine/", {}).getheader("Set-Cookie")
    ).group(1)
    sessions_before = site.query("SELECT count(*) FROM django_session")[0][0]
    statuses = [
        request(
            "POST",
            "/routine/add/bl23/",
            {
                "Cookie": f"__Host-csrftoken={token}",
                "X-CSRFToken": token,
                "Referer": f"{site.base_url}/points/",
                "X-Forwarded-For": f"10.1.{number // 250}.{number % 250}",
            },
        ).status
        for number in range(100)
    ]
    sessions_after = site.query("SELECT count(*) FROM django_session")[0][0]

    assert statuses == [302] * 60 + [429] * 40
    assert sessions_after - sessions_before == 60


# The editor


def sign_in(page, username, password, code):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Authentication code").fill(code)
    page.get_by_role("button", name="Sign in").click()


def small_png():
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 120, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_editor_signs_in_with_a_code_and_edits_a_point(site, open_site_page):
    (point_id,) = site.query("SELECT id FROM points_point WHERE code = 'BL40'")[0]
    page = open_site_page()
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.get_by_text("Required: the six-digit code")).to_be_visible()
    editor = site.editor
    sign_in(page, editor.username, editor.password, editor.current_code())
    expect_path(page, "/admin/")
    assert_production_cookies(page.context)

    change_page = f"/admin/points/point/{point_id}/change/"
    page.goto(change_page)
    summary = page.get_by_label("Summary [en]")
    new_summary = summary.input_value().rstrip() + " Checked over HTTPS by the editors."
    summary.fill(new_summary)

    # The first marker: a click on the drawing sets its x and y.
    marker = page.locator(".inline-related", has=page.locator(".marker-preview--picker")).first
    marker_id = marker.locator('input[name$="-id"]').input_value()
    x_field = marker.locator('input[name$="-x"]')
    y_field = marker.locator('input[name$="-y"]')
    x_field.fill("0")
    y_field.fill("0")
    drawing = marker.locator(".marker-preview--picker svg")
    box = drawing.bounding_box()
    drawing.click(position={"x": box["width"] * 0.31, "y": box["height"] * 0.42})
    expect(x_field).not_to_have_value("0")
    expect(y_field).not_to_have_value("0")
    placed = (x_field.input_value(), y_field.input_value())

    page.locator("summary", has_text="Photo").click()
    page.locator('input[name="photo"]').set_input_files(
        {"name": "bl40.png", "mimeType": "image/png", "buffer": small_png()}
    )
    page.get_by_label("Photo credit").fill("The production tier")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    expect_path(page, change_page)

    (saved,) = site.query("SELECT x, y FROM points_pointmarker WHERE id = ?", marker_id)
    assert tuple(str(round(value)) for value in saved) == placed
    (photo,) = site.query("SELECT photo FROM points_point WHERE id = ?", point_id)[0]
    assert photo.startswith("points/")

    # The public page shows the change at once, and the photo loads under the policy.
    page.goto("/points/bl40/")
    expect(page.locator(".lede")).to_have_text(new_summary)
    picture = page.locator(".point-photo img")
    picture.scroll_into_view_if_needed()
    expect(picture).to_have_attribute("src", re.compile(r"^/media/points/"))
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 48", arg=picture.element_handle()
    )


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example"])
def test_a_refused_next_after_sign_in_lands_on_the_admin(site, open_site_page, elsewhere):
    page = open_site_page()
    response = page.goto(f"/admin/login/?next={quote(elsewhere, safe='')}")
    assert response.status == 200
    # A backup code (each works once, hence pop): the app's code of this half-minute may
    # be spent already.
    editor = site.editor
    sign_in(page, editor.username, editor.password, editor.backup_codes.pop())
    expect_path(page, "/admin/")
    expect(page.get_by_role("heading", name="Content")).to_be_visible()


def test_failed_sign_ins_count_against_the_clients_address(site, open_site_page):
    # The client claims another address; behind nginx it arrives first in the list, with
    # the address nginx saw appended after it.
    page = open_site_page(extra_http_headers={"X-Forwarded-For": SPOOFED_ADDRESS})
    intruder = "intruder"
    page.goto("/admin/login/")
    for _ in range(2):
        with page.expect_request(re.compile(r"/admin/login/$")) as sent:
            sign_in(page, intruder, "not the pass phrase at all", code="")
        assert sent.value.method == "POST"
        assert sent.value.headers["x-forwarded-for"] == SPOOFED_ADDRESS
        expect(page.locator(".errornote")).to_contain_text("correct username and password")

    attempts = site.query(
        "SELECT ip_address, failures_since_start FROM axes_accessattempt WHERE username = ?",
        intruder,
    )
    assert attempts == [(CLIENT_ADDRESS, 2)]
    # Meaningful only as the app saw nginx at an address other than the client's.
    sign_in_lines = [
        line
        for line in site.app.access_log_path.read_text().splitlines()
        if "POST /admin/login/" in line
    ]
    assert sign_in_lines
    assert all(line.startswith(f"{PROXY_ADDRESS} ") for line in sign_in_lines)
