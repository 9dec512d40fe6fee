"""The Editors group: may change every piece of the guide's content, nothing else."""

from django.db import migrations

from acupressure.editors import EDITORS, grant_to_editors

CONTENT_MODELS = [
    "benefit",
    "caution",
    "condition",
    "meridian",
    "point",
    "pointcaution",
    "pointcondition",
    "pointreference",
    "redflag",
    "reference",
    "tip",
]


def create_editors(apps, schema_editor):
    grant_to_editors(apps, "points", CONTENT_MODELS)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
