"""Serving editors' uploads, for sites where no other web server or object store does."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def media_file(request, path):
    """A photo under MEDIA_ROOT, typed by its extension; anything else is not found.

    The type comes from an allow-list rather than a guess, and the headers stop a browser
    from sniffing another type or running the file as a page should one ever slip through.
    """
    content_type = settings.MEDIA_CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404("Only photos are served here.")
    try:
        # serve() answers If-Modified-Since and keeps the path inside MEDIA_ROOT.
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation as outside:
        raise Http404("Only photos are served here.") from outside
    if response.status_code == 200:
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response
