"""The translation reviews' table, renamed by points 0021, taken into this app's state with
its rows; their content type (and the permissions on it) follows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="points", target="acupressure"):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.using(schema_editor.connection.alias).filter(
        app_label=source, model="translationreview"
    ).update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="acupressure", target="points")


class Migration(migrations.Migration):
    dependencies = [
        ("acupressure", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("points", "0021_translationreview_to_site"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TranslationReview",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("object_id", models.PositiveBigIntegerField()),
                        (
                            "language",
                            models.CharField(
                                choices=[("en", "English"), ("es", "Spanish"), ("de", "German")],
                                max_length=8,
                            ),
                        ),
                        ("english_digest", models.CharField(max_length=64)),
                        ("text_digest", models.CharField(blank=True, max_length=64)),
                        ("reviewed_on", models.DateField()),
                        ("reviewer_name", models.CharField(blank=True, max_length=120)),
                        (
                            "reviewer_role",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("doctor", "doctor"),
                                    ("physiotherapist", "physiotherapist"),
                                    ("nurse", "nurse"),
                                    ("midwife", "midwife"),
                                    ("acupuncturist", "acupuncturist"),
                                    ("medical-editor", "medical editor"),
                                    ("translator", "translator"),
                                    ("editor", "editor"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="contenttypes.contenttype",
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("content_type", "object_id", "language"),
                                name="translation_reviewed_once_per_language",
                            )
                        ],
                    },
                ),
            ]
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
