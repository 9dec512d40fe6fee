from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path

from acupressure.media import media_file
from acupressure.views import robots_txt, service_worker, web_app_manifest
from points.sitemaps import GuidePagesSitemap, PainTypeSitemap, PointSitemap
from routines.sitemaps import SuggestedRoutineSitemap

SITEMAPS = {
    "pages": GuidePagesSitemap,
    "points": PointSitemap,
    "pain": PainTypeSitemap,
    "routines": SuggestedRoutineSitemap,
}


def favicon(request):
    # Browsers ask for /favicon.ico on every page, the admin's included.
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt),
    # From the root, so that the worker's scope is the whole site, in every language.
    path("sw.js", service_worker, name="service_worker"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
# The guide in each language: English at /, Spanish at /es/, German at /de/.
urlpatterns += i18n_patterns(
    path("manifest.webmanifest", web_app_manifest, name="manifest"),
    path("", include("points.urls")),
    path("", include("routines.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    # Editors' uploads, for sites where no other web server or object store serves them: only
    # photos, with a fixed content type and headers that keep browsers from running them.
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", media_file),
    ]
