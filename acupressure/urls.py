from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path

from acupressure.media import media_file


def favicon(request):
    # Browsers ask for /favicon.ico on every page, the admin's included.
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("", include("points.urls")),
    path("", include("routines.urls")),
]

if settings.SERVE_MEDIA:
    # Editors' uploads, for sites where no other web server or object store serves them: only
    # photos, with a fixed content type and headers that keep browsers from running them.
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", media_file),
    ]
