"""The headers the site sends under production settings, from the real server, graded with
Mozilla's HTTP Observatory rules (tools/observatory.py).

gunicorn runs with PRODUCTION=1 behind a pretend TLS proxy: requests carry the Host and
X-Forwarded-Proto a proxy would set. Run with `-s` to see the headers and the grades.
"""

import base64
import hashlib
import http.client
import re
import sqlite3
from contextlib import closing

import pytest
from csp.utils import build_policy

from tests.pages import PUBLIC_PAGES
from tools import observatory
from tools.server import Server

pytestmark = pytest.mark.server

HOST = "guide.example.org"
PRODUCTION = {
    "PRODUCTION": "1",
    "BEHIND_PROXY": "1",
    "ALLOWED_HOSTS": HOST,
    "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
}
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'(src|integrity)="([^"]*)"')


@pytest.fixture(scope="module")
def server(tmp_path_factory, static_root, database_template):
    with Server(
        tmp_path_factory.mktemp("production"),
        workers=1,
        env=PRODUCTION,
        static_root=static_root,
        database_template=database_template,
    ) as server:
        yield server


def fetch(server, path, *, scheme="https", method="GET", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(
            method,
            path,
            headers={"Host": HOST, "X-Forwarded-Proto": scheme, **(headers or {})},
        )
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        headers = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                headers.setdefault("Set-Cookie", []).append(value)
            else:
                headers[name] = value
        return response.status, headers, body
    finally:
        connection.close()


def scripts_of(body):
    """The page's scripts that load code; data blocks (json_script) have no src, run nothing."""
    tags = [dict(ATTRIBUTE.findall(attributes)) for attributes in SCRIPT.findall(body)]
    return [observatory.Script(**tag) for tag in tags if "src" in tag]


def graded(server, path):
    status, headers, body = fetch(server, path)
    assert status == 200, (path, status)
    _, redirect_headers, _ = fetch(server, path, scheme="http")
    return headers, observatory.grade(
        headers,
        host=HOST,
        http_redirect_location=redirect_headers.get("Location"),
        scripts=scripts_of(body),
    )


def suggestion_token(server):
    with closing(sqlite3.connect(server.database_path)) as database:
        (token,) = database.execute(
            "SELECT token FROM routines_routine WHERE is_suggestion ORDER BY id LIMIT 1"
        ).fetchone()
    return token


def test_plain_http_is_redirected_to_https_on_the_same_host(server):
    status, headers, _ = fetch(server, "/points/?pain=sciatica", scheme="http")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/points/?pain=sciatica"


def test_the_home_page_headers_are_strict(server):
    status, headers, _ = fetch(server, "/")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "upgrade-insecure-requests",
    ):
        assert directive in policy
    assert "unsafe" not in policy
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    # Public pages are the same for everyone: no cookie, so a cache may keep them.
    assert "Set-Cookie" not in headers
    print("\n".join(["", "GET https://guide.example.org/", f"HTTP {status}"]))
    print("\n".join(f"{name}: {value}" for name, value in sorted(headers.items())))


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_score_a_plus_on_the_observatory_rules(server, path):
    _, report = graded(server, path)
    print(f"\n{path}: {report.summary()}")
    assert report.grade == "A+"
    assert all(check.modifier >= 0 for check in report.checks), report.summary()
    assert report["content-security-policy"].result == (
        "csp-implemented-with-no-unsafe-default-src-none"
    )


def test_a_shared_routine_and_the_admin_sign_in_score_a_plus_too(server):
    for path in (f"/r/{suggestion_token(server)}/", "/admin/login/"):
        _, report = graded(server, path)
        print(f"\n{path}: {report.summary()}")
        assert report.grade == "A+", report.summary()
        assert all(check.modifier >= 0 for check in report.checks), report.summary()


def test_the_cookies_of_a_visitor_and_an_editor_pass_the_cookie_rules(server):
    # The badge sets the CSRF cookie; the sign-in page sets it too, and a failed sign-in
    # writes a session. Together they are every cookie the site sets.
    _, badge, _ = fetch(server, "/routine/badge/")
    _, login, _ = fetch(server, "/admin/login/")
    cookies = badge["Set-Cookie"] + login["Set-Cookie"]
    token = re.search(r"__Host-csrftoken=([^;]+)", cookies[0]).group(1)
    _, add, _ = fetch(
        server,
        "/routine/add/bl23/",
        method="POST",
        headers={
            "Cookie": f"__Host-csrftoken={token}",
            "X-CSRFToken": token,
            "Referer": f"https://{HOST}/points/bl23/",
        },
    )
    cookies += add["Set-Cookie"]
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert names == {"__Host-csrftoken", "__Host-sessionid"}
    for cookie in cookies:
        assert "; Secure" in cookie
        assert "; Path=/" in cookie
        assert "SameSite=Lax" in cookie
        assert "Domain=" not in cookie
    assert all("HttpOnly" in cookie for cookie in cookies if "sessionid" in cookie)
    report = observatory.grade(
        {**badge, "Set-Cookie": cookies}, host=HOST, http_redirect_location=f"https://{HOST}/"
    )
    assert report["cookies"].result == "cookies-secure-with-httponly-sessions-and-samesite"


@pytest.mark.django_db
def test_the_policy_built_once_is_the_policy_django_csp_builds(client):
    response = client.get("/safety/")
    assert response["Content-Security-Policy"] == build_policy()


def test_every_script_carries_the_hash_of_what_the_server_sends(server):
    _, _, body = fetch(server, "/")
    scripts = scripts_of(body)
    assert len(scripts) == 2
    for script in scripts:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", script.src, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        served = response.read()  # as bytes: the hash is of exactly what a browser gets
        connection.close()
        assert response.status == 200
        digest = base64.b64encode(hashlib.sha384(served).digest()).decode()
        assert script.integrity == f"sha384-{digest}"
