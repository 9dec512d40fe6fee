"""The guide's public pages for search engines, each in every language with its alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import PainType, Point


class GuideSitemap(Sitemap):
    # One <url> per page and language, each naming the page in the other languages
    # (hreflang) and the English one as x-default.
    i18n = True
    alternates = True
    x_default = True


class GuidePagesSitemap(GuideSitemap):
    def items(self):
        return [
            "points:home",
            "points:list",
            "points:pain_types",
            "points:safety",
            "points:references",
        ]

    def location(self, name):
        return reverse(name)


class PointSitemap(GuideSitemap):
    def items(self):
        return Point.objects.published().order_by("code")

    def lastmod(self, point):
        return point.updated_at


class PainTypeSitemap(GuideSitemap):
    def items(self):
        return PainType.objects.published().order_by("sort_order", "slug")

    def lastmod(self, pain_type):
        return pain_type.updated_at
