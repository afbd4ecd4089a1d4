"""Proven stateless (issue 23): two web servers (gunicorn) and a Celery worker, each a process of its
own in a working directory of its own, sharing no disk: only PostgreSQL, Redis and the S3 bucket
(SeaweedFS). A person logs in on one web server, previews an import there and confirms it on the
other, starts a dossier on one and downloads its ZIP from the other; the worker renders it. Nothing
is written to any process's local disk (their MEDIA_ROOT folders stay absent)."""

from __future__ import annotations

import hashlib
import http.cookiejar
import io
import json
import re
import urllib.parse
import urllib.request
import zipfile

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from agencies.models import Agency
from awards.dossier import jobs
from awards.models import DossierJob, JobState
from campaign_portal.celery import app
from tests.factories import decision_with_awardees

from . import processes
from .conftest import closed_port as free_port
from .conftest import needs_postgres, needs_redis

pytestmark = [pytest.mark.celery_worker, needs_redis, needs_postgres]


class Browser:
    """A person's browser: one cookie jar for every server (the servers share the session)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return str(next(c.value for c in self.jar if c.name == "csrftoken"))

    def get(self, url: str) -> tuple[int, bytes, str]:
        with self.opener.open(url, timeout=60) as response:
            return response.status, response.read(), response.url

    def post(
        self, url: str, fields: dict, files: dict | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, str]:
        fields = {**fields, "csrfmiddlewaretoken": self.csrf()}
        if files:
            boundary = "----portal-test-boundary"
            body = io.BytesIO()
            for k, v in fields.items():
                for value in v if isinstance(v, list) else [v]:
                    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                    body.write(f"{head}{value}\r\n".encode())
            for k, (filename, data) in files.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{filename}"\r\n'
                    f"Content-Type: text/csv\r\n\r\n".encode()
                    + data
                    + b"\r\n"
                )
            body.write(f"--{boundary}--\r\n".encode())
            request = urllib.request.Request(url, data=body.getvalue(), method="POST")
            request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        else:
            data = urllib.parse.urlencode(fields, doseq=True).encode()
            request = urllib.request.Request(url, data=data, method="POST")
        request.add_header("Referer", url)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        with self.opener.open(request, timeout=120) as response:
            return response.status, response.read(), response.url


def test_web_and_worker_share_nothing_but_the_database_redis_and_the_bucket(
    transactional_db, s3_media, settings, tmp_path
):
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    world = decision_with_awardees("kh-stateless", 12)
    # Hashed as the servers hash (the suite's own hasher is a fast one they do not know).
    hasher = PBKDF2PasswordHasher()
    world.officer.password = hasher.encode("demo-2026", hasher.salt(), iterations=1000)
    world.officer.save()
    province = world.province
    ports = [free_port(), free_port()]
    common_env = {
        "DATABASE_URL": processes.database_url(),
        "MEDIA_STORAGE_URL": settings.MEDIA_STORAGE_URL,
        "LOG_FORMAT": "json",
    }
    dirs = {name: tmp_path / name for name in ("web-a", "web-b", "worker")}
    started = []
    try:
        for name, port in zip(("web-a", "web-b"), ports, strict=True):
            started.append(
                processes.gunicorn(
                    name, dirs[name], {**common_env, "MEDIA_ROOT": str(dirs[name] / "media")}, port
                )
            )
        started.append(
            processes.worker(
                "worker", dirs["worker"], {**common_env, "MEDIA_ROOT": str(dirs["worker"] / "media")}
            )
        )
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        browser = Browser()
        browser.get(f"{a}/accounts/login/")
        status, _body, landed = browser.post(
            f"{a}/accounts/login/", {"username": world.officer.username, "password": "demo-2026"}
        )
        assert urllib.parse.urlsplit(landed).path == "/", _body[:2000]

        # An import previewed on one server, confirmed on the other (the file waits in the bucket).
        csv_data = f"code,name,kind,parent_code\nmoi-1,Phường Mới,commune_pc,{province.code}\n".encode()
        status, body, _url = browser.post(f"{a}/agencies/import/", {}, files={"file": ("tep.csv", csv_data)})
        token = re.search(rb'name="token" value="([^"]+)"', body).group(1).decode()
        assert [k for k in s3_media.objects() if "/staged-imports/" in k] != []
        browser.get(f"{b}/agencies/import/")  # a fresh CSRF cookie from the other server is the same
        status, body, _url = browser.post(f"{b}/agencies/import/", {"token": token})
        assert Agency.objects.filter(code="moi-1", parent=province).exists()
        assert [k for k in s3_media.objects() if "/staged-imports/" in k] == []

        # A dossier started on one server, rendered by the worker, downloaded from the other.
        status, body, landed = browser.post(
            f"{a}/awards/decision/{world.decision.pk}/dossier/start/",
            {"kinds": "giay_khen", "format": "pdf"},
            headers={"X-Request-ID": "stateless-click-1"},
        )  # fmt: skip
        job = DossierJob.objects.get(decision=world.decision)
        assert urllib.parse.urlsplit(landed).path == f"/awards/dossier/{job.pk}/"
        processes.wait_for(
            lambda: DossierJob.objects.get(pk=job.pk).state in (JobState.DONE, JobState.FAILED),
            300,
            "the dossier",
        )
        job.refresh_from_db()
        assert job.state == JobState.DONE, started[-1].log()[-3000:]
        status, data, _url = browser.get(f"{b}/awards/dossier/{job.pk}/download.zip")
        assert status == 200 and hashlib.sha256(data).hexdigest() == job.archive_sha256
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert len(zf.namelist()) == 12 + 1
        # The worker did the rendering; the request id of the click followed the tasks into its log.
        worker_log = started[-1].log()
        assert "awards.render_dossier_document" in worker_log and "awards.assemble_dossier" in worker_log
        rendered = [
            entry
            for entry in map(json.loads, (line for line in worker_log.splitlines() if line.startswith("{")))
            if entry["logger"] == "awards.dossier" and "rendered" in entry["message"]
        ]  # fmt: skip
        assert len(rendered) == 12 and {e["request_id"] for e in rendered} == {"stateless-click-1"}
    finally:
        for process in started:
            process.stop()
    for name, folder in dirs.items():
        assert not (folder / "media").exists(), f"{name} wrote to its local disk"
    assert len([k for k in s3_media.objects() if k.endswith(".pdf")]) == 12
    assert jobs.archive_name(job) in " ".join(s3_media.objects())
