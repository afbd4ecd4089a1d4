"""Portal processes for the tests that need real ones: a Celery worker, a gunicorn web server, each
in a session of its own (so a test can kill one with everything it forked), in a working directory
of its own, with its own environment."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def database_url() -> str:
    """The test database, for processes of their own."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, timeout: float = 60.0, what: str = "condition", every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


class Process:
    def __init__(self, name: str, cmd: list[str], *, cwd: Path, env: dict[str, str], log: Path) -> None:
        self.name, self.log_path = name, log
        self._log = open(log, "wb")  # noqa: SIM115 (closed in stop)
        environ = {k: v for k, v in os.environ.items() if k not in {"MEDIA_ROOT", "MEDIA_STORAGE_URL"}}
        environ.update({"PYTHONPATH": str(BASE_DIR), "PYTHONUNBUFFERED": "1", **env})
        self.popen = subprocess.Popen(
            cmd, cwd=cwd, env=environ, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the process and all it forked: no shutdown, no acknowledgement, nothing cleaned."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


def _launch(name: str, workdir: Path, env: dict[str, str], cmd: list[str], ready: str) -> Process:
    workdir.mkdir(parents=True, exist_ok=True)
    process = Process(name, cmd, cwd=workdir, env=env, log=workdir / f"{name}.log")
    wait_for(lambda: ready in process.log() or process.popen.poll() is not None, 90, f"{name} up")
    assert process.popen.poll() is None, process.log()
    return process


def worker(name: str, workdir: Path, env: dict[str, str], concurrency: int = 1) -> Process:
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "campaign_portal",
        "worker",
        "-P",
        "prefork",
        "-c",
        str(concurrency),
    ]
    cmd += ["-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"]
    return _launch(name, workdir, env, cmd, " ready.")


def gunicorn(name: str, workdir: Path, env: dict[str, str], port: int) -> Process:
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "campaign_portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    cmd += ["--workers", "1", "--timeout", "120", "--access-logfile", "-"]
    return _launch(name, workdir, env, cmd, "Booting worker")
