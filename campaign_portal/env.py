"""Strict reading of settings from the environment.

A value that is present but malformed stops start-up with a message naming the
variable; only an absent variable falls back to its default (healthchecks' habit).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return value.strip()


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = _raw(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum {maximum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={value!r} has an empty item; separate values with single commas.")
    return items


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(sorted(choices))}.")
    return value


# --- object storage ------------------------------------------------------------------------------

_S3_SCHEMES = {"s3": "https", "s3+https": "https", "s3+http": "http"}
_S3_QUERY = {"region", "addressing"}
_BUCKET_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")


def parse_storage_url(name: str, value: str) -> dict[str, object]:
    """The options of django-storages' S3 backend read from one URL:

    ``s3+https://KEY:SECRET@host[:port]/bucket[/prefix][?region=...&addressing=path|virtual]``

    ``s3://`` is ``s3+https://``; ``s3+http://`` is for an endpoint inside a private network (the
    Compose file's SeaweedFS). The key and secret are percent-encoded; without them boto3 looks in its
    usual places (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an instance role). Anything else stops
    start-up with a message naming the variable (never the secret).
    """
    from urllib.parse import parse_qsl, unquote, urlsplit

    def bad(why: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{name} is not a valid object storage URL: {why}.")

    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise bad(str(exc)) from None
    scheme = parts.scheme.lower()
    if scheme not in _S3_SCHEMES:
        raise bad("it must start with s3://, s3+https:// or s3+http://")
    if not parts.hostname:
        raise bad("the endpoint's host is missing")
    if parts.fragment:
        raise bad("it has a #fragment")
    path = [p for p in parts.path.split("/") if p]
    if not path:
        raise bad("the bucket is missing (s3+https://host/bucket)")
    bucket, prefix = path[0], "/".join(path[1:])
    if not (3 <= len(bucket) <= 63) or set(bucket) - _BUCKET_CHARS or bucket[0] in ".-" or bucket[-1] in ".-":
        raise bad(f"{bucket!r} is not a bucket name (3-63 lower-case letters, digits, dots, hyphens)")
    try:
        query = dict(parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query)))
    except ValueError:
        raise bad("its query string is malformed") from None
    unknown = set(query) - _S3_QUERY
    if unknown:
        raise bad(f"unknown parameter {sorted(unknown)[0]!r} (known: {', '.join(sorted(_S3_QUERY))})")
    addressing = query.get("addressing", "path")
    if addressing not in {"path", "virtual"}:
        raise bad("addressing must be path or virtual")
    region = query.get("region", "us-east-1")
    if not region or not set(region) <= set("abcdefghijklmnopqrstuvwxyz0123456789-"):
        raise bad("region must be a region name such as us-east-1")
    if (parts.username is None) != (parts.password is None) or parts.username == "" or parts.password == "":
        raise bad("give both the access key and the secret (KEY:SECRET@host), or neither")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    endpoint = f"{_S3_SCHEMES[scheme]}://{host}" + (f":{port}" if port else "")
    options: dict[str, object] = {
        "bucket_name": bucket,
        "location": prefix,
        "endpoint_url": endpoint,
        "region_name": region,
        "addressing_style": addressing,
        "signature_version": "s3v4",
    }
    if parts.username is not None:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    return options


def s3_storage(name: str, value: str) -> dict[str, object]:
    """``STORAGES["default"]`` for the bucket of the URL ``value`` (the variable ``name``)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **parse_storage_url(name, value),
            # A private bucket: every object private, no public URL handed out (downloads are
            # streamed by the views after their permission checks).
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            # Names are random (evidence, staged files) or per job (dossiers): a retry rewrites its
            # own file in place instead of leaving a copy beside it.
            "file_overwrite": True,
            # A file read whole (a staged spreadsheet) spills to a temporary file past 5 MB.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
