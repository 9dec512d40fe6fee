"""Editors' reviews of the guide's English in the admin: an action that records who reviewed
what and when, a column that shows it, and a filter for what is due (never reviewed, or
reviewed longer than REVIEW_INTERVAL_DAYS ago). Translations are reviewed on their own
(acupressure.translation_admin)."""

from django.conf import settings
from django.contrib import admin, messages

from acupressure.translation_admin import has_editor_profile
from acupressure.translations import english_review

from .models import review_due_before


@admin.action(description="Mark the selected items as reviewed by me today")
def mark_reviewed(modeladmin, request, queryset):
    if not has_editor_profile(modeladmin, request):
        return
    # One save per row, not update(): a save retires the cached pages (and gives a point a
    # new version for its cached parts). Editors review a handful of rows at a time.
    rows = list(queryset)
    for row in rows:
        row.mark_reviewed(request.user)
    modeladmin.message_user(
        request,
        f"Recorded your review of {len(rows)} item{'s' if len(rows) != 1 else ''} as "
        f"{request.user.editor_profile}.",
        messages.SUCCESS,
    )


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("due", f"Due (never, or over {settings.REVIEW_INTERVAL_DAYS} days ago)"),
            ("never", "Never reviewed"),
            ("current", "Reviewed recently"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for_review()
        if self.value() == "never":
            return queryset.filter(last_reviewed=None)
        if self.value() == "current":
            # A date comparison leaves out the rows never reviewed (NULL).
            return queryset.filter(last_reviewed__gte=review_due_before())
        return queryset


class ReviewedAdmin:
    """Mixed into the admin of every model with an editor's review (models.Reviewed)."""

    review_fieldset = ("Review", {"fields": ["review"]})

    def get_list_display(self, request):
        return [*super().get_list_display(request), "review"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ReviewDueFilter]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            actions["mark_reviewed"] = self.get_action(mark_reviewed)
        return actions

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "review"]

    @admin.display(description="reviewed", ordering="last_reviewed")
    def review(self, obj):
        if obj.last_reviewed is None:
            return "Not yet reviewed (use the action “Mark … as reviewed by me today”)"
        done = (
            f"{obj.last_reviewed:%-d %b %Y} by {obj.reviewer_name}, "
            f"{obj.get_reviewer_role_display()}"
        )
        if english_review(obj) is None:
            return f"Changed since its review ({done}): not reviewed again yet"
        return f"{done} – due again" if obj.review_due else done
