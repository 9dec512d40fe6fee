"""What the test modules share about the site's pages: their addresses, the guide's seeded
slugs, how to read a page as a visitor does, what a page ready for a strict
Content-Security-Policy holds, how a visitor's client posts to the routine builder, and how
an editor fills in an admin form.

A test module imports these from here, never from another test module.
"""

import html
import re
from html.parser import HTMLParser

from routines.models import Routine
from routines.working import WorkingRoutine

# The content release (content/guide.json): the source article's five points, and the
# classic self-help points for low back pain the guide adds to them.
ARTICLE_POINT_CODES = ["BL23", "GB30", "BL40", "LI4", "BL62"]
CLASSIC_POINT_CODES = [
    *("GV4", "GV3", "BL25", "BL52"),  # lower back
    *("BL57", "BL60", "GB34", "KI3", "LR3"),  # legs, ankles and feet
    *("SI3", "EX-UE7"),  # hands
]
POINT_SLUGS = [code.lower() for code in ARTICLE_POINT_CODES + CLASSIC_POINT_CODES]
PAIN_TYPE_SLUGS = [
    "lower-back-pain",
    "sciatica",
    "piriformis-syndrome",
    "herniated-disc",
    "muscle-spasm",
    "knee-stiffness",
    "arthritis",
    "headache",
]

# The editors' suggestion made of the source article's five points: the sheet most print
# and language tests print.
FIVE_POINT_TITLE = "Lower back: the five points of the article"


def five_point_suggestion():
    return Routine.objects.get(is_suggestion=True, title_en=FIVE_POINT_TITLE)


# The public pages every visitor may land on, one of each kind: the home page, the point
# list plain and filtered, points (one on the back, one on the hand), the pain types and
# one of them, the references and the safety page. The CSP, page-weight, production-header
# and fuzz tests all go through this list.
PUBLIC_PAGES = [
    "/",
    "/points/",
    "/points/?pain=sciatica&region=hips",
    "/points/bl23/",
    "/points/li4/",
    "/pain/",
    "/pain/sciatica/",
    "/references/",
    "/safety/",
]


def every_kind_of_page(token):
    """One page of each kind a visitor reads, for the language tests and the screenshots
    (tools/screenshots.py): the guide's pages, the builder, and a saved routine (`token`)
    shared, printed and followed."""
    return [
        "/",
        "/points/",
        f"/points/{POINT_SLUGS[0]}/",
        "/pain/",
        "/pain/sciatica/",
        "/safety/",
        "/references/",
        "/routine/",
        f"/r/{token}/",
        f"/r/{token}/print/",
        f"/r/{token}/session/",
    ]


HTMX = {"HX-Request": "true"}
NOT_FOUND_TEXT = "We can't find that page"
EDITOR_PASSWORD = "a long and unusual pass phrase 7"


def visible_text(response):
    """The page's text as a reader sees it: no tags, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def assert_strict_csp_ready(page):
    """Nothing in the page that a strict Content-Security-Policy would block."""
    assert "<style" not in page
    assert 'style="' not in page
    assert "style='" not in page
    # Data for a script (json_script) is not run, so a strict CSP allows it.
    assert not re.search(r'<script(?![^>]*\ssrc=)(?![^>]*type="application/json")[^>]*>', page), (
        "inline <script>"
    )
    assert " hx-on" not in page
    assert "data-hx-on" not in page
    assert "javascript:" not in page.lower()
    # Scripts, styles and fonts come from our own static files, never another host.
    # (The page in other languages is named by its full address, and loads nothing.)
    for tag in re.findall(r"<(?:script|link)\b[^>]*>", page):
        address = re.search(r'(?:src|href)="([^"]*)"', tag)
        if address and 'rel="alternate"' not in tag:
            assert address.group(1).startswith("/"), tag


# The routine builder, posted to with the test client as a visitor's browser does


def working(client):
    """The visitor's working routine as the next request will see it."""
    return WorkingRoutine(client.session)


def snapshot(client):
    """All of the working routine, to prove a refused request changed nothing."""
    current = working(client)
    entries = [dict(entry) for entry in current.entries]
    return current.title, current.version, entries, current.schedule


def add(client, *slugs):
    """Add these points to the visitor's routine, as the buttons without JavaScript do."""
    for slug in slugs:
        response = client.post(f"/routine/add/{slug}/")
        assert response.status_code == 302, response.content.decode()[:500]


def change(client, url, htmx=False, **data):
    """POST a change with the routine's current version unless the test gives one."""
    data.setdefault("version", working(client).version)
    return client.post(url, data, headers=HTMX if htmx else {})


def save(client, htmx=False):
    """Save the working routine; the Routine its link shows."""
    response = change(client, "/routine/save/", htmx=htmx)
    location = response["HX-Redirect"] if htmx else response["Location"]
    return Routine.objects.get(token=location.strip("/").split("/")[1])


# The admin


class ChangeFormParser(HTMLParser):
    """Collects what a browser would submit from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self.in_form = False
        self.textarea = None
        self.select = None
        self.select_values = []

    def add(self, name, value):
        # Inline templates for "Add another" carry __prefix__ and are never submitted as rows.
        if not name or "__prefix__" in name:
            return
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.add(attrs.get("name"), attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.textarea_text = []
        elif tag == "select":
            self.select = attrs.get("name")
            self.select_values = []
        elif tag == "option" and self.select and "selected" in attrs:
            self.select_values.append(attrs.get("value", ""))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea is not None:
            text = "".join(self.textarea_text)
            # Browsers drop the newline Django writes right after <textarea>.
            self.add(self.textarea, text.removeprefix("\r\n").removeprefix("\n"))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            for value in self.select_values:
                self.add(self.select, value)
            self.select = None


def change_form_data(response):
    """What a browser would submit from the admin change form in `response`: a dict for the
    test client's post, with a list where a name has several values."""
    parser = ChangeFormParser()
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
