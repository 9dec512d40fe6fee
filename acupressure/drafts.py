"""Drafts: an unpublished object is shown at its public URL to the editors who may see it in
the admin, marked "Draft: not public", and to nobody else (404).

Public pages are the same for everyone and cached whole (acupressure.caching), so nothing
here runs for a published object: the session is read only once the object turns out to be
unpublished, and a public page never varies on the session cookie. A draft page is
rendered for each request, never stored in the page cache (its Cache-Control is private),
and never indexed.
"""

from django.contrib import admin
from django.http import Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control


def may_preview(request, obj):
    """Whether the signed-in user may see this unpublished object: staff who reach the admin
    (second factor included) and may view or change the object's model there."""
    user = getattr(request, "user", None)
    if user is None or not admin.site.has_permission(request):
        return False
    opts = obj._meta
    return any(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "change")
    )


def draft_or_404(request, obj):
    """`obj` if it is published or the user may preview it; otherwise Http404. Marks the
    request as showing a draft (request.is_draft) for is_draft and the templates."""
    if obj is None:
        raise Http404
    if getattr(obj, "is_published", True):
        return obj
    if not may_preview(request, obj):
        raise Http404
    request.is_draft = True
    return obj


def draft_response(response):
    """A draft page for one editor (is_draft): never kept by any cache, never indexed."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def is_draft(request):
    return getattr(request, "is_draft", False)
