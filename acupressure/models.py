"""Site-wide records: the content releases a site has imported, and who its editors are."""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
