"""Body diagrams: cleaning editors' SVG drawings, and placing marker pins on them.

A drawing is stored as plain SVG shapes. It is rendered inline on public pages, so it is
parsed and rebuilt from an allow-list: nothing that can run, load or restyle the page
(scripts, event handlers, links, styles, foreign objects, entities) survives.
"""

import html
import math
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext, ngettext, pgettext

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

SHAPE_ATTRIBUTES = {
    "g": set(),
    "path": {"d"},
    "circle": {"cx", "cy", "r"},
    "ellipse": {"cx", "cy", "rx", "ry"},
    "line": {"x1", "y1", "x2", "y2"},
    "polyline": {"points"},
    "polygon": {"points"},
    "rect": {"x", "y", "width", "height", "rx", "ry"},
    "text": {"x", "y", "text-anchor"},
}
COMMON_ATTRIBUTES = {"class", "transform"}

# Attribute values: numbers and path letters only, so no url(), no javascript:, no CSS.
VALUE_PATTERNS = {
    "class": re.compile(r"[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)*"),
    "text-anchor": re.compile(r"start|middle|end"),
    "transform": re.compile(r"((translate|scale|rotate|matrix)\([-0-9.eE, ]+\)\s*)+"),
    "d": re.compile(r"[MmLlHhVvCcSsQqTtAaZz0-9eE.,\s+-]*"),
    "points": re.compile(r"[0-9eE.,\s+-]*"),
}
NUMBER = re.compile(r"-?[0-9]*\.?[0-9]+")
MAX_DRAWING_CHARACTERS = 100_000


def clean_drawing(markup):
    """The drawing rebuilt from allowed shapes only, or a ValidationError saying why not.

    Accepts a whole <svg> document or just its shapes; returns just the shapes.
    """
    markup = markup.strip()
    if len(markup) > MAX_DRAWING_CHARACTERS:
        raise ValidationError(f"A drawing may be at most {MAX_DRAWING_CHARACTERS:,} characters.")
    if re.search(r"<!(DOCTYPE|ENTITY)|<\?", markup, re.IGNORECASE):
        raise ValidationError("Drawings may not contain DOCTYPE, entity or processing lines.")
    if not markup.startswith("<svg"):
        markup = f'<svg xmlns="{SVG_NAMESPACE}">{markup}</svg>'
    try:
        root = ElementTree.fromstring(markup)
    except ElementTree.ParseError as error:
        raise ValidationError(f"The drawing is not well-formed SVG: {error}.") from error
    if local_name(root.tag) != "svg":
        raise ValidationError("A drawing must be an <svg> element or a list of shapes.")
    if (root.text or "").strip():
        raise ValidationError("Text is only allowed inside <text>, not loose in the drawing.")
    return "\n".join(serialize(child) for child in root)


# A cleaned drawing's words: serialize() writes each <text> with plain, escaped words only.
DRAWING_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")


def drawing_words(drawing):
    """The words of a cleaned drawing, one string per <text>, in the drawing's order."""
    return [html.unescape(match.group(2)) for match in DRAWING_TEXT.finditer(drawing)]


def with_words(drawing, words):
    """The cleaned drawing with the words of its <text> elements replaced, in order."""
    words = iter(words)
    return DRAWING_TEXT.sub(
        lambda match: f"{match.group(1)}{escape(next(words))}{match.group(3)}", drawing
    )


def local_name(tag):
    return tag.rsplit("}", 1)[-1]


def serialize(element):
    name = local_name(element.tag)
    if name not in SHAPE_ATTRIBUTES or element.tag not in (name, f"{{{SVG_NAMESPACE}}}{name}"):
        raise ValidationError(f"<{name}> is not allowed in a drawing; use plain shapes.")
    attributes = []
    for key, value in element.attrib.items():
        attribute = local_name(key)
        if attribute not in SHAPE_ATTRIBUTES[name] | COMMON_ATTRIBUTES or key.startswith("{"):
            raise ValidationError(f"The attribute {attribute!r} is not allowed on <{name}>.")
        pattern = VALUE_PATTERNS.get(attribute, NUMBER)
        if not pattern.fullmatch(value.strip()):
            raise ValidationError(f"The value {value[:40]!r} of {attribute!r} is not allowed.")
        attributes.append(f' {attribute}="{escape(value.strip())}"')
    text = (element.text or "").strip()
    if text and name != "text":
        raise ValidationError(f"Text is only allowed inside <text>, not <{name}>.")
    if (element.tail or "").strip():
        raise ValidationError(f"Text after <{name}> is not allowed; put words inside <text>.")
    children = "".join(serialize(child) for child in element)
    if name == "text" and len(element):
        raise ValidationError("<text> may hold only plain words.")
    return f"<{name}{''.join(attributes)}>{escape(text)}{children}</{name}>"


@dataclass(frozen=True)
class Pin:
    """One drawn marker: a point's position on one side of the body, with its label."""

    x: float
    y: float
    side: str
    label: str
    name: str
    label_position: str
    url: str = ""

    def label_offset(self, radius):
        """Where the label's anchor sits relative to the pin, and how it is aligned."""
        gap = radius * 1.6
        return {
            "left": (-gap, radius * 0.45, "end"),
            "right": (gap, radius * 0.45, "start"),
            "above": (0, -gap, "middle"),
            "below": (0, gap + radius * 0.9, "middle"),
        }[self.label_position]


# Marker radius as a share of the visible box's size (the square root of its area). Pages
# show figures at roughly the same area whatever their shape, so markers come out at
# about the same size on screen on a whole body, a hand or a close-up.
MARKER_SHARE = {
    "plain": 0.022,
    "numbered": 0.032,
    "close-up": 0.035,
    # A routine's close-up sits in a narrow column of the sheet: its numbers must be read.
    "numbered close-up": 0.06,
    "thumbnail": 0.06,
}


# A two-sided point's mark mirrored onto the other side of a symmetric view: its side and
# its label's side swap (values of points.models.MarkerSide and LabelPosition).
MIRRORED = {"left": "right", "right": "left"}


def marker_pins(marker, label=None, name=None, url=""):
    """The marks to draw for a PointMarker: it, and its mirror image for a two-sided point on
    a symmetric view. `label` defaults to the point's code, `name` (read by screen readers)
    to its code and name."""
    point, view = marker.point, marker.view
    label = point.code if label is None else label
    name = name or f"{point.code} {point.name}"
    position = marker.label_position
    if position == "outside":
        position = "left" if marker.side == "left" else "right"
    pins = [marker_pin(marker, marker.x, marker.side, position, label, name, url)]
    if point.bilateral and view.symmetric and marker.side in MIRRORED:
        mirrored_position = MIRRORED.get(position, position)
        mirrored_x = view.width - marker.x
        pins.append(
            marker_pin(
                marker, mirrored_x, MIRRORED[marker.side], mirrored_position, label, name, url
            )
        )
    return pins


def marker_pin(marker, x, side, position, label, name, url):
    where = {
        "centre": pgettext("marker", "centre line"),
        "left": pgettext("marker", "left side"),
        "right": pgettext("marker", "right side"),
    }[side]
    spots = marker.spots_on_view()
    if spots > 1:
        where += ", " + pgettext("marker", "spot %(spot)s of %(spots)s") % {
            "spot": marker.spot,
            "spots": spots,
        }
    return Pin(
        x=x,
        y=marker.y,
        side=side,
        label=label,
        name=f"{name}, {where}",
        label_position=position,
        url=url,
    )


@dataclass
class Figure:
    """One body view with the pins a page asks for, ready for includes/body_figure.html."""

    id: str
    view: object
    pins: list
    caption: str = ""
    numbered: bool = False
    # A thumbnail is an unlabelled close-up that draws the view by reference to a sprite.
    thumbnail: bool = False
    crop: tuple = None
    # The part of the view a close-up beside it draws larger, framed in both.
    inset: tuple = None
    close_up: bool = False

    @property
    def drawn_from(self):
        """Everything the figure's HTML depends on, for its fragment cache key: the body
        view's version (its drawing) and the figure's own fields."""
        view = (self.view.pk, self.view.updated_at)
        shape = (self.thumbnail, self.crop, self.inset, self.close_up)
        return repr((self.id, *view, self.pins, self.caption, self.numbered, *shape))

    @property
    def box(self):
        return self.crop or (0, 0, self.view.width, self.view.height)

    @property
    def frame(self):
        """The box to outline: the part a close-up draws larger, or the close-up itself."""
        return self.crop if self.close_up else self.inset

    @property
    def view_box(self):
        return " ".join(f"{value:g}" for value in self.box)

    @property
    def radius(self):
        if self.thumbnail:
            kind = "thumbnail"
        elif self.crop:
            kind = "numbered close-up" if self.numbered else "close-up"
        else:
            kind = "numbered" if self.numbered else "plain"
        return round(math.sqrt(self.box[2] * self.box[3]) * MARKER_SHARE[kind], 1)

    @property
    def dot_radius(self):
        return round(self.radius * 0.38, 1)

    @property
    def font_size(self):
        return round(self.radius * (1.25 if self.numbered else 1.5), 1)

    @property
    def description(self):
        if not self.pins:
            return self.view.description
        names = "; ".join(pin.name for pin in self.pins)
        return f"{self.view.description} Marked: {names}."

    @property
    def placed_pins(self):
        radius = self.radius
        for pin in self.pins:
            dx, dy, anchor = pin.label_offset(radius)
            yield {
                "pin": pin,
                "x": f"{pin.x:g}",
                "y": f"{pin.y:g}",
                "label_x": f"{pin.x + dx:g}",
                "label_y": f"{pin.y + dy:g}",
                "anchor": anchor,
                "number_y": f"{pin.y + radius * 0.45:g}",
            }


def group_by_view(markers):
    """Markers grouped by body view, views in their editors' order."""
    groups = {}
    for marker in markers:
        groups.setdefault(marker.view, []).append(marker)
    return sorted(groups.items(), key=lambda item: (item[0].sort_order, item[0].title))


def close_up_box(view, pins, share=0.5):
    """A box around the pins, inside the view: square where the view allows, and at least
    `share` of the view's shorter side, so a close-up still shows some landmarks."""
    xs, ys = [pin.x for pin in pins], [pin.y for pin in pins]
    size = max(max(xs) - min(xs), max(ys) - min(ys)) * 1.5
    size = max(size, min(view.width, view.height) * share)
    width, height = min(size, view.width), min(size, view.height)
    left = window_start(xs, width, view.width)
    top = window_start(ys, height, view.height)
    return (round(left, 1), round(top, 1), round(width, 1), round(height, 1))


def window_start(values, size, limit):
    """Where a window `size` long starts to be centred on `values` yet stay in 0…`limit`."""
    return min(max((min(values) + max(values) - size) / 2, 0), limit - size)


def is_small_part(view, box):
    """Whether a close-up shows so little of the view that the whole view must come too."""
    return box[2] * box[3] < 0.1 * view.width * view.height


def point_figures(point):
    """Every view a point is drawn on, for its own page.

    On a large view such as the whole back, a close-up of the point comes first and the
    whole view after it, so a reader sees both the spot and where it is on the body.
    """
    figures = []
    for view, markers in group_by_view(point.markers.all()):
        pins = [pin for marker in markers for pin in marker_pins(marker)]
        values = {"view": view.title, "code": point.code, "spots": len(markers)}
        if len({pin.side for pin in pins}) > 1:
            caption = gettext("%(view)s: %(code)s on both sides.") % values
            close_up = gettext("Close-up: %(code)s on both sides.") % values
        elif len(markers) > 1:
            caption = (
                gettext(
                    "%(view)s: %(code)s, pressed at %(spots)s spots; press the same spots on "
                    "the other side too."
                )
                % values
            )
            close_up = gettext("Close-up: the %(spots)s spots of %(code)s.") % values
        else:
            caption = (
                gettext("%(view)s: %(code)s; press the same point on the other side too.")
                if point.bilateral
                else gettext("%(view)s: %(code)s.")
            ) % values
            close_up = gettext("Close-up: %(code)s.") % values
        figure_id = f"figure-{point.slug}-{view.slug}"
        box = close_up_box(view, pins, share=0.45)
        if is_small_part(view, box):
            figures.append(
                Figure(
                    id=f"{figure_id}-close",
                    view=view,
                    pins=pins,
                    crop=box,
                    close_up=True,
                    caption=close_up,
                )
            )
            unlabelled = [replace(pin, label="") for pin in pins]
            figures.append(
                Figure(id=figure_id, view=view, pins=unlabelled, inset=box, caption=caption)
            )
        else:
            figures.append(Figure(id=figure_id, view=view, pins=pins, caption=caption))
    return figures


def combined_figures(points, id_prefix, url_for=None):
    """One figure per view with all of the points on it, e.g. for a pain type's page; where
    they crowd, the whole view and a close-up."""
    markers = [marker for point in points for marker in point.markers.all()]
    figures = []
    for view, view_markers in group_by_view(markers):
        pins = [
            pin
            for marker in view_markers
            for pin in marker_pins(marker, url=url_for(marker.point) if url_for else "")
        ]
        figure = Figure(id=f"{id_prefix}-{view.slug}", view=view, pins=pins)
        figures += with_close_up(figure, codes_caption)
    return figures


def codes_caption(title, pins):
    codes = ", ".join(dict.fromkeys(pin.label for pin in pins))
    return gettext("%(view)s: %(codes)s.") % {"view": title, "codes": codes}


# Markers nearer each other than this many radii hide each other's numbers or labels.
CROWDED_RADII = 1.6


def with_close_up(figure, describe):
    """[the figure] with its caption; or, where some of its markers crowd each other, the
    whole view with the crowded part framed and its markers left to a close-up, and the
    close-up. `describe(title, pins)` writes a caption for pins on a view or close-up."""
    pins, radius = figure.pins, figure.radius
    crowded = [
        pin
        for pin in pins
        if any(
            other is not pin
            and math.dist((pin.x, pin.y), (other.x, other.y)) < CROWDED_RADII * radius
            for other in pins
        )
    ]
    box = close_up_box(figure.view, crowded, share=0.3) if crowded else None
    if box is None or not is_small_part(figure.view, box):
        # Nothing crowds, or so much does that a close-up would be the whole view again.
        return [replace(figure, caption=describe(figure.view.title, pins))]
    close = [pin for pin in pins if is_inside(box, pin)]
    rest = [pin for pin in pins if not is_inside(box, pin)]
    framed = gettext("The framed part is drawn larger in the close-up.")
    caption = f"{describe(figure.view.title, rest)} {framed}" if rest else framed
    return [
        replace(figure, pins=rest, inset=box, caption=caption),
        replace(
            figure,
            close_up=True,
            id=f"{figure.id}-close",
            pins=close,
            crop=box,
            caption=describe(gettext("Close-up"), close),
        ),
    ]


def is_inside(box, pin):
    left, top, width, height = box
    return left <= pin.x <= left + width and top <= pin.y <= top + height


def thumbnail(point):
    """A close-up of the point on its first view, or None if it has no marker yet."""
    groups = group_by_view(point.markers.all())
    if not groups:
        return None
    view, markers = groups[0]
    pins = [pin for marker in markers for pin in marker_pins(marker, label="")]
    return Figure(
        id=f"thumb-{point.slug}",
        view=view,
        pins=pins,
        thumbnail=True,
        crop=close_up_box(view, pins),
    )


def numbered_figures(steps, id_prefix, close_ups=True):
    """One figure per view for a routine, each point marked by its step number, and a
    close-up where they crowd (unless `close_ups` is False: a figure the caller crops).

    A step done on one side only is marked on that side.
    """
    by_view = {}
    for step in steps:
        for marker in step.point.markers.all() if step.point else ():
            by_view.setdefault(marker.view, []).append((step, marker))
    figures = []
    for view in sorted(by_view, key=lambda view: (view.sort_order, view.title)):
        pins = []
        for step, marker in by_view[view]:
            both_sides = marker_pins(
                marker,
                label=str(step.number),
                name=gettext("Step %(number)s: %(code)s %(name)s")
                % {
                    "number": step.number,
                    "code": step.point.code,
                    "name": step.point.name,
                },
            )
            one_side = [pin for pin in both_sides if pin.side == step.sides]
            pins += one_side or both_sides
        figure = Figure(id=f"{id_prefix}-{view.slug}", view=view, pins=pins, numbered=True)
        if close_ups:
            figures += with_close_up(figure, steps_caption)
        else:
            figures.append(replace(figure, caption=steps_caption(view.title, pins)))
    return figures


def steps_caption(title, pins):
    # A point pressed at two spots has two markers but is one step.
    numbers = list(dict.fromkeys(pin.label for pin in pins))
    return ngettext(
        "%(view)s: step %(numbers)s.",
        "%(view)s: steps %(numbers)s.",
        len(numbers),
    ) % {"view": title, "numbers": ", ".join(numbers)}
