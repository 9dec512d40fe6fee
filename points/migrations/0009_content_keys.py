"""A stable key for the content that has no unique name of its own, for content files.

Red flags, cautions, references, benefits and tips are named in export_content's files by
this key. Existing rows get one made from their text, in id order, so two sites that
loaded the same first content give the same rows the same keys. The logic is copied here
rather than imported so that later changes to the models cannot change what this did.
"""

from django.db import migrations, models
from django.utils.text import slugify

SOURCES = {
    "redflag": "text",
    "caution": "title",
    "reference": "title",
    "benefit": "text",
    "tip": "title",
}


def key_from_text(text, taken):
    base = slugify(text)
    if len(base) > 50:
        base = base[:50].rsplit("-", 1)[0]
    base = base or "item"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def fill_keys(apps, schema_editor):
    for model_name, source in SOURCES.items():
        model = apps.get_model("points", model_name)
        taken = set(model.objects.exclude(key=None).values_list("key", flat=True))
        for row in model.objects.filter(key=None).order_by("pk"):
            row.key = key_from_text(getattr(row, source), taken)
            taken.add(row.key)
            row.save(update_fields=["key"])


def key_field():
    return models.SlugField(editable=False, max_length=60, null=True, unique=True)


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0008_photo_policy"),
    ]

    operations = [
        *(
            migrations.AddField(model_name=model_name, name="key", field=key_field())
            for model_name in SOURCES
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
