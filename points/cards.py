"""The point list's cards, cached once per point version in the shared cache.

A list asks the cache for all of its cards at once; only the points whose cards are
missing have their pain types and cautions read (a query each, whatever their number)
and their cards rendered. The pain types are kept with the card, and highlighted at
every render for the list's filters, so one entry per point serves every list and search.
"""

from django.core.cache import cache as shared_cache
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from acupressure.caching import FRAGMENT_SECONDS, fragment_key

from .models import Condition

# Where a cached card takes the list of its pain types.
USED_FOR_SLOT = "<!--used-for-->"
# What a card shows beyond the point and its markers (prefetched by the list for the
# sprite): read only for the cards the cache does not have.
CARD_PREFETCHES = (
    Prefetch("conditions", queryset=Condition.objects.published()),
    "cautions",
)


def card_key(point):
    """The point's version (see models.touch_points: its own rows, and the pain types and
    cautions it names, change it) and its body views' versions (their drawings)."""
    views = [(marker.view_id, marker.view.updated_at) for marker in point.markers.all()]
    return fragment_key("point-card", point.pk, point.updated_at, views)


def render_card(point):
    html = render_to_string(
        "points/point_card.html", {"point": point, "used_for": mark_safe(USED_FOR_SLOT)}
    )
    before, after = html.split(USED_FOR_SLOT)
    conditions = [(condition.pk, condition.name) for condition in point.conditions.all()]
    return before, conditions, after


def point_cards(points, chosen=()):
    """The HTML of each point's card, in order; `chosen` are the pain types to highlight."""
    keys = {point.pk: card_key(point) for point in points}
    found = shared_cache.get_many(list(keys.values()))
    missing = [point for point in points if keys[point.pk] not in found]
    if missing:
        prefetch_related_objects(missing, *CARD_PREFETCHES)
        rendered = {keys[point.pk]: render_card(point) for point in missing}
        shared_cache.set_many(rendered, FRAGMENT_SECONDS)
        found.update(rendered)
    chosen_pks = {condition.pk for condition in chosen}
    return [assemble(found[keys[point.pk]], chosen_pks) for point in points]


def assemble(card, chosen_pks):
    before, conditions, after = card
    used_for = format_html_join(
        "",
        "<li{}>{}</li>",
        (
            (mark_safe(' class="tags__match"') if pk in chosen_pks else "", name)
            for pk, name in conditions
        ),
    )
    return mark_safe(before + used_for + after)  # noqa: S308 - escaped when rendered
