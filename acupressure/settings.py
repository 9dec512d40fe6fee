"""Settings for the acupressure guide, read from the environment.

Every value that differs between a laptop and a server comes from an environment
variable; the defaults are safe for a single machine (DEBUG off, SQLite beside the code).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key():
    """A random key kept in a file beside the code, for machines that set no SECRET_KEY.

    It survives restarts (sessions stay valid) without a secret ever being committed.
    """
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# PRODUCTION=1 turns on everything a public site needs (HTTPS only, HSTS, secure cookies,
# two-factor sign-in for the admin); each part can still be set on its own below.
PRODUCTION = env_bool("PRODUCTION")
DEBUG = env_bool("DEBUG")
if PRODUCTION and not os.environ.get("SECRET_KEY"):
    # Several app servers must share one key, and a key file on one disk is not shared.
    raise ImproperlyConfigured("PRODUCTION=1 needs SECRET_KEY in the environment.")
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation asks: the content in each language.
    "modeltranslation",
    # The admin with the guide's sign-in rules (two-factor, accounts for superusers only).
    "acupressure.apps.GuideAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "template_partials",
    # Versions of the guide's content: history, compare, restore and recover in the admin.
    "reversion",
    # Site-wide machinery (acupressure/apps.py), then the guide's content and the builder.
    "acupressure.apps.SiteConfig",
    "points",
    "routines",
]

MIDDLEWARE = [
    # Outermost, so pages are compressed last (static files come compressed from whitenoise).
    # Django pads what it compresses, which blunts BREACH-style guessing of page secrets.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above whitenoise, so static files get the same headers as pages.
    "csp.middleware.CSPMiddleware",
    "acupressure.middleware.SecurityHeadersMiddleware",
    # 413 before anything reads an oversized body.
    "acupressure.middleware.RequestBodyLimitMiddleware",
    # Before everything that is not about headers, so static files skip it.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database that takes no writes gets 503, not 500 (acupressure/sessions.py).
    "acupressure.sessions.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the URL alone (/es/…, /de/…, English unprefixed): never from a
    # cookie or Accept-Language, so no page varies on them (acupressure/languages.py).
    "acupressure.languages.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags on every page, and 304 Not Modified when a browser already has it.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "acupressure.middleware.AdminSessionExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "acupressure.urls"
WSGI_APPLICATION = "acupressure.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "acupressure.context_processors.csrf_names",
                "acupressure.context_processors.languages",
                "acupressure.context_processors.fragment_cache",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL=postgres://user:pass@host/name for PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE takes the write lock at
    # BEGIN, so concurrent writers queue on busy_timeout instead of failing mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        )
        # DATABASE_READ_ONLY=1 keeps the guide readable while the file is backed up or moved:
        # every write fails as it would on a read-only file, and gets the error page.
        + ("PRAGMA query_only=ON;" if env_bool("DATABASE_READ_ONLY") else ""),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds whole public pages (acupressure/caching.py). One machine: files on its disk,
# shared by its gunicorn workers. Several app servers: one Redis for all of them
# (CACHE_URL or REDIS_URL, e.g. redis://10.0.0.5:6379/0), so an editor's change retires
# the cached pages everywhere at once.
#
# What comes in thousands has a cache of its own, "bulk": the point list's filtered
# variants (pain type × region × page × htmx × language × site name, some 650 per name),
# visitors' shared routines and the notes of which links were opened. Crawlers walking them
# cull each other there, never the core pages people land on, which stay in "default".
# With files each keeps a bound number of entries (culled at random, a third at a time,
# when full); Redis keeps both within its maxmemory, least recently used first (README).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
if CACHE_URL:
    REDIS_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    CACHES = {"default": REDIS_CACHE, "bulk": {**REDIS_CACHE}}
else:
    CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / ".cache"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "bulk": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR / "bulk",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }
# Sites (or test runs) that share one Redis keep their keys apart with a prefix of their own.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "")
CACHES["bulk"]["KEY_PREFIX"] = CACHES["default"]["KEY_PREFIX"] + "bulk"
# How long a public page is kept (0 turns whole-page caching off), and how long a CDN in
# front may serve it without asking again.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
PAGE_CDN_SECONDS = int(os.environ.get("PAGE_CDN_SECONDS", "60"))

# The phone numbers shown with each tier of warning signs, by the page's language (a
# language is not a country: the numbers its readers are likely to need), each with where
# it works, written in that language. A site sets its own in a settings module of its own
# (README, "Configuration"); a language it leaves out shows no numbers.
EMERGENCY_NUMBERS = {
    "en": {
        "emergency": [("999", "UK"), ("112", "EU"), ("911", "US and Canada")],
        "soon": [("111", "NHS 111, UK")],
    },
    "es": {
        "emergency": [
            ("112", "España y la UE"),
            ("911", "México, EE. UU. y la mayor parte de América"),
        ],
        "soon": [],
    },
    "de": {
        "emergency": [("112", "")],
        "soon": [("116 117", "ärztlicher Bereitschaftsdienst")],
    },
}
# How long an editor's review of a point, pain type, red flag or caution stands before it
# is due again.
REVIEW_INTERVAL_DAYS = int(os.environ.get("REVIEW_INTERVAL_DAYS", "365"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Pass phrases rather than passwords: 12 characters is ASVS level 2's minimum.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The guide speaks English, Spanish and German. Interface strings are in locale/ (.po and
# their compiled .mo); the content's own translations are columns beside the English ones
# (django-modeltranslation, points/translation.py), English filling in for a missing one.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Spanish"), ("de", "German")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates are written by each language's DATE_FORMAT; English's is set in acupressure/formats.
FORMAT_MODULE_PATH = ["acupressure.formats"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Editors' uploads (point photos). SERVE_MEDIA lets Django serve them where no other web
# server or object store does; switch it off once one does.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=True)

# Editors' photo uploads (points/uploads.py refuses larger files with its own message).
PHOTO_MAX_BYTES = 4 * 1024 * 1024
# The only files under MEDIA_ROOT that are served, by extension (acupressure/media.py);
# uploads are re-encoded and renamed to one of these. ".jpeg": photos stored before that.
MEDIA_CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
# Bodies larger than these are refused with 413 before they are read: the visitors' forms
# are a few hundred bytes; the admin's largest is a photo upload, plus its other fields.
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES", 16 * 1024))
ADMIN_REQUEST_BODY_MAX_BYTES = PHOTO_MAX_BYTES + 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Saved routines: a site-wide ceiling on new shared links per hour, so anonymous visitors
# cannot grow the database without bound (see README, "Saved routines").
ROUTINE_SAVES_PER_HOUR = int(os.environ.get("ROUTINE_SAVES_PER_HOUR", "600"))
ROUTINE_PRUNE_AFTER_DAYS = int(os.environ.get("ROUTINE_PRUNE_AFTER_DAYS", "30"))
# A printed sheet carries its link: such a link is kept this long after its last print or
# opening, and the sheet says until when at the least.
ROUTINE_KEEP_PRINTED_DAYS = int(os.environ.get("ROUTINE_KEEP_PRINTED_DAYS", "365"))
# A visitor's session starts with their first change to a routine. One client address may
# start this many an hour (acupressure.sessions), and a session that never gets past its
# first change is kept this long, not the two weeks of the others.
NEW_SESSIONS_PER_HOUR = int(os.environ.get("NEW_SESSIONS_PER_HOUR", "60"))
FIRST_CHANGE_SESSION_SECONDS = int(os.environ.get("FIRST_CHANGE_SESSION_HOURS", "24")) * 3600
CSRF_FAILURE_VIEW = "acupressure.views.csrf_failure"

# --- HTTPS and security headers ----------------------------------------------------------
# HTTPS=1 where the site is reached over https, directly or through a proxy; `make run`
# serves plain http on loopback, so it is off unless PRODUCTION is on.
HTTPS = env_bool("HTTPS", default=PRODUCTION)
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    # The proxy (nginx, a load balancer) terminates TLS and must set this header itself,
    # overwriting any value a client sent; the README's deployment section shows how.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
# Two years, subdomains included, and eligible for the browsers' preload lists.
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 63072000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page of the guide uses. The guided session keeps the screen awake and plays
# a soft tone, so screen-wake-lock and autoplay stay allowed for this origin.
PERMISSIONS_POLICY = ", ".join(
    [
        *(
            f"{feature}=()"
            for feature in (
                "accelerometer",
                "camera",
                "display-capture",
                "encrypted-media",
                "fullscreen",
                "geolocation",
                "gyroscope",
                "hid",
                "idle-detection",
                "magnetometer",
                "microphone",
                "midi",
                "payment",
                "picture-in-picture",
                "publickey-credentials-get",
                "serial",
                "usb",
                "xr-spatial-tracking",
            )
        ),
        "autoplay=(self)",
        "screen-wake-lock=(self)",
    ]
)

# Every page, the admin included, runs under this policy: our scripts and styles are static
# files, htmx is served from here, and nothing is inline (templates have no <script> body,
# no style="" and no hx-on), so neither 'unsafe-inline' nor 'unsafe-eval' is needed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The service worker (/sw.js) and the web app manifest, both from this site.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "upgrade-insecure-requests": HTTPS,
    }
}

# --- Sessions and cookies ---------------------------------------------------------------
# Django's database sessions, which a change can read and write under the visitor's lock
# (acupressure/sessions.py).
SESSION_ENGINE = "acupressure.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    # The __Host- prefix makes browsers refuse these cookies unless they are Secure, for
    # this host only and for every path: a subdomain cannot plant or shadow them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Admin sign-in ----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and refuses further attempts once the limit is reached.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords from one address, or for one account, lock that address or account
# for 15 minutes; every further try during the lockout starts the 15 minutes again.
AXES_FAILURE_LIMIT = int(os.environ.get("ADMIN_SIGN_IN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ADMIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "acupressure.middleware.client_ip"
AXES_VERBOSE = False
# With it on, the admin asks every editor for a code from their authenticator app; with it
# off, only editors who have set up two-factor sign-in are asked.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", default=PRODUCTION)
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Acupressure guide")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Staff sessions end after 30 idle minutes and at the latest 8 hours after signing in;
# visitors' sessions (their routine) keep Django's default of two weeks.
ADMIN_SESSION_IDLE_SECONDS = int(os.environ.get("ADMIN_SESSION_IDLE_MINUTES", "30")) * 60
ADMIN_SESSION_MAX_SECONDS = int(os.environ.get("ADMIN_SESSION_MAX_HOURS", "8")) * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # Adds method, path, status and client to the lines Django logs about a request.
        "plain": {
            "()": "acupressure.logging.RequestContextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
