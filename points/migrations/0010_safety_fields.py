"""Issue 12, schema: red flags get their tier (the old `urgent` column, now "emergency")
and their sources; cautions can be general (about the person, shown on every routine) and
cite sources; points, pain types, red flags and cautions record who reviewed them and when.

The content that fills these fields is migration 0011. The two are apart because
PostgreSQL cannot build this migration's indexes in a transaction that has already
changed rows with deferred foreign keys.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0009_content_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="caution",
            options={"ordering": ["-is_general", "title"]},
        ),
        migrations.AlterModelOptions(
            name="redflag",
            options={"ordering": ["-emergency", "sort_order", "pk"]},
        ),
        # `urgent` becomes the emergency tier, in the same column (see RedFlag); the data
        # below sets every shipped flag's tier, since `urgent` meant "same day or emergency".
        migrations.RenameField(model_name="redflag", old_name="urgent", new_name="emergency"),
        migrations.AddField(
            model_name="caution",
            name="is_general",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="About the person, not a point (pregnancy, blood thinners…): shown on every routine, shared routine, printed sheet and session, whatever points it holds.",
            ),
        ),
        migrations.AddField(
            model_name="caution",
            name="last_reviewed",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="reviewed on"
            ),
        ),
        migrations.AddField(
            model_name="caution",
            name="references",
            field=models.ManyToManyField(
                blank=True,
                help_text="The guidance this caution comes from.",
                related_name="cautions",
                to="points.reference",
            ),
        ),
        migrations.AddField(
            model_name="caution",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="condition",
            name="last_reviewed",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="reviewed on"
            ),
        ),
        migrations.AddField(
            model_name="condition",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="point",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="redflag",
            name="emergency",
            field=models.BooleanField(
                db_column="urgent",
                default=False,
                help_text="Get emergency care now (shown first, in its own box). Unticked: see a doctor soon.",
                verbose_name="emergency",
            ),
        ),
        migrations.AddField(
            model_name="redflag",
            name="last_reviewed",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="reviewed on"
            ),
        ),
        migrations.AddField(
            model_name="redflag",
            name="references",
            field=models.ManyToManyField(
                blank=True,
                help_text="The health-service guidance this sign and its tier come from.",
                related_name="red_flags",
                to="points.reference",
            ),
        ),
        migrations.AddField(
            model_name="redflag",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="point",
            name="last_reviewed",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="reviewed on"
            ),
        ),
    ]
