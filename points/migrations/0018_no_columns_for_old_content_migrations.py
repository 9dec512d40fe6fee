# The old content migrations needed columns of their own (a renamed "urgent", database
# defaults for rows they inserted); the content is a release file now.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0001_squashed_0017_spanish_german"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caution",
            name="is_general",
            field=models.BooleanField(
                default=False,
                help_text="About the person, not a point (pregnancy, blood thinners…): shown on every routine, shared routine, printed sheet and session, whatever points it holds.",
            ),
        ),
        migrations.AlterField(
            model_name="point",
            name="chinese_name",
            field=models.CharField(
                blank=True, help_text="In Chinese characters, e.g. 肾俞 for BL23.", max_length=20
            ),
        ),
        migrations.AlterField(
            model_name="redflag",
            name="emergency",
            field=models.BooleanField(
                default=False,
                help_text="Get emergency care now (shown first, in its own box). Unticked: see a doctor soon.",
                verbose_name="emergency",
            ),
        ),
    ]
