"""One visitor's changes run one at a time, and a database that cannot take them says so.

A visitor's working state lives in their session, which Django loads when a request first
touches it and writes back whole when the request ends. Two requests from one visitor at
once (quick clicks on "Add" down a list) would each write back their own copy, and the
later write would undo the earlier one.

Views that change the session are marked with @changes_session. For those, the middleware
wraps the whole request, the session's load and its save included, in one transaction that
starts by writing to the visitor's session row. That write locks the row (PostgreSQL) or
the database (SQLite, whose IMMEDIATE transactions take the write lock at BEGIN), so a
second request of the same visitor waits until the first has committed and then reads
what it wrote. A worker killed half-way commits nothing. The same write finds out first
whether the database takes writes at all: a read-only or unreachable one is answered
with 503 before the view runs, and a view that meets one later is answered the same way.
"""

import logging
import time
from functools import wraps

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import InterfaceError, InternalError, OperationalError, transaction
from django.db.models import F
from django.shortcuts import render
from django.urls import Resolver404, resolve

from .middleware import client_ip

logger = logging.getLogger(__name__)

# What a read-only (SQLite: "attempt to write a readonly database"; PostgreSQL: a read-only
# transaction) or unreachable database raises. Integrity and programming errors are bugs
# and stay 500s.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, InternalError)
RETRY_AFTER_SECONDS = 120


def changes_session(view):
    """Mark a view whose POSTs change the visitor's session: they run one at a time.

    A change is what starts a visitor's session (reading pages never does), so it is also
    where sessions are rationed: an address may start NEW_SESSIONS_PER_HOUR of them, and a
    session that never gets past its first change expires after FIRST_CHANGE_SESSION_SECONDS
    instead of two weeks. A client that keeps no cookies starts a session with every
    request; without these, each of its requests would leave a row for two weeks.
    """

    @wraps(view)
    def rationed_view(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        starts = starts_a_session(request)
        if starts and cache.get(new_sessions_key(request), 0) >= settings.NEW_SESSIONS_PER_HOUR:
            return too_many_new_sessions(request)
        response = view(request, *args, **kwargs)
        if starts and request.session.modified:  # a refused change starts nothing
            count_new_session(request)
            request.session.set_expiry(settings.FIRST_CHANGE_SESSION_SECONDS)
        elif request.session.get_expiry_age() < settings.SESSION_COOKIE_AGE:
            request.session.set_expiry(None)  # a second change: the usual two weeks
        return response

    rationed_view.changes_session = True
    return rationed_view


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
    if request.headers.get("HX-Request") == "true":
        response = render(request, "includes/too_many_new_sessions_notice.html", status=429)
        response["HX-Retarget"] = "#live-notice"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = render(request, "429.html", status=429)
    response["Retry-After"] = "3600"
    response["Cache-Control"] = "no-store"
    return response


def database_unavailable(request):
    """503 with Retry-After: the full page, or for htmx a short notice in the page's notice
    area rather than an error page swapped into the middle of the builder."""
    if request.headers.get("HX-Request") == "true":
        response = render(request, "includes/unavailable_notice.html", status=503)
        response["HX-Retarget"] = "#live-notice"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class SessionChangesMiddleware:
    """Above SessionMiddleware, so the session's save is inside the transaction."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS") or not self.changes_session(request):
            return self.get_response(request)
        try:
            with transaction.atomic():
                lock_session(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
                return self.get_response(request)
        except DATABASE_UNAVAILABLE:
            logger.warning("The database refused a change to %s", request.path, exc_info=True)
            return database_unavailable(request)

    def changes_session(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return getattr(match.func, "changes_session", False)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning("The database failed during %s", request.path, exc_info=True)
        if transaction.get_connection().in_atomic_block:
            # Whatever the view did is undone, the session included.
            transaction.set_rollback(True)
        return database_unavailable(request)


def lock_session(session_key):
    """Write to the visitor's session row: it stays locked until the transaction ends.

    A visitor without a session yet has no row (and no other request of theirs to wait
    for); the statement still runs, so a database that takes no writes is found out here.
    """
    Session.objects.filter(session_key=session_key or "").update(expire_date=F("expire_date"))
