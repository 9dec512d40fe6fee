"""`{% script "js/site.js" %}`: a deferred <script> for one of our static files, with its
Subresource Integrity hash, so a CDN or proxy in front cannot change what runs."""

import base64
import hashlib
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@lru_cache(maxsize=64)
def integrity(path):
    """sha384 of the file as it is served: the collected copy where there is one (the
    manifest storage may rewrite a file), else the source file."""
    stored_name = getattr(staticfiles_storage, "stored_name", None)  # manifest storages only
    try:
        with staticfiles_storage.open(stored_name(path) if stored_name else path) as served:
            content = served.read()
    except (OSError, ValueError):  # not collected: tests and DEBUG serve the source
        with open(finders.find(path), "rb") as source:
            content = source.read()
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


@register.simple_tag
def script(path):
    return format_html(
        '<script src="{}" integrity="{}" defer></script>', static(path), integrity(path)
    )
