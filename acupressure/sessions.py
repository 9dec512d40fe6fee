"""One visitor's changes run one at a time; only the write itself waits.

A visitor's working state lives in their session. Two requests from one visitor at once
(quick clicks on "Add" down a list) must not undo each other, so a view changes the session
inside `changing_session`: one short transaction that starts by writing to the visitor's
session row, then reads the session again, applies the change and saves it. The first write
locks the row (PostgreSQL) or the database (SQLite, whose IMMEDIATE transactions take the
write lock at BEGIN), so a second change waits until the first has committed and then reads
what it wrote. The view renders its answer after the commit: the lock covers the change
alone, never a render, and reading pages never takes it.

SessionMiddleware saves a modified session once more as the response leaves. The store
below skips that save when nothing changed since the save under the lock; made outside the
lock, it could put this request's copy back over a change committed meanwhile.

The same first write finds out whether the database takes writes at all: a read-only or
unreachable one is answered with 503 (the decorator and the middleware below).
"""

import logging
import time
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import InterfaceError, InternalError, OperationalError, transaction
from django.db.models import F
from django.shortcuts import render

from .middleware import client_ip

logger = logging.getLogger(__name__)

# What a read-only (SQLite: "attempt to write a readonly database"; PostgreSQL: a read-only
# transaction) or unreachable database raises. Integrity and programming errors are bugs
# and stay 500s.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, InternalError)
RETRY_AFTER_SECONDS = 120


class SessionStore(DatabaseSessionStore):
    """Django's database sessions (SESSION_ENGINE = "acupressure.sessions"), which can be
    read again under the lock and are not written twice."""

    saved = None  # the key and data this request last wrote

    def read_again(self):
        self.__dict__.pop("_session_cache", None)

    def save(self, must_create=False):
        # The key too: signing in saves the same data under a new key (cycle_key).
        written = (self.session_key, self.serializer().dumps(self._get_session(must_create)))
        if written != self.saved:
            super().save(must_create)
            self.saved = (self.session_key, written[1])


class TooManyNewSessions(Exception):
    """This address has started as many sessions this hour as it may."""


@contextmanager
def changing_session(request):
    """The visitor's session, read and written back inside one short transaction that no
    other change of theirs can enter: keep the `with` block to the change itself."""
    session = request.session
    with transaction.atomic():
        lock_session(session.session_key)
        session.read_again()  # in case something read it before the lock
        starts = starts_a_session(request)
        if starts and cache.get(new_sessions_key(request), 0) >= settings.NEW_SESSIONS_PER_HOUR:
            raise TooManyNewSessions
        yield session
        if not session.modified:  # a refused change starts and writes nothing
            return
        if starts:
            count_new_session(request)
            session.set_expiry(settings.FIRST_CHANGE_SESSION_SECONDS)
        elif session.get_expiry_age() < settings.SESSION_COOKIE_AGE:
            session.set_expiry(None)  # a second change: the usual two weeks
        session.save()


def lock_session(session_key):
    """Write to the visitor's session row: it stays locked until the transaction ends.

    A visitor without a session yet has no row (and no other request of theirs to wait
    for); the statement still runs, so a database that takes no writes is found out here.
    """
    Session.objects.filter(session_key=session_key or "").update(expire_date=F("expire_date"))


def changes_session(view):
    """For a view that changes the visitor's session in `changing_session`: the answers
    when an address has started too many sessions (429) or the database takes no writes
    (503).

    A change is what starts a visitor's session (reading pages never does), so it is also
    where sessions are rationed: an address may start NEW_SESSIONS_PER_HOUR of them, and a
    session that never gets past its first change expires after FIRST_CHANGE_SESSION_SECONDS
    instead of two weeks. A client that keeps no cookies starts a session with every
    request; without these, each of its requests would leave a row for two weeks.
    """

    @wraps(view)
    def changing_view(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except TooManyNewSessions:
            return too_many_new_sessions(request)
        except DATABASE_UNAVAILABLE:
            logger.warning("The database refused a change to %s", request.path, exc_info=True)
            return database_unavailable(request)

    return changing_view


def starts_a_session(request):
    """Whether the visitor has no session yet (or only an expired or made-up cookie)."""
    request.session.keys()  # loads it: a cookie that names no live session is dropped
    return request.session.session_key is None


def new_sessions_key(request):
    """This hour's count of the sessions the client's address started. It lives in the
    shared cache, so every app server keeps one tally."""
    return f"new-sessions:{client_ip(request)}:{int(time.time() // 3600)}"


def count_new_session(request):
    key = new_sessions_key(request)
    cache.add(key, 0, timeout=3600)
    try:
        cache.incr(key)
    except ValueError:  # the entry expired between add() and incr()
        cache.set(key, 1, timeout=3600)


def too_many_new_sessions(request):
    """429: the full page, or for htmx a short notice in the page's notice area."""
    return refusal(request, "429.html", "includes/too_many_new_sessions_notice.html", 429, 3600)


def database_unavailable(request):
    """503 with Retry-After: the full page, or for htmx a short notice in the page's notice
    area rather than an error page swapped into the middle of the builder."""
    return refusal(
        request, "503.html", "includes/unavailable_notice.html", 503, RETRY_AFTER_SECONDS
    )


def refusal(request, page, notice, status, retry_after):
    if request.headers.get("HX-Request") == "true":
        response = render(request, notice, status=status)
        response["HX-Retarget"] = "#live-notice"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = render(request, page, status=status)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """503 instead of 500 for any view that meets a database taking no writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning("The database failed during %s", request.path, exc_info=True)
        return database_unavailable(request)
