from django.contrib import admin
from django.db.models import Count

from acupressure.history import HistoryAdmin
from acupressure.translation_admin import TranslationReviewAdmin

from .models import Routine, RoutineStep


class RoutineStepInline(admin.TabularInline):
    model = RoutineStep
    extra = 0
    fields = ["position", "point", "text", "seconds", "sides", "note"]
    autocomplete_fields = ["point"]
    ordering = ["position"]


@admin.register(Routine)
class RoutineAdmin(TranslationReviewAdmin, HistoryAdmin):
    list_display = [
        "title",
        "is_suggestion",
        "is_published",
        "step_count",
        "created_at",
        "last_opened_at",
    ]
    list_filter = ["is_suggestion", "is_published", "pain_types"]
    search_fields = ["title", "token"]
    readonly_fields = ["token", "created_at", "last_opened_at", "source"]
    filter_horizontal = ["pain_types"]
    fields = [
        "title",
        "is_suggestion",
        "is_published",
        "summary",
        ("times_per_day", "weekdays", "weeks"),
        "pain_types",
        "sort_order",
        "token",
        "source",
        "created_at",
        "last_opened_at",
    ]
    inlines = [RoutineStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_total=Count("steps"))

    def versioned_rows(self, queryset):
        # Visitors' saved routines are not content: a version of each would only fill the
        # database. Only the editors' suggestions keep a history.
        return queryset.filter(is_suggestion=True)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        routine = self.get_object(request, object_id)
        if routine is not None and not routine.is_suggestion:
            # Skips VersionAdmin's revision: a visitor's routine keeps no versions.
            return admin.ModelAdmin.change_view(self, request, object_id, form_url, extra_context)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="steps", ordering="step_total")
    def step_count(self, routine):
        return routine.step_total
