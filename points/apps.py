from django.apps import AppConfig


def register_content(models):
    """The guide's content in the content file, in dependency order; a point's links and
    markers are listed with it."""
    from acupressure import content_files

    point_rows = (
        models.PointPainType,
        models.PointCaution,
        models.PointReference,
        models.PointMarker,
    )
    for model in (
        models.Meridian,
        models.Reference,
        models.RedFlag,
        models.PainType,
        models.Point,
        models.PointPainType,
        models.Caution,
        models.PointCaution,
        models.PointReference,
        models.Benefit,
        models.Tip,
        models.BodyView,
        models.PointMarker,
    ):
        is_reviewed = issubclass(model, models.Reviewed)
        content_files.register(
            model,
            parent="point" if model in point_rows else None,
            # A review is of one site's content, by one of its editors: never in a file.
            site_fields=models.Reviewed.review_fields if is_reviewed else (),
        )


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = "Guide content"

    def ready(self):
        from acupressure.caching import retire_pages_on_change
        from acupressure.editors import grant_to_editors

        from . import models, signals

        grant_to_editors(self, [model._meta.model_name for model in self.get_models()])
        register_content(models)

        # Every model of the guide's content shows on public pages.
        retire_pages_on_change(*self.get_models())
        # A change to what a point's card or page shows is a change to the point.
        signals.connect()
