"""Two app servers on one PostgreSQL and one Redis, as the README's "Deploying to several
hosts" describes: a visitor's session and saved routines, an editor's change and the
cached public pages are the same whichever server answers.

It needs the shared services, so it runs only where DATABASE_URL is a PostgreSQL URL and
REDIS_URL (or CACHE_URL) is set, as in .ci/run's PostgreSQL pass. Each run migrates a
database of its own on that PostgreSQL (the role needs CREATEDB) and keeps its Redis keys
under a prefix of its own (CACHE_KEY_PREFIX); both are removed afterwards, so runs on a
shared machine do not meet.
"""

import copy
import os
import re
import urllib.parse
import uuid
from dataclasses import dataclass

import pytest

from acupressure.caching import VERSION_KEY
from tests.pages import ChangeFormParser
from tools.server import Server, Visitor, collect_static, manage, prepare_database, site_env

DATABASE_URL = os.environ.get("DATABASE_URL", "")
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
ON_POSTGRES = urllib.parse.urlsplit(DATABASE_URL).scheme in {"postgres", "postgresql"}

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(
        not (ON_POSTGRES and CACHE_URL),
        reason="the two-server test needs DATABASE_URL=postgres://… and REDIS_URL (or "
        "CACHE_URL) in the environment; .ci/run's PostgreSQL pass sets both",
    ),
]

# The one name the site is known by: the load balancer passes it on to whichever app
# server it picks, and it is part of every cached page's key.
SITE_HOST = "guide.test"
EDITOR = "scale-out-editor"
EDITOR_PASSWORD = "two servers and one pass phrase 9"
STEP_CODE = re.compile(r'class="step__title">.*?<span class="code">([^<]+)</span>')


@dataclass
class Services:
    database_url: str  # this run's own database
    cache_url: str
    key_prefix: str
    redis: object

    def keys(self):
        return {key.decode() for key in self.redis.scan_iter(match=f"{self.key_prefix}:*")}

    def page_keys(self):
        return {key for key in self.keys() if ":page:" in key}

    def query(self, statement, params=()):
        """Rows from this run's database, read straight from PostgreSQL."""
        import psycopg

        with psycopg.connect(self.database_url) as connection:
            return connection.execute(statement, params).fetchall()

    def execute(self, statement, params=()):
        import psycopg

        with psycopg.connect(self.database_url) as connection:
            connection.execute(statement, params)


def with_database(url, name):
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def services():
    import psycopg
    from psycopg import sql
    from redis import Redis

    name = f"acupressure_scale_out_{uuid.uuid4().hex[:12]}"
    # Connect as the URL's role to the URL's database: it exists, and the role may create.
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    redis = Redis.from_url(CACHE_URL.split(",")[0])  # Django reads the first as the primary
    shared = Services(
        database_url=with_database(DATABASE_URL, name),
        cache_url=CACHE_URL,
        key_prefix=f"scale-out-{uuid.uuid4().hex[:12]}",
        redis=redis,
    )
    try:
        yield shared
    finally:
        with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
            # FORCE: a server killed hard may leave a connection behind for a moment.
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        leftovers = shared.keys()
        if leftovers:
            redis.delete(*leftovers)
        redis.close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory, services):
    """Servers A and B: own folders and processes, one database, one cache, one secret."""
    env = {
        "DATABASE_URL": services.database_url,
        "CACHE_URL": services.cache_url,
        "REDIS_URL": services.cache_url,
        "CACHE_KEY_PREFIX": services.key_prefix,
        "PAGE_CACHE_SECONDS": "3600",
        # 127.0.0.1 for the visitors that ask a server by its address (Server's check
        # that it is up names the first host, the site's).
        "ALLOWED_HOSTS": f"{SITE_HOST},127.0.0.1",
    }
    root = tmp_path_factory.mktemp("scale-out")
    # As a deploy does it: migrate once, from one place, then start the app servers.
    deploy = site_env(root / "deploy", env)
    prepare_database(deploy)
    static_root = root / "static"
    collect_static(static_root, env=deploy)
    manage("createeditor", EDITOR, env={**deploy, "EDITOR_PASSWORD": EDITOR_PASSWORD})
    a = Server(root / "a", env=env, migrate=False, static_root=static_root)
    b = Server(root / "b", env=env, migrate=False, static_root=static_root)
    with a, b:
        yield a, b
        stderr = a.stderr() + b.stderr()
    assert "Traceback" not in stderr


class Browser(Visitor):
    """A visitor reaching a server through the load balancer: its requests name the site,
    not the server's address and port."""

    def request(self, method, path, data=None, headers=None):
        return super().request(method, path, data, {"Host": SITE_HOST, **(headers or {})})


def same_browser(visitor, server):
    """The visitor's browser, cookie jar and all, talking to another server.

    Cookies are not kept apart by port (RFC 6265, section 8.5), and http.cookiejar follows
    that: what 127.0.0.1:A set is sent to 127.0.0.1:B. That stands in for one site name
    behind a load balancer, where the browser sends the same cookies to every app server.
    """
    other = copy.copy(visitor)  # shares the jar and the opener that uses it
    other.base_url = server.base_url
    other.statuses = []
    other.routine_page = None
    return other


def step_codes(page):
    return STEP_CODE.findall(page.text)


def summary_of(services, slug):
    [(summary,)] = services.query("SELECT summary_en FROM points_point WHERE slug = %s", [slug])
    return summary


def test_a_routine_saved_through_one_server_opens_on_the_other(servers):
    a, b = servers
    visitor = Browser(a.base_url)
    link = visitor.save_routine("Across two servers", ["bl23", "gb30", "bl40"])

    shared_on_a = visitor.get(link, expect=200)
    shared_on_b = Browser(b.base_url).get(link, expect=200)

    assert step_codes(shared_on_b) == step_codes(shared_on_a) == ["BL23", "GB30", "BL40"]
    assert "Across two servers" in shared_on_b.text


def test_a_visitors_session_follows_them_from_server_to_server(servers):
    a, b = servers
    visitor = Browser(a.base_url)
    visitor.start()
    visitor.add("bl23")
    assert any(cookie.name.endswith("sessionid") for cookie in visitor.cookies)

    on_b = same_browser(visitor, b)
    assert step_codes(on_b.get("/routine/", expect=200)) == ["BL23"]
    # And back: a change through B (CSRF token and all) shows through A.
    on_b.add("li4")
    assert step_codes(visitor.get("/routine/", expect=200)) == ["BL23", "LI4"]
    # Someone else on B has a routine of their own, so it really is the session.
    assert step_codes(Browser(b.base_url).get("/routine/", expect=200)) == []


def test_both_servers_answer_public_pages_from_the_one_cache(servers, services):
    a, b = servers
    pages = ["/", "/points/", "/points/gb30/", "/references/"]
    for path in pages:
        first = Browser(b.base_url).get(path, expect=200)
        assert "public" in first.headers["cache-control"]
        assert first.headers["etag"]
    keys = services.keys()
    assert f"{services.key_prefix}:1:{VERSION_KEY}" in keys
    warmed = services.page_keys()
    assert len(warmed) >= len(pages)

    # Changed behind Django's back (no signal, so the content version stays): a server
    # that rendered the point page now would show it; one that reads B's copy does not.
    old_summary = summary_of(services, "gb30")
    services.execute(
        "UPDATE points_point SET summary = %s WHERE slug = %s", ["Not rendered yet", "gb30"]
    )
    from_b = Browser(b.base_url).get("/points/gb30/", expect=200)
    from_a = Browser(a.base_url).get("/points/gb30/", expect=200)
    for page in pages:
        Browser(a.base_url).get(page, expect=200)

    assert old_summary in from_a.text
    assert "Not rendered yet" not in from_a.text
    assert from_a.headers["etag"] == from_b.headers["etag"]
    assert from_a.headers["last-modified"] == from_b.headers["last-modified"]
    # A stored nothing of its own: every page it served was already in Redis.
    assert services.page_keys() == warmed


def test_an_editors_change_through_one_server_shows_on_the_other_at_once(servers, services):
    a, b = servers
    old_summary = summary_of(services, "bl40")
    before = Browser(b.base_url).get("/points/bl40/", expect=200)
    assert Browser(b.base_url).get("/points/bl40/", expect=200).text == before.text
    assert old_summary in before.text

    editor = Browser(a.base_url)
    editor.get("/admin/login/", expect=200)  # sets the CSRF cookie
    signed_in = editor.post(
        "/admin/login/",
        {"username": EDITOR, "password": EDITOR_PASSWORD, "next": "/admin/"},
        expect=302,
    )
    assert signed_in.location == "/admin/"
    same_browser(editor, b).get("/admin/", expect=200)  # staff sessions are shared too

    [(point_id,)] = services.query("SELECT id FROM points_point WHERE slug = 'bl40'")
    change_url = f"/admin/points/point/{point_id}/change/"
    form = ChangeFormParser()
    form.feed(editor.get(change_url, expect=200).text)
    new_summary = "Behind the knee; changed through server A."
    fields = [
        (name, new_summary if name == "summary_en" else value)
        for name, values in form.data.items()
        for value in values
    ]
    saved = editor.post(change_url, [*fields, ("_save", "Save")], expect=302)
    assert saved.location == "/admin/points/point/"

    after = Browser(b.base_url).get("/points/bl40/", expect=200)
    assert new_summary in after.text
    assert old_summary not in after.text
    assert after.headers["etag"] != before.headers["etag"]
    assert new_summary in Browser(a.base_url).get("/points/bl40/", expect=200).text
