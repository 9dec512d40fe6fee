"""The site under gunicorn, as `make run` serves it, for tests and benchmarks that need a
real server: several processes and threads, real CSRF checks, workers that can be killed.

`Server` gives each run its own SQLite file (migrated in a subprocess, as `make run` does)
and its own collected static files, so it never touches the developer's database.
`Visitor` is one browser without JavaScript: its own cookies, CSRF token and session.

    with Server(tmp_path, workers=4, threads=4) as server:
        link = Visitor(server.base_url).save_routine("Evening", ["bl23", "gb30"])
"""

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import closing
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# The guide's content, as `make run` loads it into a new database.
GUIDE_CONTENT = BASE_DIR / "content" / "guide.json"
VERSION_INPUT = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"')


def free_ports(count):
    """`count` different ports free on 127.0.0.1 now. They are chosen while all are held:
    ports chosen one by one may repeat, as the system may hand out a port again as soon as
    it is released."""
    with contextlib.ExitStack() as held:
        probes = [held.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]


def free_port():
    return free_ports(1)[0]


def site_env(directory, overrides=None):
    """The environment for manage.py and gunicorn: production-like defaults (DEBUG off, a
    fixed secret, an SQLite file and a page cache in `directory`), then `overrides`."""
    directory = Path(directory).resolve()  # manage.py and gunicorn run in the project folder
    # A cache of its own too: never the Redis of the shell (a test passes one on purpose)
    # nor the .cache folder of `make run`.
    # Nor the async-unsafe switch the browser tests set in this process.
    unwanted = {"CACHE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    inherited = {k: v for k, v in os.environ.items() if k not in unwanted}
    env = {
        **inherited,
        "CACHE_DIR": str(directory / "cache"),
        "DJANGO_SETTINGS_MODULE": "acupressure.settings",
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "SECRET_KEY": "tests-server-secret-key-that-is-long-enough-for-django",
        "DEBUG": "0",
        "STATIC_ROOT": str(directory / "staticfiles"),
        # Editors' uploads too, never into the developer's media/ folder.
        "MEDIA_ROOT": str(directory / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    env.update(overrides or {})
    return env


def run(command, env):
    """Run a command in the project folder and return what it printed; its output is in
    the error if it fails."""
    result = subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def manage(*args, env):
    return run([sys.executable, "manage.py", *args], env=env)


def prepare_database(env):
    """Migrate the database `env` points at and load the guide's content, as `make run` does."""
    manage("migrate", "--no-input", "--verbosity", "0", env=env)
    manage("import_content", str(GUIDE_CONTENT), env=env)


# collectstatic with the hashing of the real storage but without its gzip and brotli
# copies: the same manifest in about a second instead of twenty.
UNCOMPRESSED_COLLECTSTATIC = """
import django
from django.conf import settings
from django.core.management import call_command

settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
django.setup()
call_command("collectstatic", "--no-input", "--verbosity", "0")
"""


def collect_static(static_root, env=None, compress=False):
    """Collected static files, so the manifest storage of the real settings finds them.

    Without `compress` whitenoise serves the same files, only never pre-compressed.
    """
    static_root = Path(static_root).resolve()
    env = {**(env or site_env(static_root)), "STATIC_ROOT": str(static_root)}
    if compress:
        manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    else:
        run([sys.executable, "-c", UNCOMPRESSED_COLLECTSTATIC], env=env)


def copy_database(source, target):
    """A consistent copy of an SQLite file, including what is still in its WAL file."""
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)


def answers_http(port, host, tls=False):
    """Whether an HTTP server (over TLS if `tls`, any certificate) answers on the port.

    `host` is the Host header: a name the site accepts (see accepted_host). Any status will
    do, but a Host outside ALLOWED_HOSTS makes Django log a DisallowedHost error with its
    traceback, which fails tests that read the server's log for tracebacks.
    """
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            if tls:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                connection = context.wrap_socket(connection, server_hostname=host)
            with connection:
                request = f"HEAD /favicon.ico HTTP/1.0\r\nHost: {host}\r\n\r\n"
                connection.sendall(request.encode())
                return connection.recv(12).startswith(b"HTTP/")
    except OSError:
        return False


def accepted_host(env, default):
    """A Host the site run with `env` accepts: the first name of its ALLOWED_HOSTS, or
    `default` where the settings' own list applies (it has 127.0.0.1 and localhost)."""
    allowed = [name.strip() for name in env.get("ALLOWED_HOSTS", "").split(",") if name.strip()]
    if not allowed or allowed[0] == "*":
        return default
    return allowed[0].lstrip(".")  # ".example.org" allows example.org too


def control_socket_off():
    """gunicorn 25.1+ opens a control socket in ~/.gunicorn by default, one path for every
    server of the user; a test server must not take over that of `make run`."""
    major, minor = (int(part) for part in version("gunicorn").split(".")[:2])
    return ["--no-control-socket"] if (major, minor) >= (25, 1) else []


def child_pids(parent):
    """Live processes whose parent is `parent` (zombies waiting to be reaped are not)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        # The name in brackets may hold spaces; the fields after it do not.
        state, ppid = text.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == parent and state != "Z":
            children.append(int(stat.parent.name))
    return sorted(children)


class Service:
    """A program run for the tests in a session of its own (so a Ctrl-C in the terminal
    reaches pytest only), ready once `ready()` says so, stopped with SIGTERM.

    A subclass sets `name`, `start_timeout` and `stop_timeout`, and says what `ready()` and
    `log()` (what the program said, for errors) are.
    """

    name = "the program"
    start_timeout = 30
    stop_timeout = 10
    process = None

    def ready(self):
        raise NotImplementedError

    def log(self):
        return ""

    def launch(self, command, stderr_path, **popen_options):
        """Run `command`, its standard error into `stderr_path`, and wait until it is ready;
        stopped again if it is not."""
        with open(stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
                **popen_options,
            )
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def wait_until_ready(self):
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log()}")
            if self.ready():
                return
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not answer in {self.start_timeout} s:\n{self.log()}")

    def stop(self):
        """SIGTERM to the master, which stops its workers; SIGKILL to the whole process
        group (its session: master and workers, all ours) if that takes too long."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class Server(Service):
    """gunicorn serving the site on 127.0.0.1 with a free port, with the settings of
    gunicorn.conf.py as `make run` and production have them.

    - `workers`, `threads`: as gunicorn's options; threads by default gunicorn.conf.py's.
    - `env` overrides the environment of migrate, collectstatic and gunicorn (e.g. a
      DATABASE_URL for PostgreSQL); `server_env` only gunicorn's (e.g. a switch that the
      migration must not see).
    - `migrate=False` serves the database as it is; `database_template`, an SQLite file
      migrated once (see prepare_database), is copied instead of migrating again.
    - `static_root`: a folder filled once by collect_static, shared between servers;
      without it each server collects its own.
    - `gunicorn_args`: more options, e.g. ["--keep-alive", "1"].
    - `port`: the port to listen on, for settings that must name it before the start
      (CSRF_TRUSTED_ORIGINS); a free one by default.
    """

    name = "gunicorn"
    stop_timeout = 15

    def __init__(
        self,
        directory,
        *,
        workers=2,
        threads=None,
        env=None,
        server_env=None,
        migrate=True,
        database_template=None,
        static_root=None,
        gunicorn_args=(),
        port=None,
        start_timeout=60,
    ):
        self.directory = Path(directory).resolve()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.workers = workers
        self.threads = threads
        self.env = site_env(self.directory, env)
        if static_root is not None:
            self.env["STATIC_ROOT"] = str(Path(static_root).resolve())
        self.server_env = {**self.env, **(server_env or {})}
        self.migrate = migrate
        self.database_template = database_template
        self.collect = static_root is None
        self.gunicorn_args = list(gunicorn_args)
        self.start_timeout = start_timeout
        self.port = port
        self.stderr_path = self.directory / "gunicorn-stderr.log"
        self.access_log_path = self.directory / "gunicorn-access.log"

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self):
        """The gunicorn master's pid."""
        return self.process.pid

    @property
    def database_path(self):
        """The SQLite file the server uses, or None for another database."""
        url = self.server_env["DATABASE_URL"]
        return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None

    def worker_pids(self):
        return child_pids(self.pid)

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    def start(self):
        if self.database_template is not None:
            copy_database(self.database_template, self.database_path)
        elif self.migrate:
            prepare_database(self.env)
        if self.collect:
            collect_static(self.env["STATIC_ROOT"], env=self.env)
        self.port = self.port or free_port()
        # gunicorn reads gunicorn.conf.py from BASE_DIR, as `make run` does; only what a test
        # server does differently is given here.
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(self.workers)]
        if self.threads is not None:
            command += ["--threads", str(self.threads)]
        command += [
            "--access-logfile",
            str(self.access_log_path),
            # A test stops its servers at once.
            "--graceful-timeout",
            "5",
            *control_socket_off(),
            *self.gunicorn_args,
        ]
        return self.launch(command, self.stderr_path, cwd=BASE_DIR, env=self.server_env)

    def ready(self):
        """Every worker is up and the site answers (any status will do: a server without a
        database answers 500, which is what some tests want)."""
        return len(self.worker_pids()) == self.workers and self.answers()

    def log(self):
        return self.stderr()

    def answers(self):
        host = accepted_host(self.server_env, urllib.parse.urlsplit(self.base_url).hostname)
        return answers_http(self.port, host)

    def wait_for_workers(self, count=None, without=(), timeout=30):
        """The worker pids once `count` workers (all, by default) run and none of `without`."""
        count = count or self.workers
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if len(pids) == count and not set(pids) & set(without):
                return pids
            time.sleep(0.05)
        raise AssertionError(f"workers {self.worker_pids()} after {timeout} s, not {count}")


# The client


@dataclass
class Response:
    status: int
    headers: dict
    text: str
    url: str

    @property
    def location(self):
        return self.headers.get("location", "")


class UnexpectedStatus(AssertionError):
    def __init__(self, response, expected):
        super().__init__(
            f"{response.url} answered {response.status}, not {expected}: {response.text[:500]}"
        )
        self.response = response


class KeepEveryResponse(urllib.request.HTTPErrorProcessor):
    """Hand back 3xx, 4xx and 5xx answers as they are: redirects are followed by hand and
    error pages are what some tests look at."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class Visitor:
    """One visitor with a browser without JavaScript: their own cookies and session.

    Every answer's status is kept in `statuses`. Connection failures (a killed worker)
    raise OSError; retrying is the caller's business.
    """

    def __init__(self, base_url, timeout=30):
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), KeepEveryResponse()
        )
        self.statuses = []
        # The routine page last seen, if nothing was posted since: its version is current.
        self.routine_page = None

    def request(self, method, path, data=None, headers=None):
        url = urllib.parse.urljoin(self.base_url, path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        with self.opener.open(request, timeout=self.timeout) as answer:
            response = Response(
                status=answer.status,
                headers={name.lower(): value for name, value in answer.headers.items()},
                text=answer.read().decode("utf-8", errors="replace"),
                url=url,
            )
        self.statuses.append(response.status)
        return response

    def get(self, path, expect=None):
        return self.expect(self.request("GET", path), expect)

    def post(self, path, data=None, expect=None):
        """A form POST with the CSRF token, as Django's CSRF checks want it over http."""
        headers = {"X-CSRFToken": self.csrf_token()}
        self.routine_page = None
        return self.expect(self.request("POST", path, data or {}, headers), expect)

    def expect(self, response, expected):
        if expected is not None and response.status != expected:
            raise UnexpectedStatus(response, expected)
        return response

    def follow(self, response, expect=200):
        """The page a redirect leads to, fetched as a browser would (GET)."""
        if response.status not in (301, 302, 303, 307, 308):
            raise UnexpectedStatus(response, "a redirect")
        page = self.get(response.location, expect=expect)
        if urllib.parse.urlsplit(page.url).path == "/routine/":
            self.routine_page = page
        return page

    def csrf_token(self):
        for cookie in self.cookies:
            if cookie.name.endswith("csrftoken"):
                return cookie.value
        return ""

    # The routine builder

    def start(self):
        """Load the header badge, as every page does: it sets the CSRF cookie."""
        self.get("/routine/badge/", expect=200)
        if not self.csrf_token():
            raise AssertionError("/routine/badge/ set no CSRF cookie")

    def version(self):
        """The routine's version, from the routine page (loaded if need be)."""
        page = self.routine_page or self.get("/routine/", expect=200)
        match = VERSION_INPUT.search(page.text)
        if match is None:
            raise AssertionError(f"no version field on {page.url}")
        return int(match.group(1))

    def change(self, path, follow=True, **data):
        """POST a change with the current version; the routine page it redirects to, or
        just the redirect if not `follow` (fewer pages to render, when that is the point)."""
        response = self.post(path, {"version": self.version(), **data}, expect=302)
        return self.follow(response) if follow else response

    def add(self, slug, follow=True):
        response = self.post(f"/routine/add/{slug}/", expect=302)
        return self.follow(response) if follow else response

    def save(self):
        """Save the working routine; the path of its link (/r/<token>/), which is opened."""
        response = self.post("/routine/save/", {"version": self.version()}, expect=302)
        self.follow(response)
        return urllib.parse.urlsplit(response.location).path

    def save_routine(self, title, slugs):
        """Start afresh, build a routine of these points under this title, save it.

        Only the pages that carry a version the next POST needs are loaded: a real
        browser would also load the page after each change.
        """
        if not self.csrf_token():
            self.start()
        self.change("/routine/clear/")
        self.change("/routine/title/", follow=False, title=title)
        for slug in slugs:
            self.add(slug, follow=False)
        return self.save()


def token_of(link):
    """The token in a link such as /r/<token>/."""
    return link.strip("/").rsplit("/", 1)[-1]
