"""Routines' titles and summaries so far are English (routines/translation.py)."""

from django.db import migrations
from django.db.models import F


def copy_to_english(apps, schema_editor):
    apps.get_model("routines", "Routine").objects.update(
        title_en=F("title"), summary_en=F("summary")
    )


class Migration(migrations.Migration):
    dependencies = [("routines", "0006_translations")]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
