"""Settings for the film catalogue.

One settings module for every deployment. What differs between a laptop and
production comes from environment variables through the small helpers below;
the defaults are the safe ones (debug off, no fallback secret key).
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.code_version import code_version

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_json_object(name):
    try:
        value = json.loads(env(name, "{}"))
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f'{name} must be a JSON object, such as {{"key": "value"}}.')
    return value


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    # Only ever used with DEBUG on; a process with debug off refuses to start
    # without a real key, so this value can never sign production cookies.
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    "axes",
    "django_ratelimit",
    "import_export",
    # Edit history of the catalogue and of moderation (catalog/history.py).
    "reversion",
    "core",
    "catalog",
    "reviews",
    "accounts",
    "opendata",
    "corrections",
    "diary",
    "fandata",
]

MIDDLEWARE = [
    # First, so everything logged while a request is served carries its id.
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses text responses on the way out, after HoleMiddleware below
    # has filled the holes; below whitenoise, which serves static files
    # compressed already (config/middleware.py says why BREACH is not a risk).
    "config.middleware.CompressTextMiddleware",
    "config.middleware.NulByteMiddleware",
    # Before anything reads request.POST (CsrfViewMiddleware does).
    "config.middleware.UnreadableFormMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Fills the per-visitor holes of cached and fresh pages alike; inside the
    # middleware above, so it can use the CSRF token, the user and messages.
    "core.page_cache.middleware.HoleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

# The benchmark (benchmarks/run.py) reads each response's server time and
# query count from headers this middleware adds; nothing else turns it on.
if env_bool("DJANGO_BENCHMARK", False):
    MIDDLEWARE.insert(0, "config.timing.ServerTimingMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL says otherwise
# (postgres://user:pass@host:5432/name for production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        # Connections persist (DATABASE_CONN_MAX_AGE, as on PostgreSQL): a new
        # one per request would re-run the PRAGMAs below and re-read the schema
        # before its first query, and start with an empty page cache.
        _database["OPTIONS"] = {
            # IMMEDIATE takes the write lock when a transaction starts, so two
            # concurrent writers queue instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    if _database["ENGINE"].startswith("django.db.backends.postgresql"):
        # A misspelt word finds its row from 0.4 trigram word similarity, not
        # pg_trgm's default 0.6, which misses "sedigi" for "Seddiqi" (0.43).
        # No JIT compilation: the site's queries read a few thousand rows at
        # most, and the planner's guess for a search of a common word at
        # 900,000 films (cost 159,163, over jit_above_cost) spent 25 of its
        # 47 ms compiling (BENCHMARKS.md, issue 14).
        _database.setdefault("OPTIONS", {})["options"] = (
            "-c pg_trgm.word_similarity_threshold=0.4 -c jit=off"
        )
# Film, person and home pages run their PostgreSQL queries as prepared
# statements (core.db.prepared_statements). Turn off behind a connection
# pooler that cannot carry them (PgBouncer in transaction mode before 1.21).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a database file rather than memory so that concurrency tests
    # can open several connections that really contend for the write lock.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
# PostgreSQL's search (full-text and trigram lookups, see catalog/search/engine.py)
# needs its contrib app; on SQLite the app is not loaded at all.
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    INSTALLED_APPS.append("django.contrib.postgres")

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Public pages are cached whole for everyone, with holes for each visitor's
# own parts (core/page_cache).
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)

# Files on this machine by default (nothing to run), Redis with REDIS_URL:
# either way the cache, and so cached pages, their versions and rate-limit
# counters, is shared by every gunicorn process (and every host, with Redis).
# Cached pages hold markup and both caches keep them across a restart: keys
# carry the code's fingerprint, so a deploy starts afresh.
REDIS_URL = env("REDIS_URL")
CODE_VERSION = env("DJANGO_CODE_VERSION") or code_version(BASE_DIR)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{env('CACHE_KEY_PREFIX', 'films')}:{CODE_VERSION}",
        }
    }
    # Sessions read from Redis and fall back to the database, so a Redis
    # restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # One machine: a cache in files that every gunicorn process shares, so
    # a page cached, a page version bumped or a rate-limit post counted by
    # one worker holds for all of them (each worker's local memory would
    # count and cache on its own). BENCHMARKS.md has the figures behind the
    # choice of files over Django's database cache.
    CACHES = {
        "default": {
            # Django's, with add() and incr() locked across processes, so
            # rate-limit counts stay exact whichever worker counts them.
            "BACKEND": "config.cache.FileBasedCache",
            "LOCATION": env("DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "KEY_PREFIX": CODE_VERSION,
            "TIMEOUT": 24 * 3600,
            # Django culls a third of the entries past this many; a page is a
            # few kilobytes, so this is at most some hundreds of megabytes.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
    # DJANGO_CACHE_BACKEND=db: Django's database cache instead, a table in the
    # default database (made by `manage.py createcachetable`), to compare the
    # two (benchmarks/load_test.py --cache db). Not for production: its incr()
    # is a read then a write, and django-ratelimit's check refuses it (E003).
    if env("DJANGO_CACHE_BACKEND", "file") == "db":
        CACHES["default"].update(
            BACKEND="django.core.cache.backends.db.DatabaseCache", LOCATION="django_cache"
        )
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # One machine: sessions in files, which every gunicorn process reads,
        # so a fan's page costs no query for its session (reading it from the
        # database costs about a sixth of a cached film page for a fan).
        SESSION_ENGINE = "django.contrib.sessions.backends.file"
        SESSION_FILE_PATH = env("DJANGO_SESSION_DIR", str(BASE_DIR / "var" / "sessions"))
        Path(SESSION_FILE_PATH).mkdir(parents=True, exist_ok=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

STORAGES = {
    # Uploaded images. Any Django storage works, e.g. django-storages'
    # "storages.backends.s3.S3Storage" with its options as a JSON object.
    "default": {
        "BACKEND": env("DJANGO_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json_object("DJANGO_MEDIA_STORAGE_OPTIONS"),
    },
    # Hashed, compressed file names so browsers may cache them for a year.
    "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
}

# Backups (`manage.py backup` and `restore`, core/backup.py): a folder on this
# machine by default; any Django storage (an S3-compatible bucket through
# django-storages) with DJANGO_BACKUP_STORAGE and its options as JSON.
BACKUP_DIR = Path(env("DJANGO_BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
STORAGES["backups"] = {
    "BACKEND": env("DJANGO_BACKUP_STORAGE", "django.core.files.storage.FileSystemStorage"),
    "OPTIONS": env_json_object("DJANGO_BACKUP_STORAGE_OPTIONS")
    or {
        "location": str(BACKUP_DIR),
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}
# Media folders left out of backups: files made again from the database
# (open data dumps: `manage.py export_catalogue`).
BACKUP_MEDIA_EXCLUDE = ["opendata/"]
# How many backups `manage.py backup` keeps, the one it takes included.
BACKUP_KEEP = env_int("DJANGO_BACKUP_KEEP", 7)
# Where a backup is put together (and a restore checked) before it is
# stored: the system's temporary folder unless it is too small.
BACKUP_STAGING_DIR = env("DJANGO_BACKUP_STAGING_DIR") or None
# Folder of pg_dump and pg_restore when they are not Debian's for the
# server's version nor on the PATH.
PG_BIN_DIR = env("DJANGO_PG_BIN_DIR")

# The open data dump (`manage.py export_catalogue`, opendata/): the licence
# statement written into every dump and shown on its download page, and how
# many dumps stay in the media storage.
OPEN_DATA_LICENCE = env(
    "DJANGO_OPEN_DATA_LICENCE",
    "This database is made available under the Open Database License (ODbL) 1.0: "
    "https://opendatacommons.org/licenses/odbl/1-0/. Reviews are their authors' work, "
    "included only where the authors agreed to their publication under the same licence.",
)
OPEN_DATA_KEEP = env_int("DJANGO_OPEN_DATA_KEEP", 3)

# Uploaded images (catalog/images.py): limits checked before anything is
# stored, and the widths of the renditions pages pick from with srcset.
IMAGE_MAX_UPLOAD_BYTES = env_int("DJANGO_IMAGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("DJANGO_IMAGE_MAX_PIXELS", 50_000_000)
IMAGE_RENDITION_WIDTHS = (160, 320, 480, 640, 960, 1280)
# Let this process serve MEDIA_URL itself: on with debug, and for `make run`
# on one machine. Behind a real web server, let it serve the media folder.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)

# The admin lives at a configurable path so it is not where every bot looks.
ADMIN_PATH = env("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

SITE_NAME = env("SITE_NAME", "Film Catalogue")
# The TrueType font of poster-less films' link-preview cards (catalog/share_cards.py):
# a file name Pillow finds among the system's fonts, or a path.
SHARE_CARD_FONT = env("DJANGO_SHARE_CARD_FONT", "DejaVuSans-Bold.ttf")

# Security headers that hold for every deployment.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Production is served over HTTPS, so with debug off the HTTPS-only settings
# are on unless DJANGO_HTTPS=0 says otherwise (`make run` and the tests do,
# as they talk plain HTTP on 127.0.0.1). Each can still be set on its own.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS)
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# System checks silenced on purpose, each where its reason is written.
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to preload HSTS is a promise that is slow to take back
    # (the preload list ships inside browsers), so it stays the operator's
    # explicit choice (DJANGO_HSTS_PRELOAD=1) instead of a deploy-check nag.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: everything from our own origin, no inline script
# (an inline script needs nonce="{{ request.csp_nonce }}"), no plugins, no
# framing. Inline styles stay banned too: the CSS lives in static/css/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Uploaded images may live on another host (DJANGO_MEDIA_URL).
        "img-src": [SELF, "data:", *([MEDIA_URL] if MEDIA_URL.startswith("https://") else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Password guessing: after AXES_FAILURE_LIMIT wrong passwords for one account
# from one address, that pair is locked out (429) for the cool-off time.
# Counting the pair, not the account alone, keeps a stranger from locking a
# fan out of their own account; per-address rate limits cover spraying.
AUTHENTICATION_BACKENDS = [
    "config.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.auth.lockout_response"
# The same address the rate limits count (DJANGO_PROXY_COUNT aware).
AXES_CLIENT_IP_CALLABLE = "config.auth.client_ip"
# No log row per successful login: addresses of fans are not ours to keep.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# One JSON object a line (config/log.py) with the id of the request it was
# logged in, for a log collector; DJANGO_LOG_FORMAT=text for reading by eye.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "text" if LOG_FORMAT == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # Failed logins and lockouts are warnings; every successful login is noise.
    "loggers": {"axes": {"level": "WARNING"}},
}

# /healthz tells the public only "ok" or "unavailable"; a monitor sending
# `Authorization: Bearer <this>` (or a logged-in member of staff) also reads
# why: unapplied migrations, or which of the database and the cache failed.
HEALTHZ_TOKEN = env("DJANGO_HEALTHZ_TOKEN")

# Fans' accounts (accounts app): Django's own auth views.
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:home"
LOGOUT_REDIRECT_URL = "catalog:home"

# Password-reset mail: printed to the console unless EMAIL_HOST names an SMTP
# server (with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# Rate limits on posts: scope → (posts allowed, per so many seconds), counted
# per account and per client address by django-ratelimit (core/ratelimit.py).
RATE_LIMITS_ENABLED = env_bool("DJANGO_RATE_LIMITS", True)
RATE_LIMITS = {
    "signup": (5, 3600),
    "login": (10, 300),
    "password-reset": (5, 3600),
    "rating": (60, 60),
    "review": (10, 600),
    "helpful": (60, 60),
    "report": (10, 3600),
    "correction": (10, 3600),
    "watchlist": (120, 60),
    "diary": (30, 60),
    "list-edit": (120, 60),
    "follow": (30, 600),
    "like": (60, 60),
    # Each post checks the fan's password.
    "account-delete": (10, 3600),
    # Uploads and confirmations of fans' imports, and their exports.
    "import": (20, 3600),
    "export": (10, 3600),
}
# How many reverse proxies in front of the site add to X-Forwarded-For; 0
# means REMOTE_ADDR is the visitor's own address.
RATE_LIMIT_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
# The counters live in the default cache, which every gunicorn worker shares:
# Redis with REDIS_URL, else config.cache.FileBasedCache in one folder of this
# machine, whose add() and incr() are atomic across processes (file locks).
# django-ratelimit's check refuses Django's own FileBasedCache (E003: its
# incr() is a read then a write) and warns (W001) about any backend but
# memcached and django-redis. Both of ours count atomically: Django's
# RedisCache uses SET NX and INCR, ours holds a lock. Only that warning is
# silenced; E003 would still stop a switch back to Django's file cache.
RATELIMIT_USE_CACHE = "default"
SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")
