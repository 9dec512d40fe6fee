"""The page's language comes from its URL: /es/… is Spanish, /de/… German, the rest English.

Django's LocaleMiddleware would also read a cookie and Accept-Language, and mark every
unprefixed page `Vary: Accept-Language`; a page here is one page whoever asks, so that a
cache (ours, a CDN's) keeps one copy of it. The one exception is a first visit to the home
page, `/`, which is sent to the visitor's own language if the guide speaks it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header


def languages():
    """(code, name in that language) for each language the guide speaks."""
    return [
        (code, translation.get_language_info(code)["name_local"]) for code, _ in settings.LANGUAGES
    ]


def url_in(request, code):
    """This page's path in another language. Without its query string: that is made up by
    whoever sent it, and the page must not repeat it (the page cache keeps each page once)."""
    return translate_url(request.path, code)


def arrived_from_elsewhere(request):
    """No Referer from this site: a first visit, not a visitor who chose English here."""
    referer = urlsplit(request.headers.get("Referer", ""))
    return referer.netloc != request.get_host()


def preferred_language(request):
    """The visitor's first choice in Accept-Language that the guide speaks, or English.
    (Django's get_language_from_request would read the language cookie first.)"""
    header = request.headers.get("Accept-Language", "")
    for code, _ in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class UrlLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_home = request.path_info == "/" and not request.GET
        preferred = preferred_language(request) if is_home else settings.LANGUAGE_CODE
        # Sessions and cookies play no part in it: a visitor who picks English in the
        # switcher arrives with this site's Referer, and stays.
        if preferred != settings.LANGUAGE_CODE and arrived_from_elsewhere(request):
            with translation.override(preferred):
                response = HttpResponseRedirect(reverse("points:home"))
            patch_vary_headers(response, ["Accept-Language"])
            patch_cache_control(response, private=True)
            return response
        code = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = code
        # For this request only: the thread goes back to what it had (in tests, the test's).
        with translation.override(code):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        if is_home:
            patch_vary_headers(response, ["Accept-Language"])
        if preferred != settings.LANGUAGE_CODE:
            # English for a visitor whose browser asks for Spanish or German, as they chose
            # here: a shared cache must not hand it to the next visitor who asks the same.
            patch_cache_control(response, private=True)
        return response
