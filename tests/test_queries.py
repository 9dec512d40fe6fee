"""Queries per page stay the same whether the guide has 5 generated points or 361 (every
standard acupoint), each drawn on body views."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from points.models import Point, PointMarker, PointPainType, PointReference
from tests.factories import (
    build_point,
    make_body_view,
    make_caution,
    make_meridian,
    make_pain_type,
    make_reference,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # These count the queries of rendering a page; a page from the cache needs none
    # (tests/test_page_cache.py), and bulk-created rows would not retire cached pages.
    settings.PAGE_CACHE_SECONDS = 0


HTMX = {"HX-Request": "true"}


class GeneratedGuide:
    """Published points made in bulk, each with pain types, a caution, a reference, and a
    marker on each of two generated body views: a symmetric one (two pins per point) and
    one that is not (one pin)."""

    def __init__(self):
        self.meridian = make_meridian()
        self.pain_types = [make_pain_type(), make_pain_type()]
        self.caution = make_caution()
        self.reference = make_reference()
        self.views = [
            make_body_view(width=400, height=900, symmetric=True, sort_order=1),
            make_body_view(width=500, height=320, symmetric=False, sort_order=2),
        ]
        self.points = []

    def grow_to(self, total):
        start = len(self.points) + 1
        points = Point.objects.bulk_create(
            build_point(meridian=self.meridian, number=number, region="legs")
            for number in range(start, total + 1)
        )
        PointPainType.objects.bulk_create(
            PointPainType(point=point, pain_type=pain_type, note=f"Why {point.code}.")
            for point in points
            for pain_type in self.pain_types
        )
        Point.cautions.through.objects.bulk_create(
            Point.cautions.through(point=point, caution=self.caution) for point in points
        )
        PointReference.objects.bulk_create(
            PointReference(point=point, reference=self.reference) for point in points
        )
        PointMarker.objects.bulk_create(
            PointMarker(
                point=point,
                view=view,
                # Spread over the view, always inside it.
                x=10 + (point.number * 7) % (view.width // 2 - 20),
                y=10 + (point.number * 13) % (view.height - 20),
                side="left",
            )
            for point in points
            for view in self.views
        )
        self.points += points
        assert PointMarker.objects.filter(view__in=self.views).count() == 2 * total


@pytest.fixture
def guide():
    return GeneratedGuide()


def count_queries(client, url, headers=None):
    # The first render's: cached cards and parts of pages (acupressure.caching) spare
    # some queries later, and rows made in bulk send no signal to give them new versions.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(queries), response


PAGES = {
    # name: (url for the generated guide, extra headers, exact number of queries)
    # Pain types, general red flags, benefits, points; and for "how far the guide is
    # reviewed", the published points and the general cautions.
    "home": (lambda guide: "/", None, 6),
    # The count of the matching points (for the pager), the page of points, the views of
    # the sprite, and for the cards the cache lacks their markers, pain types and cautions.
    "point list": (lambda guide: "/points/", None, 8),
    "filtered list": (
        lambda guide: (
            f"/points/?pain={guide.pain_types[0].slug}&pain={guide.pain_types[1].slug}"
            "&region=legs&q=test"
        ),
        None,
        8,
    ),
    # The partial leaves out the red flags beside the results: one query fewer.
    "htmx partial": (lambda guide: f"/points/?pain={guide.pain_types[0].slug}", HTMX, 7),
    "point detail": (lambda guide: guide.points[0].get_absolute_url(), None, 9),
    "pain_type": (lambda guide: guide.pain_types[0].get_absolute_url(), None, 7),
    "pain type list": (lambda guide: "/pain/", None, 2),
    "references": (lambda guide: "/references/", None, 2),
    # The sources of the red flags and of the cautions: one query each.
    "safety": (lambda guide: "/safety/", None, 7),
}


DIAGRAM_PAGES = {"point list", "filtered list", "htmx partial", "point detail", "pain_type"}


@pytest.mark.parametrize("page", PAGES)
def test_queries_per_page_do_not_grow_with_the_points(client, guide, page):
    url_for, headers, expected = PAGES[page]

    guide.grow_to(5)
    small, small_response = count_queries(client, url_for(guide), headers)
    guide.grow_to(361)
    large, large_response = count_queries(client, url_for(guide), headers)

    assert (small, large) == (expected, expected)
    # The larger guide really was on the page, so the second count measured real work.
    assert len(large_response.content) >= len(small_response.content)
    if page in DIAGRAM_PAGES:
        assert b'class="marker__ring"' in small_response.content


def test_generated_points_all_appear_in_the_filtered_list_page_by_page(client, guide):
    guide.grow_to(361)
    slugs = [pain_type.slug for pain_type in guide.pain_types]
    shown = ""
    for number in range(1, 17):  # 361 points, 24 to a page
        page = client.get("/points/", {"pain": slugs, "page": number}).content.decode()
        assert "361 points" in page
        shown += page
    assert all(f'href="{point.get_absolute_url()}"' in shown for point in guide.points)
    assert "Page 16 of 16" in page
    assert 'rel="next"' not in page


def test_every_generated_point_gets_a_thumbnail_and_each_view_one_sprite(client, guide):
    guide.grow_to(361)
    _, response = count_queries(client, f"/points/?pain={guide.pain_types[0].slug}")
    page = response.content.decode()
    first_view, second_view = guide.views
    # A thumbnail shows a point's first view, drawn by reference to that view's sprite.
    assert page.count('class="body-svg body-svg--thumb"') == 24
    assert page.count(f'<use href="#drawing-{first_view.slug}"/>') == 24
    assert page.count(f'id="drawing-{first_view.slug}"') == 1
    assert f'id="drawing-{second_view.slug}"' not in page


def test_pain_type_page_draws_every_generated_point_on_both_views(client, guide):
    guide.grow_to(300)
    _, response = count_queries(client, guide.pain_types[0].get_absolute_url())
    page = response.content.decode()
    for view in guide.views:
        assert page.count(f'data-view="{view.slug}"') == 1
    # Two pins per point on the symmetric view, one on the other.
    assert page.count('class="marker marker--link"') == 300 * 3
