"""Body diagrams: the drawing sanitizer, markers as data, and the figures on every page.

The seeded content comes from the data migration: the back (400 × 900, symmetric), the
back of the hand (400 × 400) and the outer side of the foot (500 × 320), with BL23, GB30
and BL40 on the back (stored on the left, mirrored to the right), LI4 on the hand and BL62
on the foot.
"""

import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from points.diagrams import (
    MAX_DRAWING_CHARACTERS,
    Figure,
    Pin,
    clean_drawing,
    close_up_box,
    drawing_words,
    marker_pins,
    point_figures,
    thumbnail,
    with_close_up,
)
from points.models import BodyView, Point, PointMarker
from tests.factories import build_marker, make_body_view, make_marker, make_point
from tests.pages import HTMX, PAIN_TYPE_SLUGS, change_form_data

pytestmark = pytest.mark.django_db

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

# slug: (view slug, [(side, cx, cy), ...]) for every pin its own page draws.
SEEDED_PINS = {
    "bl23": ("back", [("left", 183, 356), ("right", 217, 356)]),
    "gb30": ("back", [("left", 152, 444), ("right", 248, 444)]),
    "bl40": ("back", [("left", 165, 663), ("right", 235, 663)]),
    "li4": ("hand", [("right", 192, 252)]),
    "bl62": ("outer-foot", [("right", 158, 211)]),
    "gv4": ("back", [("centre", 200, 356)]),
    "gv3": ("back", [("centre", 200, 392)]),
    "bl25": ("back", [("left", 183, 392), ("right", 217, 392)]),
    "bl52": ("back", [("left", 166, 356), ("right", 234, 356)]),
    "bl57": ("back", [("left", 166, 776), ("right", 234, 776)]),
    "bl60": ("outer-foot", [("right", 131, 176)]),
    "ki3": ("inner-foot", [("right", 368, 167)]),
    "lr3": ("foot-top", [("right", 178, 284)]),
    "gb34": ("outer-leg", [("right", 172, 190)]),
    "si3": ("hand", [("right", 307, 212)]),
    # Two spots on the back of each hand.
    "ex-ue7": ("hand", [("right", 222, 292), ("right", 272, 292)]),
}
SEEDED_VIEWS = {
    "back": (400, 900),
    "hand": (400, 400),
    "outer-foot": (500, 320),
    "inner-foot": (500, 320),
    "foot-top": (360, 480),
    "outer-leg": (320, 580),
}
DIAGRAM_PAGES = [
    *(f"/points/{slug}/" for slug in SEEDED_PINS),
    *(f"/pain/{slug}/" for slug in PAIN_TYPE_SLUGS),
    "/points/",
    "/points/?pain=sciatica",
    "/points/?pain=sciatica&pain=headache&region=legs",
]


# A small HTML tree, enough to ask which element holds which.

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.content = []

    def __getitem__(self, name):
        return self.attrs[name]

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self):
        return set((self.attrs.get("class") or "").split())

    def descendants(self):
        for part in self.content:
            if isinstance(part, Element):
                yield part
                yield from part.descendants()

    def find_all(self, tag=None, class_=None):
        return [
            element
            for element in self.descendants()
            if (tag is None or element.tag == tag) and (class_ is None or class_ in element.classes)
        ]

    def only(self, tag=None, class_=None):
        found = self.find_all(tag, class_)
        assert len(found) == 1, f"expected one <{tag} class={class_}>, found {len(found)}"
        return found[0]

    @property
    def text(self):
        parts = (part if isinstance(part, str) else part.text for part in self.content)
        return re.sub(r"\s+", " ", "".join(parts)).strip()


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", [])
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.content.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.content.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        element = self.current
        while element is not self.root and element.tag != tag:
            element = element.parent
        if element is not self.root:
            self.current = element.parent

    def handle_data(self, data):
        self.current.content.append(data)


def parse(response):
    assert response.status_code == 200
    builder = TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def body_figures(root):
    return root.find_all("figure", class_="body-figure")


def accessible_svg(figure):
    """The figure's <svg>, after checking its name, description and caption."""
    svg = figure.only("svg")
    titles = [title for title in svg.find_all("title") if title.get("id") == svg["aria-labelledby"]]
    descriptions = [
        desc for desc in svg.find_all("desc") if desc.get("id") == svg["aria-describedby"]
    ]
    assert len(titles) == 1
    assert titles[0].text
    assert len(descriptions) == 1
    assert descriptions[0].text
    assert figure.only("figcaption").text
    return svg


def markers_of(svg):
    """(accessible name, cx, cy) of every marker drawn in an <svg>."""
    found = []
    for marker in svg.find_all(class_="marker"):
        ring = marker.only("circle", class_="marker__ring")
        found.append((marker.get("aria-label"), float(ring["cx"]), float(ring["cy"])))
    return found


def view_box(svg):
    return [float(number) for number in svg["viewbox"].split()]


def assert_inside(box, x, y):
    left, top, width, height = box
    assert left <= x <= left + width, (box, x)
    assert top <= y <= top + height, (box, y)


def pin_name(point, side, spot=None):
    """A marker's accessible name; `spot` is (n, of) for a point pressed at several spots."""
    where = "centre line" if side == "centre" else f"{side} side"
    if spot:
        where += ", spot {} of {}".format(*spot)
    return f"{point.code} {point.name}, {where}"


def expected_pin_names(point, expected_pins):
    """(name, cx, cy) of each expected pin; pins all on one side are spots of the point."""
    spots = len(expected_pins) if len({side for side, _, _ in expected_pins}) == 1 else 0
    return [
        (pin_name(point, side, (number, spots) if spots > 1 else None), cx, cy)
        for number, (side, cx, cy) in enumerate(expected_pins, start=1)
    ]


def ids_on(root):
    return [element["id"] for element in root.descendants() if element.get("id")]


# Cleaning drawings


@pytest.mark.parametrize("slug", SEEDED_VIEWS)
def test_seeded_drawing_is_already_clean(slug):
    drawing = BodyView.objects.get(slug=slug).drawing
    cleaned = clean_drawing(drawing)
    # The migration stored the markup as written, so only the trailing newline may differ.
    assert cleaned == drawing.strip()
    assert clean_drawing(cleaned) == cleaned


def seeded_views():
    """The seeded body views, which must all be there: a loop over none checks nothing."""
    views = list(BodyView.objects.filter(slug__in=SEEDED_VIEWS).order_by("slug"))
    assert [view.slug for view in views] == sorted(SEEDED_VIEWS)
    return views


def test_seeded_drawings_use_only_the_documented_classes():
    for view in seeded_views():
        classes = set(" ".join(re.findall(r'class="([^"]*)"', view.drawing)).split())
        assert classes <= {"body", "contour", "bone", "guide", "landmark-label"}, view.slug


SHAPES = (
    '<path class="body" d="M10 10 C20 5 30 5 40 10 Z"></path>\n'
    '<g class="contour" transform="translate(2, 3) scale(1.5)">'
    '<ellipse cx="5" cy="6" rx="2" ry="3.5"></ellipse><line x1="0" y1="0" x2="4" y2="-4.5"></line>'
    "</g>\n"
    '<text class="landmark-label" x="12" y="30" text-anchor="middle">hip point</text>'
)


def test_a_bare_list_of_shapes_is_kept_as_it_is():
    assert clean_drawing(SHAPES) == SHAPES


def test_a_whole_svg_document_is_reduced_to_its_shapes():
    document = (
        f'<svg xmlns="{SVG_NAMESPACE}" viewBox="0 0 50 50" width="50" height="50">\n'
        f"{SHAPES}\n</svg>"
    )
    assert clean_drawing(document) == SHAPES


def test_attributes_of_the_svg_element_itself_are_not_kept():
    document = f'<svg xmlns="{SVG_NAMESPACE}" onload="alert(1)"><path d="M0 0"/></svg>'
    assert clean_drawing(document) == '<path d="M0 0"></path>'


def test_text_content_stays_escaped():
    cleaned = clean_drawing('<text x="1" y="2">&lt;b&gt; &amp; &lt;script&gt;</text>')
    assert cleaned == '<text x="1" y="2">&lt;b&gt; &amp; &lt;script&gt;</text>'
    assert clean_drawing(cleaned) == cleaned


def test_character_data_cannot_smuggle_markup_into_text():
    cleaned = clean_drawing('<text x="1" y="2"><![CDATA[<script>alert(1)</script>]]></text>')
    assert "<script" not in cleaned
    assert "&lt;script&gt;" in cleaned


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10 if level > 1 else "&lol;" * 10}">\n'
        for level in range(1, 10)
    )
    + f']>\n<svg xmlns="{SVG_NAMESPACE}"><text>&lol9;</text></svg>'
)

CIRCLE = '<circle cx="1" cy="1" r="1"></circle>'

REFUSED_DRAWINGS = {
    "script": "<script>alert(1)</script>",
    "script inside a group": '<g><path d="M0 0"/><script>alert(1)</script></g>',
    "onclick handler": '<path d="M0 0" onclick="alert(1)"/>',
    "onload handler": '<circle cx="1" cy="1" r="1" onload="alert(1)"/>',
    "style attribute": '<path d="M0 0" style="fill: red"/>',
    "style element": "<style>path { fill: red }</style>",
    "link": '<a href="https://example.com/"><path d="M0 0"/></a>',
    "foreignObject": (
        '<foreignObject width="9" height="9">'
        '<div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>'
    ),
    "image": '<image href="https://example.com/x.png" width="10" height="10"/>',
    "use": '<use href="#drawing-back"/>',
    "xlink:href": (
        '<path xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="#drawing-back" d="M0 0"/>'
    ),
    "fill with url()": '<path d="M0 0" fill="url(#gradient)"/>',
    "url() in a transform": '<path d="M0 0" transform="translate(url(#x))"/>',
    "url() in a path": '<path d="url(#x)"/>',
    "javascript: in a class": '<path d="M0 0" class="javascript:alert(1)"/>',
    "javascript: in a coordinate": '<text x="javascript:alert(1)" y="0">hi</text>',
    "billion laughs": BILLION_LAUGHS,
    "billion laughs without a prolog": BILLION_LAUGHS.split("\n", 1)[1],
    "external entity": (
        '<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        f'<svg xmlns="{SVG_NAMESPACE}"><text>&secret;</text></svg>'
    ),
    "stylesheet processing instruction": '<?xml-stylesheet href="evil.css"?><path d="M0 0"/>',
    "text in a path": '<path d="M0 0">a label</path>',
    "text at the start of a group": '<g>a label<path d="M0 0"/></g>',
    "text after a shape in a group": '<g><path d="M0 0"/>a label</g>',
    "markup inside text": "<text><tspan>hi</tspan></text>",
    "an html root": '<html><body><path d="M0 0"/></body></html>',
    "a root that only starts like svg": f'<svgx xmlns="{SVG_NAMESPACE}"><path d="M0 0"/></svgx>',
    "shapes of another namespace": '<path xmlns="http://example.com/not-svg" d="M0 0"/>',
    "unclosed element": '<g><path d="M0 0"/>',
    "mismatched end tag": '<g><path d="M0 0"/></h>',
    "repeated attribute": '<path d="M0 0" d="M1 1"/>',
    "over the length limit": CIRCLE * (MAX_DRAWING_CHARACTERS // len(CIRCLE) + 1),
}


@pytest.mark.parametrize("markup", REFUSED_DRAWINGS.values(), ids=REFUSED_DRAWINGS)
def test_clean_drawing_refuses(markup):
    with pytest.raises(ValidationError):
        clean_drawing(markup)


def test_a_drawing_may_be_up_to_the_length_limit():
    longest = "\n".join([CIRCLE] * ((MAX_DRAWING_CHARACTERS + 1) // (len(CIRCLE) + 1)))
    assert MAX_DRAWING_CHARACTERS - len(CIRCLE) < len(longest) <= MAX_DRAWING_CHARACTERS
    assert clean_drawing(longest) == longest
    with pytest.raises(ValidationError, match="100,000"):
        clean_drawing(longest + "\n" + CIRCLE)


# Body views


def test_saving_a_view_stores_only_the_cleaned_shapes():
    view = make_body_view(
        drawing=f'<svg xmlns="{SVG_NAMESPACE}" viewBox="0 0 400 900">\n'
        '  <path class="body" d="M0 0 L10 10"/>\n  <!-- a note -->\n</svg>\n'
    )
    view.refresh_from_db()
    assert view.drawing == '<path class="body" d="M0 0 L10 10"></path>'


def test_saving_a_view_outside_a_form_refuses_a_bad_drawing():
    view = make_body_view()
    view.drawing = '<path d="M0 0" onclick="alert(1)"/>'
    with pytest.raises(ValidationError):
        view.save()
    view.refresh_from_db()
    assert "onclick" not in view.drawing
    with pytest.raises(ValidationError):
        make_body_view(slug="never-saved", drawing="<script>alert(1)</script>")
    assert not BodyView.objects.filter(slug="never-saved").exists()


def test_full_clean_puts_a_bad_drawing_error_on_the_drawing_field():
    view = BodyView(
        slug="bad-drawing",
        title="Bad drawing",
        description="Has a script.",
        width=100,
        height=100,
        drawing='<path d="M0 0"/><script>alert(1)</script>',
    )
    with pytest.raises(ValidationError) as error:
        view.full_clean()
    assert "drawing" in error.value.message_dict


@pytest.mark.parametrize("size", [{"width": 0}, {"height": 0}])
def test_database_refuses_a_view_without_a_size(size):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_body_view(**size)


# Markers


@pytest.fixture
def back():
    return BodyView.objects.get(slug="back")


@pytest.fixture
def hand():
    return BodyView.objects.get(slug="hand")


@pytest.mark.parametrize(
    ("position", "field"),
    [({"x": 401}, "x"), ({"y": 901}, "y"), ({"x": 400.5, "y": 900.5}, "x")],
)
def test_marker_outside_the_view_is_refused(back, position, field):
    marker = build_marker(point=make_point(), view=back, **position)
    with pytest.raises(ValidationError) as error:
        marker.full_clean()
    assert field in error.value.message_dict
    assert str(back.width if field == "x" else back.height) in error.value.message_dict[field][0]


@pytest.mark.parametrize(("x", "y"), [(0, 0), (400, 900), (200, 450)])
def test_marker_anywhere_inside_the_view_is_accepted(back, x, y):
    build_marker(point=make_point(), view=back, x=x, y=y).full_clean()


def test_marker_on_a_smaller_view_is_checked_against_that_view(hand):
    with pytest.raises(ValidationError) as error:
        build_marker(point=make_point(), view=hand, x=300, y=450).full_clean()
    assert set(error.value.message_dict) == {"y"}


@pytest.mark.parametrize("field", ["x", "y"])
def test_negative_coordinate_is_refused_by_validation(back, field):
    with pytest.raises(ValidationError) as error:
        build_marker(point=make_point(), view=back, **{field: -1}).full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize("field", ["x", "y"])
def test_negative_coordinate_is_refused_by_the_database(back, field):
    point = make_point()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_marker(point=point, view=back, **{field: -1})
    assert not PointMarker.objects.filter(point=point).exists()


def test_one_marker_per_point_and_view(back):
    point = make_point()
    make_marker(point=point, view=back, x=100)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_marker(point=point, view=back, x=120)
    assert point.markers.count() == 1


def test_point_may_have_markers_on_several_views(back, hand):
    point = make_point()
    make_marker(point=point, view=back)
    make_marker(point=point, view=hand, x=10, y=10)
    assert point.markers.count() == 2


def test_two_sided_point_cannot_be_marked_on_the_centre_line(back):
    marker = build_marker(point=make_point(bilateral=True), view=back, x=200, side="centre")
    with pytest.raises(ValidationError) as error:
        marker.full_clean()
    assert "side" in error.value.message_dict


@pytest.mark.parametrize("side", ["left", "right"])
def test_centre_line_point_cannot_be_marked_on_one_side(back, side):
    marker = build_marker(point=make_point(bilateral=False), view=back, side=side)
    with pytest.raises(ValidationError) as error:
        marker.full_clean()
    assert "side" in error.value.message_dict


def test_centre_line_point_on_the_centre_line_is_accepted(back):
    build_marker(point=make_point(bilateral=False), view=back, x=200, side="centre").full_clean()


# Pins


def seeded_marker(code):
    return PointMarker.objects.select_related("point", "view").get(point__code=code)


def test_two_sided_point_on_the_symmetric_back_gets_a_mirrored_pin():
    left, right = marker_pins(seeded_marker("BL25"))
    assert (left.x, left.y, left.side) == (183, 392, "left")
    assert (right.x, right.y, right.side) == (400 - 183, 392, "right")
    # "Outside" means away from the spine: left of the left pin, right of its mirror.
    assert (left.label_position, right.label_position) == ("left", "right")
    assert left.label == right.label == "BL25"
    assert left.name == "BL25 Large Intestine Shu, left side"
    assert right.name == "BL25 Large Intestine Shu, right side"


def test_label_above_stays_above_on_the_mirrored_pin():
    left, right = marker_pins(seeded_marker("GB30"))
    assert (left.x, right.x) == (152, 248)
    assert left.label_position == right.label_position == "above"


@pytest.mark.parametrize(
    ("side", "label_position", "expected"),
    [
        ("left", "outside", ("left", "right")),
        ("right", "outside", ("right", "left")),
        ("left", "left", ("left", "right")),
        ("left", "right", ("right", "left")),
        ("right", "below", ("below", "below")),
    ],
)
def test_mirrored_pin_mirrors_the_label_position(back, side, label_position, expected):
    marker = build_marker(view=back, x=120, side=side, label_position=label_position)
    first, mirrored = marker_pins(marker)
    assert (first.side, mirrored.side) == (side, {"left": "right", "right": "left"}[side])
    assert (first.x, mirrored.x) == (120, 280)
    assert (first.label_position, mirrored.label_position) == expected


def test_two_sided_point_on_a_view_that_is_not_symmetric_gets_one_pin():
    (pin,) = marker_pins(seeded_marker("LI4"))
    assert (pin.x, pin.y, pin.side, pin.label_position) == (192, 252, "right", "left")
    assert pin.name == "LI4 Joining Valley, right side"


def test_centre_line_point_gets_one_pin_named_for_the_centre_line(back):
    point = make_point(bilateral=False, name="Middle Gate")
    (pin,) = marker_pins(build_marker(point=point, view=back, x=200, side="centre"))
    assert pin.x == 200
    assert pin.name == f"{point.code} Middle Gate, centre line"


def test_pins_can_be_unlabelled_and_keep_their_accessible_name():
    pins = marker_pins(seeded_marker("BL40"), label="")
    assert [pin.label for pin in pins] == ["", ""]
    assert [pin.name for pin in pins] == [
        "BL40 Commanding Middle, left side",
        "BL40 Commanding Middle, right side",
    ]


def test_pins_can_carry_a_step_number_and_a_link():
    pins = marker_pins(seeded_marker("BL40"), label="3", url="/points/bl40/")
    assert [(pin.label, pin.url) for pin in pins] == [("3", "/points/bl40/")] * 2


# Figures and crops


def box_fits(view, box, pins):
    left, top, width, height = box
    assert left >= 0
    assert top >= 0
    assert left + width <= view.width
    assert top + height <= view.height
    for pin in pins:
        assert_inside(box, pin.x, pin.y)


@pytest.mark.parametrize("code", ["BL23", "GB30", "BL40", "LI4", "BL62"])
def test_close_up_of_a_seeded_point_stays_inside_its_view_and_shows_every_pin(code):
    marker = seeded_marker(code)
    pins = marker_pins(marker)
    for share in (0.45, 0.5):
        box_fits(marker.view, close_up_box(marker.view, pins, share=share), pins)


VIEW_SHAPES = [
    # width, height, symmetric: tall and square symmetric views, and one-sided views of any shape
    (400, 900, True),
    (400, 400, True),
    (333, 517, True),
    (500, 320, False),
    (1000, 120, False),
    (90, 1000, False),
]


@pytest.mark.parametrize(("width", "height", "symmetric"), VIEW_SHAPES)
def test_close_up_stays_inside_the_view_and_shows_every_pin_anywhere(width, height, symmetric):
    view = BodyView(width=width, height=height, symmetric=symmetric)
    point = Point(code="XT1", name="Test", bilateral=True)
    for x in (0, 1, width * 0.13, width * 0.37, width / 2, width * 0.81, width - 1, width):
        for y in (0, 1, height * 0.29, height / 2, height * 0.93, height):
            pins = marker_pins(PointMarker(point=point, view=view, x=x, y=y, side="left"))
            box_fits(view, close_up_box(view, pins), pins)


def test_close_up_shows_both_pins_on_a_wide_symmetric_view():
    # Editors may add any view, say the shoulders and upper back, wider than it is tall.
    shoulders = BodyView(width=600, height=300, symmetric=True)
    point = Point(code="XT2", name="Shoulder Well", bilateral=True)
    pins = marker_pins(PointMarker(point=point, view=shoulders, x=110, y=90, side="left"))
    assert [pin.x for pin in pins] == [110, 490]
    box_fits(shoulders, close_up_box(shoulders, pins), pins)


def figures_of(code):
    return point_figures(Point.objects.with_markers().get(code=code))


def test_point_on_the_whole_back_gets_a_close_up_then_the_whole_view():
    close_up, whole = figures_of("BL23")
    assert close_up.view.slug == whole.view.slug == "back"
    assert close_up.crop is not None
    box_fits(close_up.view, close_up.crop, close_up.pins)
    assert close_up.crop[2] * close_up.crop[3] < 400 * 900 / 4
    assert [pin.label for pin in close_up.pins] == ["BL23", "BL23"]
    assert whole.crop is None
    assert whole.view_box == "0 0 400 900"
    assert [(pin.x, pin.side) for pin in whole.pins] == [(183, "left"), (217, "right")]
    assert close_up.id != whole.id
    assert close_up.caption
    assert whole.caption


def test_point_on_the_hand_gets_one_figure_of_the_whole_hand():
    (figure,) = figures_of("LI4")
    assert figure.view.slug == "hand"
    assert figure.crop is None
    assert figure.view_box == "0 0 400 400"
    assert [(pin.x, pin.y, pin.label) for pin in figure.pins] == [(192, 252, "LI4")]
    assert "LI4 Joining Valley, right side" in figure.description


def test_point_without_markers_has_no_figures_and_no_thumbnail():
    point = Point.objects.with_markers().get(pk=make_point().pk)
    assert point.figures == []
    assert point.thumbnail is None


@pytest.mark.parametrize("code", ["BL23", "GB30", "BL40", "LI4", "BL62"])
def test_thumbnail_is_an_unlabelled_crop_around_the_pins(code):
    point = Point.objects.with_markers().get(code=code)
    figure = thumbnail(point)
    assert figure.thumbnail
    assert figure.crop is not None
    assert figure.crop[2] < figure.view.width
    box_fits(figure.view, figure.crop, figure.pins)
    assert len(figure.pins) == len(SEEDED_PINS[point.slug][1])
    assert all(pin.label == "" for pin in figure.pins)


# Public pages


@pytest.mark.parametrize("slug", SEEDED_PINS)
def test_point_page_draws_the_point_on_its_view_on_every_side(client, slug):
    view_slug, expected_pins = SEEDED_PINS[slug]
    point = Point.objects.get(slug=slug)
    view = BodyView.objects.get(slug=view_slug)
    figures = body_figures(parse(client.get(f"/points/{slug}/")))

    # The whole back is large: a close-up comes first, then the whole view.
    assert len(figures) == (2 if view_slug == "back" else 1)
    for figure in figures:
        svg = accessible_svg(figure)
        assert svg["data-view"] == view_slug
        assert svg.only("title").text == view.title
        description = svg.only("desc").text
        assert view.description in description
        expected = expected_pin_names(point, expected_pins)
        for name, _, _ in expected:
            assert name in description
        assert sorted(markers_of(svg)) == sorted(expected)
        for _, cx, cy in expected_pins:
            assert_inside(view_box(svg), cx, cy)
    # The first figure labels every marker with the point's code, visibly.
    labels = figures[0].find_all("text", class_="marker__label")
    assert [label.text for label in labels] == [point.code] * len(expected_pins)


def test_bl23_page_marks_both_sides_of_the_spine(client):
    whole_back = body_figures(parse(client.get("/points/bl23/")))[-1]
    svg = accessible_svg(whole_back)
    assert view_box(svg) == [0, 0, 400, 900]
    assert sorted(cx for _, cx, _ in markers_of(svg)) == [183, 217]
    assert whole_back.only("figcaption").text == "Back of the body: BL23 on both sides."


def test_yaotongdian_page_shows_its_two_spots_on_one_hand_and_says_so(client):
    (figure,) = body_figures(parse(client.get("/points/ex-ue7/")))
    caption = figure.only("figcaption").text
    assert caption == (
        "Back of the hand: EX-UE7, pressed at 2 spots; press the same spots on the other side too."
    )
    labels = figure.find_all("text", class_="marker__label")
    assert [label.text for label in labels] == ["EX-UE7", "EX-UE7"]
    # One label left of the thumb-side spot, one right of the other, so they do not collide.
    assert [label["text-anchor"] for label in labels] == ["end", "start"]


def pins_at(*positions):
    return [
        Pin(x=x, y=y, side="left", label=str(number), name=f"Pin {number}", label_position="left")
        for number, (x, y) in enumerate(positions, start=1)
    ]


def caption_of(title, pins):
    return f"{title}: {', '.join(pin.label for pin in pins)}."


def test_markers_apart_make_one_figure_and_crowded_ones_a_close_up():
    view = make_body_view(title="Back")
    apart = Figure(id="f", view=view, pins=pins_at((100, 100), (300, 100)), numbered=True)
    (figure,) = with_close_up(apart, caption_of)
    assert (figure.pins, figure.inset, figure.caption) == (apart.pins, None, "Back: 1, 2.")

    crowded = Figure(
        id="f", view=view, pins=pins_at((190, 350), (210, 350), (200, 700)), numbered=True
    )
    whole, close_up = with_close_up(crowded, caption_of)
    assert [pin.label for pin in whole.pins] == ["3"]
    assert whole.inset == close_up.crop
    assert whole.caption == "Back: 3. The framed part is drawn larger in the close-up."
    assert [pin.label for pin in close_up.pins] == ["1", "2"]
    assert (close_up.id, close_up.close_up, close_up.caption) == (
        "f-close",
        True,
        "Close-up: 1, 2.",
    )
    for pin in close_up.pins:
        assert_inside(close_up.box, pin.x, pin.y)

    # Crowded pairs all over the view: a close-up of them would be the whole view again.
    pairs = pins_at((20, 20), (30, 20), (380, 880), (390, 880))
    (figure,) = with_close_up(Figure(id="f", view=view, pins=pairs, numbered=True), caption_of)
    assert (len(figure.pins), figure.inset) == (4, None)


def test_point_page_without_markers_has_no_figure(client):
    point = make_point()
    root = parse(client.get(point.get_absolute_url()))
    assert body_figures(root) == []
    assert root.find_all("svg", class_="body-svg") == []


def drawn_links(figure):
    svg = accessible_svg(figure)
    markers = svg.find_all(class_="marker")
    assert all(marker.tag == "a" for marker in markers)
    return svg, markers


def test_sciatica_page_shows_the_back_whole_and_its_crowded_part_close_up(client):
    figures = body_figures(parse(client.get("/pain/sciatica/")))
    views = [accessible_svg(figure)["data-view"] for figure in figures]
    assert views == ["back", "back", "outer-foot", "outer-leg"]
    whole, close_up = figures[0], figures[1]

    # BL25 and GV3 sit too close together to tell apart on the whole back: a frame there,
    # and a close-up of it with their markers, GB30's too, as links to their pages.
    svg, markers = drawn_links(whole)
    frame = svg.only("rect", "inset-frame")
    box = [float(frame[name]) for name in ("x", "y", "width", "height")]
    assert {marker["href"] for marker in markers} == {"/points/bl40/", "/points/bl57/"}
    assert whole.only("figcaption").text == (
        "Back of the body: BL40, BL57. The framed part is drawn larger in the close-up."
    )
    svg, markers = drawn_links(close_up)
    assert view_box(svg) == box
    assert "body-figure--close-up" in close_up["class"]
    gb30 = Point.objects.get(code="GB30")
    drawn = sorted(
        (marker["href"], marker["aria-label"], float(marker.only("circle", "marker__ring")["cx"]))
        for marker in markers
        if marker["href"] == "/points/gb30/"
    )
    assert drawn == [
        ("/points/gb30/", pin_name(gb30, "left"), 152),
        ("/points/gb30/", pin_name(gb30, "right"), 248),
    ]
    # GV3 on the centre line once, BL25 and GB30 on both sides.
    assert len(markers) == 1 + 2 + 2
    assert close_up.only("figcaption").text == "Close-up: BL25, GB30, GV3."
    for code in ("BL25", "GB30", "GV3"):
        assert code in [label.text for label in svg.find_all("text", class_="marker__label")]


def test_lower_back_pain_page_has_a_figure_for_each_view(client):
    figures = body_figures(parse(client.get("/pain/lower-back-pain/")))
    drawn = []
    for figure in figures:
        svg = accessible_svg(figure)
        links = sorted({marker["href"] for marker in svg.find_all("a", class_="marker")})
        drawn.append((svg["data-view"], [link.split("/")[2] for link in links]))
    assert drawn == [
        ("back", ["bl40", "bl57"]),
        ("back", ["bl23", "bl25", "bl52", "gv3", "gv4"]),  # the close-up
        ("hand", ["ex-ue7", "li4", "si3"]),
        ("outer-foot", ["bl60", "bl62"]),
        ("inner-foot", ["ki3"]),
        ("foot-top", ["lr3"]),
    ]


def test_headache_page_shows_li4_on_the_hand(client):
    figures = body_figures(parse(client.get("/pain/headache/")))
    assert [accessible_svg(figure)["data-view"] for figure in figures] == ["hand"]


def thumbnails_by_code(root):
    found = {}
    for card in root.find_all("li", class_="point-card"):
        code = card.only("span", class_="code").text
        thumbs = card.find_all("svg", class_="body-svg--thumb")
        assert len(thumbs) == 1, code
        found[code] = thumbs[0]
    return found


def sprite_ids(root):
    sprite = root.only("svg", class_="drawing-sprite")
    return sorted(element["id"] for element in sprite.descendants() if element.get("id"))


def test_point_list_draws_one_thumbnail_per_point_from_a_shared_sprite(client):
    root = parse(client.get("/points/"))
    thumbnails = thumbnails_by_code(root)
    assert {code: thumb.only("use")["href"] for code, thumb in thumbnails.items()} == {
        slug.upper(): f"#drawing-{view_slug}" for slug, (view_slug, _) in SEEDED_PINS.items()
    }
    assert sprite_ids(root) == sorted(f"drawing-{slug}" for slug in SEEDED_VIEWS)
    for code, thumb in thumbnails.items():
        view_slug, expected_pins = SEEDED_PINS[code.lower()]
        rings = [(float(c["cx"]), float(c["cy"])) for c in thumb.find_all("circle", "marker__ring")]
        assert sorted(rings) == sorted((cx, cy) for _, cx, cy in expected_pins)
        for cx, cy in rings:
            assert_inside(view_box(thumb), cx, cy)
        # Decorative: the card's heading names the point.
        assert thumb["aria-hidden"] == "true"


def test_each_sprite_drawing_is_the_views_stored_drawing(client):
    page = client.get("/points/").content.decode()
    for view in seeded_views():
        assert f'<g id="drawing-{view.slug}" class="drawing">{view.drawing}</g>' in page


def test_filtered_list_defines_only_the_drawings_it_uses(client):
    root = parse(client.get("/points/?pain=sciatica"))
    thumbnails = thumbnails_by_code(root)
    assert sorted(thumbnails) == ["BL25", "BL40", "BL57", "BL60", "GB30", "GB34", "GV3"]
    assert {thumb.only("use")["href"] for thumb in thumbnails.values()} == {
        "#drawing-back",
        "#drawing-outer-foot",
        "#drawing-outer-leg",
    }
    assert sprite_ids(root) == ["drawing-back", "drawing-outer-foot", "drawing-outer-leg"]


@pytest.mark.parametrize(
    ("query", "drawings"),
    [
        ("", sorted(f"drawing-{slug}" for slug in SEEDED_VIEWS)),
        ("pain=headache", ["drawing-hand"]),
    ],
)
def test_htmx_partial_carries_the_sprite_its_thumbnails_use(client, query, drawings):
    response = client.get(f"/points/?{query}", headers=HTMX)
    assert "<html" not in response.content.decode()
    root = parse(response)
    assert sprite_ids(root) == drawings
    used = {thumb.only("use")["href"] for thumb in thumbnails_by_code(root).values()}
    assert used == {f"#{drawing}" for drawing in drawings}
    assert len(ids_on(root)) == len(set(ids_on(root)))


@pytest.mark.parametrize("url", DIAGRAM_PAGES)
def test_every_id_on_a_page_with_diagrams_is_unique(client, url):
    ids = ids_on(parse(client.get(url)))
    duplicates = sorted({value for value in ids if ids.count(value) > 1})
    assert duplicates == []


@pytest.mark.parametrize("url", DIAGRAM_PAGES)
def test_every_figure_reference_points_at_an_element_on_the_page(client, url):
    root = parse(client.get(url))
    ids = set(ids_on(root))
    for element in root.descendants():
        for attribute in ("aria-labelledby", "aria-describedby"):
            if element.get(attribute):
                assert set(element[attribute].split()) <= ids
        if element.tag == "use":
            assert element["href"].removeprefix("#") in ids


@pytest.mark.parametrize("url", DIAGRAM_PAGES)
def test_pages_with_diagrams_have_no_inline_style_or_script(client, url):
    root = parse(client.get(url))
    assert root.find_all("svg"), "the page should have diagrams"
    for element in root.descendants():
        assert "style" not in element.attrs, element.tag
        assert not [name for name in element.attrs if name.startswith("on")], element.tag
        assert element.tag not in {"style", "foreignobject", "image", "iframe"}
        if element.tag == "script":
            assert element.get("src"), "inline <script>"
        for value in element.attrs.values():
            assert "javascript:" not in (value or "").lower()


def test_escaped_text_in_a_drawing_stays_text_on_the_page(client):
    view = make_body_view(
        drawing='<text class="landmark-label" x="10" y="10">&lt;script&gt;alert(1)&lt;/script&gt;'
        "</text>"
    )
    point = make_point()
    make_marker(point=point, view=view, x=100, y=100)
    page = client.get(point.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


# Admin


def point_change_url(code):
    return reverse("admin:points_point_change", args=[Point.objects.get(code=code).pk])


def marker_prefix(response):
    (prefix,) = [
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is PointMarker
    ]
    return prefix


def test_editor_sees_where_the_marker_is_on_the_point_form(client, editor):
    response = client.get(point_change_url("BL40"))
    root = parse(response)
    (preview,) = root.find_all("div", class_="marker-preview--picker")
    svg = preview.only("svg")
    assert svg["data-view"] == "back"
    assert view_box(svg) == [0, 0, 400, 900]
    # Only the stored marker: its mirror image follows it and cannot be dragged on its own.
    assert markers_of(svg) == [("BL40 Commanding Middle, left side", 165, 663)]
    assert svg.find_all("path")
    scripts = [script.get("src", "") for script in root.find_all("script")]
    assert any(src.endswith("js/marker-picker.js") for src in scripts)


def test_editor_moves_a_marker_and_the_public_page_follows(client, editor):
    change_url = point_change_url("BL40")
    response = client.get(change_url)
    prefix = marker_prefix(response)
    data = change_form_data(response)
    assert (data[f"{prefix}-0-x"], data[f"{prefix}-0-y"]) == ("165.0", "663.0")
    data.update({f"{prefix}-0-x": "171", f"{prefix}-0-y": "650", "_continue": "Save"})

    saved = client.post(change_url, data)

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    marker = seeded_marker("BL40")
    assert (marker.x, marker.y) == (171, 650)
    back_figure = body_figures(parse(client.get("/points/bl40/")))[-1]
    assert sorted(markers_of(back_figure.only("svg"))) == [
        ("BL40 Commanding Middle, left side", 171, 650),
        ("BL40 Commanding Middle, right side", 400 - 171, 650),
    ]
    assert markers_of(parse(client.get(change_url)).only("div", "marker-preview--picker")) == [
        ("BL40 Commanding Middle, left side", 171, 650)
    ]


@pytest.mark.parametrize(("x", "y"), [("999", "663"), ("165", "901"), ("-5", "663")])
def test_editor_cannot_place_a_marker_outside_the_view(client, editor, x, y):
    change_url = point_change_url("BL40")
    response = client.get(change_url)
    prefix = marker_prefix(response)
    data = change_form_data(response)
    summary = data["summary_en"]
    data.update(
        {
            f"{prefix}-0-x": x,
            f"{prefix}-0-y": y,
            "summary_en": "Changed together with a bad marker.",
            "_save": "Save",
        }
    )

    refused = client.post(change_url, data)

    assert refused.status_code == 200
    (marker_formset,) = [
        inline.formset
        for inline in refused.context["inline_admin_formsets"]
        if inline.formset.model is PointMarker
    ]
    assert marker_formset.errors[0].keys() & {"x", "y"}
    assert 'class="errorlist' in refused.content.decode()
    marker = seeded_marker("BL40")
    assert (marker.x, marker.y) == (165, 663)
    assert marker.point.summary == summary


def second_marker_on_the_same_view(response, spot):
    prefix = marker_prefix(response)
    data = change_form_data(response)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-1-view": data[f"{prefix}-0-view"],
            f"{prefix}-1-spot": str(spot),
            f"{prefix}-1-x": "100",
            f"{prefix}-1-y": "100",
            f"{prefix}-1-side": "left",
            f"{prefix}-1-label_position": "outside",
            f"{prefix}-1-point": data[f"{prefix}-0-point"],
            "_save": "Save",
        }
    )
    return data


def test_editor_cannot_mark_the_same_spot_twice_on_one_view(client, editor):
    change_url = point_change_url("BL40")
    data = second_marker_on_the_same_view(client.get(change_url), spot=1)

    refused = client.post(change_url, data)

    assert refused.status_code == 200
    assert "Please correct the duplicate data for view and spot" in refused.content.decode()
    assert PointMarker.objects.filter(point__code="BL40").count() == 1


def test_editor_marks_a_second_spot_of_a_point_on_the_same_view(client, editor):
    change_url = point_change_url("BL40")
    data = second_marker_on_the_same_view(client.get(change_url), spot=2)

    assert client.post(change_url, data).status_code == 302

    markers = PointMarker.objects.filter(point__code="BL40").order_by("spot")
    assert [(marker.view.slug, marker.spot) for marker in markers] == [("back", 1), ("back", 2)]
    labels = [
        marker["aria-label"]
        for marker in parse(client.get("/points/bl40/")).find_all(class_="marker")
    ]
    assert "BL40 Commanding Middle, left side, spot 2 of 2" in labels


def test_editor_adds_a_marker_on_another_view(client, editor):
    change_url = point_change_url("BL40")
    response = client.get(change_url)
    prefix = marker_prefix(response)
    data = change_form_data(response)
    foot = BodyView.objects.get(slug="outer-foot")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-1-view": str(foot.pk),
            f"{prefix}-1-spot": "1",
            f"{prefix}-1-x": "250",
            f"{prefix}-1-y": "100",
            f"{prefix}-1-side": "right",
            f"{prefix}-1-label_position": "outside",
            f"{prefix}-1-point": data[f"{prefix}-0-point"],
            "_save": "Save",
        }
    )

    assert client.post(change_url, data).status_code == 302
    views = [svg["data-view"] for svg in parse(client.get("/points/bl40/")).find_all("svg")]
    assert "outer-foot" in views


def bodyview_change_url(slug):
    return reverse("admin:points_bodyview_change", args=[BodyView.objects.get(slug=slug).pk])


def test_editor_can_list_the_body_views(client, editor):
    response = client.get(reverse("admin:points_bodyview_changelist"))
    page = response.content.decode()
    assert response.status_code == 200
    for title in ("Back of the body", "Back of the hand", "Outer side of the foot"):
        assert title in page


def test_body_view_form_previews_every_marker_on_it(client, editor):
    root = parse(client.get(bodyview_change_url("back")))
    (preview,) = root.find_all("div", class_="marker-preview")
    svg = preview.only("svg")
    assert svg["data-view"] == "back"
    names = sorted(name for name, _, _ in markers_of(svg))
    on_the_back = {slug: pins for slug, (view, pins) in SEEDED_PINS.items() if view == "back"}
    assert len(on_the_back) == 8
    assert names == sorted(
        name
        for slug, pins in on_the_back.items()
        for name, _, _ in expected_pin_names(Point.objects.get(slug=slug), pins)
    )


def test_editor_changes_a_drawing_and_it_is_stored_clean(client, editor):
    change_url = bodyview_change_url("hand")
    data = change_form_data(client.get(change_url))
    extra = '<circle class="bone" cx="20" cy="20" r="3"/>'
    data.update(
        drawing=f'<svg xmlns="{SVG_NAMESPACE}">{data["drawing"]}{extra}</svg>', _save="Save"
    )

    assert client.post(change_url, data).status_code == 302
    drawing = BodyView.objects.get(slug="hand").drawing
    assert drawing.endswith('<circle class="bone" cx="20" cy="20" r="3"></circle>')
    assert "<svg" not in drawing
    assert (
        '<circle class="bone" cx="20" cy="20" r="3"></circle>'
        in client.get("/points/li4/").content.decode()
    )


# The drawing's words in each language


@pytest.mark.parametrize(
    ("prefix", "words", "not_shown"),
    [
        ("", ["kneecap", "head of", "the fibula"], "rótula"),
        ("/es", ["rótula", "cabeza", "del peroné"], "kneecap"),
        ("/de", ["Kniescheibe", "Wadenbein-", "köpfchen"], "kneecap"),
    ],
)
def test_a_drawing_speaks_the_pages_language(client, prefix, words, not_shown):
    page = client.get(f"{prefix}/points/gb34/").content.decode()
    drawing = page.split('class="drawing"', 1)[1].split("</g>", 1)[0]
    for word in words:
        assert f">{word}</text>" in drawing
    assert not_shown not in drawing


def test_every_body_view_has_its_words_in_every_language():
    for view in seeded_views():
        english = view.labels_en.splitlines()
        assert english == drawing_words(view.drawing)
        for code in ("es", "de"):
            assert len(getattr(view, f"labels_{code}").splitlines()) == len(english), code


def test_the_english_words_are_read_from_the_drawing_when_an_editor_saves_it(client, editor):
    change_url = bodyview_change_url("hand")
    data = change_form_data(client.get(change_url))
    data.update(
        drawing=data["drawing"].replace(">thumb</text>", ">thumb tip</text>"),
        labels_en="anything an editor types here",
        _save="Save",
    )

    assert client.post(change_url, data).status_code == 302
    view = BodyView.objects.get(slug="hand")
    assert view.labels_en == "thumb tip\nindex finger"
    assert view.labels_es == "pulgar\ndedo índice"


def test_a_translation_with_a_line_too_few_is_refused(client, editor):
    change_url = bodyview_change_url("hand")
    data = change_form_data(client.get(change_url))
    data.update(labels_de="Daumen", _save="Save")

    refused = client.post(change_url, data)

    assert refused.status_code == 200
    assert "Write one line for each of the drawing&#x27;s 2 texts (1 written)." in (
        refused.content.decode()
    )
    assert BodyView.objects.get(slug="hand").labels_de == "Daumen\nZeigefinger"


def test_a_drawing_with_words_its_translation_lacks_is_shown_in_english():
    view = BodyView.objects.get(slug="hand")
    view.drawing += '<text class="landmark-label" x="10" y="10">wrist</text>'
    view.save()

    with translation.override("es"):
        assert view.localized_drawing == view.drawing
        assert ">thumb</text>" in view.localized_drawing


def test_editor_cannot_save_a_drawing_with_a_script(client, editor):
    change_url = bodyview_change_url("back")
    before = BodyView.objects.get(slug="back").drawing
    data = change_form_data(client.get(change_url))
    data.update(
        drawing=data["drawing"] + "<script>alert(1)</script>",
        title="Renamed with the bad drawing",
        _save="Save",
    )

    refused = client.post(change_url, data)

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors
    assert "&lt;script&gt; is not allowed" in refused.content.decode()
    view = BodyView.objects.get(slug="back")
    assert view.drawing == before
    assert view.title == "Back of the body"
