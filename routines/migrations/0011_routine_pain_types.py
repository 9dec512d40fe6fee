"""A routine's pain types (Routine.pain_types, was Routine.conditions)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0023_pain_type"),
        ("routines", "0010_visitor_text_on_one_line"),
    ]

    operations = [
        migrations.RenameField(
            model_name="routine",
            old_name="conditions",
            new_name="pain_types",
        ),
    ]
