"""The Editors group: may add, change, delete and view the guide's content, nothing else.

Each app names its content models once, in its AppConfig.ready (`grant_to_editors`); after
every `migrate` the group exists and holds their permissions. Accounts, groups and sign-in
records stay with superusers (acupressure/admin.py), whatever a group is given.
"""

from django.apps import apps as global_apps
from django.db.models.signals import post_migrate

EDITORS = "Editors"


def grant_to_editors(app_config, model_names, actions=("add", "change", "delete", "view")):
    """After each migrate, give Editors these permissions (all, by default) on these models
    of `app_config`."""

    def grant(sender, using, apps=global_apps, **kwargs):
        # The models as this migrate left them (a flush sends no `apps`). Django's own
        # post_migrate receiver, connected before this one, has just made the permissions.
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
        editors, _ = group_model.objects.using(using).get_or_create(name=EDITORS)
        codenames = [f"{action}_{name}" for action in actions for name in model_names]
        editors.permissions.add(
            *permission_model.objects.using(using).filter(
                content_type__app_label=app_config.label, codename__in=codenames
            )
        )

    post_migrate.connect(
        grant, sender=app_config, weak=False, dispatch_uid=f"editors-{app_config.label}"
    )
