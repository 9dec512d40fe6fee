"""Shared by the migrations that give the Editors group the permissions for new models.

Django's migration loader skips modules whose names start with an underscore, so this is
a helper, not a migration.
"""

from django.contrib.auth.management import create_permissions

EDITORS = "Editors"


def grant_to_editors(apps, app_label, model_names):
    """Let Editors add, change, delete and view these models, creating the group if need be."""
    # Permissions are normally made after all migrations have run; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=model_names
        )
    )


def revoke_from_editors(apps, app_label, model_names):
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.filter(name=EDITORS).first()
    if editors:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=model_names
            )
        )
