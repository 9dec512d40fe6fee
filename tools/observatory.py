"""What grade would the MDN HTTP Observatory give these response headers?

A small re-implementation of the Observatory's scoring (algorithm version 5, release 1.5.0 of
github.com/mdn/mdn-http-observatory, October 2025), so tests can grade our headers without
scanning a live site. Where each rule comes from, in that repository:

- src/grader/charts.js: SCORE_TABLE (the modifier of every outcome), GRADE_CHART and
  MINIMUM_SCORE_FOR_EXTRA_CREDIT; src/grader/grader.js: getGradeForScore;
- src/scanner/index.js: base 100, the sum, and the rule that bonuses count only when the
  score with penalties alone is at least 90;
- src/analyzer/tests/<test>.js and src/analyzer/cspParser.js: how each test picks its outcome.

The older mozilla/http-observatory (httpobs/docs/scoring.md, httpobs/scanner/analyzer/) had the
same base, bonus rule and cookie-name heuristics, plus X-XSS-Protection and contribute.json
tests that MDN dropped. Not modelled here: the HSTS preload list (+5), certificate errors,
policies in <meta http-equiv>, and the Observatory's separate CORS preflight request (we read
the CORS headers from the page's own response).
"""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

# charts.js SCORE_TABLE. Version 5 (pull request #332) raised X-Frame-Options DENY/SAMEORIGIN
# from 0 to +5, the same as frame-ancestors.
MODIFIERS = {
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-but-duplicate-directives": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    "csp-not-implemented-but-reporting-enabled": -25,
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-not-found": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    "redirection-to-https": 0,
    "redirection-not-needed-no-http": 0,
    "redirection-off-host-from-http": -5,
    "redirection-not-to-https-on-initial-redirection": -10,
    "redirection-not-to-https": -20,
    "redirection-missing": -20,
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "hsts-not-implemented-no-https": -20,
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-implemented-and-external-scripts-loaded-securely": 5,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-implemented-but-external-scripts-not-loaded-securely": -20,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 5,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    "corp-implemented-with-same-origin": 10,
    "corp-implemented-with-same-site": 10,
    "corp-implemented-with-cross-origin": 0,
    "corp-not-implemented": 0,
    "corp-header-invalid": -5,
}
# charts.js GRADE_CHART: the score rounded down to a multiple of 5, capped at 100.
GRADE_CHART = {100: "A+", 95: "A", 90: "A", 85: "A-", 80: "B+", 75: "B", 70: "B", 65: "B-"}
GRADE_CHART |= {60: "C+", 55: "C", 50: "C", 45: "C-", 40: "D+", 35: "D", 30: "D", 25: "D-"}
GRADE_CHART |= {20: "F", 15: "F", 10: "F", 5: "F", 0: "F"}
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90

# Tests a plain-HTTP server cannot pass: HSTS is read from the https:// response only; the
# redirection test wants http:// to end on https://; a cookie without Secure costs -20 (-40 for a
# session cookie) unless a passing HSTS header softens it, and Django only marks cookies Secure
# when SESSION_COOKIE_SECURE / CSRF_COOKIE_SECURE are on, which a TLS-less site cannot use.
TLS_ONLY_TESTS = frozenset({"strict-transport-security", "redirection", "cookies"})


class Script(NamedTuple):
    src: str | None  # None for an inline <script>: it counts as a script but is not checked
    integrity: str | None = None


@dataclass(frozen=True)
class Check:
    name: str  # the Observatory's test name, e.g. "content-security-policy"
    result: str  # the outcome it picked, e.g. "csp-implemented-with-no-unsafe"
    reason: str

    @property
    def modifier(self) -> int:
        return MODIFIERS[self.result]

    @property
    def needs_tls(self) -> bool:
        return self.name in TLS_ONLY_TESTS


@dataclass(frozen=True)
class Report:
    score: int
    grade: str
    checks: tuple[Check, ...]

    def __getitem__(self, name: str) -> Check:
        return next(check for check in self.checks if check.name == name)

    def summary(self) -> str:
        lines = [f"{self.score} ({self.grade})"]
        lines += [f"{c.modifier:+4d} {c.name}: {c.result} ({c.reason})" for c in self.checks]
        return "\n".join(lines)


def grade_for(score: int) -> str:
    return GRADE_CHART[min(score - score % 5, 100)]


def grade(
    headers: Mapping[str, str | Sequence[str]],
    *,
    https: bool = True,
    host: str = "example.org",
    http_redirect_location: str | Sequence[str] | None = None,
    serves_http: bool = True,
    scripts: Iterable[Script | str] = (),
) -> Report:
    """Grade the headers of https://{host}/ (or http://{host}/ when https is False).

    http_redirect_location is where http://{host}/ redirects (a list for a chain of redirects);
    None means it answers without redirecting. serves_http=False means nothing listens on port
    80. scripts are the page's <script> elements, as Script(src, integrity) or a bare src.
    """
    fields, set_cookies = _fields(headers)
    csp_check, csp = _csp(fields, https)
    hsts = _hsts(fields, https)
    hsts_passes = hsts.result == "hsts-implemented-max-age-at-least-six-months"
    checks = (  # in the order of ALL_TESTS in src/constants.js
        csp_check,
        _cookies(set_cookies, hsts_passes),
        _cors(fields),
        _redirection(host, serves_http, http_redirect_location),
        _referrer(fields),
        hsts,
        _sri(fields, scripts, https, host),
        _xcto(fields),
        _xfo(fields, csp),
        _corp(fields),
    )
    with_bonuses = 100 + sum(check.modifier for check in checks)
    penalties_only = 100 + sum(check.modifier for check in checks if check.modifier < 0)
    score = with_bonuses if penalties_only >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else penalties_only
    score = max(score, 0)
    return Report(score, grade_for(score), checks)


def django_headers(response) -> dict[str, str | list[str]]:
    """A Django response's headers, with its cookies as a list of Set-Cookie values."""
    headers: dict[str, str | list[str]] = dict(response.items())
    headers["Set-Cookie"] = [morsel.OutputString() for morsel in response.cookies.values()]
    return headers


def _fields(headers):
    # Node's HTTP client, which the Observatory uses, joins a repeated header with ", " (so a
    # second CSP header lands in the same policy string) and keeps Set-Cookie as a list.
    fields, cookies = {}, []
    for name, value in headers.items():
        values = [value] if isinstance(value, str) else list(value)
        if name.lower() == "set-cookie":
            cookies += values
        elif values:
            fields[name.lower()] = ", ".join(values)
    return fields, cookies


def _worst(findings, order):
    # analyzer/utils.js onlyIfWorse: a later entry of `order` replaces an earlier one.
    return max(findings, key=lambda finding: order.index(finding[0]))


# --- content-security-policy: analyzer/tests/csp.js and analyzer/cspParser.js ---------------
BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
INLINE = {"'unsafe-inline'", "data:"}
NONCE_OR_HASH = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
CSP_PASSES = {
    "csp-implemented-with-no-unsafe",
    "csp-implemented-with-no-unsafe-default-src-none",
    "csp-implemented-with-unsafe-inline-in-style-src-only",
    "csp-implemented-with-insecure-scheme-in-passive-content-only",
}


def _parse_csp(policy):
    policy = re.sub(r"[\r\n]", "", policy).strip()
    if len(policy) < len("img-src") - 1:
        raise ValueError("policy too short to parse")
    csp, duplicates = {}, False
    for entry in policy.split(";"):
        if not (tokens := entry.split()):
            continue
        directive = tokens[0].lower()
        if directive in csp:
            if directive not in ("report-uri", "report-to"):
                raise ValueError(f"directive {directive} given twice")
            duplicates = True
        # A directive without sources means 'none'; sources are compared in lower case.
        csp[directive] = {source.lower() for source in tokens[1:]} or {"'none'"}
    return csp, duplicates


def _csp(fields, https):
    name = "content-security-policy"
    try:
        csp, duplicates = _parse_csp(fields[name]) if name in fields else ({}, False)
    except ValueError as error:
        return Check(name, "csp-header-invalid", str(error)), None
    if not csp:
        if fields.get("content-security-policy-report-only"):
            return Check(name, "csp-not-implemented-but-reporting-enabled", "report-only"), None
        return Check(name, "csp-not-implemented", "no Content-Security-Policy header"), None

    # A missing directive falls back to default-src, then to "anything". The sets are shared
    # with `csp` on purpose: csp.js edits them in place, and later checks see the edits.
    default = csp.get("default-src")
    scripts = csp.get("script-src") or default or {"*"}
    objects = csp.get("object-src") or default or {"*"}
    styles = csp.get("style-src") or default or {"*"}
    for sources in (scripts, styles):  # browsers ignore 'unsafe-inline' next to a nonce or hash
        if any(source.startswith(NONCE_OR_HASH) for source in sources):
            sources.discard("'unsafe-inline'")
    findings = []  # (outcome, reason) in csp.js's order; the first one found is the outcome
    if "'strict-dynamic'" in scripts:
        if any(source.startswith(NONCE_OR_HASH) for source in scripts):
            scripts.difference_update(
                s
                for s in list(scripts)
                if s.startswith(tuple(BROAD)) or s in ("'self'", "'unsafe-inline'")
            )
        else:
            findings.append(("csp-header-invalid", "'strict-dynamic' without a nonce or hash"))
    passive_names = ("img-src", "media-src")
    active = [s for d, v in csp.items() if d not in (*passive_names, "script-src") for s in v]
    active += scripts
    passive = [s for d in passive_names for s in csp.get(d) or default or ()]
    insecure = ("http:", "ftp:")
    if scripts & (BROAD | INLINE) or objects & BROAD:
        findings.append(("csp-implemented-with-unsafe-inline", "unsafe script-src or object-src"))
    if https and any(source.startswith(insecure) for source in active):
        findings.append(("csp-implemented-with-insecure-scheme", "http: source"))
    if "'unsafe-eval'" in scripts | styles:
        findings.append(("csp-implemented-with-unsafe-eval", "'unsafe-eval'"))
    if https and any(source.startswith(insecure) for source in passive):
        findings.append(
            ("csp-implemented-with-insecure-scheme-in-passive-content-only", "http: image/media")
        )
    if styles & (BROAD | INLINE):
        findings.append(("csp-implemented-with-unsafe-inline-in-style-src-only", "style-src"))
    if default == {"'none'"}:
        findings.append(("csp-implemented-with-no-unsafe-default-src-none", "default-src 'none'"))
    findings.append(("csp-implemented-with-no-unsafe", "no unsafe sources"))
    result, reason = findings[0]
    if result in CSP_PASSES and duplicates:  # a duplicate report-uri/report-to costs the bonus
        result, reason = "csp-implemented-but-duplicate-directives", "report-uri/report-to twice"
    return Check(name, result, reason), csp


# --- cookies: analyzer/tests/cookies.js -------------------------------------------------------
COOKIE_ORDER = [
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]


class _Cookie(NamedTuple):
    name: str
    secure: bool
    httponly: bool
    samesite: str | None  # as tough-cookie stores it: None when absent


def _parse_cookie(raw):
    pair, *attributes = raw.split(";")
    name = pair.split("=", 1)[0].strip() if "=" in pair else ""
    secure = httponly = False
    samesite = None
    for attribute in attributes:
        key, _, value = (part.strip().lower() for part in attribute.partition("="))
        secure = secure or key == "secure"
        httponly = httponly or key == "httponly"
        if key == "samesite":
            samesite = value if value in ("strict", "lax", "none") else "unspecified"
    return _Cookie(name, secure, httponly, samesite)


def _invalid_samesite(raw):
    for part in raw.split(";"):
        key, *value = part.strip().split("=")
        if key.strip().lower() == "samesite":
            return not value or value[0].strip().lower() not in ("lax", "strict", "none")
    return False


def _cookies(raw_cookies, hsts_passes):
    name = "cookies"
    findings = [
        ("cookies-samesite-flag-invalid", raw) for raw in raw_cookies if _invalid_samesite(raw)
    ]
    # The Observatory grades every cookie in its tough-cookie jar, and the jar keeps expired
    # ones too (they are only purged when read back), so a deletion such as Django's
    # delete_cookie ("sessionid=; Max-Age=0; Path=/") is graded like any other cookie.
    jar = {}
    for cookie in map(_parse_cookie, raw_cookies):
        if cookie.name and cookie.name != "heroku-session-affinity":
            jar[cookie.name] = cookie
    if not jar:
        return Check(name, "cookies-not-found", "no cookies set")
    hsts = "-but-protected-by-hsts" if hsts_passes else ""
    for c in jar.values():
        # The session-cookie rule: a name containing "login" or "sess", in any case (Django's
        # "sessionid" matches); "csrf" in the name marks an anti-CSRF token ("csrftoken").
        session = "login" in c.name.lower() or "sess" in c.name.lower()
        if not c.secure and c.samesite == "none":
            findings.append(("cookies-samesite-flag-invalid", f"{c.name}: SameSite=None"))
        if not c.secure:
            findings.append((f"cookies-without-secure-flag{hsts}", f"{c.name}: no Secure"))
        if "csrf" in c.name.lower() and not c.samesite:
            findings.append(("cookies-anticsrf-without-samesite-flag", f"{c.name}: no SameSite"))
        if session and not c.secure:
            findings.append((f"cookies-session-without-secure-flag{hsts}", f"{c.name}: no Secure"))
        if session and not c.httponly:
            findings.append(("cookies-session-without-httponly-flag", f"{c.name}: no HttpOnly"))
    if findings:
        return Check(name, *_worst(findings, COOKIE_ORDER))
    if all(c.samesite for c in jar.values()):
        return Check(name, "cookies-secure-with-httponly-sessions-and-samesite", "all flags set")
    return Check(name, "cookies-secure-with-httponly-sessions", "a cookie lacks SameSite")


# --- the header-only tests --------------------------------------------------------------------
OBSERVATORY_ORIGIN = "https://http-observatory.security.mozilla.org"  # src/config.js corsOrigin


def _cors(fields):  # analyzer/tests/cors.js
    name, acao = "cross-origin-resource-sharing", fields.get("access-control-allow-origin")
    credentials = fields.get("access-control-allow-credentials", "").strip().lower() == "true"
    if not acao:
        return Check(name, f"{name}-not-implemented", "no Access-Control-Allow-Origin")
    if acao[:256].strip().lower() == "*":
        return Check(name, f"{name}-implemented-with-public-access", "any origin")
    if acao == OBSERVATORY_ORIGIN and credentials:
        return Check(name, f"{name}-implemented-with-universal-access", "echoes the origin")
    return Check(name, f"{name}-implemented-with-restricted-access", acao)


def _redirection(host, serves_http, location):  # analyzer/tests/redirection.js
    name = "redirection"
    if not serves_http:
        return Check(name, "redirection-not-needed-no-http", "nothing on http://")
    route = [f"http://{host}/"]
    for hop in [location] if isinstance(location, str) else location or ():
        route.append(urljoin(route[-1], hop))
    urls = [urlsplit(url) for url in route]
    if len(urls) == 1:
        return Check(name, "redirection-missing", "http:// does not redirect")
    if urls[-1].scheme != "https":
        return Check(name, "redirection-not-to-https", route[-1])
    if urls[1].scheme == "http":
        return Check(name, "redirection-not-to-https-on-initial-redirection", route[1])
    if urls[0].hostname != urls[1].hostname:
        return Check(name, "redirection-off-host-from-http", route[1])
    return Check(name, "redirection-to-https", route[-1])


def _referrer(fields):  # analyzer/tests/referrer-policy.js; the last valid token wins
    name, value = "referrer-policy", fields.get("referrer-policy")
    private = ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")
    unsafe = ("origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade")
    if value is None:
        return Check(name, "referrer-policy-not-implemented", "no Referrer-Policy")
    tokens = [token.strip().lower() for token in value.split(",")]
    policy = ([token for token in tokens if token in private + unsafe] or [""])[-1]
    if policy in private:
        return Check(name, "referrer-policy-private", policy)
    if policy in unsafe:
        return Check(name, "referrer-policy-unsafe", policy)
    return Check(name, "referrer-policy-header-invalid", value)


def _hsts(fields, https):  # analyzer/tests/strict-transport-security.js
    name, value = "strict-transport-security", fields.get("strict-transport-security")
    if not https:
        return Check(name, "hsts-not-implemented-no-https", "site not served over https")
    if value is None:
        return Check(name, "hsts-not-implemented", "no Strict-Transport-Security")
    if "," in value[:1024]:
        return Check(name, "hsts-header-invalid", "header set more than once")
    max_age = None
    for parameter in value[:1024].split(";"):
        if (parameter := parameter.strip().lower()).startswith("max-age="):
            # Like parseInt: leading digits only. With no digits at all the JavaScript gets NaN,
            # which is not "less than six months", so the header passes; we keep that quirk.
            digits = re.match(r"\s*[+-]?\d+", parameter[8:128])
            max_age = int(digits.group()) if digits else math.nan
    if max_age is None:
        return Check(name, "hsts-header-invalid", "no max-age")
    # 15552000 s (180 days): the Observatory's "six months", lenient on purpose.
    if max_age < 15_552_000:
        return Check(name, "hsts-implemented-max-age-less-than-six-months", f"max-age={max_age}")
    return Check(name, "hsts-implemented-max-age-at-least-six-months", f"max-age={max_age}")


SRI_ORDER = [
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "sri-implemented-but-external-scripts-not-loaded-securely",
    "sri-not-implemented-but-external-scripts-loaded-securely",
    "sri-not-implemented-and-external-scripts-not-loaded-securely",
]


def _site(hostname):
    # Stands in for tldts' registrable domain: the last two labels (wrong for co.uk and kin).
    return ".".join((hostname or "").lower().split(".")[-2:])


def _sri(fields, scripts, https, host):  # analyzer/tests/subresource-integrity.js
    name = "subresource-integrity"
    mime = fields.get("content-type", "").split(";")[0]
    if mime and mime not in ("text/html", "application/xhtml+xml"):
        return Check(name, "sri-not-implemented-response-not-html", mime)
    scripts = [s if isinstance(s, Script) else Script(s) for s in scripts]
    if not scripts:
        return Check(name, "sri-not-implemented-but-no-scripts-loaded", "no <script>")
    findings, foreign = [], False
    for src, integrity in (s for s in scripts if s.src):
        protocol_relative = re.match(r"//[^/]", src) is not None
        absolute = not protocol_relative and re.match(r"https?://", src) is not None
        relative = not (protocol_relative or absolute)
        same_site = not absolute or _site(urlsplit(src).hostname) == _site(host)
        secure = (absolute and src.startswith("https:")) or (relative and https)
        if relative or (same_site and not protocol_relative):
            if integrity and secure:  # SRI on our own scripts still earns the bonus
                findings.append((SRI_ORDER[0], src))
            continue
        foreign = True
        if integrity and not secure:
            findings.append((SRI_ORDER[2], src))
        elif not integrity:
            findings.append((SRI_ORDER[3] if secure else SRI_ORDER[4], src))
    if findings:
        return Check(name, *_worst(findings, SRI_ORDER))
    if foreign:
        return Check(name, SRI_ORDER[1], "external scripts carry integrity")
    return Check(name, "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", "own")


def _xcto(fields):  # analyzer/tests/x-content-type-options.js
    name, value = "x-content-type-options", fields.get("x-content-type-options")
    if not value:
        return Check(name, "x-content-type-options-not-implemented", "no X-Content-Type-Options")
    if value[:256].strip().lower() == "nosniff":
        return Check(name, "x-content-type-options-nosniff", "nosniff")
    return Check(name, "x-content-type-options-header-invalid", value)


def _xfo(fields, csp):  # analyzer/tests/x-frame-options.js
    name, value = "x-frame-options", fields.get("x-frame-options")
    if csp is not None and "frame-ancestors" in csp:  # any frame-ancestors, even *, wins
        return Check(name, "x-frame-options-implemented-via-csp", "CSP frame-ancestors")
    if not value:
        return Check(name, "x-frame-options-not-implemented", "no X-Frame-Options")
    if (xfo := value[:1024].strip().lower()) in ("deny", "sameorigin"):
        return Check(name, "x-frame-options-sameorigin-or-deny", xfo)
    if xfo.startswith("allow-from"):
        return Check(name, "x-frame-options-allow-from-origin", xfo)
    return Check(name, "x-frame-options-header-invalid", value)


def _corp(fields):  # analyzer/tests/cross-origin-resource-policy.js
    name = "cross-origin-resource-policy"
    value = fields.get(name, "")[:256].strip().lower()
    if not value:
        return Check(name, "corp-not-implemented", "no Cross-Origin-Resource-Policy")
    if value in ("same-origin", "same-site", "cross-origin"):
        return Check(name, f"corp-implemented-with-{value}", value)
    return Check(name, "corp-header-invalid", value)
