"""The suggested routines' titles and summaries in Spanish and German
(translations_0008/<language>.json, keyed by the English title: tokens differ from one
database to the next)."""

import json
from pathlib import Path

from django.db import migrations

FOLDER = Path(__file__).with_name("translations_0008")


def add_translations(apps, schema_editor):
    Routine = apps.get_model("routines", "Routine")
    for path in sorted(FOLDER.glob("*.json")):
        code = path.stem
        for title, fields in json.loads(path.read_text(encoding="utf-8")).items():
            values = {f"{field}_{code}": text for field, text in fields.items()}
            Routine.objects.filter(is_suggestion=True, title_en=title).update(**values)


class Migration(migrations.Migration):
    dependencies = [("routines", "0007_english_translations")]

    operations = [migrations.RunPython(add_translations, migrations.RunPython.noop)]
