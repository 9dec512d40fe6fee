"""Whole-page caching of the public pages, invalidated by any content change.

Public pages are the same for every visitor (design.md: per-visitor parts load
separately), so each is rendered once per content version and served from the shared
cache after that. The content version is the time of the last change editors made; it is
part of every page's cache key, so one change retires every cached page at once, on every
app server that shares the cache.
"""

import hashlib
import time
from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

VERSION_KEY = "content-version"


def content_version():
    """An integer that changes whenever the guide's content does (nanoseconds since 1970)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # First request after the cache was emptied: any moment now is a valid version, and
        # add() lets the first of several racing workers decide it for all of them.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY) or time.time_ns()
    return version


def content_changed():
    """Retire every cached page."""
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def on_model_change(sender, instance=None, created=False, **kwargs):
    """Receiver for post_save, post_delete and m2m_changed of every model.

    Everything in the points app is content, and so are routines, except a visitor saving
    a new link: no cached page shows a routine before it exists, and busy sites save many.
    """
    label = sender._meta.app_label
    if label == "points" or (
        label == "routines" and not (created and not getattr(instance, "is_suggestion", True))
    ):
        content_changed()


# The request headers a public page may vary on (the point list answers htmx with a part).
VARY_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def page_key(request, version):
    """One key per content version, URL (host included) and htmx headers.

    Django's cache middleware learns each page's Vary headers with a second cache read;
    every public page varies on the same few, so they are simply part of the key.
    """
    varies = "|".join(request.headers.get(name, "") for name in VARY_HEADERS)
    url = hashlib.md5(f"{request.build_absolute_uri()}|{varies}".encode()).hexdigest()
    return f"page:{version}:{url}"


def cacheable(response):
    return (
        response.status_code == 200
        and not response.cookies
        and not response.streaming
        and "private" not in response.get("Cache-Control", "")
    )


def public_page(view=None, *, query_keys=()):
    """Cache the view's page whole, keyed on its URL and the headers it varies on.

    Only URLs whose query string uses `query_keys` (none by default) are cached: any other
    is rendered every time, so made-up query strings cannot fill the cache and push out
    the pages people use. Every answer, cached or not, carries an ETag and Last-Modified
    (ConditionalGetMiddleware turns them into 304 Not Modified) and a Cache-Control that
    lets browsers keep the page while they revalidate it and a CDN keep it for
    PAGE_CDN_SECONDS.
    """
    if view is None:
        return partial(public_page, query_keys=query_keys)

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        version = content_version()
        timeout = settings.PAGE_CACHE_SECONDS if set(request.GET) <= set(query_keys) else 0
        if timeout:
            key = page_key(request, version)
            cached = cache.get(key)
            if cached is not None:
                return cached
        response = view(request, *args, **kwargs)
        if not cacheable(response):
            return response
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CDN_SECONDS)
        response["Last-Modified"] = http_date(version // 10**9)
        set_response_etag(response)
        if timeout:
            cache.set(key, response, timeout)
        return response

    return cached_view
