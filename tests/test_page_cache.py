"""Whole-page caching of public pages: served from the cache without a query, revalidated
with ETag and Last-Modified, kept apart per URL and htmx, retired by any content change
made in the admin, and kept for canonical variants only so that made-up requests cannot
fill it."""

import random
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from points.models import Caution, PainType, Point
from routines.models import Routine
from tests.factories import make_meridian, make_point, make_routine
from tests.pages import change_form_data

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
    data["summary_en"] = "Edited a moment ago in the admin."
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
    caches["bulk"].delete(f"routine-opened:{routine.token}")  # as if an hour had passed
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


def test_made_up_query_strings_are_not_cached(client):
    # Otherwise anyone could fill the cache with pages nobody asks for again. (The point
    # cards of a list come from the fragment cache the second time: fewer queries, not none.)
    for path in ("/points/?pain=sciatica&utm_source=newsletter", "/points/?q=bladder"):
        client.get(path)
        assert renders(client, path)
    client.get("/safety/?anything=1")
    assert renders(client, "/safety/?anything=1")


def test_an_unknown_shared_link_leaves_nothing_in_the_cache(client):
    assert client.get("/r/made-up-token-nobody-saved/").status_code == 404
    assert caches["bulk"].get("routine-opened:made-up-token-nobody-saved") is None


# --- Only canonical variants are cached ---------------------------------------------------

# The default names plus the test client's, and a wildcard that Django accepts for any
# subdomain but the page cache does not.
SITE_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver", ".example.org"]


@pytest.fixture
def site_hosts(settings):
    settings.ALLOWED_HOSTS = SITE_HOSTS


def entries_in_memory():
    """How many entries the test's in-memory caches hold (LocMemCache keeps one dict)."""
    return sum(len(caches[alias]._cache) for alias in ("default", "bulk"))


def renders(client, path, **extra):
    """Whether answering `path` ran the view (queries), rather than coming from the cache."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return len(queries) > 0


def canonical_pages():
    """Pages of every kind, as the site links to them."""
    routine = make_routine(steps=[Point.objects.get(code="BL23")])
    return [
        "/",
        "/points/",
        "/points/?pain=sciatica",
        "/points/?pain=sciatica&region=legs",
        "/points/bl40/",
        "/pain/sciatica/",
        routine.get_absolute_url(),
    ]


def warm(client, pages):
    """Cache each page, whole and as the htmx partial: what a made-up variant may reuse."""
    for path in pages:
        for headers in ({}, {"HX-Request": "true"}):
            assert client.get(path, headers=headers).status_code == 200


def made_up_requests(pages, count, seed=10):
    """`count` requests that are not one of the site's pages as it links to them: pages that
    do not exist, unknown filters, other spellings, odd htmx headers, odd Host headers that
    Django still accepts (valid names with made-up ports), and mixtures of these."""
    rng = random.Random(seed)
    slugs = list(PainType.objects.published().values_list("slug", flat=True))

    def number():
        return rng.randint(2, 10**9)

    def backwards(chosen):
        # Against the order the form lists them in (slugs' order), which is the cached one.
        return sorted(chosen, key=slugs.index, reverse=True)

    def query():
        return rng.choice(
            [
                lambda: f"page={number()}",  # past the end: the guide has one page of points
                lambda: f"page={rng.choice(['01', '001', '1.0', '+1', '%201', '0', '-1', ''])}",
                lambda: f"pain=zz{number()}",
                lambda: f"pain=sciatica&pain=zz{number()}",
                lambda: "&".join(["pain=sciatica"] * rng.randint(2, 60)),  # repeated
                lambda: "&".join(f"pain={slug}" for slug in backwards(rng.sample(slugs, 2))),
                lambda: "&".join(f"pain={slug}" for slug in rng.sample(slugs, rng.randint(3, 8))),
                lambda: f"region=nowhere{number()}",
                lambda: "region=",
                lambda: "region=legs&pain=sciatica",  # not the form's order
                lambda: f"pain=sciatica&page={number()}",
            ]
        )()

    def headers():
        return rng.choice(
            [
                {"HX-Request": f"yes{number()}"},
                {"HX-Request": rng.choice(["false", "1", "TRUE", " true", ""])},
                {"HX-History-Restore-Request": f"x{number()}"},
                {"HX-Request": "true", "HX-History-Restore-Request": f"{number()}"},
                # django-htmx reads this as "true": the partial, already cached.
                {"HX-Request": "%74rue", "HX-Request-URI-AutoEncoded": "true"},
            ]
        )

    def host():
        port = rng.randint(81, 65535)  # the test client's server listens on 80
        return rng.choice(
            [
                f"localhost:{port}",
                f"127.0.0.1:{port}",
                f"[::1]:{port}",
                f"guide{number()}.example.org",
                "LOCALHOST",
                "localhost.",
            ]
        )

    requests = []
    for _ in range(count):
        path = rng.choice(pages)
        extra = {}
        kind = rng.choice(["query", "headers", "host", "spelling", "mixed"])
        if kind in ("query", "mixed"):
            path = f"/points/?{query()}"
        if kind == "spelling":
            # Other spellings of a cached page's URL: it answers them from its own entry.
            path = rng.choice(
                [
                    f"{path}{'&' if '?' in path else '?'}{'&' * rng.randint(1, 50)}",
                    "/points/?pain=sciatic%61",
                    "/points/?pain=sciatica&region=leg%73",
                ]
            )
        if kind in ("headers", "mixed"):
            extra["headers"] = headers()
        if kind in ("host", "mixed"):
            extra.setdefault("headers", {})["host"] = host()
        requests.append((path, extra))
    return requests


def flood(client, requests):
    statuses = {client.get(path, **extra).status_code for path, extra in requests}
    assert statuses == {200}


def test_a_thousand_made_up_variants_add_nothing_to_the_cache(client, settings, site_hosts):
    # As many entries as the file cache keeps, so none is culled and the count is the truth.
    settings.CACHES = {
        alias: {**config, "OPTIONS": {"MAX_ENTRIES": 5000}}
        for alias, config in settings.CACHES.items()
    }
    pages = canonical_pages()
    warm(client, pages)
    before = entries_in_memory()
    flood(client, made_up_requests(pages, 1000))
    assert entries_in_memory() == before
    # And the pages people use are all still there.
    assert not any(renders(client, path) for path in pages)


def test_a_thousand_made_up_variants_add_no_file_to_the_file_cache(
    client, settings, site_hosts, tmp_path, django_assert_num_queries
):
    # As the settings configure it on one machine.
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": location,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
        for alias, location in (("default", tmp_path), ("bulk", tmp_path / "bulk"))
    }

    def files():
        return len(list(tmp_path.rglob("*.djcache")))

    pages = canonical_pages()
    warm(client, pages)
    before = files()
    flood(client, made_up_requests(pages, 1000, seed=11))
    assert files() == before
    # A page people use is still kept, in a file of its own.
    client.get("/references/")
    assert files() == before + 1
    with django_assert_num_queries(0):
        client.get("/references/")


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/points/?pain=sciatica&region=legs", {}),  # in the form's order
        ("/points/?region=lower-back", {}),
        ("/points/?pain=sciatica", {"HX-Request": "true"}),
        ("/points/", {"HX-Request": "true", "HX-History-Restore-Request": "true"}),
        ("/points/bl40/", {"host": "localhost"}),
        ("/points/bl40/", {"host": "[::1]"}),
        ("/points/bl40/", {"host": "localhost:80"}),  # the port the server was reached on
    ],
)
def test_canonical_variants_are_still_cached(
    client, site_hosts, django_assert_num_queries, path, headers
):
    first = client.get(path, headers=headers)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(path, headers=headers)
    assert second.content == first.content


@pytest.mark.parametrize(
    "path",
    [
        "/points/?pain=no-such-pain",
        "/points/?pain=sciatica&pain=sciatica",
        "/points/?pain=sciatica&pain=lower-back-pain",  # not the order the form lists them
        "/points/?region=legs&pain=sciatica",
        "/points/?region=nowhere",
        "/points/?region=",
        "/points/?page=2",  # past the end
        "/points/?page=1",  # the first page is the list without a number
        "/points/?page=01",
        "/points/?page=",
        # 2**n combinations of n pain types: only lists for none or one are cached.
        "/points/?pain=lower-back-pain&pain=sciatica",
        "/points/?pain=lower-back-pain&pain=sciatica&pain=headache",
    ],
)
def test_made_up_variants_are_rendered_every_time_and_never_stored(client, site_hosts, path):
    assert renders(client, path)
    before = entries_in_memory()
    assert renders(client, path)
    assert entries_in_memory() == before


def test_a_page_that_exists_is_cached_and_one_past_the_end_is_not(client, site_hosts):
    meridian = make_meridian()
    for _ in range(30):
        make_point(meridian=meridian)
    assert renders(client, "/points/?page=2")
    assert not renders(client, "/points/?page=2")
    assert "Page 2 of 2" in client.get("/points/?page=3").content.decode()  # the last page
    assert renders(client, "/points/?page=3")
    assert renders(client, "/points/?page=02")


def test_other_spellings_of_a_url_share_its_entry(client, site_hosts):
    assert renders(client, "/points/?pain=sciatica")
    assert not renders(client, "/points/?pain=sciatic%61")
    assert not renders(client, "/points/?pain=sciatica&&")
    assert renders(client, "/points/bl40/")
    assert not renders(client, "/points/bl40/?")
    assert not renders(client, "/points/bl40/?&&&")


def test_odd_htmx_header_values_get_the_page_django_htmx_reads_them_as(client, site_hosts):
    full = client.get("/points/?pain=sciatica")
    assert not renders(client, "/points/?pain=sciatica", headers={"HX-Request": "yes"})
    assert client.get("/points/?pain=sciatica", headers={"HX-Request": "1"}).content == (
        full.content
    )
    # django-htmx decodes this to "true": the partial, never stored as the whole page.
    encoded = {"HX-Request": "%74rue", "HX-Request-URI-AutoEncoded": "true"}
    partial = client.get("/points/?pain=sciatica", headers=encoded)
    assert b"<html" not in partial.content
    assert not renders(client, "/points/?pain=sciatica", headers={"HX-Request": "true"})
    assert client.get("/points/?pain=sciatica").content == full.content


def test_make_run_pages_are_cached_for_the_port_it_listens_on(client, settings):
    # make run serves http://127.0.0.1:8000: browsers send that port in Host.
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
    here = {"SERVER_PORT": "8000"}
    assert renders(client, "/points/bl40/", HTTP_HOST="127.0.0.1:8000", **here)
    assert not renders(client, "/points/bl40/", HTTP_HOST="127.0.0.1:8000", **here)
    assert renders(client, "/points/bl40/", HTTP_HOST="127.0.0.1:8001", **here)
    assert renders(client, "/points/bl40/", HTTP_HOST="127.0.0.1:8001", **here)


def test_pages_behind_a_proxy_are_cached_for_the_sites_name_only(client, settings):
    # The proxy passes the site's name without a port (the README's `Host $host`).
    settings.ALLOWED_HOSTS = ["guide.example.org", ".example.net"]
    behind = {"SERVER_PORT": "8000"}
    assert renders(client, "/points/bl40/", HTTP_HOST="guide.example.org", **behind)
    assert not renders(client, "/points/bl40/", HTTP_HOST="guide.example.org", **behind)
    for made_up in ("guide.example.org:8443", "GUIDE.example.org", "www.example.net"):
        assert renders(client, "/points/bl40/", HTTP_HOST=made_up, **behind)
        assert renders(client, "/points/bl40/", HTTP_HOST=made_up, **behind)


# The core pages and the list's filter combinations


def core_pages():
    """The pages people land on, in every language: home, the list, every point and pain
    type, references and safety."""
    paths = ["/", "/points/", "/pain/", "/references/", "/safety/"]
    paths += [point.get_absolute_url() for point in Point.objects.published()]
    paths += [pain_type.get_absolute_url() for pain_type in PainType.objects.published()]
    return [f"{language}{path}" for language in ("", "/es", "/de") for path in paths]


def canonical_list_variants():
    """Every filtered list the site caches: no pain type or one, any region or none, as a
    page, an htmx part and an htmx history restore, in every language."""
    slugs = [None, *PainType.objects.published().values_list("slug", flat=True)]
    regions = [None, *(value for value, _ in Point._meta.get_field("region").choices)]
    kinds = [
        {},
        {"HX-Request": "true"},
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
    ]
    for language in ("", "/es", "/de"):
        for slug in slugs:
            for region in regions:
                query = {"pain": slug, "region": region}
                query = "&".join(f"{name}={value}" for name, value in query.items() if value)
                if query:
                    for headers in kinds:
                        yield f"{language}/points/?{query}", headers


def test_walking_every_list_variant_leaves_the_core_pages_cached(
    client, settings, site_hosts, tmp_path
):
    # The file caches of one machine, but small: room in "default" for the core pages and
    # what they share (some 460 entries) but not for the variants as well, and far fewer
    # entries in "bulk" than there are variants.
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / alias,
            "OPTIONS": {"MAX_ENTRIES": entries},
        }
        for alias, entries in (("default", 600), ("bulk", 100))
    }

    def files(alias):
        return len(list((tmp_path / alias).glob("*.djcache")))

    core = core_pages()
    for path in core:
        assert client.get(path).status_code == 200
    kept = files("default")

    variants = list(canonical_list_variants())
    for path, headers in variants:
        assert client.get(path, headers=headers).status_code == 200

    assert len(variants) == (9 * 8 - 1) * 3 * 3
    assert files("default") == kept
    assert 0 < files("bulk") <= 100
    assert not [path for path in core if renders(client, path)]


def test_the_pagers_way_back_to_the_first_page_is_the_cached_list(client, site_hosts):
    meridian = make_meridian()
    for _ in range(30):
        make_point(meridian=meridian, region="arms")
    second = client.get("/points/?region=arms&page=2").content.decode()

    assert 'rel="prev" href="?region=arms"' in second
    assert renders(client, "/points/?region=arms")
    assert not renders(client, "/points/?region=arms")


def test_shared_routines_are_kept_apart_from_the_core_pages(client):
    routines = [make_routine(steps=[Point.objects.get(code="BL23")]) for _ in range(5)]
    client.get("/")
    core = len(caches["default"]._cache)

    for routine in routines:
        assert client.get(routine.get_absolute_url()).status_code == 200
        assert client.get(f"{routine.get_absolute_url()}print/").status_code == 200

    assert len(caches["default"]._cache) == core
    # Each page, and for each link the note that it was opened and printed.
    assert len(caches["bulk"]._cache) == 5 * 4
