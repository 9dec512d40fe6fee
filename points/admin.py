from django import forms
from django.contrib import admin
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.template.loader import render_to_string
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from acupressure.caching import content_changed
from acupressure.history import HistoryAdmin
from acupressure.translation_admin import TranslationReviewAdmin

from .diagrams import Figure, marker_pins
from .models import (
    Benefit,
    BodyView,
    Caution,
    Meridian,
    PainType,
    Point,
    PointCaution,
    PointMarker,
    PointPainType,
    PointReference,
    RedFlag,
    Reference,
    Tip,
)
from .review_admin import ReviewedAdmin
from .signals import touch_points


@admin.action(description="Publish the selected items")
def publish(modeladmin, request, queryset):
    set_published(queryset, True)


@admin.action(description="Unpublish the selected items")
def unpublish(modeladmin, request, queryset):
    set_published(queryset, False)


def set_published(queryset, published):
    # update() sends no signal: the cached pages are retired here, and the cards that name
    # a pain type get a new version (their pain types are cached with them).
    pks = list(queryset.values_list("pk", flat=True))
    queryset.model.objects.filter(pk__in=pks).update(is_published=published)
    content_changed()
    if queryset.model is PainType:
        touch_points(Point.objects.filter(pain_types__in=pks).values("pk"))


class LimitsFromValidators:
    """Form fields that show the limits of their model field's validators (maxlength on a
    text box, min and max on a number box), so each limit is written once, in the model;
    Django does this by itself only for max_length and the integer fields' own ranges."""

    ATTRIBUTES = {
        MaxLengthValidator: "maxlength",
        MinValueValidator: "min",
        MaxValueValidator: "max",
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            for validator in db_field.validators:
                attribute = self.ATTRIBUTES.get(type(validator))
                if attribute:
                    formfield.widget.attrs.setdefault(attribute, validator.limit_value)
        return formfield


class PointPainTypeInline(TranslationTabularInline):
    model = PointPainType
    extra = 0
    autocomplete_fields = ["pain_type"]
    verbose_name = "pain type"
    verbose_name_plural = "pain types this point is used for"


class PainTypePointInline(TranslationTabularInline):
    model = PointPainType
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


def marker_preview(figure, picker=False):
    return render_to_string(
        "admin/points/marker_preview.html", {"figure": figure, "picker": picker}
    )


class PointMarkerInline(LimitsFromValidators, admin.StackedInline):
    model = PointMarker
    extra = 0
    fields = [("view", "spot"), ("x", "y"), "side", "label_position", "placement"]
    readonly_fields = ["placement"]
    verbose_name = "marker on a body view"
    verbose_name_plural = "markers on body views"

    @admin.display(description="Placement")
    def placement(self, marker):
        if marker.pk is None:
            return "Choose a view and save; then click on the drawing to place the marker."
        # Only the marker as stored: the mirror image on symmetric views follows it.
        pin = marker_pins(marker, label="")[0]
        figure = Figure(id=f"marker-{marker.pk}", view=marker.view, pins=[pin])
        return marker_preview(figure, picker=True)


class TipInline(LimitsFromValidators, TranslationStackedInline):
    model = Tip
    extra = 0
    fields = ["title", "text", "sort_order"]


@admin.register(Meridian)
class MeridianAdmin(TranslationReviewAdmin, HistoryAdmin):
    list_display = ["code", "name", "other_names"]
    search_fields = ["code", "name", "other_names"]


@admin.register(Point)
class PointAdmin(ReviewedAdmin, LimitsFromValidators, TranslationReviewAdmin, HistoryAdmin):
    list_display = [
        "code",
        "name",
        "pinyin",
        "region",
        "press_time",
        "bilateral",
        "is_published",
    ]
    list_display_links = ["code", "name"]
    list_editable = ["is_published"]
    list_filter = ["is_published", "region", "meridian", "pain_types", "bilateral"]
    list_select_related = ["meridian"]
    search_fields = ["code", "name", "pinyin", "chinese_name", "aliases", "summary"]
    prepopulated_fields = {"slug": ["code"]}
    autocomplete_fields = ["meridian"]
    actions = [publish, unpublish]
    save_on_top = True
    inlines = [
        PointMarkerInline,
        PointPainTypeInline,
        PointCautionInline,
        PointReferenceInline,
        TipInline,
    ]
    fieldsets = [
        (None, {"fields": ["meridian", "number", "code", "slug", "is_published"]}),
        ("Names", {"fields": ["name", "pinyin", "chinese_name", "aliases"]}),
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
        ReviewedAdmin.review_fieldset,
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "summary":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="press time")
    def press_time(self, point):
        return point.press_time

    class Media:
        css = {"all": ["css/diagrams.css", "css/admin-diagrams.css"]}
        js = ["js/marker-picker.js"]


@admin.register(PainType)
class PainTypeAdmin(ReviewedAdmin, TranslationReviewAdmin, HistoryAdmin):
    list_display = ["name", "sort_order", "is_published"]
    list_editable = ["sort_order", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["red_flags"]
    actions = [publish, unpublish]
    inlines = [PainTypePointInline]


@admin.register(RedFlag)
class RedFlagAdmin(ReviewedAdmin, TranslationReviewAdmin, HistoryAdmin):
    list_display = ["text", "emergency", "is_general", "sort_order"]
    list_editable = ["emergency", "is_general", "sort_order"]
    list_filter = ["emergency", "is_general"]
    filter_horizontal = ["references"]
    search_fields = ["text"]


@admin.register(Caution)
class CautionAdmin(ReviewedAdmin, LimitsFromValidators, TranslationReviewAdmin, HistoryAdmin):
    list_display = ["title", "is_general", "text"]
    list_filter = ["is_general"]
    filter_horizontal = ["references"]
    search_fields = ["title", "text"]


@admin.register(Reference)
class ReferenceAdmin(HistoryAdmin):
    list_display = ["authors", "title", "kind", "language", "accessed_on", "is_source_article"]
    list_filter = ["kind", "language", "is_source_article"]
    search_fields = ["authors", "title", "site_name", "url"]
    readonly_fields = ["citation"]
    fields = [
        ("kind", "language"),
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

    @admin.display(description="as readers see it")
    def citation(self, reference):
        return render_to_string("includes/citation.html", {"reference": reference})


@admin.register(Benefit)
class BenefitAdmin(TranslationReviewAdmin, HistoryAdmin):
    list_display = ["text", "sort_order"]
    list_editable = ["sort_order"]


@admin.register(Tip)
class TipAdmin(LimitsFromValidators, TranslationReviewAdmin, HistoryAdmin):
    list_display = ["title", "point", "sort_order"]
    list_filter = [("point", admin.EmptyFieldListFilter)]
    list_select_related = ["point"]
    search_fields = ["title", "text"]
    autocomplete_fields = ["point"]


@admin.register(BodyView)
class BodyViewAdmin(LimitsFromValidators, TranslationReviewAdmin, HistoryAdmin):
    list_display = ["title", "slug", "size", "symmetric", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    # The English words are the drawing's own (BodyView.read_english_labels).
    readonly_fields = ["preview", "labels_en"]
    fields = [
        "title",
        "slug",
        "description",
        ("width", "height"),
        "symmetric",
        "sort_order",
        "drawing",
        "labels",
        "preview",
    ]

    class Media:
        css = {"all": ["css/diagrams.css", "css/admin-diagrams.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("markers__point")

    @admin.display(description="size")
    def size(self, view):
        return f"{view.width} × {view.height}"

    @admin.display(description="Preview with every marker")
    def preview(self, view):
        if view.pk is None:
            return "Save the view to see it here."
        pins = [pin for marker in view.markers.all() for pin in marker_pins(marker)]
        return marker_preview(Figure(id=f"view-{view.pk}", view=view, pins=pins))
