"""The cached fragments of the guide's pages (a point's card, a body figure) never show
what an editor has since changed, and an edit renders again only what shows the point.

The page cache is off here, so every page is rendered and only its fragments come from
the cache: the test's own in-memory cache (tests/conftest.py), emptied around each test.
"""

import pytest
from django.core.cache import cache, caches

from points.models import Point, PointPainType
from tests.factories import (
    link_pain_type,
    make_body_view,
    make_caution,
    make_marker,
    make_pain_type,
    make_point,
    make_reference,
    make_tip,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_only(settings):
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def page(client, path, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def card(html, point):
    """The point's card in a list page's HTML (the filters name every pain type too)."""
    cards = [part for part in html.split('<li class="point-card')[1:] if point.slug in part]
    assert len(cards) == 1, f"{point.code} has {len(cards)} cards"
    # Up to its last part, the add button: the cards after it are not part of it.
    return cards[0].split("point-card__actions", 1)[0]


def fragment_keys(kind):
    """The keys of the fragments of one kind in the test's in-memory cache."""
    return {key for key in caches["default"]._cache if f":fragment:{kind}:" in key}


@pytest.fixture
def point():
    """A published point on its own pain type and region, so a short list shows it."""
    pain_type = make_pain_type(name="Tailbone ache")
    point = make_point(pain_types=[pain_type], region="feet", name="Quiet Harbour")
    make_marker(point=point, view=make_body_view(), x=150, y=400)
    return point


def feet(client):
    return page(client, "/points/?region=feet")


def feet_card(client, point):
    return card(feet(client), point)


def test_a_list_caches_one_card_per_point_and_serves_it_again(client, point):
    first = feet(client)
    keys = fragment_keys("point-card")
    assert len(keys) == Point.objects.published().filter(region="feet").count() > 0
    assert feet(client) == first
    assert fragment_keys("point-card") == keys


def test_a_card_shows_the_new_name_and_summary_after_an_edit(client, point):
    assert "Quiet Harbour" in feet(client)
    point.name = "Still Harbour"
    point.summary = "A summary rewritten by an editor."
    point.save()
    html = feet(client)
    assert "Still Harbour" in html
    assert "A summary rewritten by an editor." in html
    assert "Quiet Harbour" not in html


def test_a_card_shows_a_pain_type_added_through_a_link_row(client, point):
    assert "Heel spur" not in feet_card(client, point)
    link_pain_type(point, make_pain_type(name="Heel spur"))
    assert "Heel spur" in feet_card(client, point)


def test_a_card_shows_a_pain_type_added_through_the_many_to_many_manager(client, point):
    pain_type = make_pain_type(name="Arch strain")
    assert "Arch strain" not in feet_card(client, point)
    pain_type.points.add(point, through_defaults={"note": "Added from the pain type."})
    assert "Arch strain" in feet_card(client, point)
    pain_type.points.clear()
    assert "Arch strain" not in feet_card(client, point)


def test_a_card_shows_a_pain_type_removed(client, point):
    assert "Tailbone ache" in feet_card(client, point)
    PointPainType.objects.filter(point=point).delete()
    assert "Tailbone ache" not in feet_card(client, point)


def test_a_card_shows_a_pain_types_new_name(client, point):
    pain_type = point.pain_types.get()
    assert "Tailbone ache" in feet_card(client, point)
    pain_type.name = "Coccyx pain"
    pain_type.save()
    html = feet_card(client, point)
    assert "Coccyx pain" in html
    assert "Tailbone ache" not in html


def test_a_card_leaves_out_a_pain_type_that_was_unpublished(client, point):
    pain_type = point.pain_types.get()
    assert "Tailbone ache" in feet_card(client, point)
    pain_type.is_published = False
    pain_type.save()
    assert "Tailbone ache" not in feet_card(client, point)


def test_a_card_leaves_out_a_pain_type_the_admin_action_unpublished(client, point):
    # The action writes with update(), which sends no signal.
    from points.admin import unpublish

    assert "Tailbone ache" in feet_card(client, point)
    unpublish(None, None, point.pain_types.all())
    assert "Tailbone ache" not in feet_card(client, point)


def test_a_card_shows_a_caution_added_and_a_cautions_new_title(client, point):
    assert "Cautions:" not in feet_card(client, point)
    caution = make_caution(title="Broken skin")
    point.cautions.add(caution)
    assert "Broken skin" in feet_card(client, point)
    caution.title = "Open wounds"
    caution.save()
    html = feet_card(client, point)
    assert "Open wounds" in html
    assert "Broken skin" not in html


def test_a_cards_thumbnail_follows_a_moved_marker(client, point):
    assert 'cx="150"' in feet_card(client, point)
    marker = point.markers.get()
    marker.x = 170
    marker.save()
    html = feet_card(client, point)
    assert 'cx="170"' in html
    assert 'cx="150"' not in html


def test_a_cards_thumbnail_follows_its_view_redrawn_and_resized(client, point):
    view = point.markers.get().view
    first = feet(client)
    assert f'id="drawing-{view.slug}"' in first
    view.drawing = '<circle class="body" cx="200" cy="200" r="99"></circle>'
    view.width += 40
    view.save()
    html = feet(client)
    # The sprite draws the view as it is now, and the card crops it by its new size.
    assert 'r="99"' in html
    assert card(html, point) != card(first, point)


def test_the_sprite_draws_the_view_a_cached_card_uses_and_follows_a_marker_to_another(
    client, point
):
    first_view = point.markers.get().view
    feet(client)
    # Every card comes from the cache now; the sprite still draws the views they use.
    assert f'id="drawing-{first_view.slug}"' in feet(client)
    other = make_body_view(slug="other-side", title="Other side", sort_order=0)
    point.markers.update(view=other)  # update() sends no signal: the save below does
    point.markers.get().save()
    html = feet(client)
    assert f'id="drawing-{other.slug}"' in html
    assert f'href="#drawing-{other.slug}"' in card(html, point)


def test_the_highlighted_pain_types_follow_the_filter_with_one_entry_per_card(client, point):
    pain_type = point.pain_types.get()
    plain = card(page(client, "/points/?region=feet"), point)
    keys = fragment_keys("point-card")
    filtered = card(page(client, f"/points/?pain={pain_type.slug}&region=feet"), point)
    assert '<li class="tags__match">Tailbone ache</li>' in filtered
    assert '<li class="tags__match">' not in plain
    assert "<li>Tailbone ache</li>" in plain
    # The filtered list used the cards the plain list cached.
    assert fragment_keys("point-card") == keys


def test_an_unpublished_point_vanishes_from_lists_searches_and_pain_types(client, point):
    pain_type = point.pain_types.get()
    for path in ("/points/?region=feet", "/points/?q=harbour", pain_type.get_absolute_url()):
        assert "Quiet Harbour" in page(client, path)
    point.is_published = False
    point.save()
    for path in ("/points/?region=feet", "/points/?q=harbour", pain_type.get_absolute_url()):
        assert "Quiet Harbour" not in page(client, path)


def test_an_unpublished_point_vanishes_when_the_admin_action_unpublishes_it(client, point):
    # The admin's action writes with update(), which sends no signal.
    from points.admin import unpublish

    assert "Quiet Harbour" in feet(client)
    unpublish(None, None, Point.objects.filter(pk=point.pk))
    assert "Quiet Harbour" not in feet(client)


def test_a_pain_type_page_after_the_pain_types_name_and_a_links_note_change(client, point):
    pain_type = point.pain_types.get()
    link = PointPainType.objects.get(point=point, pain_type=pain_type)
    assert "Points traditionally used for tailbone ache" in page(
        client, pain_type.get_absolute_url()
    )
    pain_type.name = "Coccyx pain"
    pain_type.save()
    link.note = "Eases the base of the spine."
    link.save()
    html = page(client, pain_type.get_absolute_url())
    assert "Points traditionally used for coccyx pain" in html
    assert "Tailbone ache" not in html
    assert "Eases the base of the spine." in html


def test_a_pain_type_pages_cards_and_figure_follow_their_points(client, point):
    pain_type = point.pain_types.get()
    assert "Quiet Harbour" in page(client, pain_type.get_absolute_url())
    point.name = "Still Harbour"
    point.save()
    marker = point.markers.get()
    marker.x = 170
    marker.save()
    point.cautions.add(make_caution(title="Varicose veins"))
    html = page(client, pain_type.get_absolute_url())
    assert "Still Harbour" in html
    assert "Quiet Harbour" not in html
    assert 'data-x="170"' in html
    assert "Varicose veins" in html


def test_a_point_pages_figures_follow_a_moved_marker_and_a_redrawn_view(client, point):
    marker = point.markers.get()
    assert 'data-x="150"' in page(client, point.get_absolute_url())
    marker.x = 170
    marker.save()
    view = marker.view
    view.drawing = '<circle class="body" cx="200" cy="200" r="99"></circle>'
    view.save()
    html = page(client, point.get_absolute_url())
    assert 'data-x="170"' in html
    assert 'data-x="150"' not in html
    assert 'r="99"' in html


def test_an_edit_renders_again_only_the_card_of_the_edited_point(client, point):
    others = [make_point(region="feet") for _ in range(3)]
    feet(client)
    before = fragment_keys("point-card")
    assert len(before) == Point.objects.published().filter(region="feet").count() >= 4
    others[0].summary = "Only this one changed."
    others[0].save()
    assert "Only this one changed." in feet(client)
    after = fragment_keys("point-card")
    # One new entry, for the edited point; every other card's entry is still the one used.
    assert before <= after
    assert len(after - before) == 1


def move(marker):
    marker.x += 10
    marker.save()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: make_marker(point=p, view=make_body_view()), id="marker added"),
        pytest.param(lambda p: move(p.markers.get()), id="marker moved"),
        pytest.param(lambda p: p.markers.get().delete(), id="marker deleted"),
        pytest.param(lambda p: link_pain_type(p, make_pain_type()), id="pain type linked"),
        pytest.param(lambda p: p.pain_types.add(make_pain_type()), id="pain type added"),
        pytest.param(lambda p: p.pain_types.clear(), id="pain types cleared"),
        pytest.param(lambda p: p.cautions.add(make_caution()), id="caution added"),
        pytest.param(
            lambda p: p.references.add(make_reference(), through_defaults={}),
            id="reference added",
        ),
        pytest.param(lambda p: make_tip(point=p), id="tip added"),
    ],
)
def test_a_change_to_a_row_of_the_point_is_a_new_version_of_the_point(point, change):
    before = Point.objects.get(pk=point.pk).updated_at
    change(point)
    assert Point.objects.get(pk=point.pk).updated_at > before


def test_a_new_release_renders_the_cards_again(client, point, monkeypatch):
    from acupressure import caching

    feet(client)
    before = fragment_keys("point-card")
    monkeypatch.setattr(caching, "code_version", lambda: "next-release")
    feet(client)
    assert fragment_keys("point-card") - before


def rename_meridian(client, point):
    point.meridian.name = "Renamed channel"
    point.meridian.save()
    return "Renamed channel"


def retitle_reference(client, point):
    reference = make_reference(title="First title")
    point.references.add(reference, through_defaults={})
    assert "First title" in page(client, point.get_absolute_url())
    reference.title = "Second title"
    reference.save()
    return "Second title"


def add_tip(client, point):
    make_tip(point=point, title="Rub the arch afterwards")
    return "Rub the arch afterwards"


def reword_caution(client, point):
    caution = make_caution(title="Bruising", text="Press gently.")
    point.cautions.add(caution)
    assert "Press gently." in page(client, point.get_absolute_url())
    caution.text = "Press around the bruise, not on it."
    caution.save()
    return "Press around the bruise, not on it."


def note_pain_type(client, point):
    link = PointPainType.objects.get(point=point)
    link.note = "Loosens the lower back."
    link.save()
    return "Loosens the lower back."


def rename_pain_type(client, point):
    pain_type = point.pain_types.get()
    pain_type.name = "Coccyx pain"
    pain_type.save()
    return "Coccyx pain"


@pytest.mark.parametrize(
    "change",
    [rename_meridian, retitle_reference, add_tip, reword_caution, note_pain_type, rename_pain_type],
)
def test_a_point_page_shows_what_changed_around_the_point(client, point, change):
    page(client, point.get_absolute_url())
    shown = change(client, point)
    assert shown in page(client, point.get_absolute_url())
