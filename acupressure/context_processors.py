"""Values templates share with our JavaScript, taken from the settings so there is one copy."""

from django.conf import settings
from django.utils.translation import get_language

from acupressure.caching import FRAGMENT_SECONDS, code_version
from acupressure.languages import languages as guide_languages
from acupressure.languages import url_in


def csrf_names(request):
    """The CSRF cookie htmx reads and the header it sends it back in.

    Production renames the cookie (`__Host-csrftoken`); site.js must not keep its own copy
    of the name, or htmx's POSTs lose their token there and nowhere else.
    """
    return {
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        # Django reads the header from request.META (HTTP_X_CSRFTOKEN): give it its HTTP name.
        "csrf_header_name": settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-"),
    }


def languages(request):
    """The page in each language the guide speaks, for the switcher and hreflang links."""
    return {
        "page_languages": [
            {"code": code, "name": name, "url": url_in(request, code)}
            for code, name in guide_languages()
        ]
    }


def fragment_cache(request):
    """What every {% cache %} block of the public pages is also keyed on: the language it is
    rendered in and the code that renders it (caching.code_version), so that a release that
    draws a part differently renders it afresh."""
    return {
        "fragment_seconds": FRAGMENT_SECONDS,
        "fragment_version": f"{get_language()}:{code_version()}",
    }
