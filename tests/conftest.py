"""Fixtures and hooks of the whole suite.

The suite runs in three lanes, each test in exactly one (markers declared in pyproject.toml):

- ``unit``: touches no database and starts nothing (``make test-fast``, ``pytest -m unit``);
- ``integration``: the database (a ``django_db`` marker or a fixture that opens it), a real Celery
  worker (``celery_worker``), or other processes on a database of their own (``tests/concurrency``);
- ``browser``: Chromium through Playwright (``tests/e2e`` and any module that imports Playwright).

The lane is decided here at collection, by what a test uses, so a new test lands in the right lane
without anyone marking it; a test may also name its lane with the marker.
"""

import functools
import os
import re
import types
import uuid
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent
LANES = ("unit", "integration", "browser")
BROWSER_DIRS = (TESTS / "e2e",)
#: Tests here start processes on databases of their own.
INTEGRATION_DIRS = (TESTS / "concurrency",)
#: pytest-django's fixtures that open the test database; a test that touches the database without one
#: of them (or the ``django_db`` marker) is refused by pytest-django, so this list is the whole story.
DB_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "django_db_setup",
    }
)


def _uses_playwright(module) -> bool:
    for value in vars(module).values():
        name = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", "")
        if isinstance(name, str) and name.split(".")[0] == "playwright":
            return True
    return False


def lane_of(item: pytest.Item) -> str:
    named = [lane for lane in LANES if item.get_closest_marker(lane)]
    if named:
        return named[-1]
    path = Path(str(item.path))
    module = getattr(item, "module", None)
    if any(path.is_relative_to(d) for d in BROWSER_DIRS) or (module is not None and _uses_playwright(module)):
        return "browser"
    if (
        any(path.is_relative_to(d) for d in INTEGRATION_DIRS)
        or item.get_closest_marker("django_db")
        or item.get_closest_marker("celery_worker")
        or DB_FIXTURES.intersection(getattr(item, "fixturenames", ()))
    ):
        return "integration"
    return "unit"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test gets its lane's marker before ``-m`` selects (tryfirst: before the mark plugin)."""
    for item in items:
        lane = lane_of(item)
        if not item.get_closest_marker(lane):
            item.add_marker(getattr(pytest.mark, lane))


# --- incremental modules: the steps of one story (pytest's "incremental testing - test steps") ------

#: The first failed step of each ``incremental`` module, by the module's node id.
_FAILED_STEP: dict[str, str] = {}


def pytest_runtest_makereport(item, call):
    if call.excinfo is None or call.excinfo.errisinstance(pytest.skip.Exception):
        return
    if item.get_closest_marker("incremental"):
        _FAILED_STEP.setdefault(item.parent.nodeid, item.name)


def pytest_runtest_setup(item):
    """After a step of an ``incremental`` module fails, its later steps are skipped as not run."""
    if item.get_closest_marker("incremental"):
        failed = _FAILED_STEP.get(item.parent.nodeid)
        if failed is not None:
            pytest.skip(f"not run: step {failed} failed")


#: The database the settings name, before pytest-django points the connection at the test database.
_REAL_DATABASE: dict[str, object] = {}


def pytest_configure(config):
    """Tests hash passwords with a fast hasher: the default PBKDF2 costs a few hundred milliseconds per
    user, and the suite creates hundreds of users (a council alone has nine). Production keeps PBKDF2."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The demo's test certificates (demo/signing.py) only where a test asks for them.
    settings.SIGNING_ALLOW_DEMO = False
    _REAL_DATABASE["NAME"] = settings.DATABASES["default"]["NAME"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Tasks run in-process in ordinary tests, even when REDIS_URL is set (CI).

    Tests marked ``celery_worker`` keep the real broker and start a real worker.
    """
    from campaign_portal.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


#: Data migrations whose rows the suite relies on (the dated base-salary table, the beat schedule).
#: A flush empties them: a transactional test's, and that of a reused database's previous run.
MIGRATION_DATA = [
    ("awards", "0002_base_salary_table"),
    ("awards", "0003_beat_schedule"),
    ("reminders", "0002_beat_schedule"),
    ("common", "0004_outbox_beat_schedule"),
    ("awards", "0008_dossier_sweep_schedule"),
]


@functools.cache
def _migration_apps(label: str, name: str):
    """The models as that migration saw them (what ``migrate`` passes to its functions)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return loader.project_state((label, name), at_end=True).apps, loader.get_migration(label, name)


def restore_migration_data() -> None:
    """Runs the functions of :data:`MIGRATION_DATA` again, as ``migrate`` did (each is idempotent)."""
    from django.db.migrations import RunPython

    for label, name in MIGRATION_DATA:
        state_apps, migration = _migration_apps(label, name)
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                no_schema_editor: Any = None  # data only: none of them uses the schema editor
                operation.code(state_apps, no_schema_editor)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker, django_db_keepdb, django_db_createdb):
    """The test database as the migrations leave it, fresh (``--create-db``) or reused (``--reuse-db``,
    the default of local runs): a reused database may keep what the last run's transactional tests or
    an interrupted run left, so it is emptied and the migrations' data rows written again.

    pytest-django creates the test database only when a selected test asks for it (``db``,
    ``transactional_db``, ``live_server``, ``django_db``); a run of fixtures that open it themselves
    (the browser story's steps, the permission matrix) gets it here, never the real database."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    made_here = None
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] == _REAL_DATABASE["NAME"]:
            made_here = setup_databases(
                verbosity=request.config.option.verbose,
                interactive=False,
                aliases={"default"},
                keepdb=django_db_keepdb and not django_db_createdb,
            )
        assert connection.settings_dict["NAME"] != _REAL_DATABASE["NAME"], "not on the test database"
        call_command("flush", interactive=False, verbosity=0)
        restore_migration_data()
    yield
    if made_here is not None and not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(made_here, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True)
def _migration_data(request):
    """A transactional test's flush empties the data migrations' rows for the tests after it: tests on
    a transactional database get them back (the others roll back and keep them)."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    restore_migration_data()


# --- object storage: a real S3 server (SeaweedFS) -------------------------------------------------


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """One SeaweedFS for the session (tests/seaweed.py). Skipped, saying why, where it cannot start;
    under CI=true that fails instead."""
    from tests.seaweed import SeaweedFS

    reason = SeaweedFS.unavailable()
    server = None
    if reason is None:
        try:
            server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
        except RuntimeError as exc:
            reason = f"SeaweedFS could not start: {exc}"
    if server is None:
        if _ci():
            pytest.fail(f"CI needs the S3 server: {reason}")
        pytest.skip(reason)
    yield server
    server.stop()


@pytest.fixture
def s3_media(seaweedfs, settings, request):
    """The default storage of this test is the SeaweedFS bucket, under a prefix of its own."""
    prefix = "t-" + re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())[:60] + f"-{uuid.uuid4().hex[:8]}"
    settings.STORAGES = {**settings.STORAGES, "default": seaweedfs.storage(prefix=prefix)}
    settings.MEDIA_STORAGE_URL = seaweedfs.url + "/" + prefix
    return types.SimpleNamespace(
        server=seaweedfs, prefix=prefix, objects=lambda: seaweedfs.keys(prefix + "/")
    )
