"""Settings of the campaign portal, read from the environment.

Development mode (this module) works with no environment at all: SQLite in the project
folder, Celery tasks run in-process, e-mail printed to the console. Production mode is
``campaign_portal.settings_production``, which requires a real secret and turns on the
secure cookie, HSTS and proxy settings. Malformed values stop start-up (see env.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_choice, env_int, env_list, env_str, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A refused form gets a Vietnamese page in the portal's frame (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "campaign_portal.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "django_celery_beat",
    # The project's apps, in the order of their layers (imports go left to right only).
    "common",
    "agencies",
    "campaigns",
    "registrations",
    "registrations.reminders",
    "scoring",
    "awards",
    # The demo data on top of every app (``make run`` loads it; nothing imports it).
    "demo",
]

MIDDLEWARE = [
    # First: every log line of the request, and every task it sends, carries its id.
    "common.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "campaign_portal.middleware.VietnameseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Says on the page when an action's background work waits for the broker (common/outbox.py).
    "common.outbox.OutboxNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "campaign_portal.middleware.MethodNotAllowedPageMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "campaign_portal.urls"
WSGI_APPLICATION = "campaign_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agencies.context_processors.roles",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
except ValueError as exc:  # unknown scheme or unparsable URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must hold a small office's concurrent use without "database is locked":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock when a transaction
    # begins (a deferred one that reads then writes fails at once, whatever the timeout); the busy
    # timeout makes a second writer wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env_int("SQLITE_TIMEOUT", 30, minimum=1),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Imports ----------------------------------------------------------------------------------
# Every import (agencies, people, PAR Index, staff ratings) stops reading at this many rows and
# lists at most IMPORT_MAX_ERRORS row errors (with the count of the rest).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000, minimum=1)
IMPORT_MAX_ERRORS = env_int("IMPORT_MAX_ERRORS", 50, minimum=1)

# --- Cache, Celery ----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r} must start with redis://, rediss:// or unix://.")

if REDIS_URL:
    # Shared by every process (rate limits, cached pages). A Redis that does not answer makes the
    # cache miss, never the page fail (django-redis, IGNORE_EXCEPTIONS), and is logged.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database (Django's default engine, named here so that it stays so): any web
# process serves any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Without a broker the tasks run in-process, at once, so `make run` needs no worker.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it has finished, not when it is taken: a worker killed mid-task leaves
# its message unacknowledged, and Redis gives it to another worker once the visibility timeout has
# passed. The timeout is sized to the longest task, a dossier document (DOSSIER_DOCUMENT_SECONDS, its
# time limit), with room for the e-mail retries' countdowns (at most 8 minutes).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
DOSSIER_DOCUMENT_SECONDS = env_int("DOSSIER_DOCUMENT_SECONDS", 120, minimum=5, maximum=3600)
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 600, minimum=40, maximum=86400)
if CELERY_VISIBILITY_TIMEOUT < DOSSIER_DOCUMENT_SECONDS + 40:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT={CELERY_VISIBILITY_TIMEOUT} must be at least DOSSIER_DOCUMENT_SECONDS "
        f"+ 40 ({DOSSIER_DOCUMENT_SECONDS + 40}): a task still running must not go to a second worker."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Workers look for messages of dead workers to hand out again every few seconds.
    "unacked_restore_interval": max(2, min(10, CELERY_VISIBILITY_TIMEOUT // 20)),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 3,
}
# Publishing to a broker that does not answer fails within a second or two: the outbox keeps the task.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# The worker logs through LOGGING below (JSON lines in production, with the request id).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Authentication -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Accounts imported or added by home affairs get an invitation e-mail with a one-time link to set
# their password, valid this many days.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1, maximum=90)

# Optional single sign-on (OpenID Connect, e.g. the province's Keycloak): on when OIDC_RP_CLIENT_ID
# is set. Accounts are matched by e-mail to the accounts home affairs created; SSO never creates
# an account or a role. See docs/accounts.md.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", required=True)
    OIDC_OP_DISCOVERY = env_str("OIDC_OP_DISCOVERY")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    _oidc_endpoints = (
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
    )
    if not OIDC_OP_DISCOVERY and not all(_oidc_endpoints):
        raise ImproperlyConfigured(
            "OIDC_RP_CLIENT_ID is set: set OIDC_OP_DISCOVERY (the provider's "
            ".well-known/openid-configuration address) or all of OIDC_OP_AUTHORIZATION_ENDPOINT, "
            "OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT and OIDC_OP_JWKS_ENDPOINT."
        )
    OIDC_RP_SIGN_ALGO = env_choice("OIDC_RP_SIGN_ALGO", "RS256", {"RS256", "ES256", "HS256"})
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
    OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
    OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_SSL", True)
    OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
    OIDC_LOGIN_LABEL = env_str("OIDC_LOGIN_LABEL", "")
    OIDC_CREATE_USER = False
    AUTHENTICATION_BACKENDS.append("agencies.oidc.PortalOIDCBackend")

# Failed logins: five wrong passwords for one user name from one address lock it for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# dd/mm/yyyy and the decimal comma for Vietnamese (campaign_portal/formats/vi).
FORMAT_MODULE_PATH = ["campaign_portal.formats"]

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploaded evidence, staged imports, dossier documents and their ZIPs go to the default storage:
# local files under MEDIA_ROOT (``make run``), or an S3-compatible bucket (SeaweedFS, MinIO, a cloud's
# object storage) when MEDIA_STORAGE_URL is set, so that web and worker processes on different hosts
# share them. Either way nothing is served from a public URL: the views check permissions and stream.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_STORAGE_URL = env_str("MEDIA_STORAGE_URL")
if MEDIA_STORAGE_URL:
    DEFAULT_STORAGE = s3_storage("MEDIA_STORAGE_URL", MEDIA_STORAGE_URL)
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = None
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# A DOCX/XLSX is a zip: the sum of its parts' sizes once unpacked is limited too (zip bombs).
UPLOAD_MAX_UNPACKED_BYTES = env_int("UPLOAD_MAX_UNPACKED_BYTES", 200 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", required=True)
else:
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
# Where the portal is reached, for absolute links in e-mails (e.g. https://thidua.example.gov.vn).
PORTAL_BASE_URL = (env_str("PORTAL_BASE_URL", "") or "").rstrip("/")
if PORTAL_BASE_URL and not PORTAL_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"PORTAL_BASE_URL={PORTAL_BASE_URL!r} must start with http:// or https://.")
# Ký số (docs/signing.md): PAdES B-LT with a time-stamp authority and the trust roots of the revocation
# checks, B-B without; demo certificates (``load_demo``) only where allowed (DEBUG by default).
SIGNING_TSA_URL = env_str("SIGNING_TSA_URL", "") or ""
SIGNING_TRUST_ROOTS = env_str("SIGNING_TRUST_ROOTS", "") or ""
SIGNING_ALLOW_DEMO = env_bool("SIGNING_ALLOW_DEMO", DEBUG)
# The public verification page of certificates: lookups per client address per window (seconds).
VERIFY_RATE_LIMIT = env_int("VERIFY_RATE_LIMIT", 30, minimum=1)
VERIFY_RATE_WINDOW = env_int("VERIFY_RATE_WINDOW", 600, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cổng thi đua CCHC <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Forms, messages ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
from django.contrib.messages import constants as message_constants  # noqa: E402

MESSAGE_TAGS = {message_constants.ERROR: "danger"}

# --- Security (tightened further in settings_production) -------------------------------------------
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
# json: one JSON object per line (production's default, for the log collector); plain: for a terminal.
LOG_FORMAT = env_choice("LOG_FORMAT", "plain", {"plain", "json"})


def logging_config(fmt: str, level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "common.logs.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(process)d %(message)s",
                "rename_fields": {
                    "asctime": "time", "levelname": "level", "name": "logger", "process": "pid",
                },  # fmt: skip
                "timestamp": False,
                "json_ensure_ascii": False,
            },
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": fmt, "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # WeasyPrint logs every layout step at INFO: keep its warnings (missing fonts, bad CSS) only
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)
