"""Drawn body views, and where each point is marked on them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from acupressure.models import Translatable

from .. import diagrams
from ..diagrams import clean_drawing
from ..natural_keys import NaturalKeyMixin, NaturalKeyQuerySet


class BodyView(NaturalKeyMixin, Translatable):
    """A drawn outline of part of the body, on which points are marked."""

    slug = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=80, help_text="e.g. Back of the body")
    description = models.TextField(
        validators=[MaxLengthValidator(600)],
        help_text="What the drawing shows, for people who cannot see it.",
    )
    width = models.PositiveSmallIntegerField(help_text="Width of the drawing's coordinates.")
    height = models.PositiveSmallIntegerField(help_text="Height of the drawing's coordinates.")
    drawing = models.TextField(
        help_text=(
            "SVG shapes (path, ellipse, circle, line, polyline, polygon, rect, g, text) "
            "with the classes body, contour, bone, guide and landmark-label. Scripts, "
            "styles and links are refused."
        )
    )
    labels = models.TextField(
        "words in the drawing",
        blank=True,
        help_text=(
            "The drawing's words, one line for each of its texts, in the drawing's order. "
            "The English is read from the drawing when it is saved; in each other language "
            "write the same number of lines. Until then pages in that language show the "
            "English words."
        ),
    )
    symmetric = models.BooleanField(
        default=False,
        help_text=(
            "Left and right halves mirror each other around the middle, so a point on "
            "both sides of the body is marked twice."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NaturalKeyQuerySet.as_manager()
    natural_key_lookups = ("slug",)

    class Meta:
        ordering = ["sort_order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(width__gt=0) & Q(height__gt=0), name="body_view_has_size"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whatever path the drawing came by, only the cleaned shapes are stored.
        self.drawing = clean_drawing(self.drawing)
        self.read_english_labels()
        super().save(*args, **kwargs)

    def clean(self):
        try:
            self.drawing = clean_drawing(self.drawing)
        except ValidationError as error:
            raise ValidationError({"drawing": error.messages}) from error
        self.read_english_labels()
        count = len(diagrams.drawing_words(self.drawing))
        errors = {}
        for code, _name in settings.LANGUAGES:
            field = build_localized_fieldname("labels", code)
            lines = (getattr(self, field, "") or "").splitlines()
            if code != settings.LANGUAGE_CODE and lines and len(lines) != count:
                errors[field] = (
                    f"Write one line for each of the drawing's {count} texts "
                    f"({len(lines)} written)."
                )
        if errors:
            raise ValidationError(errors)

    def read_english_labels(self):
        """The English words are the drawing's own; an editor writes the others."""
        english = build_localized_fieldname("labels", settings.LANGUAGE_CODE)
        setattr(self, english, "\n".join(diagrams.drawing_words(self.drawing)))

    @property
    def localized_drawing(self):
        """The drawing with its words in the active language, or in English while that
        language lacks a line for each of them."""
        words = (self.labels or "").splitlines()
        if len(words) != len(diagrams.drawing_words(self.drawing)):
            return self.drawing
        return diagrams.with_words(self.drawing, words)

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height}"


class MarkerSide(models.TextChoices):
    LEFT = "left", _("Left side of the body")
    RIGHT = "right", _("Right side of the body")
    CENTRE = "centre", _("Centre line")


class LabelPosition(models.TextChoices):
    OUTSIDE = "outside", "Away from the centre line"
    LEFT = "left", "Left of the marker"
    RIGHT = "right", "Right of the marker"
    ABOVE = "above", "Above the marker"
    BELOW = "below", "Below the marker"


class PointMarker(NaturalKeyMixin, models.Model):
    """Where a point sits on one body view, in the view's own coordinates."""

    point = models.ForeignKey("Point", on_delete=models.CASCADE, related_name="markers")
    view = models.ForeignKey(BodyView, on_delete=models.PROTECT, related_name="markers")
    x = models.FloatField(validators=[MinValueValidator(0)])
    y = models.FloatField(validators=[MinValueValidator(0)])
    side = models.CharField(
        max_length=6,
        choices=MarkerSide.choices,
        help_text="The body's side, as the person would name it. On a symmetric view the "
        "other side of a two-sided point is drawn as its mirror image.",
    )
    label_position = models.CharField(
        max_length=8, choices=LabelPosition.choices, default=LabelPosition.OUTSIDE
    )
    spot = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="1, or 2, 3… for a point pressed at more than one spot on each side "
        "(Yaotongdian: two on the back of each hand).",
    )

    objects = NaturalKeyQuerySet.as_manager()
    natural_key_lookups = ("point__code", "view__slug", "spot")

    class Meta:
        ordering = ["view__sort_order", "point__code", "spot"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "view", "spot"], name="marker_once_per_spot_of_view"
            ),
            models.CheckConstraint(condition=Q(x__gte=0) & Q(y__gte=0), name="marker_in_view"),
        ]

    def __str__(self):
        return f"{self.point.code} on {self.view.title}"

    def clean(self):
        errors = {}
        if self.view_id is not None:
            if self.x is not None and self.x > self.view.width:
                errors["x"] = f"x must be between 0 and {self.view.width}, the view's width."
            if self.y is not None and self.y > self.view.height:
                errors["y"] = f"y must be between 0 and {self.view.height}, the view's height."
        if self.point_id is not None and self.side:
            if self.point.bilateral and self.side == MarkerSide.CENTRE:
                errors["side"] = "A point on both sides of the body is marked on one side."
            if not self.point.bilateral and self.side != MarkerSide.CENTRE:
                errors["side"] = "A point on the centre line is marked on the centre line."
        if errors:
            raise ValidationError(errors)

    def spots_on_view(self):
        """How many spots of this point are marked on this view (diagrams.marker_pins names
        each); read from the point's prefetched markers, which every page drawing markers
        loads."""
        if self.point.pk is None:  # previewed in the admin before the point is saved
            return 1
        return sum(1 for marker in self.point.markers.all() if marker.view_id == self.view_id)
