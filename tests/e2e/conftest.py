"""The browser suite: Playwright driving Debian's Chromium against a live server.

- The live server is pytest-django's ``live_server`` (a thread of this process, on the test database:
  PostgreSQL with DATABASE_URL, SQLite otherwise).
- With PostgreSQL and REDIS_URL, a real Celery worker process is started on the test database and the
  Redis broker; without them (``make test`` on a laptop) Celery runs tasks in-process (eager).
- Nothing downloads a browser: Chromium is /usr/bin/chromium. Missing Chromium or Playwright skips the
  suite on a laptop and FAILS it under CI (CI=true).
- Every step's screenshot goes to ``e2e-artifacts/<test>/``; on a failure the page's screenshot and
  HTML are kept there too (``FAILED-*``).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer

from .a11y import PageChecks

BASE_DIR = Path(settings.BASE_DIR)
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = BASE_DIR / "e2e-artifacts"
PASSWORD = "demo-2026"


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Playwright Python package is not installed (pip install -e '.[test]')"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    """On a laptop without Chromium the browser tests are skipped with the reason; under CI they fail."""
    reason = _missing_browser()
    if reason is None:
        return
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            if _ci():
                item.add_marker(pytest.mark.usefixtures("_browser_required"))
            else:
                item.add_marker(pytest.mark.skip(reason=f"browser suite skipped: {reason}"))


@pytest.fixture
def _browser_required():
    pytest.fail(f"CI=true requires the browser suite: {_missing_browser()}", pytrace=False)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# --- Celery: a real worker on PostgreSQL + Redis, in-process otherwise ----------------------------


def _worker_database_url() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        return None
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A `celery worker` process on the test database (what `make worker` runs in production)."""

    def __init__(self, database_url: str, folder: Path):
        self.folder = folder
        self.log_path = folder / "worker.log"
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "MEDIA_ROOT": str(folder / "media"),
            "PYTHONPATH": str(BASE_DIR),
        }
        cmd = [sys.executable, "-m", "celery", "-A", "campaign_portal", "worker", "-P", "solo"]
        cmd += ["-n", "e2e@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"]
        self.proc = subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while b" ready." not in self.log_path.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start:\n" + self.logs())
            time.sleep(0.2)

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


@pytest.fixture(scope="package")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """One worker for the browser suite, stopped when it ends so that it takes no task of the tests
    after it (None when the suite runs Celery in-process)."""
    with django_db_blocker.unblock():
        url = _worker_database_url()
    if url is None:
        yield None
        return
    from campaign_portal.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    worker = Worker(url, tmp_path_factory.mktemp("e2e-worker"))
    yield worker
    worker.stop()  # before the test database is dropped


@contextmanager
def celery_for(worker: Worker | None):
    """'worker' (tasks go through Redis to the worker process) or 'eager' (in-process), restored after."""
    from campaign_portal.celery import app

    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    if worker is not None:
        app.conf.task_always_eager = False
        mode = "worker"
    else:
        app.conf.task_always_eager = True
        app.conf.task_eager_propagates = True
        mode = "eager"
    try:
        yield mode
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def celery_mode(celery_worker_process, settings):
    """'worker' or 'eager' for one test; with the worker, the files are where it reads them."""
    with celery_for(celery_worker_process) as mode:
        if celery_worker_process is not None:
            settings.MEDIA_ROOT = celery_worker_process.folder / "media"
        yield mode


@pytest.fixture(scope="module")
def story_db(django_db_setup, django_db_blocker):
    """The database of a module whose tests are the steps of one story (``incremental``): open for the
    whole module and committed as each step goes (no transaction to roll back), so a step finds what
    the steps before it wrote, and so do the live server and the worker. Emptied when the module
    ends, as a transactional test's flush, with the migrations' data rows written again."""
    from django.core.management import call_command

    from tests.conftest import restore_migration_data

    with django_db_blocker.unblock():
        restore_migration_data()
        try:
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)
            restore_migration_data()


# --- the browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    reason = _missing_browser()
    if reason:
        if _ci():
            pytest.fail(f"CI=true requires the browser suite: {reason}", pytrace=False)
        pytest.skip(f"browser suite skipped: {reason}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's database calls of the test
    # itself (fixtures, assertions) are still synchronous, so its async guard is lifted for the module.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session", autouse=True)
def _artifacts_folder():
    ARTIFACTS.mkdir(exist_ok=True)


class SingleThreadedServer(WSGIServer):
    """Django's development server without threads (it then closes each connection after its response,
    so the browser's keep-alive never blocks the next request)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


@pytest.fixture(scope="module")
def e2e_server(django_db_setup, django_db_blocker):
    """pytest-django's live server (a thread of this process, on the test database). The portal serves
    no media URL (MEDIA_URL is None: evidence goes through views that check access), but Django's live
    server wraps a media handler that needs a prefix: it gets one that nothing links to."""
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    media_url = settings.MEDIA_URL
    settings.MEDIA_URL = "/e2e-no-media/"
    try:
        with django_db_blocker.unblock():
            server = LiveServer("localhost", start=False)
            if connection.vendor == "sqlite":
                # The in-memory test database is one connection shared by every thread: requests are
                # served one at a time (a page's autosave and its form post would otherwise interleave
                # on it). PostgreSQL gets the threaded server and real concurrency.
                server.thread.server_class = SingleThreadedServer
            server.start()
    finally:
        settings.MEDIA_URL = media_url
    yield server
    server.stop()


class Portal:
    """The users of one test: a browser context per account (logged in once, through the login form),
    a screenshot per step, and the accessibility checks over every page visited."""

    def __init__(self, browser, base_url: str, folder: Path):
        self.browser = browser
        self.base_url = base_url
        self.folder = folder
        self.pages: dict[str, object] = {}
        self.checks = PageChecks()
        self.step_no = 0
        self.current: Any = None  # the page of the last account used
        self.celery_mode = ""
        self.worker: Worker | None = None

    def as_user(self, username: str):
        page = self.pages.get(username)
        if page is None:
            context = self.browser.new_context(
                base_url=self.base_url, locale="vi-VN", viewport={"width": 1280, "height": 900}
            )
            context.set_default_timeout(15000)
            page = context.new_page()
            page.goto("/accounts/login/")
            self.checks.check(page)
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_load_state()
            assert "/accounts/login/" not in page.url, f"{username} could not sign in"
            self.pages[username] = page
        self.current = page
        return page

    def visit(self, page, path: str, expect_status: int = 200):
        response = page.goto(path)
        assert response is not None and response.status == expect_status, (path, response and response.status)
        self.checks.check(page)
        return response

    def shot(self, page, name: str) -> None:
        self.step_no += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(self.folder / f"{self.step_no:02d}-{slug}.png"), full_page=True)

    def close(self):
        for page in self.pages.values():
            page.context.close()


def keep_failure(portal: Portal, name: str) -> None:
    """The page a failure left, as a screenshot and its HTML, in the portal's folder."""
    if portal.current is None:
        return
    try:
        portal.current.screenshot(path=str(portal.folder / f"{name}.png"), full_page=True)
        (portal.folder / f"{name}.html").write_text(portal.current.content(), encoding="utf-8")
    except Exception as exc:  # the page may be gone with the failure; keep what we can
        (portal.folder / f"{name}.txt").write_text(f"no screenshot: {exc!r}")


def artifacts_folder(name: str) -> Path:
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def portal(request, browser, e2e_server, transactional_db, celery_mode, celery_worker_process):
    p = Portal(browser, e2e_server.url, artifacts_folder(request.node.name))
    p.celery_mode = celery_mode
    p.worker = celery_worker_process
    yield p
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        keep_failure(p, "FAILED-page")
    p.close()


@pytest.fixture
def demo_data(transactional_db):
    """The demo (``make run`` loads the same): agencies, accounts, plans, registrations, results."""
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
