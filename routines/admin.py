from django.contrib import admin
from django.db.models import Count

from .models import Routine, RoutineStep


class RoutineStepInline(admin.TabularInline):
    model = RoutineStep
    extra = 0
    fields = ["position", "point", "text", "seconds", "sides", "note"]
    autocomplete_fields = ["point"]
    ordering = ["position"]


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):
    list_display = ["title", "is_suggestion", "step_count", "created_at", "last_opened_at"]
    list_filter = ["is_suggestion", "conditions"]
    search_fields = ["title", "token"]
    readonly_fields = ["token", "created_at", "last_opened_at", "source"]
    filter_horizontal = ["conditions"]
    fields = [
        "title",
        "is_suggestion",
        "summary",
        "conditions",
        "sort_order",
        "token",
        "source",
        "created_at",
        "last_opened_at",
    ]
    inlines = [RoutineStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_total=Count("steps"))

    @admin.display(description="steps", ordering="step_total")
    def step_count(self, routine):
        return routine.step_total
