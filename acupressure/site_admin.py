"""The site's own records in the admin: the content releases it imported and where its
content differs from the last one (read-only: releases come in with `manage.py
import_content`), and the editors' profiles (name and role beside their reviews), which
like accounts only superusers manage."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse

from .admin import SuperusersOnly
from .content_files import content_model, release_differences
from .models import ContentRelease, EditorProfile, TranslationReview
from .translations import translation_state


@admin.register(EditorProfile)
class EditorProfileAdmin(SuperusersOnly, admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    autocomplete_fields = ["user"]


@admin.register(ContentRelease)
class ContentReleaseAdmin(admin.ModelAdmin):
    list_display = ["name", "imported_at"]
    fields = ["name", "digest", "imported_at"]
    readonly_fields = fields
    change_list_template = "admin/acupressure/contentrelease/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "differences/",
                self.admin_site.admin_view(self.differences_view),
                name="content_release_differences",
            ),
            *super().get_urls(),
        ]

    def differences_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        release, differences = release_differences()
        rows = [(difference, change_url(difference)) for difference in differences]
        context = {
            **self.admin_site.each_context(request),
            "title": "Differences from the last content release",
            "opts": self.model._meta,
            "release": release,
            "rows": rows,
        }
        return TemplateResponse(
            request, "admin/acupressure/contentrelease/differences.html", context
        )


def change_url(difference):
    """The admin page of an object that is still on this site, if it has one."""
    if difference.pk is None:
        return ""
    opts = content_model(difference.label)._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[difference.pk])
    except NoReverseMatch:
        return ""


@admin.register(TranslationReview)
class TranslationReviewListAdmin(admin.ModelAdmin):
    """Every translation's review at a glance. Reviews are recorded by the action "Mark the …
    translation … as reviewed" on the item itself, against its English as it is then."""

    list_display = ["item", "content_type", "language", "reviewed_on", "reviewer", "state"]
    list_filter = ["language", "content_type"]
    list_select_related = ["content_type"]
    readonly_fields = ["item", "language", "reviewed_on", "reviewer", "state"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="reviewed by")
    def reviewer(self, review):
        return f"{review.reviewer_name}, {review.get_reviewer_role_display()}"

    @admin.display(description="now")
    def state(self, review):
        return translation_state(review.item, review.language, review) if review.item else ""
