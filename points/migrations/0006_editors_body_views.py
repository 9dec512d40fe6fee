"""Editors maintain body views and point markers too."""

from django.db import migrations

from acupressure.editors import grant_to_editors, revoke_from_editors

MODELS = ["bodyview", "pointmarker"]


def grant(apps, schema_editor):
    grant_to_editors(apps, "points", MODELS)


def revoke(apps, schema_editor):
    revoke_from_editors(apps, "points", MODELS)


class Migration(migrations.Migration):
    dependencies = [("points", "0005_body_view_content")]

    operations = [migrations.RunPython(grant, revoke)]
