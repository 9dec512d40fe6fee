from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    name = "routines"
    verbose_name = "Routines"

    def ready(self):
        from acupressure import content_files
        from acupressure.caching import retire_pages_on_change
        from acupressure.editors import grant_to_editors

        from . import models

        # Editors keep the suggested routines, and may remove a visitor's shared copy.
        grant_to_editors(self, [model._meta.model_name for model in self.get_models()])

        def visitor_saved_a_link(instance, created):
            # No cached page shows a visitor's routine before it exists, and busy sites
            # save many; editors' suggested routines are content like any other.
            return created and not getattr(instance, "is_suggestion", True)

        retire_pages_on_change(*self.get_models(), unless=visitor_saved_a_link)

        # Editors' suggestions are content; what one site records of a link is not.
        content_files.register(
            models.Routine,
            scope={"is_suggestion": True},
            scope_name="an editors' suggestion",
            site_fields={"source", "last_opened_at", "last_printed_at", "saved_by", "fingerprint"},
        )
        content_files.register(
            models.RoutineStep, scope={"routine__is_suggestion": True}, parent="routine"
        )
