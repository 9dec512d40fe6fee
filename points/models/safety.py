"""Warning signs (red flags, in tiers) and cautions: when not to press, or to press gently."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from acupressure.models import Translatable

from ..natural_keys import NaturalKeyMixin, NaturalKeyQuerySet, TextKeyMixin, key_field
from .pain_type import PainType
from .review import Reviewed, ReviewQuerySetMixin


class RedFlagQuerySet(ReviewQuerySetMixin, NaturalKeyQuerySet):
    def general(self):
        return self.filter(is_general=True)

    def for_point(self, point):
        """The general red flags and those of the published pain types the point is used for."""
        return self.for_pain_types(PainType.objects.published().filter(points=point))

    def for_pain_types(self, pain_types):
        """The general red flags and those particular to any of the pain types."""
        return self.filter(Q(is_general=True) | Q(pain_types__in=pain_types)).distinct()


class RedFlag(TextKeyMixin, Reviewed, Translatable):
    """A sign that means: see a doctor instead of pressing points.

    Two tiers, shown apart everywhere: emergency (get emergency care now) first, then see a
    doctor soon.
    """

    class Tier(models.TextChoices):
        EMERGENCY = "emergency", _("Get emergency care now")
        SOON = "soon", _("See a doctor soon")

    key = key_field()
    # Room for its translations, which run longer than the English.
    text = models.CharField(max_length=300)
    care_advice_refused = False
    emergency = models.BooleanField(
        "emergency",
        default=False,
        help_text="Get emergency care now (shown first, in its own box). Unticked: see a "
        "doctor soon.",
    )
    is_general = models.BooleanField(
        default=True, help_text="Shown with every point, not only with its pain types."
    )
    references = models.ManyToManyField(
        "Reference",
        related_name="red_flags",
        blank=True,
        help_text="The health-service guidance this sign and its tier come from.",
    )
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = RedFlagQuerySet.as_manager()
    key_source = "text"

    class Meta:
        ordering = ["-emergency", "sort_order", "pk"]

    def __str__(self):
        return self.text

    @property
    def tier(self):
        return self.Tier.EMERGENCY if self.emergency else self.Tier.SOON


class CautionQuerySet(ReviewQuerySetMixin, NaturalKeyQuerySet):
    def general(self):
        return self.filter(is_general=True)


class Caution(TextKeyMixin, Reviewed, Translatable):
    """When a point should not be pressed, or only gently; or, if general, when a person
    should take care whatever points they press."""

    care_advice_refused = False
    key = key_field()
    title = models.CharField(max_length=80, help_text="e.g. Pregnancy")
    text = models.TextField(validators=[MaxLengthValidator(600)])
    step_note = models.CharField(
        max_length=80,
        blank=True,
        help_text="Said beside every step that presses one of its points, e.g. “Not in "
        "pregnancy.” Empty: the caution is given before the steps only.",
    )
    is_general = models.BooleanField(
        default=False,
        help_text="About the person, not a point (pregnancy, blood thinners…): shown on every "
        "routine, shared routine, printed sheet and session, whatever points it holds.",
    )
    references = models.ManyToManyField(
        "Reference",
        related_name="cautions",
        blank=True,
        help_text="The guidance this caution comes from.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CautionQuerySet.as_manager()

    class Meta:
        ordering = ["-is_general", "title"]

    def __str__(self):
        return self.title


def cautions_with_codes(points, general=()):
    """Each caution of these points once, with the codes of the points it applies to; the
    general cautions first (with the codes of any of these points they also name), whatever
    the points are."""
    codes = {caution: [] for caution in general}
    for point in points:
        for caution in point.cautions.all():
            codes.setdefault(caution, []).append(point.code)
    return sorted(codes.items(), key=lambda item: (not item[0].is_general, item[0].title))


class PointCaution(NaturalKeyMixin, models.Model):
    point = models.ForeignKey("Point", on_delete=models.CASCADE)
    caution = models.ForeignKey(Caution, on_delete=models.CASCADE)

    objects = NaturalKeyQuerySet.as_manager()
    natural_key_lookups = ("point__code", "caution__key")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "caution"], name="point_caution_once"),
        ]

    def __str__(self):
        return f"{self.caution.title} ({self.point.code})"
