"""The editors' first suggested routines, built from the article's points."""

from django.db import migrations

SUGGESTIONS = [
    {
        "title": "Lower back: the five points of the article",
        "summary": (
            "All five points of the source article in one session of about 10 minutes, "
            "with a few minutes on a back roller before and a foot massage after BL62."
        ),
        "sort_order": 10,
        "conditions": ["lower-back-pain"],
        "steps": [
            # (point code or None, free text, seconds per side, sides)
            (None, "Relax your back on a roller", 60, ""),
            ("BL23", "", 60, "both"),
            ("GB30", "", 45, "both"),
            ("BL40", "", 45, "both"),
            ("BL62", "", 30, "both"),
            (None, "Massage the arches of your feet", 60, ""),
            ("LI4", "", 60, "both"),
        ],
    },
    {
        "title": "Sciatica: buttock and knee",
        "summary": (
            "GB30 and BL40, the two points the guide uses for sciatic pain, in about 5 minutes."
        ),
        "sort_order": 20,
        "conditions": ["sciatica", "piriformis-syndrome"],
        "steps": [
            ("GB30", "", 60, "both"),
            ("BL40", "", 60, "both"),
            (None, "Lie down and breathe slowly", 60, ""),
        ],
    },
]


def load_suggestions(apps, schema_editor):
    Routine = apps.get_model("routines", "Routine")
    RoutineStep = apps.get_model("routines", "RoutineStep")
    Point = apps.get_model("points", "Point")
    Condition = apps.get_model("points", "Condition")
    points = Point.objects.in_bulk(field_name="code")
    for data in SUGGESTIONS:
        routine = Routine.objects.create(
            title=data["title"],
            summary=data["summary"],
            sort_order=data["sort_order"],
            is_suggestion=True,
        )
        routine.conditions.set(Condition.objects.filter(slug__in=data["conditions"]))
        steps = [
            (points.get(code) if code else None, text, seconds, sides)
            for code, text, seconds, sides in data["steps"]
        ]
        # Skip a step whose point an editor removed before this ran.
        steps = [step for step in steps if step[0] is not None or step[1]]
        RoutineStep.objects.bulk_create(
            RoutineStep(
                routine=routine,
                position=position,
                point=point,
                text=text,
                seconds=seconds,
                sides=sides,
            )
            for position, (point, text, seconds, sides) in enumerate(steps, start=1)
        )


def unload_suggestions(apps, schema_editor):
    apps.get_model("routines", "Routine").objects.filter(
        is_suggestion=True, title__in=[data["title"] for data in SUGGESTIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("routines", "0001_initial"),
        ("points", "0005_body_view_content"),
    ]

    operations = [migrations.RunPython(load_suggestions, unload_suggestions)]
