"""The guide's content in Spanish and German (translations_0017/<language>.json, keyed by each
item's natural key). Written for this guide from its English, red flags and cautions saying
exactly what the English says; no review is recorded (points.TranslationReview): an editor
reviews each translation in the admin."""

import json
from pathlib import Path

from django.db import migrations

FOLDER = Path(__file__).with_name("translations_0017")


def lookup(model_name, key):
    if model_name in ("Meridian", "Point"):
        return {"code": key}
    if model_name in ("Condition", "BodyView"):
        return {"slug": key}
    if model_name == "PointCondition":
        code, slug = key.split("|")
        return {"point__code": code, "condition__slug": slug}
    if model_name == "PointReference":
        code, reference = key.split("|")
        return {"point__code": code, "reference__key": reference}
    return {"key": key}


def add_translations(apps, schema_editor):
    for path in sorted(FOLDER.glob("*.json")):
        code = path.stem
        for label, items in json.loads(path.read_text(encoding="utf-8")).items():
            model = apps.get_model(label)
            for key, fields in items.items():
                values = {f"{field}_{code}": text for field, text in fields.items()}
                model.objects.filter(**lookup(model.__name__, key)).update(**values)


class Migration(migrations.Migration):
    dependencies = [("points", "0016_translation_reviews")]

    operations = [migrations.RunPython(add_translations, migrations.RunPython.noop)]
