"""Points and their meridians: what a page teaching a point is made of."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from acupressure.models import Translatable

from .. import diagrams
from ..natural_keys import NaturalKeyMixin, NaturalKeyQuerySet
from ..uploads import PhotoField
from .body_view import PointMarker
from .pain_type import PointPainType
from .review import Reviewed, ReviewQuerySetMixin

# The longest press a point can ask for; routine steps are bounded by it too.
MAX_PRESS_SECONDS = 600


class BodyRegion(models.TextChoices):
    HEAD_NECK = "head-neck", _("Head and neck")
    UPPER_BACK = "upper-back", _("Shoulders and upper back")
    LOWER_BACK = "lower-back", _("Lower back")
    HIPS = "hips", _("Hips and buttocks")
    LEGS = "legs", _("Legs and knees")
    FEET = "feet", _("Feet and ankles")
    ARMS = "arms", _("Arms and hands")


class Meridian(NaturalKeyMixin, Translatable):
    code = models.CharField(max_length=4, unique=True, help_text="WHO code, e.g. BL.")
    name = models.CharField(
        max_length=60, help_text="As a reader says it: Bladder meridian, Blasenmeridian."
    )
    other_names = models.CharField(
        max_length=200, blank=True, help_text="Other names and codes, e.g. Urinary Bladder, UB."
    )

    objects = NaturalKeyQuerySet.as_manager()
    natural_key_lookups = ("code",)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"


class PointQuerySet(ReviewQuerySetMixin, NaturalKeyQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_pain_types(self, pain_types):
        """Points that help any of the pain types, those helping most of them first."""
        return (
            self.filter(pain_types__in=pain_types)
            .annotate(matching_pain_types=Count("pain_types", distinct=True))
            .order_by("-matching_pain_types", "meridian__code", "number")
        )

    def in_region(self, region):
        return self.filter(region=region)

    def search(self, text):
        """Match codes ("bl 40" finds BL40), names, aliases and the descriptions."""
        words = text.split()
        if not words:
            return self
        compact = "".join(words)
        # The page's language and English, which fills in where a translation is missing.
        languages = dict.fromkeys([get_language(), settings.LANGUAGE_CODE])
        texts = [
            f"{field}_{code}__icontains"
            for code in languages
            for field in (
                "name",
                "aliases",
                "summary",
                "location",
                "how_to_find",
                "meridian__name",
            )
        ]
        every_word = Q()
        for word in words:
            any_text = Q()
            for lookup in (
                "code__icontains",
                "pinyin__icontains",
                "chinese_name__icontains",
                "meridian__other_names__icontains",
                *texts,
            ):
                any_text |= Q(**{lookup: word})
            every_word &= any_text
        same_code = Q(code__iexact=compact)
        for code in languages:
            same_code |= Q(**{f"aliases_{code}__icontains": compact})
        return self.filter(same_code | every_word)

    def with_markers(self):
        return self.prefetch_related(
            models.Prefetch("markers", queryset=PointMarker.objects.select_related("view"))
        )

    def with_details(self):
        """Everything a page that teaches the points shows about them."""
        return self.select_related("meridian").prefetch_related(*detail_prefetches())


class Point(NaturalKeyMixin, Reviewed, Translatable):
    meridian = models.ForeignKey(Meridian, on_delete=models.PROTECT, related_name="points")
    number = models.PositiveSmallIntegerField(help_text="Number along the meridian, e.g. 23.")
    code = models.CharField(max_length=8, unique=True, help_text="WHO code, e.g. BL23.")
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(
        max_length=80, help_text="In the page's language, e.g. Sea of Vitality."
    )
    pinyin = models.CharField(max_length=40, blank=True, help_text="e.g. Shenshu")
    chinese_name = models.CharField(
        max_length=20,
        blank=True,
        help_text="In Chinese characters, e.g. 肾俞 for BL23.",
    )
    aliases = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other names, comma separated: UB23, Bladder 23.",
    )
    region = models.CharField(max_length=20, choices=BodyRegion.choices)
    summary = models.CharField(max_length=300, help_text="One or two sentences for the list.")
    location = models.TextField(help_text="Where the point is, by anatomical landmarks.")
    how_to_find = models.TextField(help_text="Steps a person can follow on their own body.")
    technique = models.TextField(help_text="How to press: pressure, movement, rhythm.")
    press_seconds_min = models.PositiveSmallIntegerField(
        "shortest press (s)", validators=[MaxValueValidator(MAX_PRESS_SECONDS)]
    )
    press_seconds_max = models.PositiveSmallIntegerField(
        "longest press (s)", validators=[MaxValueValidator(MAX_PRESS_SECONDS)]
    )
    press_and_release = models.BooleanField(
        default=False, help_text="Press and let go now and then rather than hold steadily."
    )
    bilateral = models.BooleanField(
        default=True, help_text="The point exists on both sides of the body; press both."
    )
    # Checked and stored as a fresh encode under a random name; see points/uploads.py.
    photo = PhotoField(
        upload_to="points/",
        blank=True,
        help_text="A JPEG, PNG or WebP photo of at most 4 MB and 16 megapixels.",
    )
    photo_credit = models.CharField(max_length=200, blank=True)
    pain_types = models.ManyToManyField(
        "PainType", through="PointPainType", related_name="points", blank=True
    )
    cautions = models.ManyToManyField(
        "Caution", through="PointCaution", related_name="points", blank=True
    )
    references = models.ManyToManyField(
        "Reference", through="PointReference", related_name="points", blank=True
    )
    is_published = models.BooleanField("published", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PointQuerySet.as_manager()
    natural_key_lookups = ("code",)

    class Meta:
        ordering = ["meridian__code", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(press_seconds_min__gt=0), name="point_press_time_positive"
            ),
            models.CheckConstraint(
                condition=Q(press_seconds_min__lte=models.F("press_seconds_max")),
                name="point_press_time_min_le_max",
            ),
            models.CheckConstraint(
                condition=Q(press_seconds_max__lte=MAX_PRESS_SECONDS),
                name="point_press_time_at_most_ten_minutes",
            ),
            models.UniqueConstraint(fields=["meridian", "number"], name="point_unique_number"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("points:detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.photo and not self.photo_credit:
            raise ValidationError({"photo_credit": "Say who took or owns the photo."})

    @property
    def alias_list(self):
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]

    @cached_property
    def figures(self):
        """A figure for every body view the point is drawn on."""
        return diagrams.point_figures(self)

    @cached_property
    def thumbnail(self):
        return diagrams.thumbnail(self)

    @property
    def sources(self):
        """Its references (prefetch `point_references__reference`), the better sources first."""
        return sorted(self.point_references.all(), key=lambda link: link.reference.rank())

    @property
    def press_time(self):
        """The press time as a person reads it: "30 s to 3 min", "60–90 s"."""
        # The template tags hold the guide's formatting, and load these models themselves.
        from ..templatetags.guide import seconds_range

        return seconds_range(self.press_seconds_min, self.press_seconds_max)


def detail_prefetches():
    """What a page that teaches a point shows of the rows around it."""
    return (
        models.Prefetch(
            "point_pain_types",
            queryset=PointPainType.objects.filter(pain_type__is_published=True).select_related(
                "pain_type"
            ),
        ),
        "cautions",
        "point_references__reference",
        models.Prefetch("markers", queryset=PointMarker.objects.select_related("view")),
    )
