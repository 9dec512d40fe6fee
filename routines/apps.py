from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    name = "routines"
    verbose_name = "Routines"

    def ready(self):
        from acupressure.caching import retire_pages_on_change

        def visitor_saved_a_link(instance, created):
            # No cached page shows a visitor's routine before it exists, and busy sites
            # save many; editors' suggested routines are content like any other.
            return created and not getattr(instance, "is_suggestion", True)

        retire_pages_on_change(*self.get_models(), unless=visitor_saved_a_link)
