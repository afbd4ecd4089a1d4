import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from campaign_portal.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("value", ["maybe", "2", "tru"])
def test_bad_boolean_is_an_error(monkeypatch, value):
    monkeypatch.setenv("X_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_parsers(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    monkeypatch.setenv("X_NUM", "25")
    monkeypatch.setenv("X_LIST", "a.gov.vn, b.gov.vn")
    assert env_bool("X_FLAG", False) is True
    assert env_int("X_NUM", 1, minimum=1, maximum=65535) == 25
    assert env_list("X_LIST", []) == ["a.gov.vn", "b.gov.vn"]
    monkeypatch.setenv("X_NUM", "25MB")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_LIST", "a,,b")
    with pytest.raises(ImproperlyConfigured, match="X_LIST"):
        env_list("X_LIST", [])


def test_bad_values_stop_start_up():
    result = run_manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr
    result = run_manage("check", DATABASE_URL="nosuchdb://x")
    assert result.returncode != 0
    assert "DATABASE_URL is not a valid database URL" in result.stderr
    result = run_manage("check", REDIS_URL="http://localhost")
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_production_mode_passes_check_deploy_without_warnings():
    secret = "k3J9-vQ2pX8_zL5nR7wT1yB4cF6hM0aS9dG2jK5lP8qW3eR6tY1uI4oZ7xC0vB3n"
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="campaign_portal.settings_production",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="portal.example.gov.vn",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_mode_requires_a_real_secret():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="campaign_portal.settings_production",
        ALLOWED_HOSTS="portal.example.gov.vn",
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


@pytest.mark.django_db
def test_database_is_the_one_database_url_names():
    """With DATABASE_URL set (CI), the suite really runs on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
