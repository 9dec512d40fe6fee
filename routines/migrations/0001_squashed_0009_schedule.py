# Schema only: the state the migrations it replaces left, without their content (content/guide.json
# and import_content hold the content now).

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import points.natural_keys
import routines.models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("routines", "0001_initial"),
        ("routines", "0002_suggested_routines"),
        ("routines", "0003_editors_routines"),
        ("routines", "0004_saved_once_printed_pruned"),
        ("routines", "0005_routine_is_published"),
        ("routines", "0006_translations"),
        ("routines", "0007_english_translations"),
        ("routines", "0008_spanish_german"),
        ("routines", "0009_schedule"),
    ]

    dependencies = [
        ("points", "0001_squashed_0017_spanish_german"),
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
        migrations.CreateModel(
            name="Routine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=routines.models.new_token,
                        editable=False,
                        max_length=32,
                        unique=True,
                    ),
                ),
                ("title", models.CharField(max_length=80)),
                ("title_en", models.CharField(max_length=80, null=True)),
                ("title_es", models.CharField(max_length=80, null=True)),
                ("title_de", models.CharField(max_length=80, null=True)),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="For suggestions: who it is for and how long it takes.",
                    ),
                ),
                (
                    "summary_en",
                    models.TextField(
                        blank=True,
                        help_text="For suggestions: who it is for and how long it takes.",
                        null=True,
                    ),
                ),
                (
                    "summary_es",
                    models.TextField(
                        blank=True,
                        help_text="For suggestions: who it is for and how long it takes.",
                        null=True,
                    ),
                ),
                (
                    "summary_de",
                    models.TextField(
                        blank=True,
                        help_text="For suggestions: who it is for and how long it takes.",
                        null=True,
                    ),
                ),
                (
                    "is_suggestion",
                    models.BooleanField(
                        default=False,
                        help_text="Offered on the pages of its pain types as a starting point.",
                        verbose_name="suggested by editors",
                    ),
                ),
                (
                    "is_published",
                    models.BooleanField(
                        default=True,
                        help_text="Unpublished, a suggestion is a draft: editors see it at its link, visitors get “not found” and the pages of its pain types leave it out.",
                        verbose_name="published",
                    ),
                ),
                (
                    "times_per_day",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(4),
                        ],
                    ),
                ),
                (
                    "weekdays",
                    models.CharField(
                        default="1234567",
                        help_text="ISO weekday numbers, Monday 1 to Sunday 7: 1234567 is every day, 14 is Monday and Thursday.",
                        max_length=7,
                    ),
                ),
                (
                    "weeks",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        default=2,
                        help_text="Empty: for as long as it helps.",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(12),
                        ],
                    ),
                ),
                ("sort_order", models.PositiveSmallIntegerField(default=100)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("last_opened_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("last_printed_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("saved_by", models.CharField(blank=True, editable=False, max_length=64)),
                ("fingerprint", models.CharField(blank=True, editable=False, max_length=64)),
                (
                    "conditions",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Pain types whose pages offer this suggestion.",
                        related_name="suggested_routines",
                        to="points.condition",
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        blank=True,
                        help_text="The routine this one was copied from.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="copies",
                        to="routines.routine",
                    ),
                ),
            ],
            options={
                "ordering": ["sort_order", "-created_at"],
            },
            bases=(points.natural_keys.NaturalKeyMixin, models.Model),
        ),
        migrations.CreateModel(
            name="RoutineStep",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField()),
                (
                    "text",
                    models.CharField(
                        blank=True,
                        help_text="For a step without a point, e.g. “Massage the arches of your feet”.",
                        max_length=120,
                        verbose_name="free step",
                    ),
                ),
                (
                    "seconds",
                    models.PositiveSmallIntegerField(
                        help_text="For a point on both sides: seconds on each side.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(600),
                        ],
                    ),
                ),
                (
                    "sides",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("both", "Both sides"),
                            ("left", "Left side only"),
                            ("right", "Right side only"),
                            ("", "Not applicable"),
                        ],
                        default="",
                        max_length=5,
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200)),
                (
                    "point",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="points.point",
                    ),
                ),
                (
                    "routine",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="routines.routine",
                    ),
                ),
            ],
            options={
                "ordering": ["position"],
            },
            bases=(points.natural_keys.NaturalKeyMixin, models.Model),
        ),
        migrations.AddIndex(
            model_name="routine",
            index=models.Index(
                fields=["is_suggestion", "created_at"], name="routines_ro_is_sugg_9596bb_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="routine",
            constraint=models.UniqueConstraint(
                condition=models.Q(("saved_by", ""), _negated=True),
                fields=("saved_by", "fingerprint"),
                name="routine_saved_once_per_visitor",
            ),
        ),
        migrations.AddConstraint(
            model_name="routine",
            constraint=models.CheckConstraint(
                condition=models.Q(("times_per_day__gte", 1), ("times_per_day__lte", 4)),
                name="routine_times_per_day_1_to_4",
            ),
        ),
        migrations.AddConstraint(
            model_name="routine",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("weeks__isnull", True),
                    models.Q(("weeks__gte", 1), ("weeks__lte", 12)),
                    _connector="OR",
                ),
                name="routine_weeks_1_to_12",
            ),
        ),
        migrations.AddConstraint(
            model_name="routine",
            constraint=models.CheckConstraint(
                condition=models.Q(("weekdays", ""), _negated=True), name="routine_has_weekdays"
            ),
        ),
        migrations.AddConstraint(
            model_name="routinestep",
            constraint=models.UniqueConstraint(
                fields=("routine", "position"), name="step_position_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="routinestep",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("point__isnull", False), ("text", "")),
                    models.Q(("point__isnull", True), models.Q(("text", ""), _negated=True)),
                    _connector="OR",
                ),
                name="step_is_point_or_free_text",
            ),
        ),
        migrations.AddConstraint(
            model_name="routinestep",
            constraint=models.CheckConstraint(
                condition=models.Q(("seconds__gte", 1), ("seconds__lte", 600)),
                name="step_seconds_in_range",
            ),
        ),
    ]
