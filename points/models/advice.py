"""The home page's benefits and the tips around a session."""

from django.core.validators import MaxLengthValidator
from django.db import models

from acupressure.models import Translatable

from ..natural_keys import NaturalKeyQuerySet, TextKeyMixin, key_field


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
        "Point",
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
