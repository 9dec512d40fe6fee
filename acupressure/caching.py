"""Whole-page caching of the public pages, invalidated by any content change, and the
fragments that pages share (a point's card, a body figure), each keyed on its own version.

Public pages are the same for every visitor (the per-visitor parts load
separately), so each is rendered once per content version and served from the shared
cache after that. The content version is the time of the last change editors made; it is
part of every page's cache key, so one change retires every cached page at once, on every
app server that shares the cache.

What several pages show alike is cached apart from the pages, in the same shared cache, so
a page rendered afresh (a search, the first visit after any change, or with the page cache
off) only renders what changed: a fragment's key is made of the versions of what it shows
(an edited point gets a new `updated_at`, so only its own card is rendered again) and of
the code that renders it (code_version), never of the content version. Templates do this
with Django's {% cache %} tag (context_processors.fragment_cache gives the language and
code version); the point list's cards have their own layer (points/cards.py, with the
benchmark that keeps it).

Whole pages are not cached with Django's cache_page or cache middleware because these pages
need what they do not give: an edit must show on the next request on every server (their
entries only expire), made-up query strings and Host names must not fill the cache, a
draft shown to an editor must never be stored, and they read the page's Vary headers with
a second cache lookup on every request.
"""

import hashlib
import time
from functools import cache as once
from functools import partial, wraps
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date
from django.utils.translation import get_language

from .drafts import draft_response, is_draft

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


def retire_pages_on_change(*models, unless=None):
    """Retire every cached page whenever one of `models` is saved or deleted, or one of its
    many-to-many relations changes, from the admin, an import or a shell.

    Each app names its own content models (in its AppConfig.ready). `unless(instance,
    created)` exempts saves that no cached page can show. queryset.update() sends no signal:
    its callers call content_changed() themselves.
    """

    def on_change(sender, instance=None, created=False, **kwargs):
        if unless is None or not unless(instance, created):
            content_changed()

    for model in models:
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(on_change, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(on_change, sender=model, dispatch_uid=uid, weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                on_change, sender=field.remote_field.through, dispatch_uid=uid, weak=False
            )


# A fragment's key changes whenever what it shows does, so its entry is never stale; the
# timeout only lets entries of old versions go, for backends that do not cull (Redis).
FRAGMENT_SECONDS = 7 * 24 * 3600


@once
def code_version():
    """A digest of the project's own templates and Python files, read once per process.

    Fragments are kept across releases (deploys retire whole pages, not fragments), so a
    fragment's key names the code that rendered it: a release that renders a card
    differently renders every card afresh, on every app server, with nothing to remember.
    """
    base = Path(settings.BASE_DIR)
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [Path(config.path) for config in apps.get_app_configs()]
    digest = hashlib.md5(usedforsecurity=False)
    ours = {
        folder
        for folder in folders
        if folder.is_relative_to(base) and "site-packages" not in folder.parts
    }
    for folder in sorted(ours):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".html", ".py", ".txt") and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def fragment_key(kind, *versions):
    """The cache key of a fragment rendered from `versions` (anything with a stable repr:
    primary keys, `updated_at` values, the pins of a figure) in the active language."""
    digest = hashlib.md5(repr(versions).encode(), usedforsecurity=False).hexdigest()
    return f"fragment:{kind}:{get_language()}:{code_version()}:{digest}"


# The request headers a public page may vary on (the point list answers htmx with a part).
VARY_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def is_site_host(request):
    """Whether the request's Host is one of the site's own names, as a cached page needs.

    Django accepts any port after an allowed name, and any name a wildcard such as
    ".example.org" matches, so a key made of the Host as sent would give every page a copy
    for `localhost:1`, `localhost:2`… Only names listed in ALLOWED_HOSTS as written there are
    cached, bare (what a proxy passes on: `Host: guide.example.org`) or with the port this
    server was reached on (`make run`: `127.0.0.1:8000`). Any other port was made up by the
    client, or comes from a proxy that passes the port it listens on ($http_host rather than
    the README's $host): those requests are answered, only not from the cache. (gunicorn on
    a unix socket fills SERVER_PORT in from Host itself; its proxy must pass the bare name.)
    """
    name = request.get_host().removesuffix(f":{request.META.get('SERVER_PORT')}")
    return name in settings.ALLOWED_HOSTS


def page_key(request, version):
    """One key per content version, URL and kind of htmx request.

    Made of what the page is rendered from rather than of the request as sent, so that
    spellings of one page share its entry: the query string as Django parsed it (`?a=%62`,
    `?a=b&&` and `?a=b` are one page) and the htmx headers as django-htmx reads them, "true"
    or not (`HX-Request: 1` gets the whole page, as the view renders it). Django's cache
    middleware learns each page's Vary headers with a second cache read; every public page
    varies on the same few, so they are simply part of the key.
    """
    # The path names the language (/es/…), and the language is also said outright: it is
    # what the page is rendered in.
    url = f"{request.scheme}://{request.get_host()}{request.path}?{request.GET.urlencode()}"
    url = f"{get_language()}|{url}"
    htmx = f"{bool(request.htmx)}|{request.htmx.history_restore_request}"
    return f"page:{version}:{hashlib.md5(f'{url}|{htmx}'.encode()).hexdigest()}"


def page_cache(request, core):
    """Where a page is kept: the core pages (home, the list, points, pain types, references,
    safety) in the default cache, and filtered lists and visitors' shared routines, which
    come in their thousands, in a cache of their own (settings.CACHES), so that walking
    them cannot push out the pages people land on."""
    return cache if core and not request.GET else caches["bulk"]


def cacheable(response):
    return (
        response.status_code == 200
        and not response.cookies
        and not response.streaming
        and "private" not in response.get("Cache-Control", "")
    )


def public_page(view=None, *, query_keys=(), core=True):
    """Cache the view's page whole, keyed on its URL and the headers it varies on.

    Only canonical variants are cached, so that made-up requests cannot fill the cache and
    push out the pages people use: a query string using `query_keys` only (none by default),
    a Host that is the site's own (is_site_host) and, checked by the view itself, values that
    exist (a view sets `response.canonical_variant = False` for a filter it did not know or a
    page past the end). Any other request is rendered every time. A page that is not `core`
    (a visitor's shared routine) is kept apart from the core ones (page_cache). Every
    answer, cached or not, carries an ETag and Last-Modified (ConditionalGetMiddleware
    turns them into 304 Not Modified) and a Cache-Control that lets browsers keep the page
    while they revalidate it and a CDN keep it for PAGE_CDN_SECONDS. A draft shown to an
    editor is neither stored nor marked public; none is ever read from the cache either, as
    publishing or unpublishing anything is a content change, which retires every page
    cached before it.
    """
    if view is None:
        return partial(public_page, query_keys=query_keys, core=core)

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        version = content_version()
        canonical = set(request.GET) <= set(query_keys) and is_site_host(request)
        key = page_key(request, version) if settings.PAGE_CACHE_SECONDS and canonical else None
        if key:
            cached = page_cache(request, core).get(key)
            if cached is not None:
                return cached
        response = view(request, *args, **kwargs)
        if is_draft(request):
            # An unpublished object shown to an editor (acupressure.drafts): theirs alone.
            return draft_response(response)
        if not cacheable(response):
            return response
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CDN_SECONDS)
        response["Last-Modified"] = http_date(version // 10**9)
        set_response_etag(response)
        if key and getattr(response, "canonical_variant", True):
            page_cache(request, core).set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    return cached_view
