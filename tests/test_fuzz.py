"""Property-based fuzzing of every public page and every form of the routine builder.

Hypothesis sends arbitrary query strings, path segments, Content-Type and htmx headers and
form data, and checks what the design promises for bad input: never a 5xx, a 404 for
well-formed but unknown slugs, a refused change leaves the routine and the database as
they were, and a saved routine is always whole and never changes afterwards. The bugs it
found have a focused test each at the end of the file.

Examples per test (each test sets max_examples), 1,220 in all:

    test_any_content_type_becomes_one_django_can_build_a_request_from   300
    test_get_pages_survive_any_query_string                             250
    test_point_list_reads_any_filter_values                             150
    test_any_path_segment_is_answered_without_a_server_error            150
    test_unknown_well_formed_slugs_are_404                              120
    test_a_flood_of_query_fields_is_refused_on_the_point_list            30
    test_routine_builder_state_machine            70 visitors, up to 6 actions each
    test_posts_without_a_valid_csrf_token_are_refused                   150

`pytest tests/test_fuzz.py --hypothesis-show-statistics` reports what each of them ran.
"""

import contextlib
import io
import json
import logging
import re
import warnings
from collections import defaultdict
from urllib.parse import quote, urlencode
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.db.models import Q
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils.http import parse_header_parameters
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from acupressure.content_type import read_as_utf8, readable_content_type
from points.models import BodyView, MarkerSide, Point
from routines.models import (
    DEFAULT_TITLE,
    FREE_STEP_IDEAS,
    FREE_STEP_MAX_LENGTH,
    FREE_STEP_SECONDS,
    MAX_STEPS,
    NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Routine,
    RoutineStep,
    Sides,
)
from routines.schedule import Schedule
from routines.working import SESSION_KEY, WorkingRoutine
from tests.factories import make_marker, make_point, make_routine
from tests.pages import HTMX, NOT_FOUND_TEXT, PAIN_TYPE_SLUGS, POINT_SLUGS, PUBLIC_PAGES
from tests.strategies import REGIONS, any_text, junk, overlong, query_strings

pytestmark = pytest.mark.django_db

FUZZ = settings(
    deadline=None,
    # No example database: nothing is written into the working tree, and every run
    # explores afresh (a failure prints the example to reproduce it).
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture(autouse=True)
def quiet_request_logs():
    """Thousands of expected 4xx would fill the log; server errors (ERROR) still show.

    Django logs a refused suspicious request (too many fields, a bad Host) at ERROR on
    django.security, so that logger is quieted further: the tests assert the 400 instead.
    """
    levels = {"django.request": logging.ERROR, "django.security": logging.CRITICAL}
    loggers = {logging.getLogger(name): level for name, level in levels.items()}
    previous = {logger: logger.level for logger in loggers}
    for logger, level in loggers.items():
        logger.setLevel(level)
    yield
    for logger, level in previous.items():
        logger.setLevel(level)


def field_limit():
    # Read when the test runs: the limit is a setting and may be tuned.
    return django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


# Strategies of bad input only these tests use; the shared ones are in tests/strategies.py.

number_text = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(str),
    st.sampled_from(["1.5", "-0", "+3", " 60 ", "٣٠", "0x10", "1_000", "10**9"]),
)
garbage = st.one_of(any_text, junk, overlong, number_text)
# A readable text without control characters; Django's CharField strips the ends.
clean_characters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))


def clean_text(max_size, min_size=0):
    text = st.text(clean_characters, min_size=min_size, max_size=max_size)
    if min_size:
        text = text.filter(str.strip)
    return text


def fields_in(query_string):
    """How many fields Django counts before it refuses a query string."""
    return query_string.count("&") + 1 if query_string else 0


htmx_headers = st.fixed_dictionaries(
    {},
    optional={
        "HX-Request": st.sampled_from(["true", "false", "", "TRUE", "1"]),
        "HX-History-Restore-Request": st.sampled_from(["true", "false", ""]),
        "HX-Target": st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=20),
        "HX-Current-URL": st.sampled_from(["http://testserver/points/", "%zz", "not a url"]),
    },
)


def htmx_partial(headers):
    """Whether django-htmx sees a plain htmx request (not a history restore)."""
    return (
        headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"
    )


def page_text(response):
    return response.content.decode(errors="replace")


# The Content-Type header, which Django parses while it builds the request

# Charsets a Content-Type may name: text encodings, codecs that are not (rot13 and the like
# fail on use), ones that fail on most bytes (idna, punycode, undefined), and made-up ones.
# The site reads every request as UTF-8 whichever it names (acupressure/content_type.py).
CHARSETS = [
    "utf-8",
    '"utf-8"',
    "latin-1",
    "utf-16",
    "rot13",
    "base64",
    "zlib",
    "idna",
    "punycode",
    "undefined",
    "no-such-charset",
    "",
    "\x00",
]
content_types = st.one_of(
    st.sampled_from(CHARSETS).map(lambda charset: f"text/plain; charset={charset}"),
    st.sampled_from(
        ["multipart/form-data", "text/plain; charset", ";;;", "a/b; x*=nope''a", 'a; b="\\']
    ),
    st.text(st.characters(max_codepoint=255), max_size=40),
)


class SiteClient(Client):
    """A test client that hands Django the Content-Type the WSGI entry point does.

    The test client builds its requests without acupressure/wsgi.py, where the header is
    made readable before Django parses it.
    """

    def request(self, **request):
        if "CONTENT_TYPE" in request:
            request["CONTENT_TYPE"] = readable_content_type(request["CONTENT_TYPE"])
        return super().request(**request)


header_parameter = st.builds(
    "{}={}".format,
    st.sampled_from(["charset", "boundary", "charset*", "x*", "name", ""]),
    st.one_of(
        st.sampled_from(CHARSETS),
        st.sampled_from(["nope''a", "utf-8''%41", "rot13''a", "utf-8'en'caf%C3%A9", '"a\\"']),
        st.text(st.characters(max_codepoint=255), max_size=12),
        st.text(st.characters(max_codepoint=255), max_size=12).map('"{}"'.format),
    ),
)
content_type_headers = st.one_of(
    content_types,
    st.builds(
        "; ".join,
        st.lists(
            st.one_of(st.sampled_from(["multipart/form-data", "text/plain", ""]), header_parameter),
            min_size=1,
            max_size=5,
        ),
    ),
)


def boundary_of(header):
    """The multipart boundary Django reads from the header (an empty one is none)."""
    try:
        return parse_header_parameters(header)[1].get("boundary") or None
    except (LookupError, ValueError):
        return None


@settings(FUZZ, max_examples=300)
@given(
    content_type=content_type_headers,
    query_string=query_strings(),
    body=st.one_of(st.binary(max_size=300), st.just(b"version=0&title=Caf%C3%A9")),
    method=st.sampled_from(["GET", "POST"]),
)
# A media type with a stray quote, which would swallow the parameters after it.
@example(content_type='";";BOUNDARY=0', query_string="", body=b"", method="POST")
def test_any_content_type_becomes_one_django_can_build_a_request_from(
    content_type, query_string, body, method
):
    environ = {
        "REQUEST_METHOD": method,
        "CONTENT_TYPE": readable_content_type(content_type),
        "QUERY_STRING": query_string,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)

    request = WSGIRequest(environ)  # raised ValueError or LookupError: a 500 in production

    assert request.encoding is None  # read as UTF-8
    with contextlib.suppress(BadRequest, MultiPartParserError, SuspiciousOperation):
        # Django's handler answers these with a 400; anything else would be a 500.
        assert isinstance(request.GET, QueryDict)
        assert isinstance(request.POST, QueryDict)
    if content_type.split(";", 1)[0].strip().lower() == "multipart/form-data":
        assert boundary_of(environ["CONTENT_TYPE"]) == boundary_of(content_type)
    else:
        assert ";" not in environ["CONTENT_TYPE"]


# GET pages


@pytest.fixture
def tokens():
    """A suggestion's token and a visitor's saved routine's token."""
    shared = make_routine(steps=[Point.objects.get(slug="bl23"), "Roll out your back"])
    return {"suggestion": Routine.objects.suggestions().first().token, "shared": shared.token}


GET_PAGES = [
    # At their own addresses: the test sends query strings of its own.
    *(page for page in PUBLIC_PAGES if "?" not in page),
    "/routine/",
    "/routine/badge/",
    "/routine/print/",
    "/routine/session/",
    "/routine/add/gb30/",
    "/r/{suggestion}/",
    "/r/{suggestion}/print/",
    "/r/{suggestion}/session/",
    "/r/{suggestion}/copy/",
    "/r/{shared}/",
    "/r/{shared}/print/",
    "/r/{shared}/copy/",
]


@settings(FUZZ, max_examples=250)
@given(
    page=st.sampled_from(GET_PAGES),
    query_string=query_strings(),
    headers=htmx_headers,
    content_type=st.one_of(st.none(), content_types),
    method=st.sampled_from(["get", "head"]),
)
@example(
    page="/routine/print/", query_string="&" * 1000, headers={}, content_type=None, method="get"
)
def test_get_pages_survive_any_query_string(
    tokens, page, query_string, headers, content_type, method
):
    path = page.format(**tokens)
    extra = {"QUERY_STRING": query_string}
    if content_type is not None:
        extra["CONTENT_TYPE"] = content_type
    response = getattr(SiteClient(), method)(path, headers=headers, **extra)

    # Copying asks a plain page to confirm; htmx is sent to load that page whole.
    expected = 204 if path.endswith("/copy/") and headers.get("HX-Request") == "true" else 200
    if fields_in(query_string) > field_limit():
        # Pages that read the query string parse it and hit the limit: the point list, the
        # print sheets (?size=) and every cached public page, whose cache looks at which
        # keys it has.
        reads_query = path.endswith("/print/") or (
            not path.startswith("/routine/") and not path.endswith("/copy/")
        )
        assert response.status_code == (400 if reads_query else expected)
    else:
        assert response.status_code == expected
    if method == "get" and path == "/points/" and response.status_code == 200:
        page_html = page_text(response)
        assert 'id="results"' in page_html
        assert ("<html" in page_html) != htmx_partial(headers)
        assert "hx-request" in response["Vary"].lower()


@settings(FUZZ, max_examples=150)
@given(
    pain=st.lists(st.one_of(st.sampled_from(PAIN_TYPE_SLUGS), any_text, junk), max_size=6),
    region=st.one_of(st.none(), st.sampled_from(REGIONS), any_text, junk),
    q=st.one_of(
        st.none(),
        st.sampled_from(["bl 40", "BL40", "ub40", "knee", "hand", "bladder 40", "  "]),
        any_text,
        junk,
        overlong,
        # Very many words: every word adds conditions to the search.
        st.integers(min_value=1, max_value=60).map(lambda n: " ".join(["b"] * n)),
    ),
    extra=st.dictionaries(any_text, garbage, max_size=4),
    headers=htmx_headers,
)
def test_point_list_reads_any_filter_values(pain, region, q, extra, headers):
    query = {**extra, "pain": pain}
    if region is not None:
        query["region"] = region
    if q is not None:
        query["q"] = q
    response = SiteClient().get("/points/", query, headers=headers)

    assert response.status_code == 200
    text = page_text(response)
    assert 'id="results"' in text
    published = set(Point.objects.published().values_list("slug", flat=True))
    results = text.split('id="results"', 1)[1]
    shown = {slug for slug in published if f'href="/points/{slug}/"' in results}
    # Bad values are dropped with a notice; the page still lists points.
    if any(slug not in PAIN_TYPE_SLUGS for slug in query["pain"]):
        assert re.search(r"We have no pain types? called", text)
    if len(str(query.get("q", "")).strip()) > 100:
        assert "A search can be at most 100 characters" in text
    elif "\x00" in str(query.get("q", "")):
        assert "The search had characters we cannot read" in text
    if query.get("region", "") not in REGIONS + [""]:
        assert "We don&#x27;t know that body region" in text
    if (
        all(slug not in PAIN_TYPE_SLUGS for slug in query["pain"])
        and not str(query.get("q", "")).strip()
        and query.get("region", "") not in REGIONS
    ):
        # No filter survived: every published point is listed.
        assert shown == published


# Path segments

SLUG_ROUTES = [
    "/points/{}/",
    "/pain/{}/",
    "/routine/add/{}/",
    "/routine/steps/{}/",
    "/routine/steps/{}/move/",
    "/routine/steps/{}/remove/",
    "/r/{}/",
    "/r/{}/print/",
    "/r/{}/session/",
    "/r/{}/copy/",
]
# Every token and slug the site knows, so an "unknown" one really is unknown.
KNOWN_SLUGS = {slug.lower() for slug in POINT_SLUGS + PAIN_TYPE_SLUGS}
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
well_formed_slug = st.from_regex(r"\A[-a-zA-Z0-9_]{1,80}\Z")


@settings(FUZZ, max_examples=150)
@given(
    route=st.sampled_from(SLUG_ROUTES),
    segment=st.one_of(any_text, junk, overlong, well_formed_slug),
    encoding=st.sampled_from(["raw", "quoted", "quoted-twice"]),
    method=st.sampled_from(["get", "head", "post"]),
    headers=htmx_headers,
)
def test_any_path_segment_is_answered_without_a_server_error(
    route, segment, encoding, method, headers
):
    if encoding == "quoted":
        segment = quote(segment, safe="")
    elif encoding == "quoted-twice":
        segment = quote(quote(segment, safe=""), safe="")
    assume(segment.lower() not in KNOWN_SLUGS)
    client = SiteClient()
    response = getattr(client, method)(route.format(segment), headers=headers)

    assert response.status_code < 500
    assert Routine.objects.shared().count() == 0
    assert SESSION_KEY not in client.session


@settings(FUZZ, max_examples=120)
@given(
    route=st.sampled_from(SLUG_ROUTES),
    slug=well_formed_slug.filter(lambda slug: slug.lower() not in KNOWN_SLUGS),
    htmx=st.booleans(),
)
def test_unknown_well_formed_slugs_are_404(route, slug, htmx):
    client = SiteClient()
    url = route.format(slug)
    headers = HTMX if htmx else {}
    if route.startswith("/routine/steps/"):
        # Only POST reaches these; a valid version shows the key is what is refused.
        responses = [client.post(url, {"version": 0, "direction": "up"}, headers=headers)]
    elif route in {"/routine/add/{}/", "/r/{}/copy/"}:
        responses = [client.get(url, headers=headers), client.post(url, headers=headers)]
    else:
        responses = [client.get(url, headers=headers)]

    for response in responses:
        assert response.status_code == 404
        text = page_text(response).replace("&#x27;", "'")
        if route.startswith("/routine/steps/"):
            assert "That step is no longer in your routine" in text
        else:
            assert NOT_FOUND_TEXT in text
    assert Routine.objects.shared().count() == 0
    assert SESSION_KEY not in client.session


@settings(FUZZ, max_examples=30)
@given(
    excess=st.one_of(
        st.integers(min_value=-3, max_value=3), st.integers(min_value=4, max_value=300)
    ),
    key=st.sampled_from(["pain", "region", "q", "x"]),
)
def test_a_flood_of_query_fields_is_refused_on_the_point_list(excess, key):
    count = max(field_limit() + excess, 1)
    response = SiteClient().get("/points/", QUERY_STRING="&".join([f"{key}=a"] * count))
    if count > field_limit():
        assert response.status_code == 400
        assert "read that request" in page_text(response)
    else:
        assert response.status_code == 200


# The routine builder, one visitor at a time

MISSING = object()
FORM_FIELDS = {"version", "seconds", "sides", "note", "text", "title", "direction"}
garbage_field = st.one_of(st.just(MISSING), garbage, st.lists(garbage, min_size=2, max_size=3))
# Field names are short, or far past the 1 KB Django allows a multipart part's header.
long_name = st.builds(lambda: "n" * 5000)
extra_fields = st.dictionaries(
    st.one_of(any_text, junk, long_name).filter(lambda key: key not in FORM_FIELDS),
    garbage,
    max_size=3,
)


def field(valid, invalid=garbage_field):
    """A form value and whether it was drawn to be valid."""
    return st.one_of(
        valid.map(lambda value: (value, True)), invalid.map(lambda value: (value, False))
    )


def routine_rows(tokens):
    """Each routine's row and its steps, to show a saved routine never changes."""
    rows = {
        row.pop("token"): [row]
        for row in Routine.objects.filter(token__in=tokens)
        .order_by("pk")
        .values(
            "token",
            "pk",
            "title",
            "summary",
            "is_suggestion",
            "source_id",
            "sort_order",
            "created_at",
        )
    }
    steps = RoutineStep.objects.filter(routine__token__in=tokens).order_by("routine", "position")
    for token, *step in steps.values_list(
        "routine__token", "pk", "position", "point_id", "text", "seconds", "sides", "note"
    ):
        rows[token].append(tuple(step))
    return rows


def step_fields(steps):
    return [(step.point_id, step.text, step.seconds, step.sides, step.note) for step in steps]


READ, REFUSED, TOO_LARGE = "read", "refused", "too large"


class RoutineVisitor(RuleBasedStateMachine):
    """One visitor (one test client, so one session) pressing every button of the builder
    with good and bad data. Each visitor runs in a savepoint that is rolled back at the end,
    so the site-wide save limits never see the routines of earlier visitors."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.client = SiteClient()
        # A one-sided point with its own press time, which editors may unpublish meanwhile.
        self.extra = make_point(bilateral=False, press_seconds_min=10, press_seconds_max=40)
        make_marker(
            point=self.extra, view=BodyView.objects.get(slug="back"), side=MarkerSide.CENTRE
        )
        make_routine(
            steps=[Point.objects.get(slug="bl23"), "Roll out your back", self.extra],
            title="Shared by another visitor",
        )
        self.snapshot = routine_rows(Routine.objects.values_list("token", flat=True))
        # Keys and tokens are random, so both are kept in the order they appeared: a
        # replayed example must draw the same step or routine as the first time.
        self.seen_keys = {}
        self.last_version = 0

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # Reading the visitor's state

    def working(self):
        return WorkingRoutine(self.client.session)

    def state(self):
        """Everything a refused request must leave alone."""
        session = dict(self.client.session.items())
        counts = Routine.objects.count(), RoutineStep.objects.count()
        return json.dumps(session, sort_keys=True), counts

    def draw_version(self, data, working):
        current = working.version
        return data.draw(
            field(
                st.sampled_from([current, str(current), f" {current} "]),
                st.one_of(
                    st.sampled_from([current - 1, current + 1, -1, 10**9 + 1, 10**40]).map(str),
                    garbage_field,
                ),
            ),
            label="version",
        )

    def draw_key(self, data, working):
        keys = [step.key for step in working.steps()]
        self.seen_keys.update(dict.fromkeys(keys))
        stale = [key for key in self.seen_keys if key not in keys]
        valid = st.sampled_from(keys) if keys else st.nothing()
        invalid = st.one_of(
            st.sampled_from(stale) if stale else st.nothing(), well_formed_slug, any_text, junk
        )
        return data.draw(field(valid, invalid), label="key")

    # Sending a form

    def post(self, url, fields, data, htmx=None):
        """POST the drawn fields (missing ones left out, extra and flood fields added) and
        check the answer: never a 5xx, and a 4xx changed nothing at all.

        Also says what became of the body: READ (as sent, and as UTF-8 whatever charset the
        header names), REFUSED (more fields than Django parses, or an unreadable multipart
        part: a view that reads the form answers 400) or TOO_LARGE (its own fields alone
        are larger than the site reads: 413, already checked here).
        """
        htmx = data.draw(st.booleans(), label="htmx") if htmx is None else htmx
        form = {name: value for name, value in fields.items() if value is not MISSING}
        form.update(data.draw(extra_fields, label="extra fields"))
        # Now and then more fields than Django parses.
        flood = data.draw(st.integers(0, 24), label="flood") == 0
        flood_fields = {f"field{number}": "1" for number in range(field_limit() + 1)}
        if flood:
            form.update(flood_fields)
        urlencoded = data.draw(st.booleans(), label="urlencoded")
        charset = data.draw(st.one_of(st.none(), st.sampled_from(CHARSETS)), label="charset")

        def send(form):
            if urlencoded:
                content_type = "application/x-www-form-urlencoded"
                payload = urlencode(form, doseq=True).encode()
            else:
                content_type = MULTIPART_CONTENT
                payload = encode_multipart(BOUNDARY, form)
            if charset is not None:
                content_type += f"; charset={charset}"
            # generic() sends the bytes as they are, whatever charset the header names.
            response = self.client.generic(
                "POST", url, payload, content_type=content_type, headers=HTMX if htmx else {}
            )
            return response, len(payload)

        before = self.state()
        response, size = send(form)
        if size > django_settings.REQUEST_BODY_MAX_BYTES:
            # Larger than any form of the site: refused unread, whatever it held. The rule
            # goes on with its own fields alone, if they fit.
            assert response.status_code == 413
            assert self.state() == before
            flood = False
            form = {name: value for name, value in fields.items() if value is not MISSING}
            response, size = send(form)
            if size > django_settings.REQUEST_BODY_MAX_BYTES:
                assert response.status_code == 413
                assert self.state() == before
                return response, htmx, TOO_LARGE
        assert response.status_code < 500, page_text(response)[:300]
        if 400 <= response.status_code < 500:
            assert self.state() == before, f"{response.status_code} changed the routine"
        # Django refuses a multipart part whose header passes 1 KB (see long_name).
        readable = urlencoded or all(len(key.encode()) < 900 for key in form)
        return response, htmx, REFUSED if flood or not readable else READ

    def changed(self, response, htmx, before):
        """Check a change went through as the request expects; the routine after it."""
        if htmx:
            assert response.status_code == 200
            assert json.loads(response["HX-Trigger"]) == {"routine-changed": {}}
        else:
            assert response.status_code == 302
            assert response["Location"] == "/routine/"
        after = self.working()
        assert after.version == before.version + 1
        return after

    # Seeding: visitors arrive with an empty routine, a few steps, or one near the limit

    @initialize(
        slugs=st.lists(st.sampled_from(POINT_SLUGS), unique=True, max_size=5),
        # A quarter of the visitors start at or next to the 30-step limit.
        free_steps=st.sampled_from([0, 0, 1, 2, 3, 4, 29, 30]),
    )
    def seed(self, slugs, free_steps):
        session = self.client.session
        working = WorkingRoutine(session)
        points = Point.objects.in_bulk(slugs, field_name="slug")
        # As add_point and add_free_step store them, in one write instead of thirty.
        working.entries = [
            {
                "id": f"seed{number}",
                "point": points[slug].pk if slug else None,
                "text": "" if slug else f"Free step {number}",
                "seconds": 60,
                "sides": Sides.BOTH if slug and points[slug].bilateral else Sides.NONE,
                "note": "",
            }
            for number, slug in enumerate([*slugs, *[None] * free_steps][:MAX_STEPS])
        ]
        working.store()
        session.save()

    # The forms

    @rule(data=st.data())
    def add_point(self, data):
        slug = data.draw(
            st.one_of(st.sampled_from([*POINT_SLUGS, self.extra.slug]), well_formed_slug, any_text)
        )
        before = self.working()
        # The URL's slug converter answers 404 for anything else before any query (and
        # PostgreSQL refuses NUL bytes in a query's text).
        is_slug = re.fullmatch(r"[-a-zA-Z0-9_]+", slug)
        point = Point.objects.published().filter(slug=slug).first() if is_slug else None
        already = point is not None and before.contains(point)
        response, htmx, body = self.post(f"/routine/add/{quote(slug, safe='')}/", {}, data)
        if body == TOO_LARGE:
            return
        # add_point reads no form field, so extra or flooding ones make no difference.
        if point is None:
            assert response.status_code == 404
        elif already:
            assert response.status_code == 409
        elif len(before) >= MAX_STEPS:
            assert response.status_code == 422
        else:
            assert self.changed(response, htmx, before).contains(point)

    @rule(data=st.data())
    def update_step(self, data):
        before = self.working()
        key, key_ok = self.draw_key(data, before)
        step = next((step for step in before.steps() if step.key == key), None)
        low, high = (
            (step.point.press_seconds_min, step.point.press_seconds_max)
            if step and step.point
            else FREE_STEP_SECONDS
        )
        fields = {
            "version": self.draw_version(data, before),
            "seconds": data.draw(field(st.integers(low, high)), label="seconds"),
            "sides": data.draw(field(st.sampled_from(Sides.values)), label="sides"),
            "note": data.draw(field(clean_text(NOTE_MAX_LENGTH)), label="note"),
        }
        response, htmx, body = self.post(
            f"/routine/steps/{quote(key, safe='')}/",
            {name: value for name, (value, _) in fields.items()},
            data,
        )
        if body == TOO_LARGE:
            return
        if step is None:
            # A key with a slash in it may reach another route; any other is unknown.
            if SLUG.fullmatch(key):
                assert response.status_code == 404
        elif body == REFUSED:
            assert response.status_code == 400
        elif body == READ and key_ok and all(ok for _, ok in fields.values()):
            after = self.changed(response, htmx, before)
            updated = next(step for step in after.steps() if step.key == key)
            assert updated.seconds == fields["seconds"][0]
            assert updated.note == fields["note"][0].strip()

    @rule(data=st.data())
    def move_step(self, data):
        before = self.working()
        key, key_ok = self.draw_key(data, before)
        version, version_ok = self.draw_version(data, before)
        direction, direction_ok = data.draw(field(st.sampled_from(["up", "down"])))
        keys = [step.key for step in before.steps()]
        response, htmx, body = self.post(
            f"/routine/steps/{quote(key, safe='')}/move/",
            {"version": version, "direction": direction},
            data,
        )
        if body == TOO_LARGE:
            return
        if body == REFUSED and SLUG.fullmatch(key):
            assert response.status_code == 400
        elif body == READ and key_ok and version_ok and direction_ok:
            target = keys.index(key) + (-1 if direction == "up" else 1)
            if 0 <= target < len(keys):
                after = self.changed(response, htmx, before)
                assert [step.key for step in after.steps()][target] == key
            else:
                assert response.status_code == 422

    @rule(data=st.data())
    def remove_step(self, data):
        before = self.working()
        key, key_ok = self.draw_key(data, before)
        version, version_ok = self.draw_version(data, before)
        response, htmx, body = self.post(
            f"/routine/steps/{quote(key, safe='')}/remove/", {"version": version}, data
        )
        if body == TOO_LARGE:
            return
        if body == REFUSED and SLUG.fullmatch(key):
            assert response.status_code == 400
        elif body == READ and key_ok and version_ok:
            after = self.changed(response, htmx, before)
            assert key not in [step.key for step in after.steps()]

    @rule(data=st.data())
    def add_free_step(self, data):
        before = self.working()
        text = st.one_of(st.sampled_from(FREE_STEP_IDEAS), clean_text(FREE_STEP_MAX_LENGTH, 1))
        fields = {
            "version": self.draw_version(data, before),
            "text": data.draw(field(text), label="text"),
            "seconds": data.draw(field(st.integers(*FREE_STEP_SECONDS)), label="seconds"),
        }
        response, htmx, body = self.post(
            "/routine/free-step/", {name: value for name, (value, _) in fields.items()}, data
        )
        if body == TOO_LARGE:
            return
        if body == REFUSED:
            assert response.status_code == 400
        elif body == READ and all(ok for _, ok in fields.values()):
            if len(before) >= MAX_STEPS:
                assert response.status_code == 422
            else:
                after = self.changed(response, htmx, before)
                assert after.steps()[-1].text == fields["text"][0].strip()

    @rule(data=st.data())
    def rename(self, data):
        before = self.working()
        version, version_ok = self.draw_version(data, before)
        title, title_ok = data.draw(field(clean_text(TITLE_MAX_LENGTH)), label="title")
        response, htmx, body = self.post(
            "/routine/title/", {"version": version, "title": title}, data
        )
        if body == TOO_LARGE:
            return
        if body == REFUSED:
            assert response.status_code == 400
        elif body == READ and version_ok and title_ok:
            after = self.changed(response, htmx, before)
            assert after.title == (title.strip() or DEFAULT_TITLE)

    @rule(data=st.data())
    def set_schedule(self, data):
        before = self.working()
        version, version_ok = self.draw_version(data, before)
        times, times_ok = data.draw(
            field(st.integers(1, 4).map(str), st.one_of(st.integers(-3, 9).map(str), junk)),
            label="times",
        )
        days, days_ok = data.draw(
            field(
                st.lists(st.sampled_from("1234567"), min_size=1, max_size=9),
                st.lists(st.one_of(st.sampled_from(["0", "8", "", "1 ", "12"]), junk), max_size=3),
            ),
            label="days",
        )
        weeks, weeks_ok = data.draw(
            field(
                st.one_of(st.just(""), st.integers(1, 12).map(str)),
                st.one_of(st.integers(-2, 40).map(str), junk),
            ),
            label="weeks",
        )
        # Out-of-range numbers drawn as "invalid" may still fall in range: judge the values.
        times_ok = times_ok or times in {"1", "2", "3", "4"}
        weeks_ok = weeks_ok or weeks in {str(n) for n in range(1, 13)}
        response, htmx, body = self.post(
            "/routine/schedule/",
            {"version": version, "times": times, "days": days, "weeks": weeks},
            data,
        )
        if body == TOO_LARGE:
            return
        if body == REFUSED:
            assert response.status_code == 400
        elif body == READ and version_ok and times_ok and days_ok and weeks_ok:
            after = self.changed(response, htmx, before)
            assert after.schedule == Schedule(
                int(times), "".join(sorted(set(days))), int(weeks) if weeks else None
            )

    @rule(data=st.data())
    def clear(self, data):
        before = self.working()
        version, version_ok = self.draw_version(data, before)
        response, htmx, body = self.post("/routine/clear/", {"version": version}, data)
        if body == TOO_LARGE:
            return
        if body == REFUSED:
            assert response.status_code == 400
        elif body == READ and version_ok:
            assert len(self.changed(response, htmx, before)) == 0

    @rule(data=st.data())
    def save(self, data):
        before = self.working()
        steps = step_fields(before.steps())
        version, version_ok = self.draw_version(data, before)
        response, htmx, body = self.post("/routine/save/", {"version": version}, data)
        if body == TOO_LARGE:
            return
        if body == REFUSED:
            assert response.status_code == 400
        elif body == READ and version_ok and not steps:
            assert response.status_code == 422
        elif body == READ and version_ok:
            assert response.status_code == (204 if htmx else 302)
            url = response["HX-Redirect"] if htmx else response["Location"]
            routine = Routine.objects.get(token=url.strip("/").split("/")[1])
            # All of the routine was saved, in order, or the request would have failed.
            assert routine.title == before.title
            assert not routine.is_suggestion
            assert step_fields(routine.steps.order_by("position")) == steps
            if routine.token in self.snapshot:
                # Saving the same routine again gives the link it already has.
                assert routine_rows([routine.token])[routine.token] == self.snapshot[routine.token]
            else:
                self.snapshot.update(routine_rows([routine.token]))

    @rule(data=st.data())
    def copy(self, data):
        token = data.draw(
            st.one_of(st.sampled_from(list(self.snapshot)), well_formed_slug, any_text)
        )
        method = data.draw(st.sampled_from(["get", "post"]))
        htmx = data.draw(st.booleans())
        before = self.working()
        url = f"/r/{quote(token, safe='')}/copy/"
        if method == "post":
            response, _, _ = self.post(url, {}, data, htmx=htmx)
        else:
            state = self.state()
            response = self.client.get(url, headers=HTMX if htmx else {})
            assert self.state() == state
        if token not in self.snapshot:
            assert response.status_code == 404
        elif method == "get" or (htmx and len(before)):
            # Nothing is replaced without the visitor's yes on a plain page.
            assert response.status_code == (204 if htmx else 200)
            assert self.working().version == before.version
        else:
            assert response.status_code == (204 if htmx else 302)
            routine = Routine.objects.get(token=token)
            copied = self.working()
            assert copied.version == before.version + 1
            assert copied.title == routine.title
            visible = routine.steps.filter(Q(point=None) | Q(point__is_published=True))
            assert step_fields(copied.steps()) == step_fields(visible.order_by("position"))

    @rule(
        page=st.sampled_from(
            ["/routine/", "/routine/print/", "/routine/session/", "/routine/badge/"]
        ),
        headers=htmx_headers,
    )
    def view_page(self, page, headers):
        before = self.state()
        response = self.client.get(page, headers=headers)
        assert response.status_code == 200
        assert self.state() == before

    @rule(published=st.booleans())
    def editor_publishes_or_unpublishes_a_point(self, published):
        self.extra.is_published = published
        self.extra.save(update_fields=["is_published"])

    # What must hold after every action

    @invariant()
    def session_routine_within_limits(self):
        stored = self.client.session.get(SESSION_KEY)
        if stored is None:
            return
        assert set(stored) == {"title", "steps", "schedule", "version"}
        assert Schedule.from_session(stored["schedule"]).as_session() == stored["schedule"]
        assert stored["version"] >= self.last_version
        self.last_version = stored["version"]
        title = stored["title"]
        assert 0 < len(title) <= TITLE_MAX_LENGTH
        assert title == title.strip()
        assert "\x00" not in title
        entries = stored["steps"]
        assert len(entries) <= MAX_STEPS
        assert len({entry["id"] for entry in entries}) == len(entries)
        points = Point.objects.in_bulk({entry["point"] for entry in entries if entry["point"]})
        for entry in entries:
            assert set(entry) == {"id", "point", "text", "seconds", "sides", "note"}
            assert isinstance(entry["seconds"], int)
            assert len(entry["note"]) <= NOTE_MAX_LENGTH
            assert "\x00" not in entry["note"]
            assert entry["note"] == entry["note"].strip()
            if entry["point"]:
                point = points[entry["point"]]
                assert entry["text"] == ""
                assert point.press_seconds_min <= entry["seconds"] <= point.press_seconds_max
                allowed = {Sides.BOTH, Sides.LEFT, Sides.RIGHT} if point.bilateral else {""}
                assert entry["sides"] in allowed
            else:
                text = entry["text"]
                assert 0 < len(text) <= FREE_STEP_MAX_LENGTH
                assert text == text.strip()
                assert "\x00" not in text
                assert FREE_STEP_SECONDS[0] <= entry["seconds"] <= FREE_STEP_SECONDS[1]
                assert entry["sides"] == ""

    @invariant()
    def saved_routines_are_whole(self):
        positions = defaultdict(list)
        for routine_id, position, point_id, text, seconds in RoutineStep.objects.order_by(
            "routine", "position"
        ).values_list("routine_id", "position", "point_id", "text", "seconds"):
            positions[routine_id].append(position)
            assert 1 <= seconds <= FREE_STEP_SECONDS[1]
            assert (point_id is None) != (text == "")
        for pk, title in Routine.objects.values_list("pk", "title"):
            assert positions[pk] == list(range(1, len(positions[pk]) + 1))
            assert positions[pk], f"routine {pk} ({title}) has no steps"
            assert len(title) <= TITLE_MAX_LENGTH

    @invariant()
    def saved_routines_never_change(self):
        assert routine_rows(list(self.snapshot)) == self.snapshot


def test_routine_builder_state_machine():
    run_state_machine_as_test(
        RoutineVisitor,
        settings=settings(FUZZ, max_examples=70, stateful_step_count=6),
    )


# The pytest plugin reports statistics (--hypothesis-show-statistics) for tests it takes for
# @given tests; this one runs Hypothesis inside, so it says it is one.
test_routine_builder_state_machine.is_hypothesis_test = True


# CSRF: the test client skips the check unless asked; a real browser never does

CSRF_POSTS = [
    "/routine/add/gb30/",
    "/routine/add/li4/",
    "/routine/steps/{key}/",
    "/routine/steps/{key}/move/",
    "/routine/steps/{key}/remove/",
    "/routine/free-step/",
    "/routine/title/",
    "/routine/schedule/",
    "/routine/clear/",
    "/routine/save/",
    "/r/{token}/copy/",
]
forged_token = st.one_of(
    st.text(
        st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
        min_size=32,
        max_size=64,
    ),
    any_text,
    junk,
)


@pytest.fixture
def csrf_visitor():
    """A visitor whose browser checks CSRF like a real one, with the CSRF cookie and a step.

    Every example reuses it: a refused POST changes nothing, which the test checks.
    """
    client = Client(enforce_csrf_checks=True)
    client.get("/routine/badge/")  # sets the CSRF cookie, as every page does through htmx
    secret = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    # The control: with the token, the same client may change its routine.
    assert client.post("/routine/add/bl23/", headers={"X-CSRFToken": secret}).status_code == 302
    return client


@settings(FUZZ, max_examples=150)
@given(
    route=st.sampled_from(CSRF_POSTS),
    # Short field names: a multipart body Django cannot read at all is a 400 before any
    # token is looked at (the state machine sends those).
    form=st.dictionaries(any_text.filter(lambda key: key not in FORM_FIELDS), garbage, max_size=3),
    how=st.sampled_from(["no token", "forged field", "forged header", "no cookie", "both forged"]),
    forged=forged_token,
    htmx=st.booleans(),
)
def test_posts_without_a_valid_csrf_token_are_refused(
    csrf_visitor, tokens, route, form, how, forged, htmx
):
    client = csrf_visitor
    cookie_name = django_settings.CSRF_COOKIE_NAME
    secret = client.cookies[cookie_name].value
    working = WorkingRoutine(client.session)
    url = route.format(key=working.steps()[0].key, token=tokens["suggestion"])
    form = {**form, "version": working.version, "direction": "up", "text": "x", "seconds": 60}
    headers = {**HTMX, "HX-Current-URL": "http://testserver/routine/"} if htmx else {}
    if how in {"forged field", "both forged"}:
        form["csrfmiddlewaretoken"] = forged
    if how in {"forged header", "both forged"}:
        headers["X-CSRFToken"] = forged.encode("utf-8").decode("latin-1")
    if how == "no cookie":
        del client.cookies[cookie_name]
        form["csrfmiddlewaretoken"] = secret
    session_before = dict(client.session.items())
    counts_before = Routine.objects.count(), RoutineStep.objects.count()

    try:
        response = client.post(url, form, headers=headers)
    finally:
        client.cookies[cookie_name] = secret

    assert dict(client.session.items()) == session_before
    assert (Routine.objects.count(), RoutineStep.objects.count()) == counts_before
    if int(response.request["CONTENT_LENGTH"]) > django_settings.REQUEST_BODY_MAX_BYTES:
        # Refused before the token is looked at: the body is larger than the site reads.
        assert response.status_code == 413
        return
    assert response.status_code == 403
    if htmx:
        # Sent where a plain browser would go: the confirmation page, or the routine.
        confirms = route.startswith(("/routine/add/", "/r/"))
        assert response["HX-Redirect"] == (url if confirms else "/routine/")
    else:
        assert "That form had expired" in page_text(response)


# Bugs the fuzzing found, one focused test each


@pytest.fixture
def site():
    """The site as gunicorn runs it (acupressure/wsgi.py), built after the test settings.

    Like the test client, it keeps Django from closing the test's database connection
    at the end of each request.
    """
    application = read_as_utf8(WSGIHandler())
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# A CSRF secret of the right form, sent as the cookie and as the form's token.
CSRF_SECRET = "fuzz" * 8


def call(application, method, path, query_string="", content_type=None, body=b""):
    """One request through the WSGI application, with the CSRF cookie: status and body."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query_string,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": f"{django_settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
    }
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    setup_testing_defaults(environ)
    statuses = []
    response = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    content = b"".join(response)
    response.close()
    return int(statuses[0].split()[0]), content


@pytest.mark.parametrize(
    ("content_type", "query_string"),
    [
        ("text/plain; charset=rot13", "q=bl"),  # LookupError: not a text encoding
        ("text/plain; charset=base64", "pain=sciatica"),
        ("text/plain; charset=\x00", ""),  # ValueError: embedded null character
        ("text/plain; x*=nope''a", ""),  # ValueError: RFC 2231 parameter, unknown encoding
        ("text/plain; charset=idna", "q=%ff"),  # UnicodeError
        ("text/plain; charset=undefined", "q=bl"),
    ],
)
def test_a_content_type_django_cannot_parse_is_read_as_utf8(site, content_type, query_string):
    # Django raised these while building the request, outside its error handling: a 500.
    status, content = call(site, "GET", "/points/", query_string, content_type)
    assert status == 200
    assert b'id="results"' in content


def test_too_many_query_fields_with_a_charset_are_answered_as_without_one(site):
    # A charset made Django parse the query string while building the request, so the
    # field limit raised there, a 500 even where no view reads the query string.
    query_string = "&".join(["pain=x"] * (field_limit() + 1))
    content_type = "application/x-www-form-urlencoded; charset=UTF-8"
    assert call(site, "GET", "/points/", query_string, content_type)[0] == 400
    body = f"version=0&title=Mine&csrfmiddlewaretoken={CSRF_SECRET}".encode()
    assert call(site, "POST", "/routine/title/", query_string, content_type, body)[0] == 302


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=rot13",
        f"{MULTIPART_CONTENT}; charset=base64",
        f"{MULTIPART_CONTENT}; charset=\x00",
    ],
)
def test_a_form_posted_with_an_unusable_charset_is_read_as_utf8(site, content_type):
    form = {"version": "0", "text": "Café break", "seconds": "60"}
    form["csrfmiddlewaretoken"] = CSRF_SECRET
    if content_type.startswith("multipart"):
        body = encode_multipart(BOUNDARY, form)
    else:
        body = urlencode(form).encode()
    status, _ = call(site, "POST", "/routine/free-step/", content_type=content_type, body=body)
    assert status == 302  # added, with the routine's version and fields read as sent


def test_a_charset_the_request_names_is_ignored_for_utf8():
    client = SiteClient()
    body = urlencode({"version": 0, "text": "Café break", "seconds": 60}).encode()
    response = client.generic(
        "POST",
        "/routine/free-step/",
        body,
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 302
    assert [step.text for step in WorkingRoutine(client.session).steps()] == ["Café break"]


@pytest.mark.parametrize(
    ("header", "readable"),
    [
        ("text/html", "text/html"),
        ("application/x-www-form-urlencoded; charset=UTF-8", "application/x-www-form-urlencoded"),
        (
            "multipart/form-data; boundary=--x-1; charset=rot13",
            'multipart/form-data; boundary="--x-1"',
        ),
        ('multipart/form-data; boundary="a\\"b"', 'multipart/form-data; boundary="a\\"b"'),
        ("multipart/form-data; x*=nope''a; boundary=b", "multipart/form-data"),
    ],
)
def test_readable_content_type_keeps_the_media_type_and_boundary(header, readable):
    assert readable_content_type(header) == readable


def test_a_shared_link_with_an_overlong_token_is_a_plain_404(client):
    # The token went into a cache key whatever its length; past 250 characters Django
    # warns that the key breaks memcached, and the suite turns that warning into an error.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        response = client.get(f"/r/{'a' * 300}/")
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in page_text(response).replace("&#x27;", "'")
