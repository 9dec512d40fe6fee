from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


def register_content(models):
    """The guide's content in the content file, in dependency order; a point's links and
    markers are listed with it."""
    from acupressure import content_files

    point_rows = (
        models.PointCondition,
        models.PointCaution,
        models.PointReference,
        models.PointMarker,
    )
    for model in (
        models.Meridian,
        models.Reference,
        models.RedFlag,
        models.Condition,
        models.Point,
        models.PointCondition,
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

        from . import models

        grant_to_editors(self, [model._meta.model_name for model in self.get_models()])
        register_content(models)

        # Every model of the guide's content shows on public pages.
        retire_pages_on_change(*self.get_models())
        # A change to a row that belongs to a point, or to a pain type, caution, reference
        # or body view that the point's card or page shows, is a change to the point: their
        # cached parts are keyed on its updated_at (models.touch_points).
        for model in (
            models.PointMarker,
            models.PointCondition,
            models.PointCaution,
            models.PointReference,
            models.Tip,
        ):
            uid = f"touch-point-{model._meta.label_lower}"
            post_save.connect(models.touch_point_of, sender=model, dispatch_uid=uid)
            post_delete.connect(models.touch_point_of, sender=model, dispatch_uid=uid)
        for signal in (post_save, post_delete):
            signal.connect(
                models.touch_point_reviewed,
                sender=models.TranslationReview,
                dispatch_uid="touch-point-of-points.translationreview",
            )
        for model in (models.Condition, models.Caution, models.Reference):
            post_save.connect(
                models.touch_points_named_by,
                sender=model,
                dispatch_uid=f"touch-points-of-{model._meta.label_lower}",
            )
        post_save.connect(
            models.touch_points_drawn_on,
            sender=models.BodyView,
            dispatch_uid="touch-points-of-points.bodyview",
        )
        for field in models.Point._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                models.touch_points_of_link,
                sender=through,
                dispatch_uid=f"touch-point-{through._meta.label_lower}",
            )
