"""The sources the guide cites, and which facts of a point each one backs."""

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import get_language, get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from ..care_advice import check_no_care_advice
from ..natural_keys import NaturalKeyMixin, NaturalKeyQuerySet, TextKeyMixin, key_field


class Reference(TextKeyMixin, models.Model):
    """A source the guide relies on, cited in APA style."""

    class Kind(models.TextChoices):
        # In the order the references page lists them: the better sources first.
        STANDARD = "standard", _("Standards")
        HEALTH_SERVICE = "health-service", _("Health services and guidelines")
        RESEARCH = "research", _("Research")
        OTHER = "other", _("What others say")

    # Not the URL: the source article has none, and a site may move a page.
    key = key_field()
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text="Standards (WHO) and national health services come before studies, and "
        "studies before practices' pages, blogs and vendors (what others say).",
    )
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language the source is written in.",
    )
    authors = models.CharField(max_length=200, help_text="As cited, e.g. Bourassa, P.")
    published_on = models.DateField(null=True, blank=True)
    year_only = models.BooleanField(
        default=False, help_text="Only the year of publication is known."
    )
    title = models.CharField(max_length=300)
    site_name = models.CharField(max_length=120, blank=True)
    url = models.URLField(max_length=500, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    is_source_article = models.BooleanField(
        default=False, help_text="The article this guide was first written from."
    )
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-is_source_article", "sort_order", "authors"]

    def __str__(self):
        return f"{self.authors} – {self.title}"

    @property
    def date_cited(self):
        if self.published_on is None:
            return gettext("n.d.")
        if self.year_only:
            return str(self.published_on.year)
        return formats.date_format(self.published_on, "DATE_FORMAT")

    def rank(self):
        """Sort key: the better kinds of source first (Kind's order), the source article
        after the others of its kind."""
        return (list(self.Kind).index(self.kind), self.is_source_article, self.sort_order)

    @property
    def in_other_language(self):
        """The source's language when it is not the page's, for a note beside it."""
        if self.language == get_language():
            return ""
        return get_language_info(self.language)["name_translated"]


class PointReference(NaturalKeyMixin, models.Model):
    point = models.ForeignKey("Point", on_delete=models.CASCADE, related_name="point_references")
    reference = models.ForeignKey(
        Reference, on_delete=models.CASCADE, related_name="point_references"
    )
    supports = models.CharField(
        max_length=200, blank=True, help_text="Which facts it backs, e.g. location, press time."
    )
    pages = models.CharField(
        max_length=20, blank=True, help_text="Where in the source, e.g. 99 or 99–134."
    )

    objects = NaturalKeyQuerySet.as_manager()
    natural_key_lookups = ("point__code", "reference__key")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "reference"], name="point_reference_once"),
        ]

    def __str__(self):
        return f"{self.point.code}: {self.reference.authors}"

    def clean(self):
        check_no_care_advice(self)
