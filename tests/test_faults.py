"""Faults the site must live through: many writers on one SQLite file, a worker killed in
the middle of a save, a database that is missing or read-only, a huge body, and errors that must be
logged with the request they happened to.

Tests marked `server` run the site under a real gunicorn (tools/server.py) with the real
settings, so CSRF checks, sessions in the database, several processes and SQLite's locking
are all the production ones.
"""

import http.client
import logging
import os
import signal
import socket
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest
from django.test import Client, RequestFactory
from django.urls import path

from acupressure import urls as site_urls
from tools.server import Server, Visitor, token_of

POINT_SLUGS = ["bl23", "gb30", "bl40", "li4", "bl62"]
FRIENDLY_500 = ["Something went wrong on our side", "The problem has been logged"]
# What a worker killed mid-request looks like to its client.
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


# A view with a bug beside the site's own, for the in-process logging test (it sets
# ROOT_URLCONF to this module).


def broken_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken_view), *site_urls.urlpatterns]


# Fixtures and helpers


def serve(directory, static_root, database_template, **options):
    return Server(
        directory, static_root=static_root, database_template=database_template, **options
    )


def plan(visitor, number):
    """The title and points of the routine a visitor saves `number`th (1–5 points). Titles
    are unique, so any routine found in the database can be checked against its plan."""
    count = (visitor + number) % len(POINT_SLUGS) + 1
    start = visitor % len(POINT_SLUGS)
    slugs = (POINT_SLUGS[start:] + POINT_SLUGS[:start])[:count]
    return f"Visitor {visitor} routine {number}", slugs


def saved_routines(database):
    """{token: (title, [point slug of each step, in order])} of every routine a visitor
    saved (not the editors' suggestions), read straight from the SQLite file."""
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute(
            "SELECT r.token, r.title, p.slug FROM routines_routine r "
            "LEFT JOIN routines_routinestep s ON s.routine_id = r.id "
            "LEFT JOIN points_point p ON p.id = s.point_id "
            "WHERE NOT r.is_suggestion ORDER BY r.id, s.position"
        ).fetchall()
    routines = {}
    for token, title, slug in rows:
        routines.setdefault(token, (title, []))[1].extend([slug] if slug else [])
    return routines


def scalar(database, sql):
    with closing(sqlite3.connect(database)) as db:
        return db.execute(sql).fetchone()[0]


def assert_no_leak(response):
    for leak in ("Traceback", "OperationalError", "sqlite", 'File "'):
        assert leak not in response.text


def assert_unavailable(response):
    """The full page for a database that takes no writes (or is out of reach)."""
    assert response.status == 503
    assert response.headers["retry-after"] == "120"
    assert "<main" in response.text
    assert "The guide is read-only for a few minutes" in response.text
    assert_no_leak(response)


def assert_unavailable_notice(response):
    """The same for htmx: a short notice it puts in the notice area, not an error page."""
    assert response.status == 503
    assert response.headers["hx-retarget"] == "#live-notice"
    assert "<main" not in response.text
    assert "The guide is read-only for a few minutes" in response.text
    assert_no_leak(response)


def in_threads(count, work):
    """Run work(0) … work(count - 1) at once; their results, or the first exception."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        return [future.result() for future in [pool.submit(work, n) for n in range(count)]]


def stderr_handler():
    """The handler settings.LOGGING sends every log line through."""
    return next(h for h in logging.getLogger().handlers if h.get_name() == "stderr")


# Many writers at once


WRITERS = 16
ROUTINES_EACH = 3


@pytest.mark.server
def test_concurrent_writers_on_sqlite_all_get_their_routine_saved(
    tmp_path, static_root, database_template
):
    # 4 processes × 4 threads: the sessions and routines of 16 visitors are written by
    # different processes (file locks) and by threads of one process at the same time.
    with serve(tmp_path, static_root, database_template, workers=4, threads=4) as server:
        visitors = [Visitor(server.base_url) for _ in range(WRITERS)]
        ready = threading.Barrier(WRITERS)

        def write(number):
            visitor = visitors[number]
            visitor.start()
            ready.wait()
            saved = []
            for routine in range(ROUTINES_EACH):
                title, slugs = plan(number, routine)
                saved.append((visitor.save_routine(title, slugs), title, slugs))
            return saved

        # Each save opened its link and got a 200 (Visitor.save checks it).
        saved = [link for links in in_threads(WRITERS, write) for link in links]
        stderr = server.stderr()

    statuses = [status for visitor in visitors for status in visitor.statuses]
    assert not [status for status in statuses if status >= 500]
    assert "database is locked" not in stderr
    assert "Traceback" not in stderr
    assert len(saved) == WRITERS * ROUTINES_EACH
    routines = saved_routines(server.database_path)
    assert len(routines) == len(saved)
    for link, title, slugs in saved:
        assert routines[token_of(link)] == (title, slugs)


# A worker killed under load


KILL_VISITORS = 6
KILL_ROUTINES_EACH = 4
ATTEMPTS = 5


@pytest.mark.server
def test_a_killed_worker_is_replaced_and_no_saved_routine_is_lost(
    tmp_path, static_root, database_template
):
    with serve(tmp_path, static_root, database_template, workers=2, threads=4) as server:
        visitors = [Visitor(server.base_url) for _ in range(KILL_VISITORS)]
        dropped = []  # requests that failed at the connection level
        saved = []  # (link, title, slugs, saved after the kill?)
        killed_at = threading.Event()
        done = threading.Event()

        def save_routines(number):
            visitor = visitors[number]
            for routine in range(KILL_ROUTINES_EACH):
                title, slugs = plan(number, routine)
                for _ in range(ATTEMPTS):
                    try:
                        link = visitor.save_routine(title, slugs)
                    except CONNECTION_ERRORS as error:
                        # The client's retry policy: build the routine again from the start.
                        dropped.append(repr(error))
                        continue
                    saved.append((link, title, slugs, killed_at.is_set()))
                    break
                else:
                    raise AssertionError(f"visitor {number} could not save {title}: {dropped}")

        def read_pages(_):
            reader = Visitor(server.base_url)
            while not done.wait(0.05):
                for page in ("/", "/points/bl23/", *(link for link, *_ in saved[-2:])):
                    try:
                        reader.get(page, expect=200)
                    except CONNECTION_ERRORS as error:
                        dropped.append(repr(error))
            return reader

        with ThreadPoolExecutor(max_workers=KILL_VISITORS + 2) as pool:
            readers = [pool.submit(read_pages, n) for n in range(2)]
            writers = [pool.submit(save_routines, n) for n in range(KILL_VISITORS)]
            while len(saved) < KILL_VISITORS and not any(w.done() for w in writers):
                time.sleep(0.05)
            victim = server.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)
            killed_at.set()
            respawned = server.wait_for_workers(without=[victim])
            for writer in writers:
                writer.result()
            done.set()
            readers = [reader.result() for reader in readers]

        fresh = Visitor(server.base_url)
        for link, *_ in saved:
            fresh.get(link, expect=200)
        stderr = server.stderr()

    print(f"\n{len(dropped)} requests dropped by the killed worker: {dropped}")
    assert victim not in respawned
    assert len(respawned) == 2
    statuses = [s for visitor in [*visitors, *readers, fresh] for s in visitor.statuses]
    assert not [status for status in statuses if status >= 500]
    assert "database is locked" not in stderr
    # Every routine got saved, most of them after the kill: the site kept answering.
    assert len(saved) == KILL_VISITORS * KILL_ROUTINES_EACH
    assert sum(after for *_, after in saved) >= len(saved) // 2
    routines = saved_routines(server.database_path)
    for link, title, slugs, _ in saved:
        assert routines[token_of(link)] == (title, slugs)
    # A save whose answer was lost may have gone through: it, too, must be whole, and the
    # retry that followed it found it instead of saving the routine a second time.
    planned = dict(plan(v, r) for v in range(KILL_VISITORS) for r in range(KILL_ROUTINES_EACH))
    for title, slugs in routines.values():
        assert slugs == planned[title]
    titles = [title for title, _ in routines.values()]
    assert len(titles) == len(set(titles)) == len(planned)


# A missing or read-only database


@pytest.mark.server
def test_a_missing_database_gives_503_and_logs_the_request(tmp_path, static_root):
    missing = tmp_path / "no-such-folder" / "db.sqlite3"
    with Server(
        tmp_path / "server",
        workers=1,
        threads=2,
        migrate=False,
        static_root=static_root,
        env={"DATABASE_URL": f"sqlite:///{missing}"},
    ) as server:
        visitor = Visitor(server.base_url)
        home = visitor.get("/")
        visitor.start()  # the CSRF cookie needs no database
        add = visitor.post("/routine/add/bl23/")
        htmx_add = visitor.request(
            "POST",
            "/routine/add/bl23/",
            {},
            {"HX-Request": "true", "X-CSRFToken": visitor.csrf_token()},
        )
        stderr = server.stderr()

    assert_unavailable(home)
    assert_unavailable(add)
    assert_unavailable_notice(htmx_add)
    assert "unable to open database file" in stderr
    assert "The database failed during /" in stderr
    assert "The database refused a change to /routine/add/bl23/" in stderr
    assert not missing.parent.exists()


@pytest.mark.server
def test_a_read_only_database_serves_the_guide_and_refuses_writes_politely(
    tmp_path, static_root, database_template
):
    with serve(
        tmp_path,
        static_root,
        database_template,
        workers=1,
        threads=2,
        server_env={"DATABASE_READ_ONLY": "1"},
    ) as server:
        database = server.database_path
        with closing(sqlite3.connect(database)) as db, db:
            # Old enough that opening its link would record the visit (see mark_opened).
            db.execute("UPDATE routines_routine SET created_at = '2020-01-01 00:00:00'")
            old_link = db.execute("SELECT token FROM routines_routine LIMIT 1").fetchone()[0]
        visitor = Visitor(server.base_url)
        for page in ("/", "/points/", "/points/bl23/", "/pain/sciatica/", f"/r/{old_link}/"):
            visitor.get(page, expect=200)
        # A saved routine's sheet, session and calendar file, which record that the link
        # is in use (for pruning), still answer.
        for page in ("print/", "session/", "calendar.ics?time=08:00&tz=Europe/London"):
            visitor.get(f"/r/{old_link}/{page}", expect=200)
        visitor.start()
        add = visitor.post("/routine/add/bl23/")
        htmx = {"HX-Request": "true", "X-CSRFToken": visitor.csrf_token()}
        htmx_add = visitor.request("POST", "/routine/add/bl23/", {}, htmx)
        htmx_save = visitor.request("POST", "/routine/save/", {"version": "0"}, htmx)
        htmx_schedule = visitor.request(
            "POST", "/routine/schedule/", {"version": "0", "times": "2", "days": "1"}, htmx
        )
        stderr = server.stderr()

    assert_unavailable(add)
    assert_unavailable_notice(htmx_add)
    assert_unavailable_notice(htmx_save)
    assert_unavailable_notice(htmx_schedule)
    assert "attempt to write a readonly database" in stderr
    assert "Internal Server Error" not in stderr
    assert "Could not record the use of a routine link" in stderr
    assert scalar(database, "SELECT count(*) FROM django_session") == 0
    assert scalar(database, "SELECT count(*) FROM routines_routine WHERE last_opened_at") == 0
    assert scalar(database, "SELECT count(*) FROM routines_routine WHERE last_printed_at") == 0
    assert saved_routines(database) == {}


# The server's own readiness probe


@pytest.mark.server
def test_a_server_that_knows_only_its_public_name_starts_without_an_error(
    tmp_path, static_root, database_template
):
    """Server's probe names a host the site accepts: a probe with a Host outside
    ALLOWED_HOSTS is logged as a DisallowedHost error with its traceback, which tests that
    read the log for tracebacks (tests/test_scale_out.py) take for a failure."""
    env = {"ALLOWED_HOSTS": "guide.example.org"}
    with serve(tmp_path, static_root, database_template, workers=1, env=env) as server:
        stderr = server.stderr()
    assert "Booting worker" in stderr
    assert "DisallowedHost" not in stderr
    assert "Traceback" not in stderr


# A body far larger than any form


@pytest.mark.server
def test_a_huge_body_gets_413_before_it_is_sent(tmp_path, static_root, database_template):
    """The request declares a gigabyte and sends none of it: the answer comes at once, so
    nothing was waiting to read (or spool to disk) the body first."""
    with (
        serve(tmp_path, static_root, database_template, workers=1, threads=2) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection,
    ):
        connection.sendall(
            b"POST /routine/title/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 1000000000\r\n\r\n"
        )
        answer = connection.recv(200)
    assert answer.startswith(b"HTTP/1.1 413 ")


# Errors logged with their request, in process


def test_a_failing_view_is_logged_with_method_path_status_and_client(settings, caplog):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post("/broken/?email=someone@example.org", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 500
    for text in FRIENDLY_500:
        assert text in response.content.decode()
    [record] = [record for record in caplog.records if record.name == "django.request"]
    line = stderr_handler().format(record)
    first_line = line.splitlines()[0]
    assert first_line.endswith(
        "ERROR django.request Internal Server Error: /broken/ "
        "[method=POST path=/broken/ status=500 client=203.0.113.9]"
    )
    assert "RuntimeError: a bug in a view" in line
    assert "someone@example.org" not in line


def test_log_context_is_quoted_and_absent_without_a_request():
    formatter = stderr_handler().formatter
    plain = logging.makeLogRecord({"name": "points", "levelname": "INFO", "msg": "loaded"})
    assert formatter.format(plain).endswith(" INFO points loaded")

    request = RequestFactory().get("/points/a b%0A2026 ERROR forged/")
    record = logging.makeLogRecord(
        {
            "name": "django.request",
            "levelname": "WARNING",
            "msg": "Not Found",
            "request": request,
            "status_code": 404,
        }
    )
    line = formatter.format(record)
    assert "\n" not in line
    assert line.endswith(
        "[method=GET path=/points/a%20b%0A2026%20ERROR%20forged/ status=404 client=127.0.0.1]"
    )
