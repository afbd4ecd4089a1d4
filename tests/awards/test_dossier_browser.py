"""The dossier's progress bar in a real browser (Playwright driving Debian's Chromium).

The job is started with its task messages sent to the broker but not run; this test then renders the
documents one by one, as a worker would, and watches the page: the bar and the counts follow without
a reload, a failed document is named with its Vietnamese error, and when the job stops the page
reloads itself once and offers the retry (then the ZIP).
"""

import os
import shutil

import pytest

from awards.dossier import documents, jobs
from awards.models import JobState
from campaign_portal.celery import app
from tests.factories import decision_with_awardees

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")


@pytest.fixture
def queued_only():
    """Task messages go to the broker (in-memory without REDIS_URL) and nobody runs them."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)


@pytest.fixture
def live_server(transactional_db):
    """A live server of its own: Django's test server also serves MEDIA_URL, which the portal leaves
    unset (files go out only through permission checks), so it is given a path nothing links to."""
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="/media-of-the-test-server/"):
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def page(live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is used beside Playwright's loop
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(locale="vi-VN")
        page.set_default_timeout(20000)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def login(page, live_server, user):
    """The session of a logged-in user, as a cookie of the browser."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_the_progress_bar_follows_the_documents_and_names_a_failure(
    transactional_db, live_server, page, queued_only, monkeypatch
):
    world = decision_with_awardees("kh-ui", 2)
    job = jobs.start_job(world.decision, actor=world.officer, kinds=["bao_cao", "giay_khen"], format="pdf")
    login(page, live_server, world.officer)
    response = page.goto(f"{live_server.url}/awards/dossier/{job.pk}/")
    assert response.status == 200, (response.status, page.url, page.content()[:2000])
    done = page.locator('[data-field="done"]')
    assert done.inner_text() == "0" and page.locator('[data-field="total"]').inner_text() == "4"

    ids = list(job.documents.order_by("position").values_list("pk", flat=True))
    jobs.render_document(ids[0])
    sync_api.expect(done).to_have_text("1")
    sync_api.expect(page.locator('[data-field="bar"]')).to_have_text("25%")
    jobs.render_document(ids[1])
    sync_api.expect(done).to_have_text("2")

    broken = job.documents.get(pk=ids[2])
    real = documents.render_pdf
    monkeypatch.setattr(documents, "render_pdf", lambda d, s: (_ for _ in ()).throw(OSError("disk")))
    jobs.render_document(ids[2])
    monkeypatch.setattr(documents, "render_pdf", real)
    failures = page.locator('[data-field="failures"] li')
    sync_api.expect(failures).to_have_count(1)
    assert broken.title in failures.inner_text()
    assert "Không tạo được bản PDF của văn bản này." in failures.inner_text()

    jobs.render_document(ids[3])  # the last one: the job stops with one failure, the page reloads
    retry = page.get_by_role("button", name="Tạo lại các văn bản lỗi")
    sync_api.expect(retry).to_be_visible()
    sync_api.expect(page.locator('[data-field="state_label"]')).to_have_text("Có văn bản lỗi")

    app.conf.task_always_eager = True  # the retry runs at once, as without a broker
    retry.click()
    sync_api.expect(page.get_by_role("link", name="Tải hồ sơ (ZIP)")).to_be_visible()
    job.refresh_from_db()
    assert job.state == JobState.DONE
