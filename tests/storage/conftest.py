"""Fixtures of the storage, stateless and operations tests (issue 23; issue 19 items 4-5)."""

from __future__ import annotations

import os
import socket

import pytest


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def reset_broker_pools(app) -> None:
    app._pool = None
    if "amqp" in app.__dict__:
        app.__dict__["amqp"]._producer_pool = None


@pytest.fixture
def broker_down(settings):
    """Redis is unreachable: the broker URL and the cache point at a closed port, and tasks are not
    run in-process (as in production)."""
    from campaign_portal.celery import app

    url = f"redis://127.0.0.1:{closed_port()}/0"
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = url, False
    reset_broker_pools(app)
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    yield url
    app.conf.broker_url, app.conf.task_always_eager = saved
    reset_broker_pools(app)


def broker_back(app) -> None:
    """The broker answers again (the real Redis of REDIS_URL)."""
    app.conf.broker_url = os.environ["REDIS_URL"]
    reset_broker_pools(app)


needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs the Redis broker: set REDIS_URL (make test on PostgreSQL + Redis)",
)
needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="worker processes need a database they can open: set DATABASE_URL=postgres://...",
)
