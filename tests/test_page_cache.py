"""Whole-page caching of public pages: served from the cache without a query, revalidated
with ETag and Last-Modified, kept apart per URL and htmx, and retired by any content change
made in the admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from points.models import Caution, Point
from routines.models import Routine
from tests.factories import make_routine
from tests.test_admin import change_form_data

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/points/",
    "/points/?pain=sciatica",
    "/points/bl40/",
    "/pain/",
    "/pain/sciatica/",
    "/references/",
    "/safety/",
]


@pytest.fixture
def editor_client():
    user = User.objects.create_user("editor", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    editor = Client()
    editor.force_login(user)
    return editor


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_public_page_is_served_from_the_cache_the_second_time(
    client, django_assert_num_queries, path
):
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_may_be_kept_by_browsers_and_a_cdn(client, path):
    response = client.get(path)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=60"} <= cache_control
    assert response["ETag"]
    assert response["Last-Modified"].endswith("GMT")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_browser_that_has_the_page_gets_304(client):
    first = client.get("/points/bl23/")
    assert client.get("/points/bl23/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    since = client.get("/points/bl23/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_the_htmx_partial_and_the_full_page_are_cached_apart(client):
    full = client.get("/points/?pain=sciatica")
    partial = client.get("/points/?pain=sciatica", headers={"HX-Request": "true"})
    again = client.get("/points/?pain=sciatica")
    assert b"<html" in full.content
    assert b"<html" not in partial.content
    assert again.content == full.content
    assert "HX-Request" in partial["Vary"]


def test_different_query_strings_are_different_pages(client):
    sciatica = client.get("/points/?pain=sciatica").content.decode()
    headache = client.get("/points/?pain=headache").content.decode()
    assert sciatica != headache


def test_an_edit_in_the_admin_shows_on_the_next_request(client, editor_client):
    point = Point.objects.get(code="BL40")
    assert client.get("/points/bl40/").status_code == 200  # cached now
    change_url = reverse("admin:points_point_change", args=[point.pk])
    data = change_form_data(editor_client.get(change_url))
    data["summary"] = "Edited a moment ago in the admin."
    data["_save"] = "Save"
    assert editor_client.post(change_url, data).status_code == 302

    assert "Edited a moment ago in the admin." in client.get("/points/bl40/").content.decode()
    # Every page, not only the one edited: the list shows the summary too.
    assert "Edited a moment ago in the admin." in client.get("/points/").content.decode()


def test_unpublishing_with_the_admin_action_retires_cached_pages(client, editor_client):
    assert "BL62" in client.get("/points/").content.decode()
    point = Point.objects.get(code="BL62")
    response = editor_client.post(
        reverse("admin:points_point_changelist"),
        {"action": "unpublish", "_selected_action": [point.pk]},
    )
    assert response.status_code == 302
    assert "BL62" not in client.get("/points/").content.decode()
    assert client.get("/points/bl62/").status_code == 404


def test_a_new_caution_on_a_point_shows_at_once(client):
    client.get("/points/gb30/")
    caution = Caution.objects.create(title="Freshly added caution", text="Take care.")
    Point.objects.get(code="GB30").cautions.add(caution)  # m2m_changed, not a save
    assert "Freshly added caution" in client.get("/points/gb30/").content.decode()


def test_deleting_content_retires_cached_pages(client):
    caution = Caution.objects.create(title="Short-lived caution", text="Soon gone.")
    Point.objects.get(code="GB30").cautions.add(caution)
    assert "Short-lived caution" in client.get("/safety/").content.decode()
    caution.delete()
    assert "Short-lived caution" not in client.get("/safety/").content.decode()


def test_a_visitor_saving_a_routine_keeps_the_cached_pages(client, django_assert_num_queries):
    client.get("/points/")
    make_routine(steps=[Point.objects.get(code="BL23")])
    with django_assert_num_queries(0):
        client.get("/points/")


def test_an_editor_changing_a_suggestion_retires_the_pages_that_offer_it(client):
    suggestion = Routine.objects.suggestions().first()
    page = client.get("/pain/lower-back-pain/").content.decode()
    assert suggestion.title in page
    suggestion.title = "Renamed by an editor"
    suggestion.save()
    assert "Renamed by an editor" in client.get("/pain/lower-back-pain/").content.decode()


def test_a_cached_shared_link_still_counts_as_opened(client):
    routine = make_routine(
        steps=[Point.objects.get(code="BL23")], created_at=timezone.now() - timedelta(days=2)
    )
    assert client.get(routine.get_absolute_url()).status_code == 200
    Routine.objects.filter(pk=routine.pk).update(last_opened_at=None)
    cache.delete(f"routine-opened:{routine.token}")  # as if an hour had passed
    assert client.get(routine.get_absolute_url()).status_code == 200  # from the cache
    routine.refresh_from_db()
    assert routine.last_opened_at is not None


@pytest.mark.parametrize(
    "path", ["/routine/", "/routine/badge/", "/routine/print/", "/routine/session/"]
)
def test_per_visitor_pages_are_never_cached(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_a_missing_page_is_not_cached(client, django_assert_max_num_queries):
    assert client.get("/points/no-such-point/").status_code == 404
    with django_assert_max_num_queries(10):
        assert client.get("/points/no-such-point/").status_code == 404
    assert "public" not in client.get("/points/no-such-point/").get("Cache-Control", "")


def test_with_the_cache_off_every_request_renders_the_page(
    client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/references/")
    with django_assert_num_queries(2):
        response = client.get("/references/")
    assert "public" in response["Cache-Control"]
    assert response["ETag"]


def test_clear_page_cache_retires_every_cached_page(client, django_assert_num_queries):
    client.get("/references/")
    call_command("clear_page_cache")
    with django_assert_num_queries(2):  # rendered again
        client.get("/references/")


def test_made_up_query_strings_are_not_cached(client, django_assert_num_queries):
    # Otherwise anyone could fill the cache with pages nobody asks for again.
    client.get("/points/?pain=sciatica&utm_source=newsletter")
    with django_assert_num_queries(7):
        client.get("/points/?pain=sciatica&utm_source=newsletter")
    client.get("/points/?q=bladder")
    with django_assert_num_queries(7):
        client.get("/points/?q=bladder")
    client.get("/safety/?anything=1")
    with django_assert_num_queries(5):
        client.get("/safety/?anything=1")


def test_an_unknown_shared_link_leaves_nothing_in_the_cache(client):
    assert client.get("/r/made-up-token-nobody-saved/").status_code == 404
    assert cache.get("routine-opened:made-up-token-nobody-saved") is None
