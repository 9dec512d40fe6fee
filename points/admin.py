from django import forms
from django.contrib import admin

from .models import (
    Benefit,
    Caution,
    Condition,
    Meridian,
    Point,
    PointCaution,
    PointCondition,
    PointReference,
    RedFlag,
    Reference,
    Tip,
)


@admin.action(description="Publish the selected items")
def publish(modeladmin, request, queryset):
    queryset.update(is_published=True)


@admin.action(description="Unpublish the selected items")
def unpublish(modeladmin, request, queryset):
    queryset.update(is_published=False)


class PointConditionInline(admin.TabularInline):
    model = PointCondition
    extra = 0
    autocomplete_fields = ["condition"]
    verbose_name = "pain type"
    verbose_name_plural = "pain types this point is used for"


class ConditionPointInline(admin.TabularInline):
    model = PointCondition
    extra = 0
    autocomplete_fields = ["point"]
    verbose_name_plural = "points for this pain type"


class PointReferenceInline(admin.TabularInline):
    model = PointReference
    extra = 0
    autocomplete_fields = ["reference"]
    verbose_name = "reference"
    verbose_name_plural = "references"


class PointCautionInline(admin.TabularInline):
    model = PointCaution
    extra = 0
    autocomplete_fields = ["caution"]


class TipInline(admin.StackedInline):
    model = Tip
    extra = 0
    fields = ["title", "text", "sort_order"]


@admin.register(Meridian)
class MeridianAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "other_names"]
    search_fields = ["code", "name", "other_names"]


@admin.register(Point)
class PointAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "english_name",
        "pinyin",
        "region",
        "press_time",
        "bilateral",
        "is_published",
        "last_reviewed",
    ]
    list_display_links = ["code", "english_name"]
    list_editable = ["is_published"]
    list_filter = ["is_published", "region", "meridian", "conditions", "bilateral"]
    list_select_related = ["meridian"]
    search_fields = ["code", "english_name", "pinyin", "aliases", "summary"]
    prepopulated_fields = {"slug": ["code"]}
    autocomplete_fields = ["meridian"]
    actions = [publish, unpublish]
    save_on_top = True
    inlines = [PointConditionInline, PointCautionInline, PointReferenceInline, TipInline]
    fieldsets = [
        (None, {"fields": ["meridian", "number", "code", "slug", "is_published"]}),
        ("Names", {"fields": ["english_name", "pinyin", "aliases"]}),
        ("Text", {"fields": ["region", "summary", "location", "how_to_find", "technique"]}),
        (
            "Pressing",
            {
                "fields": [
                    ("press_seconds_min", "press_seconds_max"),
                    "press_and_release",
                    "bilateral",
                ]
            },
        ),
        ("Photo", {"fields": ["photo", "photo_credit"], "classes": ["collapse"]}),
        ("Review", {"fields": ["last_reviewed"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "summary":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="press time")
    def press_time(self, point):
        return point.press_time


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_published"]
    list_editable = ["sort_order", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["red_flags"]
    actions = [publish, unpublish]
    inlines = [ConditionPointInline]


@admin.register(RedFlag)
class RedFlagAdmin(admin.ModelAdmin):
    list_display = ["text", "is_general", "urgent", "sort_order"]
    list_editable = ["is_general", "urgent", "sort_order"]
    list_filter = ["is_general", "urgent"]
    search_fields = ["text"]


@admin.register(Caution)
class CautionAdmin(admin.ModelAdmin):
    list_display = ["title", "text"]
    search_fields = ["title", "text"]


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["authors", "title", "published_on", "site_name", "is_source_article"]
    list_filter = ["is_source_article", "site_name"]
    search_fields = ["authors", "title", "site_name", "url"]
    readonly_fields = ["citation"]
    fields = [
        "authors",
        ("published_on", "year_only"),
        "title",
        "site_name",
        "url",
        "accessed_on",
        "is_source_article",
        "sort_order",
        "citation",
    ]


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ["text", "sort_order"]
    list_editable = ["sort_order"]


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin):
    list_display = ["title", "point", "sort_order"]
    list_filter = [("point", admin.EmptyFieldListFilter)]
    list_select_related = ["point"]
    search_fields = ["title", "text"]
    autocomplete_fields = ["point"]
