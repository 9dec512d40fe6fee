from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SiteConfig(AppConfig):
    """The site-wide machinery in this package: the page cache, backups, content releases,
    media serving, asset tags and the editors' account commands."""

    name = "acupressure"
    verbose_name = "Site"

    def ready(self):
        from . import site_admin  # noqa: F401 - registers the site's own models with the admin
        from .caching import retire_pages_on_change
        from .editors import grant_to_editors
        from .models import TranslationReview

        # Editors may see which releases came in and what they changed since, and every
        # translation's review (recorded by an action on the item itself).
        grant_to_editors(self, ["contentrelease", "translationreview"], actions=["view"])
        # Pages say whether their translation was reviewed.
        retire_pages_on_change(TranslationReview)


class GuideAdminConfig(AdminConfig):
    """Django's admin, with the guide's admin site as `admin.site`."""

    default_site = "acupressure.admin.GuideAdminSite"

    def ready(self):
        super().ready()  # registers every app's admin.py on the site
        from django.contrib import admin

        from .admin import ACCOUNT_APPS, restrict_to_superusers

        restrict_to_superusers(admin.site, ACCOUNT_APPS)
