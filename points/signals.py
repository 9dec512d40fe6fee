"""Receivers that keep each point's `updated_at` the version of everything its card and page
show, so that a cached part of a page is keyed on the point alone ({% cache %} blocks and
points/cards.py). Connected when the app is ready (apps.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from acupressure.models import TranslationReview

from .models import (
    BodyView,
    Caution,
    PainType,
    Point,
    PointCaution,
    PointMarker,
    PointPainType,
    PointReference,
    Reference,
    Tip,
)


def touch_points(point_ids):
    """A new `updated_at` for these points, the version their cached cards are keyed on.

    A point's page and card show rows of other tables: its own (markers, pain-type links,
    cautions, references, tips) and shared ones (the names of its pain types and cautions);
    a change to one of those is a change to the point. update() sends no signal: the changed
    row's own signal already retired the cached pages.
    """
    Point.objects.filter(pk__in=point_ids).update(updated_at=timezone.now())


def touch_point_of(sender, instance, **kwargs):
    """post_save/post_delete receiver for rows that belong to one point (point_id)."""
    if getattr(instance, "point_id", None) is not None:
        touch_points([instance.point_id])


def touch_point_reviewed(sender, instance, **kwargs):
    """post_save/post_delete receiver for a TranslationReview: a point's page shows it."""
    if instance.content_type.model_class() is Point:
        touch_points([instance.object_id])


def touch_points_named_by(sender, instance, created=False, **kwargs):
    """post_save receiver for a pain type, caution or reference: the points that name it."""
    if not created:
        touch_points(instance.points.values("pk"))


def touch_points_drawn_on(sender, instance, created=False, **kwargs):
    """post_save receiver for a body view: the points marked on it."""
    if not created:
        touch_points(Point.objects.filter(markers__view=instance).values("pk"))


def touch_points_of_link(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed receiver for `point.pain_types.add(…)`, `pain_type.points.remove(…)`…,
    which write the link rows without a post_save of their own."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        touch_points([instance.pk])
    elif action == "pre_clear":
        # While the links are still there: the points of this pain type (caution…).
        field = next(f for f in Point._meta.many_to_many if f.remote_field.through is sender)
        touch_points(Point.objects.filter(**{field.name: instance}).values("pk"))
    else:
        touch_points(pk_set or ())


def connect():
    # A row that belongs to one point.
    for model in (PointMarker, PointPainType, PointCaution, PointReference, Tip):
        uid = f"touch-point-{model._meta.label_lower}"
        post_save.connect(touch_point_of, sender=model, dispatch_uid=uid)
        post_delete.connect(touch_point_of, sender=model, dispatch_uid=uid)
    for signal in (post_save, post_delete):
        signal.connect(
            touch_point_reviewed,
            sender=TranslationReview,
            dispatch_uid="touch-point-of-translationreview",
        )
    # A pain type, caution or reference whose name the point's card or page shows.
    for model in (PainType, Caution, Reference):
        post_save.connect(
            touch_points_named_by,
            sender=model,
            dispatch_uid=f"touch-points-of-{model._meta.label_lower}",
        )
    post_save.connect(
        touch_points_drawn_on, sender=BodyView, dispatch_uid="touch-points-of-points.bodyview"
    )
    for field in Point._meta.many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(
            touch_points_of_link,
            sender=through,
            dispatch_uid=f"touch-point-{through._meta.label_lower}",
        )
