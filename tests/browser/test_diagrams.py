"""Body diagrams in a real Chromium: drawn, markers where the numbers put them, usable by
keyboard and screen reader, printable, and placeable by clicking in the admin."""

import io
import re
import subprocess

import pytest
from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import expect

from points.models import PointMarker
from tests.browser.pages import tab_to

pytestmark = [
    pytest.mark.browser,
    # The guide's content comes from a data migration; a plain transactional test would
    # flush it away, serialized_rollback puts it back before every test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SKIN = (244, 238, 231)  # .drawing .body fill, #f4eee7
ADMIN_PASSWORD = "a long and unusual pass phrase 9"
FIGURE_SVGS = "figure.body-figure svg.body-svg"

# Where each marker ring's centre lands on screen, by the SVG's own transform.
RING_CENTRES_BY_CTM = """svg => {
    const matrix = svg.getScreenCTM();
    return Array.from(svg.querySelectorAll(".marker .marker__ring"), circle => {
        const point = new DOMPoint(circle.cx.baseVal.value, circle.cy.baseVal.value);
        const screen = point.matrixTransform(matrix);
        return {x: screen.x, y: screen.y};
    });
}"""


def image_of(png_bytes):
    return Image.open(io.BytesIO(png_bytes)).convert("RGB")


def assert_drawn(image):
    """Not blank: many colours, and plenty of pixels that are not white."""
    colours = image.getcolors(maxcolors=image.width * image.height)
    assert len(colours) > 20, f"only {len(colours)} colours"
    not_white = sum(count for count, rgb in colours if min(rgb) < 235)
    assert not_white > 0.05 * image.width * image.height


def share_of_colour(image, target, tolerance=4):
    matching = sum(
        count
        for count, rgb in image.getcolors(maxcolors=image.width * image.height)
        if all(
            abs(channel - wanted) <= tolerance for channel, wanted in zip(rgb, target, strict=True)
        )
    )
    return matching / (image.width * image.height)


def centre(box):
    return (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def assert_markers_where_the_svg_puts_them(svg):
    """Each ring's rendered centre is within 3 px of its cx/cy mapped by the SVG's CTM."""
    rings = svg.locator(".marker .marker__ring")
    expected = svg.evaluate(RING_CENTRES_BY_CTM)
    assert rings.count() == len(expected) > 0
    for index, wanted in enumerate(expected):
        box = rings.nth(index).bounding_box()
        x, y = centre(box)
        assert abs(x - wanted["x"]) < 3, (index, x, wanted)
        assert abs(y - wanted["y"]) < 3, (index, y, wanted)
        # Big enough to see and to hit.
        assert box["width"] >= 8
    return expected


def test_bl23_figures_are_drawn_with_markers_where_the_svg_puts_them(page):
    page.goto("/points/bl23/")
    svgs = page.locator(FIGURE_SVGS)
    expect(svgs).to_have_count(2)
    close_up, whole = svgs.nth(0), svgs.nth(1)

    assert_drawn(image_of(close_up.screenshot()))
    assert share_of_colour(image_of(close_up.screenshot()), SKIN) > 0.2
    for svg in (close_up, whole):
        assert_markers_where_the_svg_puts_them(svg)

    # BL23 is stored at (183, 359) on the 400 × 900 back: find where the view is drawn in
    # the box (centred, at the largest scale that fits) and check the rings are there.
    box = whole.bounding_box()
    scale = min(box["width"] / 400, box["height"] / 900)
    origin_x = box["x"] + (box["width"] - 400 * scale) / 2
    origin_y = box["y"] + (box["height"] - 900 * scale) / 2
    for index, view_x in enumerate((183, 217)):
        ring_x, ring_y = centre(whole.locator(".marker__ring").nth(index).bounding_box())
        assert abs(ring_x - (origin_x + view_x * scale)) < 3
        assert abs(ring_y - (origin_y + 359 * scale)) < 3

    # On the whole back, the two BL23 markers sit either side of the spine, equally far.
    left, right = sorted(
        centre(whole.locator(".marker__ring").nth(index).bounding_box())[0] for index in (0, 1)
    )
    middle = centre(whole.bounding_box())[0]
    assert left < middle < right
    assert abs((middle - left) - (right - middle)) < 2


def test_lower_back_pain_page_draws_every_view_and_a_close_up_of_the_waist(page):
    page.goto("/pain/lower-back-pain/")
    svgs = page.locator(FIGURE_SVGS)
    views = ["back", "back", "hand", "outer-foot", "inner-foot", "foot-top"]
    expect(svgs).to_have_count(len(views))
    assert [svgs.nth(index).get_attribute("data-view") for index in range(len(views))] == views
    # The close-up keeps its own square shape, whatever room its column gives it.
    close_up = page.locator(".body-figure--close-up svg").bounding_box()
    assert abs(close_up["width"] - close_up["height"]) < 2
    for index in range(len(views)):
        svg = svgs.nth(index)
        assert svg.bounding_box()["height"] > 100
        assert_drawn(image_of(svg.screenshot()))
        assert_markers_where_the_svg_puts_them(svg)


@pytest.mark.parametrize("slug", ["gb30", "bl40"])
def test_clicking_a_marker_on_the_sciatica_page_opens_that_point(page, slug):
    page.goto("/pain/sciatica/")
    page.locator(f'a.marker[href="/points/{slug}/"] .marker__ring').first.click()
    expect(page).to_have_url(re.compile(rf"/points/{slug}/$"))
    expect(page.locator("h1")).to_contain_text(slug.upper())


def test_a_marker_link_is_reached_by_tab_shows_focus_and_follows_on_enter(page):
    page.goto("/pain/sciatica/")
    ring = page.locator("a.marker .marker__ring").first
    stroke_unfocused = ring.evaluate("circle => getComputedStyle(circle).stroke")

    tab_to(page, "a.marker")

    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href in {"/points/gb30/", "/points/bl40/"}
    focused_ring = page.locator("a.marker:focus .marker__ring")
    # The links drop the outline, so the ring itself must show where the focus is.
    assert focused_ring.evaluate("circle => getComputedStyle(circle).stroke") != stroke_unfocused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{re.escape(href)}$"))


def test_point_list_thumbnails_draw_the_view_from_the_sprite(page):
    page.goto("/points/")
    thumbs = page.locator(".point-card__thumb svg")
    expect(thumbs).to_have_count(16)
    for index in range(16):
        thumb = thumbs.nth(index)
        image = image_of(thumb.screenshot())
        # The skin fill comes only from the <use>d drawing; markers alone are red and white.
        assert share_of_colour(image, SKIN) > 0.1, thumb.locator("use").get_attribute("href")
        assert share_of_colour(image, (0, 0, 0), tolerance=30) < 0.5
        assert_markers_where_the_svg_puts_them(thumb)


@pytest.mark.parametrize(
    "path",
    [
        "/points/bl23/",
        "/points/li4/",
        "/points/ex-ue7/",
        "/es/points/gb34/",
        "/de/points/ki3/",
        "/pain/sciatica/",
        "/pain/lower-back-pain/",
        "/points/",
    ],
)
def test_no_serious_accessibility_problems_on_pages_with_diagrams(page, axe, path):
    response = page.goto(path)
    assert response.status == 200
    expect(page.locator("svg.body-svg").first).to_be_visible()
    axe(page)


def log_in_to_the_admin(page, next_path):
    User.objects.create_superuser("diagram-admin", "admin@example.com", ADMIN_PASSWORD)
    page.goto(f"/admin/login/?next={next_path}")
    page.get_by_label("Username").fill("diagram-admin")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def test_editor_places_a_marker_by_clicking_the_preview(page):
    marker = PointMarker.objects.get(point__code="BL40")
    change_path = f"/admin/points/point/{marker.point_id}/change/"
    log_in_to_the_admin(page, change_path)

    svg = page.locator(".marker-preview--picker svg")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    # The view is drawn centred in its box at the largest scale that fits (xMidYMid meet).
    scale = min(box["width"] / 400, box["height"] / 900)
    left = (box["width"] - 400 * scale) / 2
    top = (box["height"] - 900 * scale) / 2
    target = (150, 610)
    click_at = {"x": left + target[0] * scale, "y": top + target[1] * scale}
    svg.click(position=click_at)

    row = page.locator(".inline-related", has=svg)
    x = float(row.locator('input[name$="-x"]').input_value())
    y = float(row.locator('input[name$="-y"]').input_value())
    assert abs(x - target[0]) <= 1
    assert abs(y - target[1]) <= 1
    ring = svg.locator(".marker__ring")
    assert (float(ring.get_attribute("cx")), float(ring.get_attribute("cy"))) == (x, y)
    ring_x, ring_y = centre(ring.bounding_box())
    assert abs(ring_x - (box["x"] + click_at["x"])) < 3
    assert abs(ring_y - (box["y"] + click_at["y"])) < 3

    page.locator('input[name="_continue"]').first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    marker.refresh_from_db()
    assert (marker.x, marker.y) == (x, y)

    page.goto("/points/bl40/")
    whole_back = page.locator(FIGURE_SVGS).last
    drawn = sorted(
        float(ring.get_attribute("cx")) for ring in whole_back.locator(".marker__ring").all()
    )
    assert drawn == [x, 400 - x]
    assert_markers_where_the_svg_puts_them(whole_back)


def test_printed_point_page_is_a_pdf_with_the_figures(page, tmp_path):
    page.emulate_media(media="print")
    page.goto("/points/bl23/")
    expect(page.locator(FIGURE_SVGS).first).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")

    (tmp_path / "bl23.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "bl23.pdf", "page"],
        cwd=tmp_path,
        check=True,
        timeout=30,
    )
    (first_page,) = tmp_path.glob("page-*1.png")
    image = Image.open(first_page).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height)
    not_white = sum(count for count, rgb in colours if min(rgb) < 200)
    assert not_white > 0.01 * image.width * image.height
