"""Hypothesis strategies for bad input, shared by the fuzz tests (tests/test_fuzz.py) and
the calendar's (tests/test_calendar.py): junk text, and query strings built as the bytes a
browser, or an attacker, would put on the wire."""

from urllib.parse import quote_plus

from hypothesis import strategies as st

from points.models import BodyRegion
from tests.pages import PAIN_TYPE_SLUGS, POINT_SLUGS

JUNK = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%",
    "%%",
    "%zz",
    "%ff",
    "%c3%28",
    "%00",
    "%2F",
    "&",
    "=",
    "+",
    ";",
    "..",
    "../../etc/passwd",
    "\u202e",
    "\ufeff",
    "🙂",
    "<script>",
    "' OR 1=1 --",
    "\r\nX-Injected: 1",
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999999999",
]
JUNK_BYTES = [b"\xff", b"\xc3(", b"\xe2\x82", b"%\xff", b"\x00", b"\xed\xa0\x80"]
REGIONS = [value for value, _ in BodyRegion.choices]

any_text = st.text(st.characters(codec="utf-8"), max_size=30)
junk = st.sampled_from(JUNK)
overlong = st.builds(
    lambda character, length: character * length,
    st.sampled_from(["x", "9", "é", "%", "\x00", "🙂", "a ", "&"]),
    st.integers(min_value=101, max_value=5000),
)


# Query strings


def query_part(key, value, style):
    if style == "encoded":
        return f"{quote_plus(key)}={quote_plus(value)}".encode()
    if style == "key-only":
        return key.encode()
    return f"{key}={value}".encode()


query_key = st.one_of(st.sampled_from(["pain", "region", "q", "page", "version"]), any_text, junk)
query_value = st.one_of(
    st.sampled_from(PAIN_TYPE_SLUGS + REGIONS + POINT_SLUGS), any_text, junk, overlong
)
query_parts = st.one_of(
    st.builds(query_part, query_key, query_value, st.sampled_from(["encoded", "raw", "key-only"])),
    st.sampled_from(JUNK_BYTES),
)


@st.composite
def query_strings(draw):
    parts = draw(st.lists(query_parts, max_size=25))
    # Sometimes many parameters, across the field limit when that is a low one.
    parts += [b"pain=x"] * draw(st.one_of(st.just(0), st.integers(min_value=0, max_value=260)))
    separator = draw(st.sampled_from([b"&", b"&&", b";"]))
    # WSGI carries the raw bytes as a latin-1 string.
    return separator.join(parts).decode("latin-1")
