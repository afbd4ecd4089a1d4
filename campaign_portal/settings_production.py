"""Production mode: ``DJANGO_SETTINGS_MODULE=campaign_portal.settings_production``.

Requires SECRET_KEY (50+ characters) and ALLOWED_HOSTS; passes ``manage.py check --deploy``.
"""

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_choice, env_int, env_list, env_str
from .settings import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production mode.")

SECRET_KEY = env_str("SECRET_KEY", required=True)
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production mode.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The health check answers the container's own probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True

# WhiteNoise serves the collected static files right after the security middleware.
MIDDLEWARE = [*MIDDLEWARE[:1], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Logs as JSON lines for the log collector, unless LOG_FORMAT says otherwise.
LOG_FORMAT = env_choice("LOG_FORMAT", "json", {"plain", "json"})
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)  # noqa: F405
