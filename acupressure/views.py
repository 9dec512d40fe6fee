"""Site-wide views: the answer to a refused CSRF token, robots.txt, the web app manifest
and the service worker."""

import hashlib
import json
import re
from pathlib import Path

from csp.utils import build_policy
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from django_htmx.http import HttpResponseClientRedirect

from acupressure.caching import code_version


def asks_first_on_get(view):
    """Mark a POST view whose GET answers with a page asking the visitor to confirm (as
    "Add to routine" does): a refused htmx POST to it is sent to that page."""
    view.asks_first_on_get = True
    return view


def csrf_failure(request, reason=""):
    """A missing or stale CSRF token. htmx callers are sent where a plain browser would go:
    the view's confirmation page where it has one, else the page they were on, reloaded
    with a fresh token."""
    if request.htmx:
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            view = None
        if getattr(view, "asks_first_on_get", False):
            target = request.path
        else:
            target = request.htmx.current_url_abs_path or "/"
        response = HttpResponseClientRedirect(target)
        response.status_code = 403
    else:
        response = render(request, "403_csrf.html", status=403)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


@require_safe
def robots_txt(request):
    """Search engines may read the guide, not the admin or a visitor's working routine."""
    lines = ["User-agent: *", "Disallow: /admin/"]
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            lines.append(f"Disallow: {reverse('routines:routine')}")
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# The guide as an installable app that keeps a guided session working without signal.
# Browsers ask for both files again whenever they check for an update (no-cache, answered
# 304 through their ETag when nothing changed): each names this release's static files.


@require_safe
def web_app_manifest(request):
    """The web app manifest, in the page's language (the URL is under i18n_patterns)."""
    manifest = {
        # One app whichever language it was installed from.
        "id": "/",
        "name": gettext("Acupressure guide"),
        "short_name": gettext("Acupressure"),
        "description": gettext(
            "A careful guide to acupressure points for back pain: where they are, how to "
            "press them, and when to see a doctor instead."
        ),
        "lang": translation.get_language(),
        "dir": "ltr",
        "start_url": reverse("points:home"),
        "scope": "/",
        "display": "standalone",
        # --accent and --paper of static/css/site.css.
        "theme_color": "#1f6f68",
        "background_color": "#fbfaf7",
        "icons": [
            {"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    patch_cache_control(response, no_cache=True)
    return response


# The static files a page names (its stylesheets, scripts, icon), as the worker finds them.
# A data-*-src attribute names a script the page loads later (the session's pain log).
STATIC_REFERENCE = r'(?:href|src|data-[a-z-]+-src)="({static}[^"?#]+)"'


def service_worker_release(script):
    """What the worker's `script` needs to know of this release, to be written above it."""
    session_paths = []
    offline_pages = []
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            path = reverse("routines:shared_session", args=["TOKEN"])
            session_paths.append(re.escape(path).replace("TOKEN", "[^/]+"))
            offline_pages.append((reverse("points:home"), render_to_string("offline.html")))
    release = {
        # Only a saved routine's session: /routine/session/ is a visitor's working routine.
        "sessionPath": f"^(?:{'|'.join(session_paths)})$",
        "staticUrl": settings.STATIC_URL,
        "staticReference": STATIC_REFERENCE.format(static=re.escape(settings.STATIC_URL)),
        # Longest language prefix first, so "/" (English) comes last and catches the rest.
        "offlinePages": sorted(offline_pages, key=lambda page: -len(page[0])),
        # A page the worker makes up gets the same policy as the site's own pages.
        "contentSecurityPolicy": build_policy(),
    }
    # The code's version, and a digest of the rest: a release that changes only a static
    # file's hashed name, a translation or the worker itself gets a fresh cache too.
    digest = hashlib.md5(f"{json.dumps(release)}{script}".encode(), usedforsecurity=False)
    digest = digest.hexdigest()
    return {"version": f"{code_version()}-{digest[:8]}", **release}


@require_safe
def service_worker(request):
    """static/js/sw.js with this release's details, from the site's root so that its scope
    covers every page in every language. A changed script is a new worker, which replaces
    the old one and its cache."""
    script = Path(finders.find("js/sw.js")).read_text()
    release = json.dumps(service_worker_release(script), indent=2)
    response = HttpResponse(
        f"const RELEASE = {release};\n\n{script}", content_type="text/javascript; charset=utf-8"
    )
    patch_cache_control(response, no_cache=True)
    return response
