"""Several requests of one visitor at once, under real gunicorn (processes and threads).

A visitor's working routine lives in their session; the builder's changes must not
undo each other (quick clicks on "Add" down a list), and saving must make one row however
often it is sent at once. On SQLite always; on PostgreSQL too where DATABASE_URL names
one (the second pass of .ci/run), since the two lock differently.
"""

import os
import re
import sqlite3
import subprocess
import sys
import threading
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from tools.server import (
    BASE_DIR,
    Server,
    Visitor,
    copy_database,
    prepare_database,
    site_env,
)

pytestmark = pytest.mark.server

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = urllib.parse.urlsplit(DATABASE_URL).scheme in {"postgres", "postgresql"}
HTMX = {"HX-Request": "true"}
EXTRA_POINTS = 30
ADDED_AS = re.compile(r"Added as step (\d+)")


class Database:
    """The server's database, read straight from SQLite or PostgreSQL."""

    def __init__(self, url):
        self.url = url

    def scalar(self, statement):
        if self.url.startswith("sqlite:///"):
            path = self.url.removeprefix("sqlite:///")
            with closing(sqlite3.connect(path)) as db:
                return db.execute(statement).fetchone()[0]
        import psycopg

        with psycopg.connect(self.url) as connection:
            return connection.execute(statement).fetchone()[0]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(request, tmp_path_factory, static_root, database_template):
    """gunicorn with 2 workers × 4 threads, and 35 published points to add."""
    directory = tmp_path_factory.mktemp(f"concurrency-{request.param}")
    env = {}
    database_name = None
    if request.param == "postgres":
        if not ON_POSTGRES:
            pytest.skip("needs DATABASE_URL=postgres://…")
        import psycopg
        from psycopg import sql

        database_name = f"acupressure_concurrency_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database_name)))
        parts = urllib.parse.urlsplit(DATABASE_URL)
        env["DATABASE_URL"] = parts._replace(path=f"/{database_name}").geturl()
    setup = site_env(directory, env)
    if database_name:
        prepare_database(setup)
    else:
        copy_database(database_template, directory / "db.sqlite3")
    manage_bench_points(setup)
    try:
        with Server(
            directory,
            env=env,
            migrate=False,
            static_root=static_root,
            workers=2,
            threads=4,
        ) as running:
            running.database = Database(running.env["DATABASE_URL"])
            yield running
    finally:
        if database_name:
            import psycopg
            from psycopg import sql

            with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(database_name)
                    )
                )


def manage_bench_points(env):
    """More published points than the guide's five, made by the benchmark's generator."""
    subprocess.run(
        [sys.executable, "-m", "tools.bench_data", "--points", str(5 + EXTRA_POINTS)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def point_slugs(server):
    page = Visitor(server.base_url).get("/points/?page=1", expect=200).text
    slugs = sorted(set(re.findall(r'href="/routine/add/([\w-]+)/"', page)))
    page2 = Visitor(server.base_url).get("/points/?page=2", expect=200).text
    slugs += sorted(set(re.findall(r'href="/routine/add/([\w-]+)/"', page2)) - set(slugs))
    return slugs


def at_once(count, work):
    """Run work(0) … work(count - 1) at the same moment; their results."""
    start = threading.Barrier(count)

    def run(number):
        start.wait()
        return work(number)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def routine_steps(visitor):
    page = visitor.get("/routine/", expect=200).text
    return re.findall(r'<li class="step" id="step-', page)


@pytest.mark.parametrize("adds", [5, 20])
def test_concurrent_adds_from_one_visitor_keep_every_step(server, adds):
    slugs = point_slugs(server)
    assert len(slugs) >= adds + 1
    visitor = Visitor(server.base_url)
    visitor.start()
    visitor.add(slugs[0])  # the visitor's session exists before the quick clicks

    answers = at_once(
        adds,
        lambda n: visitor.request(
            "POST",
            f"/routine/add/{slugs[n + 1]}/",
            {},
            {**HTMX, "X-CSRFToken": visitor.csrf_token()},
        ),
    )

    assert [answer.status for answer in answers] == [200] * adds
    numbers = sorted(int(ADDED_AS.search(answer.text).group(1)) for answer in answers)
    # Each click was told a different step number, and every one of them is there.
    assert numbers == list(range(2, adds + 2))
    assert len(routine_steps(visitor)) == adds + 1
    print(f"\n{adds} concurrent adds: {len(routine_steps(visitor)) - 1} kept")


def test_thirty_identical_saves_at_once_make_one_row_and_the_daily_cap_holds(server):
    slugs = point_slugs(server)
    visitor = Visitor(server.base_url)
    visitor.start()
    # 19 saves already today: one more may be saved, and no more.
    visitor.add(slugs[0])
    for number in range(19):
        visitor.change("/routine/title/", follow=False, title=f"Earlier {number}")
        visitor.post("/routine/save/", {"version": visitor.version()}, expect=302)
    visitor.change("/routine/title/", title="The twentieth")
    version = visitor.version()
    rows_before = server.database.scalar("SELECT count(*) FROM routines_routine")

    answers = at_once(
        30,
        lambda n: visitor.request(
            "POST",
            "/routine/save/",
            {"version": version},
            {"X-CSRFToken": visitor.csrf_token()},
        ),
    )

    assert {answer.status for answer in answers} == {302}
    assert len({answer.location for answer in answers}) == 1
    rows_after = server.database.scalar("SELECT count(*) FROM routines_routine")
    assert rows_after == rows_before + 1
    print(f"\n30 concurrent identical saves: {rows_after - rows_before} new row(s)")

    visitor.change("/routine/title/", title="The twenty-first")
    refused = visitor.post("/routine/save/", {"version": visitor.version()})
    assert refused.status == 429
    assert server.database.scalar("SELECT count(*) FROM routines_routine") == rows_after


def schedule_summary(page):
    return re.search(r'class="schedule-form__summary"[^>]*>([^<]+)<', page.text).group(1)


def test_schedule_changes_sent_at_once_apply_one_whole_and_refuse_the_rest(server):
    """Eight tabs set eight different schedules from the same version of the routine: one
    is applied as it was sent, the others are told the routine changed, and no mixture of
    them is ever saved."""
    visitor = Visitor(server.base_url)
    visitor.start()
    visitor.add(point_slugs(server)[0])
    version = visitor.version()
    schedules = [
        [("times", str(times)), ("weeks", str(weeks)), ("days", str(times)), ("days", "7")]
        for times in range(1, 5)
        for weeks in (3, 5)
    ]

    answers = at_once(
        len(schedules),
        lambda n: visitor.request(
            "POST",
            "/routine/schedule/",
            [("version", str(version)), *schedules[n]],
            {**HTMX, "X-CSRFToken": visitor.csrf_token()},
        ),
    )

    statuses = sorted(answer.status for answer in answers)
    assert statuses == [200] + [409] * (len(schedules) - 1)
    applied = next(answer for answer in answers if answer.status == 200)
    visitor.routine_page = None  # the page as it is now, not as it was before the changes
    assert visitor.version() == version + 1
    assert schedule_summary(visitor.get("/routine/", expect=200)) == schedule_summary(applied)
