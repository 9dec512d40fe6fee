"""A condition is a pain type, in the code as on the site: Condition is PainType,
PointCondition is PointPainType, Point.conditions is Point.pain_types.

Django renames the tables and the content types. Content stored as JSON keeps its own
copy of the model labels and field names: the content releases a site imported (the base
of the next import's comparison) and the content's history (django-reversion); both are
rewritten, with routines.Routine.conditions (renamed in routines' next migration). So are
the permissions' codenames, which Django leaves as they were.
"""

import json

import django.db.models.deletion
from django.db import migrations, models

LABELS = {"points.condition": "points.paintype", "points.pointcondition": "points.pointpaintype"}
# Field names by (new) model label.
FIELDS = {
    "points.pointpaintype": {"condition": "pain_type"},
    "points.point": {"conditions": "pain_types"},
    "points.redflag": {"conditions": "pain_types"},
    "routines.routine": {"conditions": "pain_types"},
}
# Lower-case model names, and the verbose names in the permissions' names.
MODEL_NAMES = {"condition": "paintype", "pointcondition": "pointpaintype"}
VERBOSE_NAMES = {"condition": "pain type", "point condition": "point pain type"}
ACTIONS = ("add", "change", "delete", "view")


def renamed_entries(entries, forward):
    """The entries with the model labels and field names renamed, and whether any was."""
    changed = False
    labels = LABELS if forward else {new: old for old, new in LABELS.items()}
    for entry in entries:
        old_label = entry.get("model")
        new_label = labels.get(old_label, old_label)
        if new_label != old_label:
            entry["model"] = new_label
            changed = True
        renames = FIELDS.get(new_label if forward else old_label, {})
        if not forward:
            renames = {new: old for old, new in renames.items()}
        fields = entry.get("fields", {})
        if any(name in fields for name in renames):
            entry["fields"] = {renames.get(k, k): v for k, v in fields.items()}
            changed = True
    return changed


def rewrite_stored_content(apps, schema_editor, forward=True):
    database = schema_editor.connection.alias
    release_model = apps.get_model("acupressure", "ContentRelease")
    for release in release_model.objects.using(database):
        entries = json.loads(release.text)
        if renamed_entries(entries, forward):
            ending = "\n" if release.text.endswith("\n") else ""
            release.text = json.dumps(entries, indent=2, ensure_ascii=False) + ending
            release.save(update_fields=["text"])

    content_type_model = apps.get_model("contenttypes", "ContentType")
    models = ["point", "redflag", *MODEL_NAMES, *MODEL_NAMES.values()]
    content_types = content_type_model.objects.using(database).filter(
        app_label="points", model__in=models
    ) | content_type_model.objects.using(database).filter(app_label="routines", model="routine")
    version_model = apps.get_model("reversion", "Version")
    versions = version_model.objects.using(database).filter(
        content_type__in=list(content_types), format="json"
    )
    for version in versions.iterator():
        objects = json.loads(version.serialized_data)
        if renamed_entries(objects, forward):
            # As Django's JSON serializer writes it (reversion's format "json").
            version.serialized_data = json.dumps(objects, ensure_ascii=False)
            version.save(update_fields=["serialized_data"])

    # Django renames the content types (RenameModel) but not the permissions: rename them,
    # so groups and users keep what they were given. A row already there under the new
    # codename (made by a migrate in between) takes the old one's holders instead.
    permission_model = apps.get_model("auth", "Permission")
    names = MODEL_NAMES if forward else {new: old for old, new in MODEL_NAMES.items()}
    verbose = VERBOSE_NAMES if forward else {new: old for old, new in VERBOSE_NAMES.items()}
    permissions = permission_model.objects.using(database).filter(
        content_type__in=list(content_types)
    )
    for permission in permissions:
        action, _, model = permission.codename.partition("_")
        if action not in ACTIONS or model not in names:
            continue
        codename = f"{action}_{names[model]}"
        same = permissions.filter(content_type=permission.content_type, codename=codename)
        existing = same.first()
        if existing:
            existing.group_set.add(*permission.group_set.all())
            existing.user_set.add(*permission.user_set.all())
            permission.delete()
            continue
        permission.codename = codename
        for old, new in sorted(verbose.items(), key=lambda item: -len(item[0])):
            if permission.name == f"Can {action} {old}":
                permission.name = f"Can {action} {new}"
                break
        permission.save(update_fields=["codename", "name"])


def restore_stored_content(apps, schema_editor):
    rewrite_stored_content(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("acupressure", "0002_translationreview_to_site"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("points", "0022_point_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("routines", "0010_visitor_text_on_one_line"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="pointcondition",
            name="point_condition_once",
        ),
        migrations.RenameModel(
            old_name="Condition",
            new_name="PainType",
        ),
        migrations.RenameModel(
            old_name="PointCondition",
            new_name="PointPainType",
        ),
        migrations.RenameField(
            model_name="pointpaintype",
            old_name="condition",
            new_name="pain_type",
        ),
        migrations.RenameField(
            model_name="point",
            old_name="conditions",
            new_name="pain_types",
        ),
        migrations.AlterModelOptions(
            name="pointpaintype",
            options={"ordering": ["pain_type__sort_order", "point__code"]},
        ),
        migrations.AlterField(
            model_name="paintype",
            name="red_flags",
            field=models.ManyToManyField(
                blank=True, related_name="pain_types", to="points.redflag"
            ),
        ),
        migrations.AlterField(
            model_name="pointpaintype",
            name="pain_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="point_pain_types",
                to="points.paintype",
            ),
        ),
        migrations.AlterField(
            model_name="pointpaintype",
            name="point",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="point_pain_types",
                to="points.point",
            ),
        ),
        migrations.AddConstraint(
            model_name="pointpaintype",
            constraint=models.UniqueConstraint(
                fields=("point", "pain_type"), name="point_pain_type_once"
            ),
        ),
        migrations.RunPython(rewrite_stored_content, restore_stored_content),
    ]
