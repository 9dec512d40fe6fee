from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = "Guide content"

    def ready(self):
        from acupressure.caching import retire_pages_on_change

        # Every model of the guide's content shows on public pages.
        retire_pages_on_change(*self.get_models())
