"""The backup and restore of docs/operations.md, run for real: ops/backup.sh dumps the database and
copies the bucket; ops/restore.sh loads both into a new, empty database and a new place in the bucket;
the restored database names files that are there, byte for byte."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid

import psycopg2
import pytest
from django.db import connection

from awards.dossier import jobs
from awards.models import DossierDocument, JobState
from tests.factories import decision_with_awardees

from . import processes
from .conftest import needs_postgres

pytestmark = [needs_postgres]
OPS = processes.BASE_DIR / "ops"


def run(script: str, folder, **env) -> str:
    result = subprocess.run(
        ["bash", str(OPS / script), str(folder)], env={**os.environ, "PYTHON": sys.executable, **env},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_backup_restores_into_a_new_database_and_bucket(transactional_db, s3_media, tmp_path, settings):
    world = decision_with_awardees("kh-backup", 2)
    job = jobs.start_job(world.decision, actor=world.officer, kinds=["giay_khen", "quyet_dinh"], format="pdf")
    job.refresh_from_db()
    assert job.state == JobState.DONE
    files = len(s3_media.objects())

    out = run("backup.sh", tmp_path / "backup", DATABASE_URL=processes.database_url(),
              MEDIA_STORAGE_URL=settings.MEDIA_STORAGE_URL)  # fmt: skip
    assert f"{files} objects copied" in out

    name = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg2.connect(processes.database_url())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    prefix = f"restored-{uuid.uuid4().hex[:8]}"
    try:
        restored_url = processes.database_url().rsplit("/", 1)[0] + f"/{name}"
        out = run("restore.sh", tmp_path / "backup", DATABASE_URL=restored_url,
                  MEDIA_STORAGE_URL=f"{s3_media.server.url}/{prefix}")  # fmt: skip
        assert f"{files} objects restored" in out
        with psycopg2.connect(restored_url) as restored, restored.cursor() as cursor:
            cursor.execute("SELECT archive, archive_sha256 FROM awards_dossierjob WHERE id = %s", [job.pk])
            archive, sha = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM awards_dossierdocument WHERE job_id = %s", [job.pk])
            assert cursor.fetchone()[0] == DossierDocument.objects.filter(job=job).count()
        restored.close()
        body = s3_media.server.client().get_object(Bucket=s3_media.server.bucket, Key=f"{prefix}/{archive}")
        assert hashlib.sha256(body["Body"].read()).hexdigest() == sha == job.archive_sha256
        assert len(s3_media.server.keys(prefix + "/")) == files
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


@pytest.mark.parametrize("script", ["backup.sh", "restore.sh"])
def test_the_scripts_say_how_to_call_them(script):
    result = subprocess.run(["bash", str(OPS / script)], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and f"usage: ops/{script} FOLDER" in result.stderr
