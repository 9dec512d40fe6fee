"""Pain types a visitor filters by, and why each point is used for them."""

from django.db import models
from django.urls import reverse

from acupressure.models import Translatable

from ..care_advice import check_no_care_advice
from ..natural_keys import NaturalKeyMixin, NaturalKeyQuerySet
from .review import Reviewed, ReviewQuerySetMixin


class PainTypeQuerySet(ReviewQuerySetMixin, NaturalKeyQuerySet):
    def published(self):
        return self.filter(is_published=True)


class PainType(NaturalKeyMixin, Reviewed, Translatable):
    """A pain type a visitor can filter by, such as sciatica."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(help_text="What it is and how it feels, in plain words.")
    advice = models.TextField(
        blank=True, help_text="What else helps, and when to see someone about it."
    )
    red_flags = models.ManyToManyField("RedFlag", related_name="pain_types", blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_published = models.BooleanField("published", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PainTypeQuerySet.as_manager()
    natural_key_lookups = ("slug",)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("points:pain_type", args=[self.slug])

    @property
    def first_sentence(self):
        """The summary's opening sentence, for tiles and link lists."""
        sentence, stop, _ = self.summary.partition(". ")
        return sentence + "." if stop else sentence


class PointPainType(NaturalKeyMixin, models.Model):
    """Why a point is used for a pain type, in the guide's words."""

    point = models.ForeignKey("Point", on_delete=models.CASCADE, related_name="point_pain_types")
    pain_type = models.ForeignKey(
        PainType, on_delete=models.CASCADE, related_name="point_pain_types"
    )
    note = models.CharField(max_length=300, blank=True)

    objects = NaturalKeyQuerySet.as_manager()
    natural_key_lookups = ("point__code", "pain_type__slug")

    class Meta:
        ordering = ["pain_type__sort_order", "point__code"]
        constraints = [
            models.UniqueConstraint(fields=["point", "pain_type"], name="point_pain_type_once"),
        ]

    def __str__(self):
        return f"{self.point.code} for {self.pain_type.name}"

    def clean(self):
        check_no_care_advice(self)
