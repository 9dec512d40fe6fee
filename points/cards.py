"""The point list's cards, cached once per point version in the shared cache.

A list asks the cache for all of its cards at once; only the points whose cards are
missing have their markers, pain types and cautions read (a query each, whatever their
number) and their cards rendered. The pain types are kept with the card, and highlighted
at every render for the list's filters, so one entry per point serves every list and
search. So is the body view its thumbnail draws by reference, for the list's sprite.

Django's own {% cache %} around each card does the same job with less code, and was
measured against this (make bench, 361 points, cold pages, three runs each): it served
the point list at 38-47 requests a second against 63-105 here, the htmx partial at 43-48
against 103-123, a search at 31-42 against 67-91. A template fragment cache cannot tell
the view which cards it lacks, so every list reads the markers, pain types and cautions of
all its cards (three queries more) and asks the cache for them one by one; and a card's
highlighted pain types make it vary with the filters, one entry per combination.
"""

from django.core.cache import cache as shared_cache
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from acupressure.caching import FRAGMENT_SECONDS, fragment_key

from .models import BodyView, PainType, PointMarker

# Where a cached card takes the list of its pain types.
USED_FOR_SLOT = "<!--used-for-->"
# What a card shows beyond the point's own row: read only for the cards the cache lacks.
CARD_PREFETCHES = (
    Prefetch("markers", queryset=PointMarker.objects.select_related("view")),
    Prefetch("pain_types", queryset=PainType.objects.published()),
    "cautions",
)


def card_key(point):
    """The point's version: its own rows, the pain types and cautions it names and the body
    views it is drawn on all change it (see signals.touch_points)."""
    return fragment_key("point-card", point.pk, point.updated_at)


def render_card(point):
    html = render_to_string(
        "points/point_card.html", {"point": point, "used_for": mark_safe(USED_FOR_SLOT)}
    )
    before, after = html.split(USED_FOR_SLOT)
    pain_types = [(pain_type.pk, escape(pain_type.name)) for pain_type in point.pain_types.all()]
    thumbnail = point.thumbnail
    return before, pain_types, after, thumbnail.view.pk if thumbnail else None


def point_cards(points, chosen=()):
    """The HTML of each point's card, in order, with the body views their thumbnails draw
    (the list's sprite); `chosen` are the pain types to highlight."""
    keys = {point.pk: card_key(point) for point in points}
    found = shared_cache.get_many(list(keys.values()))
    missing = [point for point in points if keys[point.pk] not in found]
    if missing:
        prefetch_related_objects(missing, *CARD_PREFETCHES)
        rendered = {keys[point.pk]: render_card(point) for point in missing}
        shared_cache.set_many(rendered, FRAGMENT_SECONDS)
        found.update(rendered)
    cards = [found[keys[point.pk]] for point in points]
    chosen_pks = {pain_type.pk for pain_type in chosen}
    return [assemble(card, chosen_pks) for card in cards], sprite_views(cards)


def assemble(card, chosen_pks):
    before, pain_types, after, _ = card
    used_for = "".join(
        f'<li class="tags__match">{name}</li>' if pk in chosen_pks else f"<li>{name}</li>"
        for pk, name in pain_types
    )
    # The names were escaped when the card was rendered.
    return mark_safe(before + used_for + after)  # noqa: S308


def sprite_views(cards):
    """Each drawing the cards' thumbnails use by reference, once, in the views' order."""
    view_pks = {view_pk for *_, view_pk in cards if view_pk is not None}
    return list(BodyView.objects.filter(pk__in=view_pks)) if view_pks else []
