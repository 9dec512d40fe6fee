"""Translation reviews belong to the site (acupressure.TranslationReview): the table is
renamed for its new app and the model leaves this app's state without touching its rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0020_spots_and_drawing_words_in_every_language"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("translationreview", "acupressure_translationreview")
            ],
            state_operations=[migrations.DeleteModel(name="TranslationReview")],
        ),
    ]
