"""A routine's pages run as many queries for 30 steps as for 1.

The points are generated with everything a routine page shows about them: pain types (so
red flags), a caution, a reference, and a marker on a body view (so numbered figures).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from points.models import Point, PointMarker, PointPainType, PointReference
from routines.models import MAX_STEPS
from routines.working import WorkingRoutine
from tests.factories import (
    build_point,
    make_body_view,
    make_caution,
    make_meridian,
    make_pain_type,
    make_point,
    make_red_flag,
    make_reference,
    make_routine,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # These count the queries of rendering a page; a page from the cache needs none
    # (tests/test_page_cache.py), and bulk-created rows would not retire cached pages.
    settings.PAGE_CACHE_SECONDS = 0


HTMX = {"HX-Request": "true"}


@pytest.fixture
def marked_points():
    """30 published points, each with two pain types, a caution, a reference and a marker."""
    meridian = make_meridian()
    pain_types = [make_pain_type(), make_pain_type()]
    make_red_flag(text="Test sign for the generated pain", is_general=False).pain_types.add(
        pain_types[0]
    )
    caution = make_caution()
    reference = make_reference()
    view = make_body_view(width=400, height=900, symmetric=True, sort_order=1)
    points = Point.objects.bulk_create(
        build_point(meridian=meridian, number=number) for number in range(1, MAX_STEPS + 1)
    )
    PointPainType.objects.bulk_create(
        PointPainType(point=point, pain_type=pain_type, note=f"Why {point.code}.")
        for point in points
        for pain_type in pain_types
    )
    Point.cautions.through.objects.bulk_create(
        Point.cautions.through(point=point, caution=caution) for point in points
    )
    PointReference.objects.bulk_create(
        PointReference(point=point, reference=reference) for point in points
    )
    PointMarker.objects.bulk_create(
        PointMarker(
            point=point, view=view, x=200 - point.number * 5, y=point.number * 25, side="left"
        )
        for point in points
    )
    return points


def visitor_with(points):
    """A visitor who added these points through the "Add to routine" form."""
    client = Client()
    for point in points:
        assert client.post(f"/routine/add/{point.slug}/").status_code == 302
    assert len(WorkingRoutine(client.session).steps()) == len(points)
    return client


def count_queries(client, url, headers=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


WORKING_PAGES = {
    # name: (url, headers, exact number of queries)
    # The session; the points, their pain types (one query, with the link), cautions and
    # markers with views; the general cautions (every routine shows them); the red flags;
    # the suggestions.
    "routine page": ("/routine/", None, 8),
    # The partial leaves out the suggestions below the builder.
    "routine partial": ("/routine/", HTMX, 7),
    # The printed sheet adds the references (one query, with the links).
    "working print": ("/routine/print/", None, 8),
    "working session": ("/routine/session/", None, 7),
    # Loaded with every page a visitor opens: the session and which points are published.
    "header badge": ("/routine/badge/", None, 2),
}


@pytest.mark.parametrize("page", WORKING_PAGES)
def test_queries_for_a_working_routine_do_not_grow_with_its_steps(marked_points, page):
    url, headers, expected = WORKING_PAGES[page]
    one_visitor, thirty_visitor = visitor_with(marked_points[:1]), visitor_with(marked_points)

    one, one_page = count_queries(one_visitor, url, headers)
    thirty, thirty_page = count_queries(thirty_visitor, url, headers)

    assert (one, thirty) == (expected, expected)
    if url == "/routine/badge/":
        assert "30 steps" in thirty_page
        return
    # The larger routine really was on the page, with its points drawn.
    assert all(point.code in thirty_page for point in marked_points)
    assert thirty_page.count('class="marker__ring"') > one_page.count('class="marker__ring"') > 0


def count_change(client, url, data=None):
    """Queries of one htmx change, made with the routine's current version."""
    version = WorkingRoutine(client.session).version
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"version": version, **(data or {})}, headers=HTMX)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries), response.content.decode()


def first_key(client):
    return WorkingRoutine(client.session).steps()[0].key


BUILDER_ACTIONS = {
    # name: (url for a visitor, form, exact number of queries, steps in the answer)
    # Every change is one short transaction (acupressure.sessions.changing_session): the
    # savepoint a test sees and its release, the UPDATE that locks the visitor's session
    # row, the session read under the lock, whatever the change asks about the points, and
    # the session saved (a savepoint of its own: three). The answer is drawn after it.
    # Adding asks which of the routine's points are published, after loading the point
    # first; it answers with the small "Added" button.
    "add": (lambda client: "/routine/add/extra/", {}, 9, 0),
    # Moving asks which points are published, then answers with the moved step and the
    # figures that mark it: the points and their markers (two).
    "move": (
        lambda client: f"/routine/steps/{first_key(client)}/move/",
        {"direction": "down"},
        10,
        1,
    ),
    # Removing answers with the safety notes too: the points' pain types and cautions, the
    # general cautions and the red flags.
    "remove": (lambda client: f"/routine/steps/{first_key(client)}/remove/", {}, 14, 0),
    # Updating loads the steps under the lock (the form checks the time against the
    # point), and loading them finds only published points: no separate question.
    "update": (
        lambda client: f"/routine/steps/{first_key(client)}/",
        {"seconds": "90", "sides": "both", "note": "slowly"},
        9,
        1,
    ),
}


@pytest.mark.parametrize("action", BUILDER_ACTIONS)
def test_queries_for_a_builder_action_do_not_grow_with_the_steps(marked_points, action):
    url_for, data, expected, steps_sent = BUILDER_ACTIONS[action]
    make_point(meridian=marked_points[0].meridian, slug="extra")
    # Three steps at least, so that two are left after a removal and the answer is only
    # what changed; 29 so that one more can be added.
    small, large = visitor_with(marked_points[:3]), visitor_with(marked_points[:29])
    small_url, large_url = url_for(small), url_for(large)

    few, few_answer = count_change(small, small_url, data)
    many, many_answer = count_change(large, large_url, data)

    assert (few, many) == (expected, expected)
    if action == "add":
        assert "Added as step 4" in few_answer
        assert "Added as step 30" in many_answer
    else:
        assert 'id="routine"' not in many_answer
        assert many_answer.count('class="step"') == steps_sent


SHARED_PAGES = {
    # The routine; the pain types it is suggested for; its steps with points and meridians;
    # cautions; the general cautions; markers and their views (two); the points' pain types
    # (two); references (two); red flags. The shared page also records the link's first
    # opening, and the print sheet its first print (one UPDATE each; both routines are new to them).
    "shared page": ("/r/{token}/", 13),
    "shared print": ("/r/{token}/print/", 13),
    "shared session": ("/r/{token}/session/", 12),
}


@pytest.mark.parametrize("page", SHARED_PAGES)
def test_queries_for_a_saved_routine_do_not_grow_with_its_steps(marked_points, page):
    url, expected = SHARED_PAGES[page]
    # Saved yesterday, so opening the link records it (an UPDATE) as it would for a visitor.
    yesterday = timezone.now() - timedelta(days=1)
    small = make_routine(steps=marked_points[:1], created_at=yesterday)
    large = make_routine(
        steps=[*marked_points[:29], "Massage the arches of your feet"], created_at=yesterday
    )
    client = Client()

    one, one_page = count_queries(client, url.format(token=small.token))
    thirty, thirty_page = count_queries(client, url.format(token=large.token))

    assert (one, thirty) == (expected, expected)
    assert all(point.code in thirty_page for point in marked_points[:29])
    assert "Massage the arches of your feet" in thirty_page
    assert thirty_page.count('class="marker__ring"') > one_page.count('class="marker__ring"') > 0


def test_a_change_holds_the_visitors_lock_for_the_change_alone(marked_points):
    """The lock is taken by the first statement of the change and released before the
    answer is drawn; the session is written once, under the lock."""
    client = visitor_with(marked_points[:3])
    url = f"/routine/steps/{first_key(client)}/move/"
    version = WorkingRoutine(client.session).version
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"version": version, "direction": "down"}, headers=HTMX)
    assert response.status_code == 200
    statements = [query["sql"] for query in queries]

    def where(fragment):
        return [number for number, sql in enumerate(statements) if fragment in sql]

    (locked,) = where('SET "expire_date" = "django_session"."expire_date"')
    (saved,) = where('UPDATE "django_session" SET "session_data"')
    released = max(where("RELEASE SAVEPOINT"))
    drawn = where('FROM "points_pointmarker"')
    assert locked < saved < released < min(drawn)
