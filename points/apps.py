from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = "Guide content"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .caching import on_model_change

        # Any change to the content, from the admin, an import or a shell, empties the
        # page cache (queryset.update() sends no signal: callers use content_changed()).
        for name, signal in [
            ("post_save", post_save),
            ("post_delete", post_delete),
            ("m2m_changed", m2m_changed),
        ]:
            signal.connect(on_model_change, dispatch_uid=f"page-cache-{name}")
