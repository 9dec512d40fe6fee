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

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import InterfaceError, InternalError, OperationalError, transaction
from django.db.models import F
from django.shortcuts import render
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

# What a read-only (SQLite: "attempt to write a readonly database"; PostgreSQL: a read-only
# transaction) or unreachable database raises. Integrity and programming errors are bugs
# and stay 500s.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, InternalError)
RETRY_AFTER_SECONDS = 120


def changes_session(view):
    """Mark a view whose POSTs change the visitor's session: they run one at a time."""
    view.changes_session = True
    return view


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
