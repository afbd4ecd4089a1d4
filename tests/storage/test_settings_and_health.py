"""The storage setting read strictly, what the settings keep off one process, /healthz, the JSON log
with the request id."""

from __future__ import annotations

import io
import json
import logging
import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from campaign_portal.env import parse_storage_url
from common import logs
from tests.factories import UserFactory

from .conftest import closed_port


def test_a_storage_url_gives_the_s3_options():
    assert parse_storage_url(
        "MEDIA_STORAGE_URL", "s3+http://ak:s%2Fk@127.0.0.1:8333/portal/media?region=hn-1"
    ) == {
        "bucket_name": "portal",
        "location": "media",
        "endpoint_url": "http://127.0.0.1:8333",
        "region_name": "hn-1",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "access_key": "ak",
        "secret_key": "s/k",
    }
    options = parse_storage_url("X", "s3://s3.example.gov.vn/ho-so?addressing=virtual")
    shown = ("endpoint_url", "bucket_name", "location", "addressing_style")
    assert tuple(options[k] for k in shown) == (
        "https://s3.example.gov.vn", "ho-so", "", "virtual",
    )  # fmt: skip
    assert "access_key" not in options  # boto3's own chain (environment, instance role)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("http://ak:sk@host/portal", "it must start with s3://"),
        ("s3+http://ak:sk@/portal", "the endpoint's host is missing"),
        ("s3+http://ak:sk@host", "the bucket is missing"),
        ("s3+http://ak:sk@host/Portal_1", "'Portal_1' is not a bucket name"),
        ("s3+http://ak:sk@host/portal?region=x&acl=public-read", "unknown parameter 'acl'"),
        ("s3+http://ak:sk@host/portal?addressing=dns", "addressing must be path or virtual"),
        ("s3+http://ak@host/portal", "give both the access key and the secret"),
        ("s3+http://ak:sk@host:99999/portal", "Port out of range"),
        ("s3+http://ak:sk@host/portal#x", "it has a #fragment"),
    ],
)
def test_a_malformed_storage_url_stops_start_up_naming_the_variable_not_the_secret(value, why):
    with pytest.raises(ImproperlyConfigured) as refused:
        parse_storage_url("MEDIA_STORAGE_URL", value)
    message = str(refused.value)
    assert message.startswith("MEDIA_STORAGE_URL is not a valid object storage URL: ") and why in message
    assert ":sk@" not in message


def settings_with(monkeypatch, **env) -> dict:
    for name in ("MEDIA_STORAGE_URL", "REDIS_URL", "CELERY_VISIBILITY_TIMEOUT", "DOSSIER_DOCUMENT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_module("campaign_portal.settings")


@pytest.mark.filterwarnings("ignore:.*found in sys.modules:RuntimeWarning")
def test_nothing_a_request_needs_again_lives_in_one_process(monkeypatch):
    local = settings_with(monkeypatch)
    assert local["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert local["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    shared = settings_with(
        monkeypatch,
        REDIS_URL="redis://127.0.0.1:6379/3",
        MEDIA_STORAGE_URL="s3+http://a:b@127.0.0.1:1/portal",
    )
    assert shared["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert shared["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert shared["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert shared["STORAGES"]["default"]["OPTIONS"]["default_acl"] == "private"
    # Failed-login throttling (axes) counts in the database, with its default handler.
    assert shared.get("AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler").endswith(
        "AxesDatabaseHandler"
    )
    assert shared["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] == 600
    assert shared["CELERY_TASK_ACKS_LATE"] and shared["CELERY_TASK_REJECT_ON_WORKER_LOST"]
    with pytest.raises(ImproperlyConfigured, match="CELERY_VISIBILITY_TIMEOUT=100 must be at least"):
        settings_with(monkeypatch, DOSSIER_DOCUMENT_SECONDS="300", CELERY_VISIBILITY_TIMEOUT="100")


def test_healthz_says_ok_or_unavailable_and_details_only_to_the_administrator(client, db, settings, s3_media):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
    admin = UserFactory(username="quan-tri", is_superuser=True, is_staff=True)
    client.force_login(admin)
    checks = client.get(reverse("healthz")).json()["checks"]
    assert sorted(checks) == ["broker", "database", "storage"] and all(c["ok"] for c in checks.values())

    # The bucket's server does not answer.
    dead = s3_media.server.storage(prefix="x")
    dead["OPTIONS"]["endpoint_url"] = f"http://127.0.0.1:{closed_port()}"
    settings.STORAGES = {**settings.STORAGES, "default": dead}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "unavailable" and not body["checks"]["storage"]["ok"]
    assert "Could not connect" in body["checks"]["storage"]["error"]
    client.logout()
    assert client.get(reverse("healthz")).json() == {"status": "unavailable"}


def test_log_lines_are_json_with_the_request_id(client, db):
    from pythonjsonlogger.json import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    logger = logging.getLogger("tests.request")
    logger.addHandler(handler)
    try:
        with logs.request_id_context("abc-123"):
            logger.warning("bên trong")
        logger.warning("bên ngoài")
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (inside["request_id"], inside["message"], inside["level"], inside["logger"]) == (
        "abc-123", "bên trong", "WARNING", "tests.request",
    )  # fmt: skip
    assert outside["request_id"] == "-"

    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="proxy-id.42")
    assert response["X-Request-ID"] == "proxy-id.42"
    odd = client.get(reverse("login"), HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"]
    assert len(odd) == 32 and odd.isalnum()  # an unusable id is replaced by a new one


def test_tasks_carry_the_request_id_in_their_headers():
    headers: dict = {}
    with logs.request_id_context("abc-123"):
        logs._before_publish(headers=headers)
    assert headers == {"request_id": "abc-123"}
    task = type(
        "T", (), {"request": type("R", (), {"request_id": None, "headers": {"request_id": "abc-123"}})()}
    )()
    logs._task_started(task_id="t-1", task=task)
    assert logs.current_request_id() == "abc-123"
    logs._task_finished(task_id="t-1")
    assert logs.current_request_id() == ""
