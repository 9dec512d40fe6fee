"""Saved routines: a shared link's read-only copy, or an editors' suggestion.

The routine a visitor is still building lives in their session (see working.py); saving
copies it here under an unguessable token and never changes it again.
"""

import logging
import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DatabaseError, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from acupressure.models import Translatable
from points.models import MAX_PRESS_SECONDS, Point
from points.natural_keys import NaturalKeyMixin, NaturalKeyQuerySet

from .schedule import EVERY_DAY, TIMES_PER_DAY, WEEKS, Schedule, clean_weekdays

logger = logging.getLogger(__name__)

MAX_STEPS = 30
TITLE_MAX_LENGTH = 80
NOTE_MAX_LENGTH = 200
FREE_STEP_MAX_LENGTH = 120
FREE_STEP_SECONDS = (5, MAX_PRESS_SECONDS)
DEFAULT_STEP_SECONDS = 60  # a minute: where a step starts, if its point's range allows
# Kept in English, shown in the page's language (title_to_show).
DEFAULT_TITLE = gettext_noop("My back-pain routine")


# The builder's suggestions for a free step, kept in English and shown in the page's
# language wherever a step says one of them (RoutineStep.shown_text).
FREE_STEP_IDEAS = [
    gettext_noop("Relax your back on a roller"),
    gettext_noop("Massage the arches of your feet"),
    gettext_noop("Lie down and breathe slowly"),
    gettext_noop("Roll out your back again"),
]


def refuse_control_characters(value):
    """What visitors type is one line of plain text: a line break or another control
    character (a tab aside) would end a line of a calendar file or a CSV cell early, and
    whatever followed it would be read as a line of its own."""
    for character in value:
        if character != "\t" and unicodedata.category(character) in ("Cc", "Zl", "Zp"):
            raise ValidationError(
                _("Write it on one line: line breaks and control characters cannot be kept."),
                code="control_character",
            )


def one_line(text):
    """`text` with any run of line breaks or control characters made one space, for a
    format in which a line break ends what is being said (a calendar's name)."""
    words = "".join(
        " " if unicodedata.category(character) in ("Cc", "Zl", "Zp") else character
        for character in text
    )
    return " ".join(words.split())


def title_to_show(title):
    """A routine's title on a page: the untouched default in the page's language, a title
    someone typed as they typed it."""
    return gettext(DEFAULT_TITLE) if title == DEFAULT_TITLE else title


def new_token():
    # 128 bits: links cannot be guessed or enumerated.
    return secrets.token_urlsafe(16)


class Sides(models.TextChoices):
    BOTH = "both", _("Both sides")
    LEFT = "left", _("Left side only")
    RIGHT = "right", _("Right side only")
    NONE = "", _("Not applicable")


class RoutineQuerySet(NaturalKeyQuerySet):
    def suggestions(self):
        return self.filter(is_suggestion=True, is_published=True)

    def shared(self):
        return self.filter(is_suggestion=False)

    def with_steps(self):
        return self.prefetch_related(
            "pain_types",
            models.Prefetch(
                "steps",
                # A point editors unpublished drops out, as it does from a working routine.
                queryset=RoutineStep.objects.filter(Q(point=None) | Q(point__is_published=True))
                .select_related("point__meridian")
                .prefetch_related(
                    "point__cautions",
                    "point__markers__view",
                    "point__point_pain_types__pain_type",
                    "point__point_references__reference",
                ),
            ),
        )

    def prunable(self, unused_days, printed_days):
        """Shared copies that may go: the pruning policy.

        - saved more than `unused_days` ago, and neither opened nor printed since;
        - printed, but neither printed nor opened in the last `printed_days`: a sheet on
          paper carries the link (its QR code), so its routine is kept that long.
        A link that was opened and never printed is kept.
        """
        now = timezone.now()
        unused = Q(
            last_opened_at=None,
            last_printed_at=None,
            created_at__lt=now - timedelta(days=unused_days),
        )
        kept_since = now - timedelta(days=printed_days)
        printed_long_ago = Q(last_printed_at__lt=kept_since) & (
            Q(last_opened_at=None) | Q(last_opened_at__lt=kept_since)
        )
        return self.shared().filter(unused | printed_long_ago)

    def saved_within(self, hours):
        return self.shared().filter(created_at__gte=timezone.now() - timedelta(hours=hours))

    def saved_today_by(self, saver):
        return self.saved_within(hours=24).filter(saved_by=saver)

    def mark_opened(self, token):
        """Record that the link `token` was used, at most once a day, so pruning spares it.

        The first hour after saving does not count: the saver lands on the link at once,
        and that alone must not keep an abandoned copy forever. The cache remembers for an
        hour that a link was seen, so a link opened by thousands costs one UPDATE an hour
        and its page can still be served from the cache.
        """
        now = timezone.now()
        recently = Q(last_opened_at=None) | Q(last_opened_at__lt=now - timedelta(days=1))
        links = self.filter(recently, token=token, created_at__lt=now - timedelta(hours=1))
        return self.record_use(f"routine-opened:{token}", links, last_opened_at=now)

    def mark_printed(self, token):
        """Record that the print sheet of `token` was rendered: from now on its link is kept
        for ROUTINE_KEEP_PRINTED_DAYS (at most one UPDATE an hour, as for opening)."""
        now = timezone.now()
        links = self.filter(
            Q(last_printed_at=None) | Q(last_printed_at__lt=now - timedelta(hours=1))
        )
        return self.record_use(
            f"routine-printed:{token}", links.filter(token=token), last_printed_at=now
        )

    def record_use(self, seen_key, links, **stamp):
        # With the shared routines' pages, apart from the core pages (settings.CACHES).
        if not caches["bulk"].add(seen_key, True, timeout=3600):
            return 0
        try:
            return links.update(**stamp)
        except DatabaseError:
            # Bookkeeping for pruning only: a read-only database must not break the link.
            logger.warning("Could not record the use of a routine link (%s)", seen_key)
            return 0


class Routine(NaturalKeyMixin, Translatable):
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    title = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[refuse_control_characters])
    summary = models.TextField(
        blank=True, help_text="For suggestions: who it is for and how long it takes."
    )
    is_suggestion = models.BooleanField(
        "suggested by editors",
        default=False,
        help_text="Offered on the pages of its pain types as a starting point.",
    )
    is_published = models.BooleanField(
        "published",
        default=True,
        help_text="Unpublished, a suggestion is a draft: editors see it at its link, "
        "visitors get “not found” and the pages of its pain types leave it out.",
    )
    pain_types = models.ManyToManyField(
        "points.PainType",
        blank=True,
        related_name="suggested_routines",
        help_text="Pain types whose pages offer this suggestion.",
    )
    source = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text="The routine this one was copied from.",
    )
    # How often it is done (routines/schedule.py): set in the builder, or by editors for a
    # suggestion.
    times_per_day = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(TIMES_PER_DAY[0]), MaxValueValidator(TIMES_PER_DAY[-1])],
    )
    weekdays = models.CharField(
        max_length=7,
        default=EVERY_DAY,
        help_text="ISO weekday numbers, Monday 1 to Sunday 7: 1234567 is every day, 14 is "
        "Monday and Thursday.",
    )
    weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=2,
        validators=[MinValueValidator(WEEKS[0]), MaxValueValidator(WEEKS[-1])],
        help_text="Empty: for as long as it helps.",
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_printed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Who saved it (a keyed hash of their session, never the session key itself) and what
    # it holds: one visitor saving the same routine twice, at once or in a retry, gets one
    # row, and their daily allowance is counted from the rows themselves.
    saved_by = models.CharField(max_length=64, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = RoutineQuerySet.as_manager()
    natural_key_lookups = ("token",)

    class Meta:
        ordering = ["sort_order", "-created_at"]
        indexes = [models.Index(fields=["is_suggestion", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["saved_by", "fingerprint"],
                condition=~Q(saved_by=""),
                name="routine_saved_once_per_visitor",
            ),
            models.CheckConstraint(
                condition=Q(times_per_day__gte=1) & Q(times_per_day__lte=4),
                name="routine_times_per_day_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(weeks__isnull=True) | (Q(weeks__gte=1) & Q(weeks__lte=12)),
                name="routine_weeks_1_to_12",
            ),
            # Their order and digits are checked by clean() and the builder's form: a regex
            # constraint would need SQLite's REGEXP, which only Django's connection has.
            models.CheckConstraint(condition=~Q(weekdays=""), name="routine_has_weekdays"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.is_suggestion:
            self.keep_without_language()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("routines:shared", args=[self.token])

    def keep_without_language(self):
        """A visitor's routine has no language of its own (routines/translation.py): what
        they typed goes in the English columns, which every language falls back to."""
        for field in ("title", "summary"):
            typed = getattr(self, field)
            for code, _name in settings.LANGUAGES:
                value = typed if code == settings.LANGUAGE_CODE else None
                setattr(self, build_localized_fieldname(field, code), value)

    @property
    def care_advice_refused(self):
        # A suggestion is content; a visitor's title and notes are their own words.
        return self.is_suggestion

    def clean(self):
        super().clean()
        if self.weekdays != clean_weekdays(self.weekdays) or not self.weekdays:
            raise ValidationError(
                {"weekdays": "Digits 1 (Monday) to 7 (Sunday), each once, in order: e.g. 135."}
            )

    @property
    def schedule(self):
        return Schedule.of(self)


class PrunedRoutine(models.Model):
    """The token of a link pruned away, so that link answers 410 Gone, not 404."""

    token = models.CharField(max_length=32, unique=True)
    pruned_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.token


class RoutineStep(NaturalKeyMixin, models.Model):
    """One step: press a point for a while, or a free step such as rolling out the back."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    # PROTECT: a point that routines use is unpublished rather than deleted.
    point = models.ForeignKey(Point, on_delete=models.PROTECT, null=True, blank=True)
    text = models.CharField(
        "free step",
        max_length=FREE_STEP_MAX_LENGTH,
        blank=True,
        validators=[refuse_control_characters],
        help_text="For a step without a point, e.g. “Massage the arches of your feet”.",
    )
    seconds = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(FREE_STEP_SECONDS[1])],
        help_text="For a point on both sides: seconds on each side.",
    )
    sides = models.CharField(max_length=5, choices=Sides.choices, blank=True, default="")
    note = models.CharField(
        max_length=NOTE_MAX_LENGTH, blank=True, validators=[refuse_control_characters]
    )

    objects = NaturalKeyQuerySet.as_manager()
    natural_key_lookups = ("routine__token", "position")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "position"], name="step_position_once"),
            models.CheckConstraint(
                condition=(Q(point__isnull=False) & Q(text=""))
                | (Q(point__isnull=True) & ~Q(text="")),
                name="step_is_point_or_free_text",
            ),
            models.CheckConstraint(
                condition=Q(seconds__gte=1) & Q(seconds__lte=FREE_STEP_SECONDS[1]),
                name="step_seconds_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.label}"

    def clean(self):
        if (self.point_id is None) == (not self.text):
            raise ValidationError("A step is either a point or a free step, not both.")
        if self.point_id and not (
            self.point.press_seconds_min <= self.seconds <= self.point.press_seconds_max
        ):
            raise ValidationError(
                {"seconds": f"{self.point.code} is pressed for {self.point.press_time}."}
            )

    @property
    def label(self):
        return f"{self.point.code} {self.point.name}" if self.point else self.shown_text

    @property
    def number(self):
        return self.position

    @property
    def side_count(self):
        return 2 if self.sides == Sides.BOTH else 1

    @property
    def total_seconds(self):
        return self.seconds * self.side_count

    @property
    def shown_text(self):
        """A free step's words: one of the builder's ideas in the page's language, anything
        else as it was typed."""
        return gettext(self.text) if self.text in FREE_STEP_IDEAS else self.text
