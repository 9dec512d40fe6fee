"""Editors' reviews of the guide's content: when each item was last reviewed, and by whom."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from acupressure.models import EditorRole


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
        from acupressure.translations import english_digest

        profile = editor.editor_profile
        self.last_reviewed = timezone.localdate()
        self.reviewed_by = editor
        self.reviewer_name, self.reviewer_role = profile.name, profile.role
        self.reviewed_digest = english_digest(self)
        fields = list(self.review_fields)
        if any(f.name == "updated_at" for f in self._meta.local_fields):
            fields.append("updated_at")
        self.save(update_fields=fields)
