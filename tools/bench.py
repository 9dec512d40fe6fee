"""The benchmark behind `make bench`: the real server under a bounded load, page by page.

    python -m tools.bench                      # the default run, a few minutes
    python -m tools.bench --sizes b --seconds 10 --urls static,list,detail

For each data size it builds a database once (migrated, then grown by tools/bench_data.py)
and, for each cache mode, serves a copy of it with gunicorn on loopback (DEBUG off, the
compressed static files, tools/bench_settings.py for the `X-Queries` header). Each URL gets
a warm-up, then 16 connections for a fixed number of seconds: wrk where it is installed,
else the Python client below. The routine builder's changes need a session, a CSRF token
and the routine's version from the last answer, which wrk cannot follow, so 16 visitors
of the Python client make them, each with a session of their own.

Every figure is set against a hashed static file about as big as the home page, served by
the same server in the same run with the same client (first and last, and the mean of
the two taken, as other work on the machine drifts): ratio = static req/s ÷ page req/s,
so 2.0 means a page costs the server twice what a file of its size costs. The figures go
to bench-results/latest.json (the last run's move to previous.json) and the table shows
the change since that last run.
"""

import argparse
import http.client
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tools.server import BASE_DIR, Server, collect_static, copy_database, prepare_database, site_env

# What tools/bench_data.py is asked for at each size. Sizes build on one another, and every
# size has one saved routine at least, so each URL can be measured at any size.
SIZES = {
    "a": ("the guide's content", ["--routines", "1"]),
    "b": (
        "361 points, 40 pain types",
        ["--points", "361", "--pain-types", "40", "--routines", "1"],
    ),
    "c": (
        "361 points, 40 pain types, 10,000 saved routines",
        ["--points", "361", "--pain-types", "40", "--routines", "10000"],
    ),
}
MODES = {"warm": {}, "cold": {"PAGE_CACHE_SECONDS": "0"}}
HTMX = {"HX-Request": "true"}

# key: (name in the table, path for the data described by tools/bench_data.py, headers)
PAGES = {
    "home": ("home", lambda data: "/", {}),
    "list": ("point list", lambda data: "/points/", {}),
    "filtered": ("filtered list", lambda data: filtered(data), {}),
    "partial": ("filtered, htmx partial", lambda data: filtered(data), HTMX),
    "search": ("text search", lambda data: f"/points/?q={data['search']}", {}),
    "detail": ("point detail", lambda data: f"/points/{data['point']}/", {}),
    "detail_es": ("point detail, Spanish", lambda data: f"/es/points/{data['point']}/", {}),
    "pain_type": ("pain type page", lambda data: f"/pain/{data['pain_type']}/", {}),
    "references": ("references", lambda data: "/references/", {}),
    "shared": ("shared routine", lambda data: f"/r/{data['routine']}/", {}),
    "shared_es": ("shared routine, Spanish", lambda data: f"/es/r/{data['routine']}/", {}),
    "print": ("shared routine, print", lambda data: f"/r/{data['routine']}/print/", {}),
}
ACTIONS = {
    "add": ("builder: add", "/routine/add/<slug>/"),
    "move": ("builder: move", "/routine/steps/<key>/move/"),
    "remove": ("builder: remove", "/routine/steps/<key>/remove/"),
}
# The static file is measured first and last with each client a run uses; the baseline is
# the mean of the two, which also shows how steady the machine was meanwhile.
STATIC, STATIC_AGAIN = "static", "static_end"
# The point list's first render after an editor saves one point, against its render
# before: with the page cache off (cold) only, where each render is a render.
EDITED = "edited"
EDITS = 15
ALL_URLS = [STATIC, *PAGES, *ACTIONS, EDITED]
# Without --urls: the guide's pages where the points grow, the routines' pages and the
# builder where the saved routines do.
GUIDE_PAGES = [
    "home",
    "list",
    "filtered",
    "partial",
    "search",
    "detail",
    "detail_es",
    "pain_type",
    "references",
    EDITED,
]
DEFAULT_URLS = {
    "a": GUIDE_PAGES,
    "b": GUIDE_PAGES,
    "c": ["shared", "shared_es", "print", "add", "move", "remove"],
}
PUBLIC = list(PAGES)
LOCKED = "database is locked"

# wrk reports through this instead of its text: exact percentiles, counts as numbers. Its
# status errors are answers of 400 and above; a 3xx would pass, but every URL is checked
# for a 200 just before its load.
WRK_REPORT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nBENCH {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, "status_errors": %.0f, '
    .. '"socket_errors": %.0f, "p50_us": %.0f, "p99_us": %.0f}\n',
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def filtered(data):
    return "/points/?" + urllib.parse.urlencode([("pain", slug) for slug in data["filter"]])


def say(message):
    print(message, file=sys.stderr, flush=True)


# Figures


@dataclass
class Result:
    key: str
    name: str
    url: str
    client: str
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    bytes_per_response: int
    queries_per_request: int
    method: str = "GET"
    database_locked: int | None = None
    ratio: float | None = None
    extra: dict = field(default_factory=dict)


class Tally:
    """What one client thread saw; merged into a Result."""

    def __init__(self):
        self.latencies = []
        self.non_2xx = 0
        self.socket_errors = 0
        self.body_bytes = 0
        self.queries = []

    def record(self, seconds, status, body, headers):
        self.latencies.append(seconds)
        self.non_2xx += not 200 <= status < 300
        self.body_bytes += len(body)
        self.queries.append(int(headers.get("X-Queries", -1)))

    @classmethod
    def merged(cls, tallies):
        total = cls()
        for tally in tallies:
            total.latencies += tally.latencies
            total.non_2xx += tally.non_2xx
            total.socket_errors += tally.socket_errors
            total.body_bytes += tally.body_bytes
            total.queries += tally.queries
        return total

    def result(self, key, name, url, elapsed, **fields):
        count = len(self.latencies)
        return Result(
            key=key,
            name=name,
            url=url,
            client="python",
            seconds=round(elapsed, 2),
            requests=count,
            rps=round(count / elapsed, 1) if elapsed else 0.0,
            p50_ms=round(percentile(self.latencies, 50) * 1000, 2),
            p99_ms=round(percentile(self.latencies, 99) * 1000, 2),
            non_2xx=self.non_2xx,
            socket_errors=self.socket_errors,
            bytes_per_response=self.body_bytes // count if count else 0,
            queries_per_request=statistics.median_low(self.queries) if self.queries else -1,
            extra={
                "queries_min": min(self.queries, default=-1),
                "queries_max": max(self.queries, default=-1),
            },
            **fields,
        )


def percentile(values, percent):
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


# One request at a time


class Connection:
    """A keep-alive HTTP/1.1 connection to the server, with the cookies it was given."""

    def __init__(self, base_url, timeout=30):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.http = None
        self.cookies = {}

    def close(self):
        if self.http is not None:
            self.http.close()
            self.http = None

    def request(self, method, path, headers=None, data=None):
        """(seconds, status, body, headers); OSError or HTTPException if the connection failed."""
        headers = dict(headers or {})
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.http is None:
            self.http = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        start = time.perf_counter()
        try:
            self.http.request(method, path, body=body, headers=headers)
            response = self.http.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        elapsed = time.perf_counter() - start
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if value.strip('"'):
                self.cookies[name.strip()] = value
            else:  # Django deletes a cookie by sending it empty
                self.cookies.pop(name.strip(), None)
        return elapsed, response.status, content, response.headers


def probe(base_url, path, headers=None, times=1):
    """The last of `times` requests, each on a new connection (so on any worker)."""
    for _ in range(times):
        connection = Connection(base_url)
        try:
            answer = connection.request("GET", path, headers)
        finally:
            connection.close()
    return answer


# Load


def in_threads(count, work):
    """work(number, barrier) in `count` threads started together; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count
    failures = []

    def run(number):
        try:
            results[number] = work(number, barrier)
        except BaseException as error:  # the caller re-raises it
            failures.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def python_load(base_url, path, headers, seconds, connections):
    """GET `path` over `connections` keep-alive connections for `seconds`."""
    clock = {}

    def work(number, barrier):
        connection, tally = Connection(base_url), Tally()
        barrier.wait()
        clock.setdefault("start", time.perf_counter())
        deadline = clock["start"] + seconds
        while time.perf_counter() < deadline:
            try:
                tally.record(*connection.request("GET", path, headers))
            except (OSError, http.client.HTTPException):
                tally.socket_errors += 1
        connection.close()
        return tally

    tallies = in_threads(connections, work)
    return Tally.merged(tallies), time.perf_counter() - clock["start"]


def wrk_load(options, url, headers, seconds):
    command = [
        options.wrk,
        f"-t{min(2, options.connections)}",
        f"-c{options.connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(options.wrk_script),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    report = next((line for line in output.stdout.splitlines() if line.startswith("BENCH ")), None)
    if output.returncode or report is None:
        raise RuntimeError(f"wrk failed:\n{output.stdout}{output.stderr}")
    return json.loads(report.removeprefix("BENCH "))


def measure_page(server, options, key, name, path, headers, client):
    """Warm the page up (in warm mode this fills the page cache), check it, then load it."""
    _, status, body, answer = probe(server.base_url, path, headers, times=2 * options.workers)
    if status != 200:
        raise RuntimeError(f"{path} answered {status} before the load: {body[:300]!r}")
    queries = int(answer.get("X-Queries", -1))
    if client == "wrk":
        seconds = options.seconds
        report = wrk_load(options, server.base_url + path, headers, seconds)
        if report["requests"] < options.connections and seconds < 30:
            # wrk drops the answers still on their way when time is up; a page this slow
            # needs a longer window to give a figure at all.
            seconds = min(30, seconds * 5)
            say(f"    only {report['requests']:.0f} answers: again for {seconds} s")
            report = wrk_load(options, server.base_url + path, headers, seconds)
        duration = report["duration_us"] / 1e6
        result = Result(
            key=key,
            name=name,
            url=path,
            client="wrk",
            seconds=round(duration, 2),
            requests=int(report["requests"]),
            rps=round(report["requests"] / duration, 1),
            p50_ms=round(report["p50_us"] / 1000, 2),
            p99_ms=round(report["p99_us"] / 1000, 2),
            non_2xx=int(report["status_errors"]),
            socket_errors=int(report["socket_errors"]),
            bytes_per_response=len(body),
            queries_per_request=queries,
            extra={"wire_bytes_per_response": report["bytes"] // max(1, report["requests"])},
        )
    else:
        tally, duration = python_load(
            server.base_url, path, headers, options.seconds, options.connections
        )
        result = tally.result(key, name, path, duration)
        result.queries_per_request = queries
    return result


# The routine builder


FULL_ROUTINE = 25
VERSION = re.compile(rb'name="version" value="(\d+)"')
STEP_KEY = re.compile(rb'id="step-([0-9a-f]+)"')
WHOLE_BUILDER = b'id="routine"'


class Refused(RuntimeError):
    """A request the visitor needed in order to go on did not get a 200."""


class BuilderVisitor:
    """A visitor whose browser runs htmx: every change is a POST with the CSRF header,
    answered with the part of the page it changes, which carries the next version."""

    def __init__(self, base_url, slugs, offset):
        self.connection = Connection(base_url)
        self.slugs = slugs
        self.next_slug = offset % len(slugs)
        # A routine holds at most 30 steps, and a point only once; the timed changes are
        # made to routines of FULL steps or more, as a visitor's long routine would be.
        self.capacity = min(30, len(slugs))
        self.full = min(FULL_ROUTINE, self.capacity - 1)
        self.version, self.keys, self.added = 0, [], 0
        self.saved, self.saved_steps, self.slug_after_saved = None, 0, 0
        self.untimed_requests = 0

    def send(self, method, path, data=None, htmx=True):
        headers = dict(HTMX) if htmx else {}
        if method == "POST":
            headers["X-CSRFToken"] = self.connection.cookies.get("csrftoken", "")
        return self.connection.request(method, path, headers, data)

    def untimed(self, method, path, data=None, expect=200, htmx=True):
        """A request the visitor needs to go on, not one being measured."""
        self.untimed_requests += 1
        _, status, body, headers = self.send(method, path, data, htmx)
        if status != expect:
            raise Refused(f"{method} {path} answered {status}: {body[:300]!r}")
        self.read(body)
        return headers

    def read(self, body, action=None):
        """The version any answer to a change carries, and the step keys: from the whole
        builder, or after an answer with only what changed, as `action` changed them."""
        version = VERSION.search(body)
        if version:
            self.version = int(version.group(1))
        if WHOLE_BUILDER in body:
            self.keys = [key.decode() for key in STEP_KEY.findall(body)]
        elif action == "move":
            self.keys[:2] = reversed(self.keys[:2])
        elif action == "remove":
            del self.keys[0]

    def add_path(self):
        slug = self.slugs[self.next_slug]
        self.next_slug = (self.next_slug + 1) % len(self.slugs)
        return f"/routine/add/{slug}/"

    def build(self, count):
        """A routine of `count` steps, saved: going back to it later is one request."""
        self.untimed("GET", "/routine/")
        self.untimed("POST", "/routine/clear/", {"version": self.version})
        for _ in range(count):
            self.untimed("POST", self.add_path())
        self.untimed("GET", "/routine/")
        saved = self.untimed(
            "POST", "/routine/save/", {"version": self.version}, expect=302, htmx=False
        )
        self.saved, self.saved_steps = saved["location"], count
        self.slug_after_saved = self.next_slug

    def reset(self, read_keys=True):
        """Back to the saved routine: a copy of it, as "Start from this" makes. The points
        added next are the ones after it, never one it holds."""
        self.untimed("POST", f"{self.saved}copy/", expect=302, htmx=False)
        if read_keys:
            self.untimed("GET", "/routine/")
        self.added, self.next_slug = self.saved_steps, self.slug_after_saved

    def prepare(self, action):
        self.untimed("GET", "/routine/badge/")  # sets the CSRF cookie, as every page does
        if "csrftoken" not in self.connection.cookies:
            raise Refused("/routine/badge/ set no CSRF cookie")
        self.build(self.capacity if action == "remove" else self.full)
        self.reset()

    def next_request(self, action):
        """The path and form of the action's next timed request, made possible first."""
        if action == "add":
            if self.added >= self.capacity:
                self.reset(read_keys=False)  # adding needs neither keys nor version
            self.added += 1
            return self.add_path(), {}
        if action == "move":
            if len(self.keys) < 2:  # lost track after a failed answer
                self.reset()
            # The first step down, again and again: always a move the routine can take.
            return f"/routine/steps/{self.keys[0]}/move/", {
                "direction": "down",
                "version": self.version,
            }
        if len(self.keys) <= self.full:
            self.reset()
        return f"/routine/steps/{self.keys[0]}/remove/", {"version": self.version}

    def run(self, action, deadline, tally):
        while time.perf_counter() < deadline:
            try:
                path, data = self.next_request(action)
                answer = self.send("POST", path, data)
                tally.record(*answer)
                if answer[1] == 200:
                    self.read(answer[2], action)
                else:  # out of step with the server: look again before going on
                    self.untimed("GET", "/routine/")
            except Refused:
                tally.non_2xx += 1
            except (OSError, http.client.HTTPException):
                tally.socket_errors += 1


def measure_action(server, options, key, slugs):
    name, url = ACTIONS[key]
    clock = {}

    def work(number, barrier):
        visitor, tally = BuilderVisitor(server.base_url, slugs, offset=number * 7), Tally()
        visitor.prepare(key)
        barrier.wait()
        # Idle connections may have been closed by the server while others got ready.
        visitor.connection.close()
        clock.setdefault("start", time.perf_counter())
        visitor.run(key, clock["start"] + options.seconds, tally)
        visitor.connection.close()
        return tally, visitor.untimed_requests

    log_before = len(server.stderr())
    answers = in_threads(options.connections, work)
    elapsed = time.perf_counter() - clock["start"]
    tally = Tally.merged(tally for tally, _ in answers)
    locked = server.stderr()[log_before:].count(LOCKED)
    result = tally.result(key, name, url, elapsed, method="POST", database_locked=locked)
    result.extra["untimed_requests"] = sum(untimed for _, untimed in answers)
    return result


# The list after an edit


def timed_get(base_url, path):
    """Seconds for one GET on a new connection, after checking that it answered 200."""
    connection = Connection(base_url)
    try:
        seconds, status, body, _ = connection.request("GET", path)
    finally:
        connection.close()
    if status != 200:
        raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
    return seconds


def measure_after_edit(server, data):
    """The point list rendered alone, just before and just after an editor saves the
    point on its first card, EDITS times: an editor's process (tools/bench_data.py --edit)
    saves it through the ORM in the server's database and cache, as the admin would.

    Each "before" render follows a few untimed ones, so it is the steady state; each
    "after" is the first request once the save is committed, so it pays for whatever the
    change made the server render again. The medians are compared; no load runs meanwhile.
    """
    path = "/points/"
    editor = subprocess.Popen(
        [sys.executable, "-m", "tools.bench_data", "--edit", data["first_listed"]],
        cwd=BASE_DIR,
        env=server.server_env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    before, after = [], []
    try:
        for _ in range(EDITS):
            for _ in range(3):
                timed_get(server.base_url, path)
            before.append(timed_get(server.base_url, path))
            editor.stdin.write("save\n")
            editor.stdin.flush()
            if editor.stdout.readline().strip() != "saved":
                raise RuntimeError("the editor's process stopped without saving")
            after.append(timed_get(server.base_url, path))
    finally:
        editor.stdin.close()
        editor.wait(timeout=30)
    before_ms = statistics.median(before) * 1000
    after_ms = statistics.median(after) * 1000
    return Result(
        key=EDITED,
        name="list, first after edit",
        url=path,
        client="python",
        seconds=round(sum(before) + sum(after), 2),
        requests=len(after),
        rps=round(1000 / after_ms, 1),
        p50_ms=round(after_ms, 2),
        p99_ms=round(max(after) * 1000, 2),
        non_2xx=0,
        socket_errors=0,
        bytes_per_response=0,
        queries_per_request=-1,
        extra={
            "before_p50_ms": round(before_ms, 2),
            "after_p50_ms": round(after_ms, 2),
            "after_to_before": round(after_ms / before_ms, 2),
        },
    )


# Servers and data


def static_file(static_root, size):
    """The guide's hashed stylesheet or script whose size is closest to `size` (the admin's
    files are in the manifest too, but a reader of the table should know the file)."""
    manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())
    candidates = [
        (abs((Path(static_root) / hashed).stat().st_size - size), hashed)
        for hashed in manifest["paths"].values()
        if hashed.endswith((".css", ".js")) and not hashed.startswith("admin/")
    ]
    hashed = min(candidates)[1]
    return "/static/" + hashed, (Path(static_root) / hashed).stat().st_size


def bench_overrides(directory):
    """The bench settings, and a page cache of its own for each data script and server (a
    shared one would mix the pages of different sizes and runs)."""
    return {
        "DJANGO_SETTINGS_MODULE": "tools.bench_settings",
        "CACHE_DIR": str(Path(directory).resolve() / "cache"),
    }


def own_cache(env, keep=()):
    """`env` without the shell's cache settings, so warm means the default settings."""
    for name in {"CACHE_URL", "REDIS_URL", "PAGE_CACHE_SECONDS"} - set(keep):
        env.pop(name, None)
    return env


def bench_env(directory):
    return own_cache(site_env(directory, bench_overrides(directory)))


class PostgresDatabases:
    """With --postgres: each size's database in that server, grown from a copy of the one
    before, and each benchmark server's a copy of its size's (CREATE DATABASE … TEMPLATE);
    all dropped at the end."""

    def __init__(self, url):
        self.url, self.made = url, []
        self.run = uuid.uuid4().hex[:8]

    def url_of(self, name):
        return urllib.parse.urlsplit(self.url)._replace(path=f"/{name}").geturl()

    def execute(self, statement):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(statement)

    def create(self, name, template=None):
        from psycopg import sql

        name = f"bench_{self.run}_{name}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self.execute(statement)
        self.made.append(name)
        return name

    def drop_all(self):
        from psycopg import sql

        for name in reversed(self.made):
            self.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def build_databases(workdir, sizes, postgres=None):
    """A migrated, grown database for each size, each grown from the one before: an SQLite
    file, or with `postgres` a database there (its name)."""
    templates, data = {}, {}
    previous = None
    for size in [size for size in SIZES if size <= max(sizes)]:
        folder = workdir / f"data-{size}"
        folder.mkdir(exist_ok=True)
        env = bench_env(folder)
        if postgres:
            database = postgres.create(f"data_{size}", template=previous)
            env["DATABASE_URL"] = postgres.url_of(database)
        if previous is None:
            say("migrating a fresh database and loading the guide's content")
            prepare_database(env)
        elif not postgres:
            copy_database(previous, folder / "db.sqlite3")
        say(f"data size {size}: {SIZES[size][0]}")
        output = subprocess.run(
            [sys.executable, "-m", "tools.bench_data", *SIZES[size][1]],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if output.returncode:
            raise RuntimeError(f"tools.bench_data failed:\n{output.stdout}{output.stderr}")
        data[size] = json.loads(output.stdout.strip().splitlines()[-1])
        templates[size] = previous = database if postgres else folder / "db.sqlite3"
    return templates, data


def serve(workdir, options, size, mode, template):
    folder = workdir / f"server-{size}-{mode}"
    env, database = bench_overrides(folder), {"database_template": template}
    if options.postgres:
        copy = options.postgres.create(f"server_{size}_{mode}", template=template)
        env["DATABASE_URL"] = options.postgres.url_of(copy)
        database = {"migrate": False}
    server = Server(
        folder,
        workers=options.workers,
        threads=options.threads,
        env=env,
        server_env=MODES[mode],
        static_root=options.static_root,
        **database,
    )
    own_cache(server.env)
    own_cache(server.server_env, keep=MODES[mode])
    return server


def run_size(workdir, options, size, mode, template, data, urls):
    results = []
    with serve(workdir, options, size, mode, template) as server:
        _, status, home, _ = probe(server.base_url, "/")
        if status != 200:
            raise RuntimeError(f"the home page answered {status}: {home[:300]!r}")
        static_url, static_bytes = static_file(options.static_root, len(home))
        say(f"size {size}, {mode}: static baseline {static_url} ({static_bytes} bytes)")
        page_client = options.client
        # The baseline is measured with each client the URLs use: the builder's is Python.
        clients = [page_client] if any(key not in ACTIONS for key in urls) else []
        if any(key in ACTIONS for key in urls) and "python" not in clients:
            clients.append("python")
        for client in clients:
            say(f"  static file ({client})")
            results.append(
                measure_page(server, options, STATIC, "static file", static_url, {}, client)
            )
        for key in urls:
            if key in PAGES:
                name, path_for, headers = PAGES[key]
                say(f"  {name}")
                results.append(
                    measure_page(server, options, key, name, path_for(data), headers, page_client)
                )
            elif key in ACTIONS:
                say(f"  {ACTIONS[key][0]}")
                results.append(measure_action(server, options, key, data["point_slugs"]))
            elif key == EDITED and mode == "cold":
                say("  the point list, before and after an edit")
                results.append(measure_after_edit(server, data))
        for client in clients:
            say(f"  static file again ({client})")
            results.append(
                measure_page(
                    server, options, STATIC_AGAIN, "static file, again", static_url, {}, client
                )
            )
        stderr = server.stderr()
    baselines = {
        client: round(
            statistics.mean(
                result.rps
                for result in results
                if result.client == client and result.key in (STATIC, STATIC_AGAIN)
            ),
            1,
        )
        for client in clients
    }
    for result in results:
        if result.key == EDITED:
            continue  # set against its own render before the edit, not the static file
        baseline = baselines.get(result.client)
        result.ratio = round(baseline / result.rps, 2) if baseline and result.rps else None
    return {
        "size": size,
        "label": SIZES[size][0],
        "mode": mode,
        "database": "PostgreSQL" if options.postgres else "SQLite",
        "page_cache": "off" if mode == "cold" else "on (default settings)",
        "data": {name: value for name, value in data.items() if name != "point_slugs"},
        "home_bytes": len(home),
        "static_file": {"url": static_url, "bytes": static_bytes},
        "baseline_rps": baselines,
        "server": {"workers": options.workers, "threads": options.threads},
        "server_errors": sum("ERROR" in line for line in stderr.splitlines()),
        "database_locked": stderr.count(LOCKED),
        "results": [asdict(result) for result in results],
    }


# Targets


def target_line(title, rows, passes, show):
    if not rows:
        return {"target": title, "status": "NOT MEASURED", "failing": []}
    failing = [
        f"{run['size']}/{run['mode']} {row['name']}: {show(row)}"
        for run, row in rows
        if not passes(row)
    ]
    return {"target": title, "status": "NOT MET" if failing else "MET", "failing": failing}


def targets(runs):
    def rows(keys, mode=None, points=0):
        return [
            (run, row)
            for run in runs
            if (mode is None or run["mode"] == mode) and run["data"]["points"] >= points
            for row in run["results"]
            if row["key"] in keys
        ]

    def ratio(row):
        return f"{row['ratio']}×" if row["ratio"] is not None else "no ratio"

    def errors(row):
        return row["non_2xx"] + row["socket_errors"]

    # A search is never cached whole (acupressure.caching), nor is a list for two pain types
    # (points.views.MOST_PAIN_TYPES_CACHED), which the filtered URLs ask for: they are
    # judged cold only.
    uncached = {"search", "filtered", "partial"}
    warm = rows([key for key in PUBLIC if key not in uncached], "warm")
    cold = {key: rows([key], "cold", points=361) for key in ("detail", "partial")}
    builder = rows(list(ACTIONS))
    return [
        target_line("warm public pages: ratio ≤ 2", warm, lambda r: (r["ratio"] or 99) <= 2, ratio),
        target_line(
            "warm public pages: p99 ≤ 50 ms",
            warm,
            lambda r: r["p99_ms"] <= 50,
            lambda r: f"{r['p99_ms']:.0f} ms",
        ),
        target_line(
            "warm public pages: 0 errors",
            warm,
            lambda r: errors(r) == 0,
            lambda r: f"{errors(r)} errors",
        ),
        target_line(
            "cold, 361 points: point detail ≤ 4× static",
            cold["detail"],
            lambda r: (r["ratio"] or 99) <= 4,
            ratio,
        ),
        target_line(
            "cold, 361 points: htmx partial ≤ 4× static",
            cold["partial"],
            lambda r: (r["ratio"] or 99) <= 4,
            ratio,
        ),
        target_line(
            "cold, 361 points: full lists and a search ≤ 6× static",
            rows(["list", "filtered", "search"], "cold", 361),
            lambda r: (r["ratio"] or 99) <= 6,
            ratio,
        ),
        target_line(
            "cold: the list's first render after an edit ≤ 2× its render before",
            rows([EDITED], "cold"),
            lambda r: r["extra"]["after_to_before"] <= 2,
            lambda r: f"{r['extra']['after_to_before']}×",
        ),
        target_line(
            "builder actions: ≤ 5× static", builder, lambda r: (r["ratio"] or 99) <= 5, ratio
        ),
        target_line(
            "builder: a move answers ≤ 15 KB",
            rows(["move"]),
            lambda r: r["bytes_per_response"] <= 15_000,
            lambda r: f"{r['bytes_per_response']} bytes",
        ),
        target_line(
            "builder actions: p99 ≤ 100 ms",
            builder,
            lambda r: r["p99_ms"] <= 100,
            lambda r: f"{r['p99_ms']:.0f} ms",
        ),
        target_line(
            "builder actions: 0 errors",
            builder,
            lambda r: errors(r) == 0,
            lambda r: f"{errors(r)} errors",
        ),
        target_line(
            f'builder actions: 0 "{LOCKED}"',
            builder,
            lambda r: r["database_locked"] == 0,
            lambda r: f"{r['database_locked']} times",
        ),
    ]


# Report


LEGEND = """
req/s, p50 and p99 are the load's; bytes is the response body; queries is what one request
runs once the page is warm (X-Queries); ratio = the static file's req/s (the mean of its
first and last run, same client) ÷ the URL's: the URL costs that many static files;
% static is its inverse; Δ is the change since the last run. The builder's rows count only
the measured POSTs."""


def figure(value):
    """Three significant digits or so: 1.23, 12.3, 123."""
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def change(now, before):
    if not before:
        return "—"
    return f"{(now - before) / before * 100:+.0f}%"


def print_run(run, previous):
    data = run["data"]
    routines = f"{data['routines']} saved routine{'s' if data['routines'] != 1 else ''}"
    print()
    print(
        f"size {run['size']}: {data['points']} points, {data['pain_types']} pain types, "
        f"{routines} · {run['mode']}: page cache {run['page_cache']} · {run['database']}"
    )
    print(
        f"  baseline {run['static_file']['url']} ({run['static_file']['bytes']} B; "
        f"the home page has {run['home_bytes']} B)"
    )
    header = (
        f"  {'url':<24}{'client':>7}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'non-2xx':>8}"
        f"{'bytes':>8}{'queries':>8}{'ratio':>8}{'% static':>9}  {'Δ req/s':>8}{'Δ p99':>7}"
    )
    print(header)
    for row in run["results"]:
        before = previous.get((run["size"], run["mode"], row["key"], row["client"]))
        errors = row["non_2xx"] + row["socket_errors"]
        ratio = figure(row["ratio"]) if row["ratio"] else "—"
        share = f"{100 / row['ratio']:.0f}%" if row["ratio"] else "—"
        print(
            f"  {row['name']:<24}{row['client']:>7}{row['rps']:>9.0f}{row['p50_ms']:>8.1f}"
            f"{row['p99_ms']:>8.1f}{errors:>8}{row['bytes_per_response']:>8}"
            f"{row['queries_per_request']:>8}{ratio:>8}{share:>9}  "
            f"{change(row['rps'], before and before['rps']):>8}"
            f"{change(row['p99_ms'], before and before['p99_ms']):>7}"
        )
    for row in run["results"]:
        if row["key"] == EDITED:
            extra = row["extra"]
            print(
                f"  the point list's first render after an edit: {extra['after_p50_ms']:.1f} ms "
                f"(median of {row['requests']}), against {extra['before_p50_ms']:.1f} ms just "
                f"before it: {extra['after_to_before']:.2f}×"
            )
    for client, baseline in run["baseline_rps"].items():
        static = [
            row["rps"]
            for row in run["results"]
            if row["client"] == client and row["key"] in (STATIC, STATIC_AGAIN)
        ]
        spread = (max(static) - min(static)) / baseline if baseline else 0
        if spread > 0.25:
            print(
                f"  the static file's first and last {client} runs differ by {spread:.0%}: "
                "the machine's load changed meanwhile, so these ratios are rough"
            )
    locked = sum(row["database_locked"] or 0 for row in run["results"])
    if run["server_errors"] or locked:
        print(f'  server log: {run["server_errors"]} errors, {locked} × "{LOCKED}"')


def previous_figures(path):
    try:
        report = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}, None
    figures = {
        (run["size"], run["mode"], row["key"], row["client"]): row
        for run in report.get("runs", [])
        for row in run.get("results", [])
    }
    return figures, report.get("started_at")


def write_report(output, report):
    """latest.json, after moving the one before it to previous.json."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.exists():
        output.replace(output.with_name("previous.json"))
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


# Command line


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--seconds", type=int, default=3, help="load per URL (default 3)")
    parser.add_argument("--connections", type=int, default=16, help="at once (default 16)")
    parser.add_argument(
        "--sizes",
        default="a,b,c",
        help="data sizes: a (the article), b (361 points), "
        "c (b plus 10,000 saved routines); default a,b,c",
    )
    parser.add_argument(
        "--urls",
        help=f"measure these at every size, from {','.join(ALL_URLS)}; by default "
        "the guide's pages at a and b, the routines' pages and the builder at c",
    )
    parser.add_argument("--modes", default="warm,cold", help="warm (page cache on), cold (off)")
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="for the pages: wrk if installed (auto), else Python; the builder always uses Python",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads each (default 4)")
    parser.add_argument(
        "--output",
        default=str(BASE_DIR / "bench-results" / "latest.json"),
        help="the report; the one there before moves to previous.json beside it",
    )
    parser.add_argument(
        "--plain-static",
        action="store_true",
        help="collect static files without the gzip and brotli copies (quicker; for tests)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases and server logs")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="run on PostgreSQL: postgres://user:password@host/db of a role that may create "
        "databases (the benchmark's own are made and dropped); default SQLite",
    )
    options = parser.parse_args(argv)

    options.sizes = [size.strip() for size in options.sizes.split(",") if size.strip()]
    options.modes = [mode.strip() for mode in options.modes.split(",") if mode.strip()]
    urls = [key.strip() for key in (options.urls or "").split(",") if key.strip()]
    for values, known, what in [
        (options.sizes, SIZES, "size"),
        (options.modes, MODES, "mode"),
        (urls, ALL_URLS, "URL"),
    ]:
        unknown = [value for value in values if value not in known]
        if unknown:
            parser.error(f"unknown {what} {', '.join(unknown)}; choose from {', '.join(known)}")
    options.urls = urls or None
    options.postgres = options.postgres and PostgresDatabases(options.postgres)
    options.wrk = shutil.which("wrk") if options.client in ("auto", "wrk") else None
    if options.client == "wrk" and not options.wrk:
        parser.error("--client wrk, but wrk is not installed")
    options.client = "wrk" if options.wrk else "python"
    return options


def main(argv=None):
    options = parse_args(argv)
    started, started_at = time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds")
    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="acupressure-bench-"))
    previous, previous_start = previous_figures(options.output)
    failed = True
    try:
        options.wrk_script = workdir / "report.lua"
        options.wrk_script.write_text(WRK_REPORT)
        options.static_root = workdir / "staticfiles"
        say(f"collecting static files into {options.static_root}")
        collect_static(
            options.static_root,
            env=bench_env(workdir / "data-a"),
            compress=not options.plain_static,
        )
        templates, data = build_databases(workdir, options.sizes, options.postgres)
        print(LEGEND)
        runs = []
        for size in options.sizes:
            for mode in options.modes:
                urls = options.urls or DEFAULT_URLS[size]
                run = run_size(workdir, options, size, mode, templates[size], data[size], urls)
                print_run(run, previous)
                runs.append(run)
        failed = False
    finally:
        if options.keep or failed:
            say(f"databases and server logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        if options.postgres and not options.keep:
            options.postgres.drop_all()

    checked = targets(runs)
    load_after = os.getloadavg()[0]
    print()
    busy = max(load_before, load_after) > 0.5 * (os.cpu_count() or 1)
    print(
        f"load average {load_before:.1f} before, {load_after:.1f} after, on {os.cpu_count()} CPUs"
        + (": other work was running, so the figures are noisy" if busy else "")
    )
    print("targets:")
    for line in checked:
        detail = f" — {'; '.join(line['failing'])}" if line["failing"] else ""
        print(f"  {line['status']:<13}{line['target']}{detail}")
    report = {
        "started_at": started_at,
        "duration_s": round(time.monotonic() - started, 1),
        "compared_with": previous_start,
        "options": {
            "seconds": options.seconds,
            "connections": options.connections,
            "sizes": options.sizes,
            "modes": options.modes,
            "urls": options.urls,
            "client": options.client,
            "workers": options.workers,
            "threads": options.threads,
            "compressed_static": not options.plain_static,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": round(load_before, 2),
            "load_average_after": round(load_after, 2),
        },
        "runs": runs,
        "targets": checked,
    }
    write_report(options.output, report)
    print()
    print(
        f"figures written to {options.output}"
        + (f" (compared with the run of {previous_start})" if previous_start else "")
    )
    return report


if __name__ == "__main__":
    main()
