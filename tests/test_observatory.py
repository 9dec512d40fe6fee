"""The Observatory grader in tools/observatory.py, on header sets whose outcome the rules fix.

Expected numbers come from mdn/mdn-http-observatory (algorithm version 5): the modifiers from
src/grader/charts.js, the bonus rule from src/scanner/index.js, and the cookie cases from
test/cookies.test.js.
"""

import pytest
from django.http import HttpResponse

from tools.observatory import TLS_ONLY_TESTS, Script, django_headers, grade, grade_for

HOME = "https://example.org/"
STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Every test at its best: CSP +10, cookies +5, referrer +5, XFO via CSP +5, CORP +10.
STRONG = {
    "Content-Security-Policy": STRICT_CSP,
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Type": "text/html; charset=utf-8",
    "Set-Cookie": [
        "sessionid=abc; HttpOnly; Path=/; SameSite=Lax; Secure",
        "csrftoken=xyz; Path=/; SameSite=Lax; Secure",
    ],
}


def graded(*, redirect=HOME, **overrides):
    """The STRONG headers with some replaced (a value of None removes the header)."""
    headers = {name: value for name, value in {**STRONG, **overrides}.items() if value}
    return grade(headers, http_redirect_location=redirect)


def outcome(report, name):
    return report[name].result, report[name].modifier


def test_an_empty_response_over_https_scores_30():
    report = grade({}, http_redirect_location=HOME)

    # CSP -25, HSTS -20, X-Content-Type-Options -5, X-Frame-Options -20; the rest are 0.
    assert (report.score, report.grade) == (30, "D")
    assert {c.name: c.modifier for c in report.checks if c.modifier} == {
        "content-security-policy": -25,
        "strict-transport-security": -20,
        "x-content-type-options": -5,
        "x-frame-options": -20,
    }


def test_an_empty_response_without_an_https_redirect_scores_10():
    report = grade({})

    assert outcome(report, "redirection") == ("redirection-missing", -20)
    assert (report.score, report.grade) == (10, "F")


def test_the_strong_headers_collect_every_bonus():
    report = graded()

    assert report.score == 100 + 10 + 5 + 5 + 5 + 10
    assert report.grade == "A+"
    assert all(check.modifier >= 0 for check in report.checks), report.summary()


def test_bonuses_are_withheld_below_90():
    report = graded(**{"Strict-Transport-Security": None})

    # 100 - 20 = 80 before bonuses, so the +35 of bonuses does not count.
    assert (report.score, report.grade) == (80, "B+")


def test_bonuses_count_from_exactly_90():
    report = graded(**{"Strict-Transport-Security": "max-age=86400"})

    assert report.score == 100 - 10 + 35


@pytest.mark.parametrize(
    ("score", "letter"),
    [
        (140, "A+"),
        (100, "A+"),
        (99, "A"),
        (90, "A"),
        (89, "A-"),
        (84, "B+"),
        (70, "B"),
        (69, "B-"),
        (64, "C+"),
        (50, "C"),
        (49, "C-"),
        (44, "D+"),
        (30, "D"),
        (29, "D-"),
        (24, "F"),
        (0, "F"),
    ],
)
def test_grade_chart(score, letter):
    assert grade_for(score) == letter


def test_the_score_never_drops_below_zero():
    headers = {
        "Set-Cookie": "sessionid=abc; Path=/",
        "Access-Control-Allow-Origin": "https://http-observatory.security.mozilla.org",
        "Access-Control-Allow-Credentials": "true",
    }
    report = grade(headers, https=False, scripts=["http://cdn.example.net/lib.js"])

    assert outcome(report, "cookies") == ("cookies-session-without-secure-flag", -40)
    assert report["cross-origin-resource-sharing"].modifier == -50
    assert report["subresource-integrity"].modifier == -50
    assert (report.score, report.grade) == (0, "F")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (STRICT_CSP, ("csp-implemented-with-no-unsafe-default-src-none", 10)),
        ("default-src 'self'; object-src 'none'", ("csp-implemented-with-no-unsafe", 5)),
        (
            "default-src 'self'; script-src 'self' 'unsafe-inline'",
            ("csp-implemented-with-unsafe-inline", -20),
        ),
        (
            "default-src 'self'; script-src 'self' data:",
            ("csp-implemented-with-unsafe-inline", -20),
        ),
        ("script-src 'self'", ("csp-implemented-with-unsafe-inline", -20)),  # object-src is open
        (
            "default-src 'self'; script-src 'self' 'unsafe-eval'",
            ("csp-implemented-with-unsafe-eval", -10),
        ),
        (
            "default-src 'self'; style-src 'unsafe-inline'",
            ("csp-implemented-with-unsafe-inline-in-style-src-only", 0),
        ),
        (
            "default-src 'self' http://cdn.example.org",
            ("csp-implemented-with-insecure-scheme", -20),
        ),
        (
            "default-src 'self'; img-src http:",
            ("csp-implemented-with-insecure-scheme-in-passive-content-only", -10),
        ),
        ("default-src 'self'; script-src 'strict-dynamic'", ("csp-header-invalid", -25)),
        ("default-src 'self'; default-src 'none'", ("csp-header-invalid", -25)),
        ("", ("csp-header-invalid", -25)),
    ],
)
def test_content_security_policy(policy, expected):
    report = graded(**{"Content-Security-Policy": [policy]})

    assert outcome(report, "content-security-policy") == expected


def test_a_nonce_cancels_unsafe_inline():
    policy = "default-src 'none'; script-src 'nonce-r4nd0m' 'unsafe-inline' 'strict-dynamic'"
    report = graded(**{"Content-Security-Policy": policy})

    assert outcome(report, "content-security-policy")[1] == 10


def test_http_sources_are_only_penalised_on_an_https_site():
    headers = {"Content-Security-Policy": "default-src 'self' http://cdn.example.org"}

    assert grade(headers)["content-security-policy"].modifier == -20
    assert grade(headers, https=False)["content-security-policy"].modifier == 5


def test_a_duplicate_report_uri_costs_the_csp_bonus():
    policy = f"{STRICT_CSP}; report-uri /csp/a; report-uri /csp/b"
    report = graded(**{"Content-Security-Policy": policy})

    assert outcome(report, "content-security-policy") == (
        "csp-implemented-but-duplicate-directives",
        0,
    )


def test_report_only_is_not_an_enforced_policy():
    report = graded(
        **{"Content-Security-Policy": None, "Content-Security-Policy-Report-Only": STRICT_CSP}
    )

    assert outcome(report, "content-security-policy") == (
        "csp-not-implemented-but-reporting-enabled",
        -25,
    )
    # frame-ancestors in a report-only policy protects nothing.
    assert outcome(report, "x-frame-options") == ("x-frame-options-not-implemented", -20)


@pytest.mark.parametrize(
    ("csp", "xfo", "expected"),
    [
        (STRICT_CSP, None, ("x-frame-options-implemented-via-csp", 5)),
        ("default-src 'self'; frame-ancestors *", None, ("x-frame-options-implemented-via-csp", 5)),
        ("default-src 'self'", "DENY", ("x-frame-options-sameorigin-or-deny", 5)),
        ("default-src 'self'", "sameorigin", ("x-frame-options-sameorigin-or-deny", 5)),
        (
            "default-src 'self'",
            "ALLOW-FROM https://a.example",
            ("x-frame-options-allow-from-origin", 0),
        ),
        ("default-src 'self'", None, ("x-frame-options-not-implemented", -20)),
        ("default-src 'self'", "allowall", ("x-frame-options-header-invalid", -20)),
    ],
)
def test_x_frame_options(csp, xfo, expected):
    report = graded(**{"Content-Security-Policy": csp, "X-Frame-Options": xfo})

    assert outcome(report, "x-frame-options") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("max-age=31536000", ("hsts-implemented-max-age-at-least-six-months", 0)),
        ("max-age=15552000", ("hsts-implemented-max-age-at-least-six-months", 0)),
        ("max-age=15551999", ("hsts-implemented-max-age-less-than-six-months", -10)),
        ("max-age=86400", ("hsts-implemented-max-age-less-than-six-months", -10)),
        ("includeSubDomains", ("hsts-header-invalid", -20)),
        ("max-age=31536000, max-age=31536000", ("hsts-header-invalid", -20)),
        (None, ("hsts-not-implemented", -20)),
    ],
)
def test_strict_transport_security(value, expected):
    report = graded(**{"Strict-Transport-Security": value})

    assert outcome(report, "strict-transport-security") == expected


def test_hsts_cannot_pass_without_https():
    report = grade(STRONG, https=False)

    assert outcome(report, "strict-transport-security") == ("hsts-not-implemented-no-https", -20)


@pytest.mark.parametrize(
    ("cookies", "expected"),
    [
        (
            ["sessionid=a; Path=/; Secure; SameSite=Lax"],
            ("cookies-session-without-httponly-flag", -30),
        ),
        (["SESSIONID=a; Path=/; HttpOnly"], ("cookies-session-without-secure-flag", -40)),
        (["SESSIONID=a; Path=/"], ("cookies-session-without-secure-flag", -40)),
        (
            ["PHPSESSID=a; Path=/; Secure; SameSite=Lax"],
            ("cookies-session-without-httponly-flag", -30),
        ),
        (
            ["login_token=a; Path=/; Secure; SameSite=Lax"],
            ("cookies-session-without-httponly-flag", -30),
        ),
        (["csrftoken=a; Path=/; Secure"], ("cookies-anticsrf-without-samesite-flag", -20)),
        (["theme=dark; Path=/; SameSite=Lax"], ("cookies-without-secure-flag", -20)),
        (["theme=dark; Path=/; Secure; SameSite=Invalid"], ("cookies-samesite-flag-invalid", -20)),
        (["theme=dark; Path=/; Secure; SameSite="], ("cookies-samesite-flag-invalid", -20)),
        (["theme=dark; Path=/; Secure"], ("cookies-secure-with-httponly-sessions", 0)),
        (
            ["theme=dark; Path=/; Secure; SameSite=Strict"],
            ("cookies-secure-with-httponly-sessions-and-samesite", 5),
        ),
        (
            ["sessionid=; Max-Age=0; Path=/; SameSite=Lax"],
            ("cookies-session-without-secure-flag", -40),
        ),
        ([], ("cookies-not-found", 0)),
    ],
)
def test_cookies(cookies, expected):
    report = graded(**{"Set-Cookie": cookies or None, "Strict-Transport-Security": None})

    assert outcome(report, "cookies") == expected


def test_a_passing_hsts_header_softens_a_missing_secure_flag():
    report = graded(**{"Set-Cookie": ["sessionid=a; Path=/; HttpOnly; SameSite=Lax"]})

    assert outcome(report, "cookies") == (
        "cookies-session-without-secure-flag-but-protected-by-hsts",
        -10,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("same-origin", ("referrer-policy-private", 5)),
        ("strict-origin-when-cross-origin", ("referrer-policy-private", 5)),
        ("no-referrer, unsafe-url", ("referrer-policy-unsafe", -5)),
        ("unsafe-url, no-referrer", ("referrer-policy-private", 5)),
        ("nope", ("referrer-policy-header-invalid", -5)),
        (None, ("referrer-policy-not-implemented", 0)),
    ],
)
def test_referrer_policy(value, expected):
    report = graded(**{"Referrer-Policy": value})

    assert outcome(report, "referrer-policy") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("same-origin", ("corp-implemented-with-same-origin", 10)),
        ("same-site", ("corp-implemented-with-same-site", 10)),
        ("cross-origin", ("corp-implemented-with-cross-origin", 0)),
        ("everyone", ("corp-header-invalid", -5)),
        (None, ("corp-not-implemented", 0)),
    ],
)
def test_cross_origin_resource_policy(value, expected):
    report = graded(**{"Cross-Origin-Resource-Policy": value})

    assert outcome(report, "cross-origin-resource-policy") == expected


@pytest.mark.parametrize(
    ("redirect", "expected"),
    [
        (HOME, ("redirection-to-https", 0)),
        (["/start", HOME], ("redirection-not-to-https-on-initial-redirection", -10)),
        ("https://www.example.org/", ("redirection-off-host-from-http", -5)),
        ("http://example.org/elsewhere", ("redirection-not-to-https", -20)),
        (None, ("redirection-missing", -20)),
    ],
)
def test_redirection(redirect, expected):
    assert outcome(graded(redirect=redirect), "redirection") == expected


def test_no_http_listener_needs_no_redirect():
    report = grade(STRONG, serves_http=False)

    assert outcome(report, "redirection") == ("redirection-not-needed-no-http", 0)


@pytest.mark.parametrize(
    ("scripts", "expected"),
    [
        ([], ("sri-not-implemented-but-no-scripts-loaded", 0)),
        ([Script(None)], ("sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0)),
        (["/static/app.js"], ("sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0)),
        (
            [Script("/static/app.js", "sha384-abc")],
            ("sri-implemented-and-all-scripts-loaded-securely", 5),
        ),
        (
            [Script("https://cdn.example.net/a.js", "sha384-abc")],
            ("sri-implemented-and-external-scripts-loaded-securely", 5),
        ),
        (
            ["https://cdn.example.net/a.js"],
            ("sri-not-implemented-but-external-scripts-loaded-securely", -5),
        ),
        (
            [Script("http://cdn.example.net/a.js", "sha384-abc")],
            ("sri-implemented-but-external-scripts-not-loaded-securely", -20),
        ),
        (
            ["//cdn.example.net/a.js"],
            ("sri-not-implemented-and-external-scripts-not-loaded-securely", -50),
        ),
        (
            ["https://static.example.org/a.js"],
            ("sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0),
        ),
    ],
)
def test_subresource_integrity(scripts, expected):
    report = grade(STRONG, http_redirect_location=HOME, scripts=scripts)

    assert outcome(report, "subresource-integrity") == expected


def test_scripts_do_not_matter_outside_html():
    headers = {**STRONG, "Content-Type": "application/json"}
    report = grade(headers, scripts=["http://cdn.example.net/a.js"])

    assert outcome(report, "subresource-integrity") == ("sri-not-implemented-response-not-html", 0)


def test_plain_http_fails_exactly_the_tls_only_tests():
    over_tls = grade(STRONG, http_redirect_location=HOME)
    plain = grade({**STRONG, "Set-Cookie": "sessionid=a; HttpOnly; SameSite=Lax"}, https=False)

    worse = {c.name for c in plain.checks if c.modifier < over_tls[c.name].modifier}
    assert worse == TLS_ONLY_TESTS == {"strict-transport-security", "redirection", "cookies"}
    assert all(check.needs_tls for check in plain.checks if check.name in worse)


def test_django_headers_lists_each_cookie():
    response = HttpResponse("<p>hi</p>")
    response["Referrer-Policy"] = "same-origin"
    response.set_cookie("sessionid", "abc", httponly=True, secure=True, samesite="Lax")
    response.set_cookie("csrftoken", "xyz", secure=True, samesite="Lax")

    headers = django_headers(response)
    report = grade(headers, http_redirect_location=HOME)

    assert len(headers["Set-Cookie"]) == 2
    assert outcome(report, "cookies") == ("cookies-secure-with-httponly-sessions-and-samesite", 5)
    assert outcome(report, "referrer-policy") == ("referrer-policy-private", 5)
