"""Saving once per visitor and content (a rule in the database), printed links kept for a
year, and the tokens of pruned links so they answer 410 Gone."""

import django.utils.timezone
from django.db import migrations, models

from acupressure.editors import grant_to_editors, revoke_from_editors


def grant(apps, schema_editor):
    # As for every model of the routines app (0003): editors may see and remove them.
    grant_to_editors(apps, "routines", ["prunedroutine"])


def revoke(apps, schema_editor):
    revoke_from_editors(apps, "routines", ["prunedroutine"])


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0009_content_keys"),
        ("routines", "0003_editors_routines"),
    ]

    operations = [
        migrations.CreateModel(
            name="PrunedRoutine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32, unique=True)),
                ("pruned_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddField(
            model_name="routine",
            name="fingerprint",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="routine",
            name="last_printed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="routine",
            name="saved_by",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="routine",
            constraint=models.UniqueConstraint(
                condition=models.Q(("saved_by", ""), _negated=True),
                fields=("saved_by", "fingerprint"),
                name="routine_saved_once_per_visitor",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
