"""Site-wide views: the answer to a refused CSRF token, robots.txt."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe
from django_htmx.http import HttpResponseClientRedirect


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
