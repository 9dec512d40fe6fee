"""A point's name is `name`, with a column per language like every other translated field.

Content stored as JSON keeps its own copy of the field names: the content releases a site
imported (the base of the next import's comparison) and the content's history
(django-reversion). Both are rewritten, so an import after this migration compares like
with like, and an old version of a point can still be compared and restored.
"""

import json

from django.db import migrations, models

HELP_TEXT = "In the page's language, e.g. Sea of Vitality."
RENAMED = {
    "english_name": "name",
    "english_name_en": "name_en",
    "english_name_es": "name_es",
    "english_name_de": "name_de",
}


def renamed_fields(fields, renames):
    return {renames.get(name, name): value for name, value in fields.items()}


def rewrite_stored_content(apps, schema_editor, renames=RENAMED):
    database = schema_editor.connection.alias
    release_model = apps.get_model("acupressure", "ContentRelease")
    for release in release_model.objects.using(database):
        entries = json.loads(release.text)
        for entry in entries:
            if entry.get("model") == "points.point":
                entry["fields"] = renamed_fields(entry["fields"], renames)
        release.text = json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
        release.save(update_fields=["text"])
    content_type_model = apps.get_model("contenttypes", "ContentType")
    version_model = apps.get_model("reversion", "Version")
    point_type = content_type_model.objects.using(database).filter(
        app_label="points", model="point"
    )
    for version in version_model.objects.using(database).filter(content_type__in=point_type):
        objects = json.loads(version.serialized_data)
        for serialized in objects:
            serialized["fields"] = renamed_fields(serialized["fields"], renames)
        version.serialized_data = json.dumps(objects, ensure_ascii=False)
        version.save(update_fields=["serialized_data"])


def restore_stored_content(apps, schema_editor):
    rewrite_stored_content(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("acupressure", "0002_translationreview_to_site"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("points", "0021_translationreview_to_site"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        *[
            migrations.RenameField("point", old_name=old, new_name=new)
            for old, new in RENAMED.items()
        ],
        migrations.AlterField(
            model_name="point",
            name="name",
            field=models.CharField(max_length=80, help_text=HELP_TEXT),
        ),
        *[
            migrations.AlterField(
                model_name="point",
                name=f"name_{code}",
                field=models.CharField(max_length=80, null=True, help_text=HELP_TEXT),
            )
            for code in ("en", "es", "de")
        ],
        migrations.RunPython(rewrite_stored_content, restore_stored_content),
    ]
