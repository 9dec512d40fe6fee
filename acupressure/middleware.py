"""Security middleware for headers Django has no setting for, and for staff sessions."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import render
from django.urls import reverse


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy on every response.

    Nothing of the guide is meant to be embedded by other sites, so resources are
    same-origin only; a CDN in front serves them under the same origin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RequestBodyLimitMiddleware:
    """413 for a request whose declared body is larger than the site ever needs, before any
    of it is read: without it Django would spool a huge upload to disk, whatever the front
    server (gunicorn exposed directly has no limit of its own).

    A body without a Content-Length (chunked) is never read by Django at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length > self.limit(request):
            context = {"photo_limit_mb": settings.PHOTO_MAX_BYTES // 2**20}
            response = render(request, "413.html", context, status=413)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)

    def limit(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        if request.path_info.startswith(self.admin_prefix):
            return settings.ADMIN_REQUEST_BODY_MAX_BYTES
        return settings.REQUEST_BODY_MAX_BYTES


class AdminSessionExpiryMiddleware:
    """Sign staff out after a spell of inactivity in the admin, and some hours after sign-in.

    Only admin requests look at the session, so public pages stay free of `Vary: Cookie`
    and can be cached whole; a visitor's session (their routine) is never touched here.
    """

    # Writing the session on every admin request would be wasteful; a minute is precise enough.
    TOUCH_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The URL resolver already knows whether this is an admin page: no reverse() on
        # every request, cached public pages included.
        if request.resolver_match.namespace == "admin":
            self.expire_staff_session(request)

    def expire_staff_session(self, request):
        if not (request.user.is_authenticated and request.user.is_staff):
            return
        now = int(time.time())
        session = request.session
        signed_in = session.setdefault("staff_signed_in_at", now)
        last_seen = session.get("staff_seen_at", now)
        if (
            now - last_seen > settings.ADMIN_SESSION_IDLE_SECONDS
            or now - signed_in > settings.ADMIN_SESSION_MAX_SECONDS
        ):
            logout(request)  # the admin then asks to sign in again
        elif now - last_seen >= self.TOUCH_EVERY_SECONDS or "staff_seen_at" not in session:
            session["staff_seen_at"] = now


def client_ip(request):
    """The address sign-in attempts are counted against.

    Behind a proxy every request comes from the proxy, so the client is the address the
    proxy appended last to X-Forwarded-For (earlier entries are whatever the client sent).
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
