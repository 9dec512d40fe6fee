# Schema only: the state the migrations it replaces left, without their content (content/guide.json
# and import_content hold the content now).

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import points.natural_keys
import points.uploads


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("points", "0001_initial"),
        ("points", "0002_editors_group"),
        ("points", "0003_guide_content"),
        ("points", "0004_body_views"),
        ("points", "0005_body_view_content"),
        ("points", "0006_editors_body_views"),
        ("points", "0007_press_time_ceiling"),
        ("points", "0008_photo_policy"),
        ("points", "0009_content_keys"),
        ("points", "0010_safety_fields"),
        ("points", "0011_safety_content"),
        ("points", "0012_safety_sources"),
        ("points", "0013_translations"),
        ("points", "0014_english_translations"),
        ("points", "0015_chinese_names"),
        ("points", "0016_translation_reviews"),
        ("points", "0017_spanish_german"),
    ]

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Benefit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.SlugField(editable=False, max_length=60, null=True, unique=True)),
                ("text", models.CharField(max_length=120)),
                ("text_en", models.CharField(max_length=120, null=True)),
                ("text_es", models.CharField(max_length=120, null=True)),
                ("text_de", models.CharField(max_length=120, null=True)),
                ("sort_order", models.PositiveSmallIntegerField(default=100)),
            ],
            options={
                "ordering": ["sort_order", "pk"],
            },
            bases=(points.natural_keys.TextKeyMixin, models.Model),
        ),
        migrations.CreateModel(
            name="Meridian",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(help_text="WHO code, e.g. BL.", max_length=4, unique=True),
                ),
                ("name", models.CharField(help_text="e.g. Bladder", max_length=60)),
                ("name_en", models.CharField(help_text="e.g. Bladder", max_length=60, null=True)),
                ("name_es", models.CharField(help_text="e.g. Bladder", max_length=60, null=True)),
                ("name_de", models.CharField(help_text="e.g. Bladder", max_length=60, null=True)),
                (
                    "other_names",
                    models.CharField(
                        blank=True,
                        help_text="Other names and codes, e.g. Urinary Bladder, UB.",
                        max_length=200,
                    ),
                ),
            ],
            options={
                "ordering": ["code"],
            },
            bases=(points.natural_keys.NaturalKeyMixin, models.Model),
        ),
        migrations.CreateModel(
            name="Reference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.SlugField(editable=False, max_length=60, null=True, unique=True)),
                (
                    "authors",
                    models.CharField(help_text="As cited, e.g. Bourassa, P.", max_length=200),
                ),
                ("published_on", models.DateField(blank=True, null=True)),
                (
                    "year_only",
                    models.BooleanField(
                        default=False, help_text="Only the year of publication is known."
                    ),
                ),
                ("title", models.CharField(max_length=300)),
                ("site_name", models.CharField(blank=True, max_length=120)),
                ("url", models.URLField(blank=True, max_length=500)),
                ("accessed_on", models.DateField(blank=True, null=True)),
                (
                    "is_source_article",
                    models.BooleanField(
                        default=False, help_text="The article this guide was first written from."
                    ),
                ),
                ("sort_order", models.PositiveSmallIntegerField(default=100)),
            ],
            options={
                "ordering": ["-is_source_article", "sort_order", "authors"],
            },
            bases=(points.natural_keys.TextKeyMixin, models.Model),
        ),
        migrations.CreateModel(
            name="BodyView",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=40, unique=True)),
                ("title", models.CharField(help_text="e.g. Back of the body", max_length=80)),
                (
                    "title_en",
                    models.CharField(help_text="e.g. Back of the body", max_length=80, null=True),
                ),
                (
                    "title_es",
                    models.CharField(help_text="e.g. Back of the body", max_length=80, null=True),
                ),
                (
                    "title_de",
                    models.CharField(help_text="e.g. Back of the body", max_length=80, null=True),
                ),
                (
                    "description",
                    models.TextField(
                        help_text="What the drawing shows, for people who cannot see it.",
                        validators=[django.core.validators.MaxLengthValidator(600)],
                    ),
                ),
                (
                    "description_en",
                    models.TextField(
                        help_text="What the drawing shows, for people who cannot see it.",
                        null=True,
                        validators=[django.core.validators.MaxLengthValidator(600)],
                    ),
                ),
                (
                    "description_es",
                    models.TextField(
                        help_text="What the drawing shows, for people who cannot see it.",
                        null=True,
                        validators=[django.core.validators.MaxLengthValidator(600)],
                    ),
                ),
                (
                    "description_de",
                    models.TextField(
                        help_text="What the drawing shows, for people who cannot see it.",
                        null=True,
                        validators=[django.core.validators.MaxLengthValidator(600)],
                    ),
                ),
                (
                    "width",
                    models.PositiveSmallIntegerField(
                        help_text="Width of the drawing's coordinates."
                    ),
                ),
                (
                    "height",
                    models.PositiveSmallIntegerField(
                        help_text="Height of the drawing's coordinates."
                    ),
                ),
                (
                    "drawing",
                    models.TextField(
                        help_text="SVG shapes (path, ellipse, circle, line, polyline, polygon, rect, g, text) with the classes body, contour, bone, guide and landmark-label. Scripts, styles and links are refused."
                    ),
                ),
                (
                    "symmetric",
                    models.BooleanField(
                        default=False,
                        help_text="Left and right halves mirror each other around the middle, so a point on both sides of the body is marked twice.",
                    ),
                ),
                ("sort_order", models.PositiveSmallIntegerField(default=100)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["sort_order", "title"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("width__gt", 0), ("height__gt", 0)),
                        name="body_view_has_size",
                    )
                ],
            },
            bases=(points.natural_keys.NaturalKeyMixin, models.Model),
        ),
        migrations.CreateModel(
            name="Caution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "last_reviewed",
                    models.DateField(
                        blank=True, editable=False, null=True, verbose_name="reviewed on"
                    ),
                ),
                ("key", models.SlugField(editable=False, max_length=60, null=True, unique=True)),
                ("title", models.CharField(help_text="e.g. Pregnancy", max_length=80)),
                (
                    "title_en",
                    models.CharField(help_text="e.g. Pregnancy", max_length=80, null=True),
                ),
                (
                    "title_es",
                    models.CharField(help_text="e.g. Pregnancy", max_length=80, null=True),
                ),
                (
                    "title_de",
                    models.CharField(help_text="e.g. Pregnancy", max_length=80, null=True),
                ),
                (
                    "text",
                    models.TextField(validators=[django.core.validators.MaxLengthValidator(600)]),
                ),
                (
                    "text_en",
                    models.TextField(
                        null=True, validators=[django.core.validators.MaxLengthValidator(600)]
                    ),
                ),
                (
                    "text_es",
                    models.TextField(
                        null=True, validators=[django.core.validators.MaxLengthValidator(600)]
                    ),
                ),
                (
                    "text_de",
                    models.TextField(
                        null=True, validators=[django.core.validators.MaxLengthValidator(600)]
                    ),
                ),
                (
                    "is_general",
                    models.BooleanField(
                        db_default=False,
                        default=False,
                        help_text="About the person, not a point (pregnancy, blood thinners…): shown on every routine, shared routine, printed sheet and session, whatever points it holds.",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "references",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The guidance this caution comes from.",
                        related_name="cautions",
                        to="points.reference",
                    ),
                ),
            ],
            options={
                "ordering": ["-is_general", "title"],
            },
            bases=(points.natural_keys.TextKeyMixin, models.Model),
        ),
        migrations.CreateModel(
            name="Condition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "last_reviewed",
                    models.DateField(
                        blank=True, editable=False, null=True, verbose_name="reviewed on"
                    ),
                ),
                ("name", models.CharField(max_length=80, unique=True)),
                ("name_en", models.CharField(max_length=80, null=True, unique=True)),
                ("name_es", models.CharField(max_length=80, null=True, unique=True)),
                ("name_de", models.CharField(max_length=80, null=True, unique=True)),
                ("slug", models.SlugField(max_length=80, unique=True)),
                (
                    "summary",
                    models.TextField(help_text="What it is and how it feels, in plain words."),
                ),
                (
                    "summary_en",
                    models.TextField(
                        help_text="What it is and how it feels, in plain words.", null=True
                    ),
                ),
                (
                    "summary_es",
                    models.TextField(
                        help_text="What it is and how it feels, in plain words.", null=True
                    ),
                ),
                (
                    "summary_de",
                    models.TextField(
                        help_text="What it is and how it feels, in plain words.", null=True
                    ),
                ),
                (
                    "advice",
                    models.TextField(
                        blank=True, help_text="What else helps, and when to see someone about it."
                    ),
                ),
                (
                    "advice_en",
                    models.TextField(
                        blank=True,
                        help_text="What else helps, and when to see someone about it.",
                        null=True,
                    ),
                ),
                (
                    "advice_es",
                    models.TextField(
                        blank=True,
                        help_text="What else helps, and when to see someone about it.",
                        null=True,
                    ),
                ),
                (
                    "advice_de",
                    models.TextField(
                        blank=True,
                        help_text="What else helps, and when to see someone about it.",
                        null=True,
                    ),
                ),
                ("sort_order", models.PositiveSmallIntegerField(default=100)),
                ("is_published", models.BooleanField(default=True, verbose_name="published")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["sort_order", "name"],
            },
            bases=(points.natural_keys.NaturalKeyMixin, models.Model),
        ),
        migrations.CreateModel(
            name="Point",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "last_reviewed",
                    models.DateField(
                        blank=True, editable=False, null=True, verbose_name="reviewed on"
                    ),
                ),
                (
                    "number",
                    models.PositiveSmallIntegerField(
                        help_text="Number along the meridian, e.g. 23."
                    ),
                ),
                (
                    "code",
                    models.CharField(help_text="WHO code, e.g. BL23.", max_length=8, unique=True),
                ),
                ("slug", models.SlugField(max_length=40, unique=True)),
                ("english_name", models.CharField(help_text="e.g. Sea of Vitality", max_length=80)),
                (
                    "english_name_en",
                    models.CharField(help_text="e.g. Sea of Vitality", max_length=80, null=True),
                ),
                (
                    "english_name_es",
                    models.CharField(help_text="e.g. Sea of Vitality", max_length=80, null=True),
                ),
                (
                    "english_name_de",
                    models.CharField(help_text="e.g. Sea of Vitality", max_length=80, null=True),
                ),
                ("pinyin", models.CharField(blank=True, help_text="e.g. Shenshu", max_length=40)),
                (
                    "chinese_name",
                    models.CharField(
                        blank=True,
                        db_default="",
                        help_text="In Chinese characters, e.g. 肾俞 for BL23.",
                        max_length=20,
                    ),
                ),
                (
                    "aliases",
                    models.CharField(
                        blank=True,
                        help_text="Other names, comma separated: UB23, Bladder 23.",
                        max_length=300,
                    ),
                ),
                (
                    "region",
                    models.CharField(
                        choices=[
                            ("head-neck", "Head and neck"),
                            ("upper-back", "Shoulders and upper back"),
                            ("lower-back", "Lower back"),
                            ("hips", "Hips and buttocks"),
                            ("legs", "Legs and knees"),
                            ("feet", "Feet and ankles"),
                            ("arms", "Arms and hands"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "summary",
                    models.CharField(
                        help_text="One or two sentences for the list.", max_length=300
                    ),
                ),
                (
                    "summary_en",
                    models.CharField(
                        help_text="One or two sentences for the list.", max_length=300, null=True
                    ),
                ),
                (
                    "summary_es",
                    models.CharField(
                        help_text="One or two sentences for the list.", max_length=300, null=True
                    ),
                ),
                (
                    "summary_de",
                    models.CharField(
                        help_text="One or two sentences for the list.", max_length=300, null=True
                    ),
                ),
                (
                    "location",
                    models.TextField(help_text="Where the point is, by anatomical landmarks."),
                ),
                (
                    "location_en",
                    models.TextField(
                        help_text="Where the point is, by anatomical landmarks.", null=True
                    ),
                ),
                (
                    "location_es",
                    models.TextField(
                        help_text="Where the point is, by anatomical landmarks.", null=True
                    ),
                ),
                (
                    "location_de",
                    models.TextField(
                        help_text="Where the point is, by anatomical landmarks.", null=True
                    ),
                ),
                (
                    "how_to_find",
                    models.TextField(help_text="Steps a person can follow on their own body."),
                ),
                (
                    "how_to_find_en",
                    models.TextField(
                        help_text="Steps a person can follow on their own body.", null=True
                    ),
                ),
                (
                    "how_to_find_es",
                    models.TextField(
                        help_text="Steps a person can follow on their own body.", null=True
                    ),
                ),
                (
                    "how_to_find_de",
                    models.TextField(
                        help_text="Steps a person can follow on their own body.", null=True
                    ),
                ),
                (
                    "technique",
                    models.TextField(help_text="How to press: pressure, movement, rhythm."),
                ),
                (
                    "technique_en",
                    models.TextField(
                        help_text="How to press: pressure, movement, rhythm.", null=True
                    ),
                ),
                (
                    "technique_es",
                    models.TextField(
                        help_text="How to press: pressure, movement, rhythm.", null=True
                    ),
                ),
                (
                    "technique_de",
                    models.TextField(
                        help_text="How to press: pressure, movement, rhythm.", null=True
                    ),
                ),
                (
                    "press_seconds_min",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(600)],
                        verbose_name="shortest press (s)",
                    ),
                ),
                (
                    "press_seconds_max",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(600)],
                        verbose_name="longest press (s)",
                    ),
                ),
                (
                    "press_and_release",
                    models.BooleanField(
                        default=False,
                        help_text="Press and let go now and then rather than hold steadily.",
                    ),
                ),
                (
                    "bilateral",
                    models.BooleanField(
                        default=True,
                        help_text="The point exists on both sides of the body; press both.",
                    ),
                ),
                (
                    "photo",
                    points.uploads.PhotoField(
                        blank=True,
                        help_text="A JPEG, PNG or WebP photo of at most 4 MB and 16 megapixels.",
                        upload_to="points/",
                    ),
                ),
                ("photo_credit", models.CharField(blank=True, max_length=200)),
                ("is_published", models.BooleanField(default=False, verbose_name="published")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "meridian",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="points",
                        to="points.meridian",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["meridian__code", "number"],
            },
            bases=(points.natural_keys.NaturalKeyMixin, models.Model),
        ),
        migrations.CreateModel(
            name="PointCaution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "caution",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="points.caution"
                    ),
                ),
                (
                    "point",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="points.point"
                    ),
                ),
            ],
            bases=(points.natural_keys.NaturalKeyMixin, models.Model),
        ),
        migrations.AddField(
            model_name="point",
            name="cautions",
            field=models.ManyToManyField(
                blank=True,
                related_name="points",
                through="points.PointCaution",
                to="points.caution",
            ),
        ),
        migrations.CreateModel(
            name="PointCondition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300)),
                ("note_en", models.CharField(blank=True, max_length=300, null=True)),
                ("note_es", models.CharField(blank=True, max_length=300, null=True)),
                ("note_de", models.CharField(blank=True, max_length=300, null=True)),
                (
                    "condition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="point_conditions",
                        to="points.condition",
                    ),
                ),
                (
                    "point",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="point_conditions",
                        to="points.point",
                    ),
                ),
            ],
            options={
                "ordering": ["condition__sort_order", "point__code"],
            },
            bases=(points.natural_keys.NaturalKeyMixin, models.Model),
        ),
        migrations.AddField(
            model_name="point",
            name="conditions",
            field=models.ManyToManyField(
                blank=True,
                related_name="points",
                through="points.PointCondition",
                to="points.condition",
            ),
        ),
        migrations.CreateModel(
            name="PointMarker",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("x", models.FloatField(validators=[django.core.validators.MinValueValidator(0)])),
                ("y", models.FloatField(validators=[django.core.validators.MinValueValidator(0)])),
                (
                    "side",
                    models.CharField(
                        choices=[
                            ("left", "Left side of the body"),
                            ("right", "Right side of the body"),
                            ("centre", "Centre line"),
                        ],
                        help_text="The body's side, as the person would name it. On a symmetric view the other side of a two-sided point is drawn as its mirror image.",
                        max_length=6,
                    ),
                ),
                (
                    "label_position",
                    models.CharField(
                        choices=[
                            ("outside", "Away from the centre line"),
                            ("left", "Left of the marker"),
                            ("right", "Right of the marker"),
                            ("above", "Above the marker"),
                            ("below", "Below the marker"),
                        ],
                        default="outside",
                        max_length=8,
                    ),
                ),
                (
                    "point",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="markers",
                        to="points.point",
                    ),
                ),
                (
                    "view",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="markers",
                        to="points.bodyview",
                    ),
                ),
            ],
            options={
                "ordering": ["view__sort_order", "point__code"],
            },
            bases=(points.natural_keys.NaturalKeyMixin, models.Model),
        ),
        migrations.CreateModel(
            name="RedFlag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "last_reviewed",
                    models.DateField(
                        blank=True, editable=False, null=True, verbose_name="reviewed on"
                    ),
                ),
                ("key", models.SlugField(editable=False, max_length=60, null=True, unique=True)),
                ("text", models.CharField(max_length=300)),
                ("text_en", models.CharField(max_length=300, null=True)),
                ("text_es", models.CharField(max_length=300, null=True)),
                ("text_de", models.CharField(max_length=300, null=True)),
                (
                    "emergency",
                    models.BooleanField(
                        db_column="urgent",
                        default=False,
                        help_text="Get emergency care now (shown first, in its own box). Unticked: see a doctor soon.",
                        verbose_name="emergency",
                    ),
                ),
                (
                    "is_general",
                    models.BooleanField(
                        default=True,
                        help_text="Shown with every point, not only with its pain types.",
                    ),
                ),
                ("sort_order", models.PositiveSmallIntegerField(default=100)),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "references",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The health-service guidance this sign and its tier come from.",
                        related_name="red_flags",
                        to="points.reference",
                    ),
                ),
            ],
            options={
                "ordering": ["-emergency", "sort_order", "pk"],
            },
            bases=(points.natural_keys.TextKeyMixin, models.Model),
        ),
        migrations.AddField(
            model_name="condition",
            name="red_flags",
            field=models.ManyToManyField(
                blank=True, related_name="conditions", to="points.redflag"
            ),
        ),
        migrations.CreateModel(
            name="PointReference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "supports",
                    models.CharField(
                        blank=True,
                        help_text="Which facts it backs, e.g. location, press time.",
                        max_length=200,
                    ),
                ),
                (
                    "supports_en",
                    models.CharField(
                        blank=True,
                        help_text="Which facts it backs, e.g. location, press time.",
                        max_length=200,
                        null=True,
                    ),
                ),
                (
                    "supports_es",
                    models.CharField(
                        blank=True,
                        help_text="Which facts it backs, e.g. location, press time.",
                        max_length=200,
                        null=True,
                    ),
                ),
                (
                    "supports_de",
                    models.CharField(
                        blank=True,
                        help_text="Which facts it backs, e.g. location, press time.",
                        max_length=200,
                        null=True,
                    ),
                ),
                (
                    "point",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="point_references",
                        to="points.point",
                    ),
                ),
                (
                    "reference",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="point_references",
                        to="points.reference",
                    ),
                ),
            ],
            bases=(points.natural_keys.NaturalKeyMixin, models.Model),
        ),
        migrations.AddField(
            model_name="point",
            name="references",
            field=models.ManyToManyField(
                blank=True,
                related_name="points",
                through="points.PointReference",
                to="points.reference",
            ),
        ),
        migrations.CreateModel(
            name="Tip",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.SlugField(editable=False, max_length=60, null=True, unique=True)),
                ("title", models.CharField(max_length=120)),
                ("title_en", models.CharField(max_length=120, null=True)),
                ("title_es", models.CharField(max_length=120, null=True)),
                ("title_de", models.CharField(max_length=120, null=True)),
                (
                    "text",
                    models.TextField(validators=[django.core.validators.MaxLengthValidator(800)]),
                ),
                (
                    "text_en",
                    models.TextField(
                        null=True, validators=[django.core.validators.MaxLengthValidator(800)]
                    ),
                ),
                (
                    "text_es",
                    models.TextField(
                        null=True, validators=[django.core.validators.MaxLengthValidator(800)]
                    ),
                ),
                (
                    "text_de",
                    models.TextField(
                        null=True, validators=[django.core.validators.MaxLengthValidator(800)]
                    ),
                ),
                ("sort_order", models.PositiveSmallIntegerField(default=100)),
                (
                    "point",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty for a tip about the whole session.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tips",
                        to="points.point",
                    ),
                ),
            ],
            options={
                "ordering": ["sort_order", "pk"],
            },
            bases=(points.natural_keys.TextKeyMixin, models.Model),
        ),
        migrations.CreateModel(
            name="TranslationReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
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
                ("reviewed_on", models.DateField()),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype"
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
        ),
        migrations.AddConstraint(
            model_name="pointcaution",
            constraint=models.UniqueConstraint(
                fields=("point", "caution"), name="point_caution_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="pointcondition",
            constraint=models.UniqueConstraint(
                fields=("point", "condition"), name="point_condition_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="pointmarker",
            constraint=models.UniqueConstraint(
                fields=("point", "view"), name="marker_once_per_view"
            ),
        ),
        migrations.AddConstraint(
            model_name="pointmarker",
            constraint=models.CheckConstraint(
                condition=models.Q(("x__gte", 0), ("y__gte", 0)), name="marker_in_view"
            ),
        ),
        migrations.AddConstraint(
            model_name="pointreference",
            constraint=models.UniqueConstraint(
                fields=("point", "reference"), name="point_reference_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="point",
            constraint=models.CheckConstraint(
                condition=models.Q(("press_seconds_min__gt", 0)), name="point_press_time_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="point",
            constraint=models.CheckConstraint(
                condition=models.Q(("press_seconds_min__lte", models.F("press_seconds_max"))),
                name="point_press_time_min_le_max",
            ),
        ),
        migrations.AddConstraint(
            model_name="point",
            constraint=models.CheckConstraint(
                condition=models.Q(("press_seconds_max__lte", 600)),
                name="point_press_time_at_most_ten_minutes",
            ),
        ),
        migrations.AddConstraint(
            model_name="point",
            constraint=models.UniqueConstraint(
                fields=("meridian", "number"), name="point_unique_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="translationreview",
            constraint=models.UniqueConstraint(
                fields=("content_type", "object_id", "language"),
                name="translation_reviewed_once_per_language",
            ),
        ),
    ]
