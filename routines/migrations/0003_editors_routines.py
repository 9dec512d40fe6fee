"""Editors maintain suggested routines (and may remove a visitor's shared copy)."""

from django.db import migrations

from acupressure.editors import grant_to_editors, revoke_from_editors

MODELS = ["routine", "routinestep"]


def grant(apps, schema_editor):
    grant_to_editors(apps, "routines", MODELS)


def revoke(apps, schema_editor):
    revoke_from_editors(apps, "routines", MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("routines", "0002_suggested_routines"),
        ("points", "0006_editors_body_views"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
