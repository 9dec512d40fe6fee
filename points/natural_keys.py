"""Natural keys: how content files (export_content, import_content) name rows.

Database ids differ from one site to the next, so a content file names every row by
values that mean the same everywhere: a point by its code, a pain type by its slug, a link
by the pair it joins. A model lists the lookups of its key in `natural_key_lookups`;
`natural_key()` reads them off a row and the QuerySet's `get_by_natural_key()` finds it
again, which is what Django's serializers call.

Content with no name of its own (a red flag, a caution, a reference, a benefit, a tip) gets
a `key` made from its text the first time it is saved. The key never changes afterwards, so
an editor can reword a red flag and other sites still know which one it is.
"""

from django.db import models
from django.utils.text import slugify

KEY_MAX_LENGTH = 60
# Room for a "-2", "-3"… suffix when two texts start the same way.
KEY_BASE_LENGTH = 50


class NaturalKeyQuerySet(models.QuerySet):
    def get_by_natural_key(self, *values):
        lookups = self.model.natural_key_lookups
        if len(values) != len(lookups):
            raise self.model.DoesNotExist(
                f"A {self.model._meta.verbose_name} is named by {len(lookups)} value(s), "
                f"not {len(values)}: {list(values)!r}."
            )
        return self.get(**dict(zip(lookups, values, strict=True)))


class NaturalKeyMixin:
    natural_key_lookups = ()

    def natural_key(self):
        values = []
        for lookup in self.natural_key_lookups:
            value = self
            for name in lookup.split("__"):
                value = getattr(value, name)
            values.append(value)
        return tuple(values)


def key_field():
    # Nullable because rows inserted without save() (bulk_create, older migrations'
    # historical models) have no key yet; export_content fills those in first.
    return models.SlugField(  # noqa: DJ001
        max_length=KEY_MAX_LENGTH, unique=True, null=True, editable=False
    )


def key_from_text(text, taken):
    """A readable slug of the text's first words, made unique against `taken(key)`."""
    base = slugify(text)
    if len(base) > KEY_BASE_LENGTH:
        base = base[:KEY_BASE_LENGTH].rsplit("-", 1)[0]
    base = base or "item"
    key, number = base, 1
    while taken(key):
        number += 1
        key = f"{base}-{number}"
    return key


class TextKeyMixin(NaturalKeyMixin):
    """For models with a `key = key_field()` made from the field named by `key_source`."""

    natural_key_lookups = ("key",)
    key_source = "title"

    def save(self, *args, **kwargs):
        if not self.key:
            manager = type(self)._default_manager
            self.key = key_from_text(
                getattr(self, self.key_source),
                lambda key: manager.filter(key=key).exclude(pk=self.pk).exists(),
            )
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "key"}
        super().save(*args, **kwargs)
