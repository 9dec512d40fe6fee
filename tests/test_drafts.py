"""Drafts: an unpublished point, pain type or suggested routine is shown at its public URL to
editors, marked as a draft and never indexed; visitors get 404; a draft is never served
from or stored in the page cache; published pages stay the same for everyone."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from points.models import PainType, Point
from routines.models import Routine
from tests.factories import make_routine

pytestmark = pytest.mark.django_db

BANNER = "Draft: not public"
NOINDEX = '<meta name="robots" content="noindex">'


def unpublished_point():
    point = Point.objects.get(code="BL40")
    Point.objects.filter(pk=point.pk).update(is_published=False)
    return point


def unpublished_pain_type():
    pain_type = PainType.objects.get(slug="sciatica")
    PainType.objects.filter(pk=pain_type.pk).update(is_published=False)
    return pain_type


def unpublished_suggestion():
    routine = Routine.objects.filter(is_suggestion=True).first()
    Routine.objects.filter(pk=routine.pk).update(is_published=False)
    return routine


def draft_urls():
    point = unpublished_point()
    pain_type = unpublished_pain_type()
    routine = unpublished_suggestion()
    url = routine.get_absolute_url()
    return [
        point.get_absolute_url(),
        pain_type.get_absolute_url(),
        url,
        f"{url}print/",
        f"{url}session/",
    ]


def page_cache_keys():
    # LocMemCache (tests/conftest.py): the page entries are the keys made by page_key.
    return {key for key in cache._cache if ":page:" in key}


def assert_draft(response):
    page = response.content.decode()
    assert response.status_code == 200
    assert BANNER in page
    assert NOINDEX in page
    assert response["X-Robots-Tag"] == "noindex"
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control
    assert "public" not in cache_control
    assert not response.has_header("ETag")


def test_an_editor_sees_each_kind_of_draft_with_the_banner_and_noindex(client, editor):
    for url in draft_urls():
        assert_draft(client.get(url))


def test_visitors_get_404_for_a_draft(client):
    for url in draft_urls():
        assert client.get(url).status_code == 404, url


def test_staff_without_permission_on_the_model_get_404(client):
    user = User.objects.create_user("staff", password="x" * 20, is_staff=True)
    client.force_login(user)
    for url in draft_urls():
        assert client.get(url).status_code == 404, url


def test_a_signed_in_visitor_who_is_not_staff_gets_404(client):
    user = User.objects.create_user("member", password="x" * 20)
    client.force_login(user)
    assert client.get(unpublished_point().get_absolute_url()).status_code == 404


def test_a_draft_is_never_stored_in_or_served_from_the_page_cache(client, editor):
    urls = draft_urls()
    cached_before = page_cache_keys()
    for url in urls:
        assert_draft(client.get(url))
        assert_draft(client.get(url))  # again: rendered afresh, not from the cache

    assert page_cache_keys() == cached_before
    visitor = Client()
    for url in urls:
        assert visitor.get(url).status_code == 404, url


def test_a_visitors_404_first_does_not_hide_the_draft_from_the_editor(client, editor):
    url = unpublished_point().get_absolute_url()
    assert Client().get(url).status_code == 404
    assert_draft(client.get(url))


def test_published_pages_are_the_same_for_staff_and_visitors(client, editor):
    visitor = Client()
    routine = Routine.objects.filter(is_suggestion=True).first()
    for url in ["/points/bl40/", "/pain/sciatica/", routine.get_absolute_url()]:
        seen_by_visitor = visitor.get(url)
        seen_by_editor = client.get(url)
        for response in (seen_by_visitor, seen_by_editor):
            assert response.status_code == 200
            page = response.content.decode()
            assert BANNER not in page
            assert NOINDEX not in page
            assert "public" in response["Cache-Control"]
            assert "Cookie" not in response.get("Vary", "")
        # The editor got the very page cached for everyone.
        assert seen_by_editor.content == seen_by_visitor.content
        assert seen_by_editor["ETag"] == seen_by_visitor["ETag"]


def test_an_unpublished_suggestion_leaves_the_pain_type_page_and_the_builder(client):
    routine = unpublished_suggestion()
    assert routine not in Routine.objects.suggestions()
    for pain_type in routine.pain_types.all():
        page = client.get(pain_type.get_absolute_url()).content.decode()
        assert routine.get_absolute_url() not in page


def test_a_visitor_cannot_copy_a_draft_suggestion(client):
    routine = unpublished_suggestion()
    assert client.get(f"{routine.get_absolute_url()}copy/").status_code == 404


def test_a_visitors_saved_routine_is_published(client):
    routine = make_routine(title="Mine")
    assert routine.is_published
    assert client.get(routine.get_absolute_url()).status_code == 200


def test_view_on_site_in_the_admin_opens_the_draft(client, editor):
    point = unpublished_point()
    change = client.get(f"/admin/points/point/{point.pk}/change/")
    view_on_site = re.search(r'href="(/admin/r/[^"]+)"', change.content.decode())
    assert view_on_site

    response = client.get(view_on_site[1], follow=True)

    assert response.redirect_chain[-1][0].endswith(point.get_absolute_url())
    assert_draft(response)
