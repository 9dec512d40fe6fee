"""The guide's content: meridians, points, pain types, references and safety notes."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, get_language_info, gettext, pgettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from acupressure.models import EditorRole

from . import diagrams
from .care_advice import check_no_care_advice
from .diagrams import Pin, clean_drawing
from .natural_keys import NaturalKeyMixin, NaturalKeyQuerySet, TextKeyMixin, key_field
from .uploads import PhotoField

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


def review_due_before():
    """Content last reviewed before this day is due for another review."""
    return timezone.localdate() - timedelta(days=settings.REVIEW_INTERVAL_DAYS)


class ReviewQuerySetMixin:
    def due_for_review(self):
        """Never reviewed by an editor, or reviewed longer than REVIEW_INTERVAL_DAYS ago."""
        return self.filter(Q(last_reviewed=None) | Q(last_reviewed__lt=review_due_before()))


class Reviewed(models.Model):
    """Content an editor can mark as reviewed (admin action). Only that action sets these
    fields; no import invents a review. A review is of the English as it was then: it keeps
    the reviewer's name and role as they were, and a digest of the text, so a later change
    of the text (by any path) shows as not reviewed again."""

    # A review belongs to the site where it was made: content files leave these out.
    review_fields = (
        "last_reviewed",
        "reviewed_by",
        "reviewer_name",
        "reviewer_role",
        "reviewed_digest",
    )

    last_reviewed = models.DateField("reviewed on", null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewer_name = models.CharField(max_length=120, blank=True, editable=False)
    reviewer_role = models.CharField(
        max_length=20, blank=True, editable=False, choices=EditorRole.choices
    )
    reviewed_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def review_due(self):
        return self.last_reviewed is None or self.last_reviewed < review_due_before()

    def mark_reviewed(self, editor):
        """Record today's review by this editor (who has an EditorProfile). A save, not an
        update(): the save's signals retire the cached pages, and for a point a new
        updated_at retires its cached parts."""
        # Imported here: translations.py reads these models.
        from .translations import english_digest

        profile = editor.editor_profile
        self.last_reviewed = timezone.localdate()
        self.reviewed_by = editor
        self.reviewer_name, self.reviewer_role = profile.name, profile.role
        self.reviewed_digest = english_digest(self)
        fields = list(self.review_fields)
        if any(f.name == "updated_at" for f in self._meta.local_fields):
            fields.append("updated_at")
        self.save(update_fields=fields)


class TranslationReview(models.Model):
    """An editor's review of one item's translation into one language.

    A translation is reviewed apart from its English source, against the English as it was
    then: the review keeps a digest of that English and of the translation, so any later
    change to either (whatever path it came by: the admin, an import) shows the translation
    as needing review again.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    english_digest = models.CharField(max_length=64)
    # The translation as it was reviewed: an edit of it needs a review again too.
    text_digest = models.CharField(max_length=64, blank=True)
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewer_name = models.CharField(max_length=120, blank=True)
    reviewer_role = models.CharField(max_length=20, blank=True, choices=EditorRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"],
                name="translation_reviewed_once_per_language",
            )
        ]

    def __str__(self):
        return f"{self.item} ({self.language})"


class Translatable(models.Model):
    """Content with translations (points/translation.py), each reviewed on its own."""

    translation_reviews = GenericRelation(TranslationReview)
    # Whether its text is checked for care advice (see care_advice.py): everywhere but in
    # red flags and cautions, which are where such advice belongs.
    care_advice_refused = True

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.care_advice_refused:
            check_no_care_advice(self)


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

    def for_conditions(self, conditions):
        """Points that help any of the conditions, those helping most of them first."""
        return (
            self.filter(conditions__in=conditions)
            .annotate(matching_conditions=Count("conditions", distinct=True))
            .order_by("-matching_conditions", "meridian__code", "number")
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
                "english_name",
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
    english_name = models.CharField(max_length=80, help_text="e.g. Sea of Vitality")
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
    conditions = models.ManyToManyField(
        "Condition", through="PointCondition", related_name="points", blank=True
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
        return f"{self.code} {self.english_name}"

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
        return format_seconds_range(self.press_seconds_min, self.press_seconds_max)


def touch_points(point_ids):
    """A new `updated_at` for these points, the version their cached cards are keyed on.

    A point's page and card show rows of other tables: its own (markers, pain-type links,
    cautions, references, tips) and shared ones (the names of its pain types and cautions);
    a change to one of those is a change to the point. update() sends no signal: the changed
    row's own signal already retired the cached pages.
    """
    Point.objects.filter(pk__in=point_ids).update(updated_at=timezone.now())


def touch_point_of(sender, instance, **kwargs):
    """post_save/post_delete receiver for rows that belong to one point (point_id)."""
    if getattr(instance, "point_id", None) is not None:
        touch_points([instance.point_id])


def touch_point_reviewed(sender, instance, **kwargs):
    """post_save/post_delete receiver for a TranslationReview: a point's page shows it."""
    if instance.content_type.model_class() is Point:
        touch_points([instance.object_id])


def touch_points_named_by(sender, instance, created=False, **kwargs):
    """post_save receiver for a pain type, caution or reference: the points that name it."""
    if not created:
        touch_points(instance.points.values("pk"))


def touch_points_drawn_on(sender, instance, created=False, **kwargs):
    """post_save receiver for a body view: the points marked on it."""
    if not created:
        touch_points(Point.objects.filter(markers__view=instance).values("pk"))


def touch_points_of_link(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed receiver for `point.conditions.add(…)`, `condition.points.remove(…)`…,
    which write the link rows without a post_save of their own."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        touch_points([instance.pk])
    elif action == "pre_clear":
        # While the links are still there: the points of this condition (caution…).
        field = next(f for f in Point._meta.many_to_many if f.remote_field.through is sender)
        touch_points(Point.objects.filter(**{field.name: instance}).values("pk"))
    else:
        touch_points(pk_set or ())


def detail_prefetches():
    """What a page that teaches a point shows of the rows around it."""
    return (
        models.Prefetch(
            "point_conditions",
            queryset=PointCondition.objects.filter(condition__is_published=True).select_related(
                "condition"
            ),
        ),
        "cautions",
        "point_references__reference",
        models.Prefetch("markers", queryset=PointMarker.objects.select_related("view")),
    )


def format_seconds(seconds):
    """Seconds as a person says them: "45 s", "90 s", "3 min", "6 min 30 s"."""
    minutes, rest = divmod(int(seconds), 60)
    if not minutes or (minutes == 1 and rest):
        return gettext("%(seconds)s s") % {"seconds": seconds}
    if rest:
        return gettext("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": rest}
    return gettext("%(minutes)s min") % {"minutes": minutes}


def format_seconds_range(low, high):
    if low == high:
        return format_seconds(low)
    if high < 120:
        return gettext("%(low)s–%(high)s s") % {"low": low, "high": high}
    return gettext("%(low)s to %(high)s") % {
        "low": format_seconds(low),
        "high": format_seconds(high),
    }


class ConditionQuerySet(ReviewQuerySetMixin, NaturalKeyQuerySet):
    def published(self):
        return self.filter(is_published=True)


class Condition(NaturalKeyMixin, Reviewed, Translatable):
    """A pain type a visitor can filter by, such as sciatica."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(help_text="What it is and how it feels, in plain words.")
    advice = models.TextField(
        blank=True, help_text="What else helps, and when to see someone about it."
    )
    red_flags = models.ManyToManyField("RedFlag", related_name="conditions", blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_published = models.BooleanField("published", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConditionQuerySet.as_manager()
    natural_key_lookups = ("slug",)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("points:condition", args=[self.slug])

    @property
    def first_sentence(self):
        """The summary's opening sentence, for tiles and link lists."""
        sentence, stop, _ = self.summary.partition(". ")
        return sentence + "." if stop else sentence


class PointCondition(NaturalKeyMixin, models.Model):
    """Why a point is used for a condition, in the guide's words."""

    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="point_conditions")
    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="point_conditions"
    )
    note = models.CharField(max_length=300, blank=True)

    objects = NaturalKeyQuerySet.as_manager()
    natural_key_lookups = ("point__code", "condition__slug")

    class Meta:
        ordering = ["condition__sort_order", "point__code"]
        constraints = [
            models.UniqueConstraint(fields=["point", "condition"], name="point_condition_once"),
        ]

    def __str__(self):
        return f"{self.point.code} for {self.condition.name}"

    def clean(self):
        check_no_care_advice(self)


class RedFlagQuerySet(ReviewQuerySetMixin, NaturalKeyQuerySet):
    def general(self):
        return self.filter(is_general=True)

    def for_point(self, point):
        """The general red flags and those of the published pain types the point is used for."""
        return self.for_conditions(Condition.objects.published().filter(points=point))

    def for_conditions(self, conditions):
        """The general red flags and those particular to any of the conditions."""
        return self.filter(Q(is_general=True) | Q(conditions__in=conditions)).distinct()


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
    point = models.ForeignKey(Point, on_delete=models.CASCADE)
    caution = models.ForeignKey(Caution, on_delete=models.CASCADE)

    objects = NaturalKeyQuerySet.as_manager()
    natural_key_lookups = ("point__code", "caution__key")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "caution"], name="point_caution_once"),
        ]

    def __str__(self):
        return f"{self.caution.title} ({self.point.code})"


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
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="point_references")
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


class Benefit(TextKeyMixin, Translatable):
    """One of the key benefits listed on the home page."""

    key = key_field()
    text = models.CharField(max_length=120)
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = NaturalKeyQuerySet.as_manager()
    key_source = "text"

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.text


class Tip(TextKeyMixin, Translatable):
    """Advice around a session: before, after, or tied to one point."""

    key = key_field()
    title = models.CharField(max_length=120)
    text = models.TextField(validators=[MaxLengthValidator(800)])
    point = models.ForeignKey(
        Point,
        on_delete=models.CASCADE,
        related_name="tips",
        null=True,
        blank=True,
        help_text="Leave empty for a tip about the whole session.",
    )
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.title


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


MIRRORED_SIDE = {MarkerSide.LEFT: MarkerSide.RIGHT, MarkerSide.RIGHT: MarkerSide.LEFT}
MIRRORED_LABEL = {LabelPosition.LEFT: LabelPosition.RIGHT, LabelPosition.RIGHT: LabelPosition.LEFT}


class PointMarker(NaturalKeyMixin, models.Model):
    """Where a point sits on one body view, in the view's own coordinates."""

    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="markers")
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
        """How many spots of this point are marked on this view; read from the point's
        prefetched markers, which every page drawing markers loads."""
        if self.point.pk is None:  # previewed in the admin before the point is saved
            return 1
        return sum(1 for marker in self.point.markers.all() if marker.view_id == self.view_id)

    def pins(self, label=None, name=None, url=""):
        """The marks to draw: this one, and its mirror image for a two-sided point."""
        label = self.point.code if label is None else label
        name = name or f"{self.point.code} {self.point.english_name}"
        position = self.label_position
        if position == LabelPosition.OUTSIDE:
            position = LabelPosition.LEFT if self.side == MarkerSide.LEFT else LabelPosition.RIGHT
        pins = [self.pin(self.x, self.side, position, label, name, url)]
        if self.point.bilateral and self.view.symmetric and self.side in MIRRORED_SIDE:
            mirrored_x = self.view.width - self.x
            pins.append(
                self.pin(
                    mirrored_x,
                    MIRRORED_SIDE[self.side],
                    MIRRORED_LABEL.get(position, position),
                    label,
                    name,
                    url,
                )
            )
        return pins

    def pin(self, x, side, position, label, name, url):
        where = {
            MarkerSide.CENTRE: pgettext("marker", "centre line"),
            MarkerSide.LEFT: pgettext("marker", "left side"),
            MarkerSide.RIGHT: pgettext("marker", "right side"),
        }[side]
        spots = self.spots_on_view()
        if spots > 1:
            where += ", " + pgettext("marker", "spot %(spot)s of %(spots)s") % {
                "spot": self.spot,
                "spots": spots,
            }
        return Pin(
            x=x,
            y=self.y,
            side=side,
            label=label,
            name=f"{name}, {where}",
            label_position=position,
            url=url,
        )
