"""Issue 9, item 4: the embedded SQLite default holds a small office's concurrent writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_submissions_and_score_saves_on_file_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DEBUG="false",
        LOG_LEVEL="ERROR",
    )
    done = subprocess.run(
        [sys.executable, "-m", "tests.concurrency.sqlite_race"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["journal_mode"] == "wal"
    assert outcome["submit_statuses"] == [302] * 30, done.stderr[-3000:]
    assert outcome["score_statuses"] == [302] * 20, done.stderr[-3000:]
    assert (outcome["submitted"], outcome["scores"]) == (30, 20)
