from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SiteConfig(AppConfig):
    """The site-wide machinery in this package: the page cache, backups, content files,
    media serving, asset tags and the editors' account commands (no models)."""

    name = "acupressure"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .history import create_initial_versions

        # Content the migrations load gets a first version, so its first edit can be undone.
        post_migrate.connect(create_initial_versions, dispatch_uid="initial-versions")


class GuideAdminConfig(AdminConfig):
    """Django's admin, with the guide's admin site as `admin.site`."""

    default_site = "acupressure.admin.GuideAdminSite"

    def ready(self):
        super().ready()  # registers every app's admin.py on the site
        from django.contrib import admin

        from .admin import ACCOUNT_APPS, restrict_to_superusers

        restrict_to_superusers(admin.site, ACCOUNT_APPS)
