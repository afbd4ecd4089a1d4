import pytest


def pytest_configure(config):
    """Tests hash passwords with a fast hasher: the default PBKDF2 costs a few hundred milliseconds per
    user, and the suite creates hundreds of users (a council alone has nine). Production keeps PBKDF2."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture(autouse=True)
def _base_salary_table(request):
    """The dated base-salary table is data of a migration: a transactional test's flush empties it
    for the tests after it. Tests on a transactional database get it back (the others roll back and
    keep the migrated rows)."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    import datetime as dt
    import importlib

    request.getfixturevalue("transactional_db")
    from awards.models import BaseSalary

    rows = importlib.import_module("awards.migrations.0002_base_salary_table").ROWS
    for day, amount, basis in rows:
        BaseSalary.objects.get_or_create(
            effective_from=dt.date.fromisoformat(day), defaults={"amount": amount, "legal_basis": basis}
        )
