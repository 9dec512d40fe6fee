"""Site-wide records: the content releases a site has imported, who its editors are, and
their reviews of the content's translations."""

import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from points.care_advice import check_no_care_advice


class ContentRelease(models.Model):
    """A content file as this site imported it (import_content).

    The last release is what the next import compares the site's content with: a field
    that differs from it was changed on this site, by an editor, and an import keeps it.
    """

    name = models.CharField(max_length=200)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the file.")
    text = models.TextField(help_text="The file as it was imported.")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        get_latest_by = ["imported_at", "pk"]

    def __str__(self):
        return self.name

    @property
    def entries(self):
        return json.loads(self.text)


class EditorRole(models.TextChoices):
    """What an editor is, as a reader sees it beside their review."""

    DOCTOR = "doctor", _("doctor")
    PHYSIOTHERAPIST = "physiotherapist", _("physiotherapist")
    NURSE = "nurse", _("nurse")
    MIDWIFE = "midwife", _("midwife")
    ACUPUNCTURIST = "acupuncturist", _("acupuncturist")
    MEDICAL_EDITOR = "medical-editor", _("medical editor")
    TRANSLATOR = "translator", _("translator")
    EDITOR = "editor", _("editor")


class EditorProfile(models.Model):
    """How an editor is named beside the reviews they record. A review keeps a copy of both
    (points.models.Reviewed), so a later change of role never rewrites what was reviewed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editor_profile"
    )
    name = models.CharField(max_length=120, help_text="As readers see it, e.g. Ana García.")
    role = models.CharField(max_length=20, choices=EditorRole.choices)

    def __str__(self):
        return f"{self.name}, {self.get_role_display()}"


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
    """Content with translations (each app's translation.py), each reviewed on its own."""

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
