# Reviews name their editor and role and keep a digest of what was reviewed; sources have a
# kind and a language, a point's source a page; cautions a short note for each step; aliases
# and meridian names are translated.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0018_no_columns_for_old_content_migrations"),
    ]

    operations = [
        migrations.AddField(
            model_name="caution",
            name="reviewed_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="caution",
            name="reviewer_name",
            field=models.CharField(blank=True, editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="caution",
            name="reviewer_role",
            field=models.CharField(
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
                editable=False,
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="caution",
            name="step_note",
            field=models.CharField(
                blank=True,
                help_text="Said beside every step that presses one of its points, e.g. “Not in pregnancy.” Empty: the caution is given before the steps only.",
                max_length=80,
            ),
        ),
        migrations.AddField(
            model_name="caution",
            name="step_note_de",
            field=models.CharField(
                blank=True,
                help_text="Said beside every step that presses one of its points, e.g. “Not in pregnancy.” Empty: the caution is given before the steps only.",
                max_length=80,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="caution",
            name="step_note_en",
            field=models.CharField(
                blank=True,
                help_text="Said beside every step that presses one of its points, e.g. “Not in pregnancy.” Empty: the caution is given before the steps only.",
                max_length=80,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="caution",
            name="step_note_es",
            field=models.CharField(
                blank=True,
                help_text="Said beside every step that presses one of its points, e.g. “Not in pregnancy.” Empty: the caution is given before the steps only.",
                max_length=80,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="condition",
            name="reviewed_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="condition",
            name="reviewer_name",
            field=models.CharField(blank=True, editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="condition",
            name="reviewer_role",
            field=models.CharField(
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
                editable=False,
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="point",
            name="aliases_de",
            field=models.CharField(
                blank=True,
                help_text="Other names, comma separated: UB23, Bladder 23.",
                max_length=300,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="point",
            name="aliases_en",
            field=models.CharField(
                blank=True,
                help_text="Other names, comma separated: UB23, Bladder 23.",
                max_length=300,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="point",
            name="aliases_es",
            field=models.CharField(
                blank=True,
                help_text="Other names, comma separated: UB23, Bladder 23.",
                max_length=300,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="point",
            name="reviewed_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="point",
            name="reviewer_name",
            field=models.CharField(blank=True, editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="point",
            name="reviewer_role",
            field=models.CharField(
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
                editable=False,
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="pointreference",
            name="pages",
            field=models.CharField(
                blank=True, help_text="Where in the source, e.g. 99 or 99–134.", max_length=20
            ),
        ),
        migrations.AddField(
            model_name="redflag",
            name="reviewed_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="redflag",
            name="reviewer_name",
            field=models.CharField(blank=True, editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="redflag",
            name="reviewer_role",
            field=models.CharField(
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
                editable=False,
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="reference",
            name="kind",
            field=models.CharField(
                choices=[
                    ("standard", "Standards"),
                    ("health-service", "Health services and guidelines"),
                    ("research", "Research"),
                    ("other", "What others say"),
                ],
                default="other",
                help_text="Standards (WHO) and national health services come before studies, and studies before practices' pages, blogs and vendors (what others say).",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="reference",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Spanish"), ("de", "German")],
                default="en",
                help_text="The language the source is written in.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="translationreview",
            name="reviewer_name",
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name="translationreview",
            name="reviewer_role",
            field=models.CharField(
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
        migrations.AddField(
            model_name="translationreview",
            name="text_digest",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="meridian",
            name="name",
            field=models.CharField(
                help_text="As a reader says it: Bladder meridian, Blasenmeridian.", max_length=60
            ),
        ),
        migrations.AlterField(
            model_name="meridian",
            name="name_de",
            field=models.CharField(
                help_text="As a reader says it: Bladder meridian, Blasenmeridian.",
                max_length=60,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="meridian",
            name="name_en",
            field=models.CharField(
                help_text="As a reader says it: Bladder meridian, Blasenmeridian.",
                max_length=60,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="meridian",
            name="name_es",
            field=models.CharField(
                help_text="As a reader says it: Bladder meridian, Blasenmeridian.",
                max_length=60,
                null=True,
            ),
        ),
    ]
