"""The content written so far is the English of each translated field (points/translation.py)."""

from django.db import migrations
from django.db.models import F

TRANSLATED = {
    "Meridian": ("name",),
    "Point": ("english_name", "summary", "location", "how_to_find", "technique"),
    "Condition": ("name", "summary", "advice"),
    "PointCondition": ("note",),
    "PointReference": ("supports",),
    "RedFlag": ("text",),
    "Caution": ("title", "text"),
    "Tip": ("title", "text"),
    "Benefit": ("text",),
    "BodyView": ("title", "description"),
}


def copy_to_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("points", model_name)
        model.objects.update(**{f"{field}_en": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("points", "0013_translations")]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
