"""Uploads kept on the server between an import's preview and its confirmation.

The preview page shows what a file would do; the confirmation must apply exactly that file, not
whatever the browser sends again. The upload is stored under ``MEDIA_ROOT/import-staging/<kind>/
<user id>/<sha256>.<ext>`` and the confirmation form carries only the hash: the server reads its own
copy back, checks the hash again and parses it anew. Copies older than ``STAGING_MAX_AGE`` are
removed whenever a new file is staged; a confirmed import removes its copy.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

STAGING_MAX_AGE = 24 * 3600
_KEY = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StagedFile:
    key: str  # the sha256 of the content
    filename: str  # the name given by the user (its extension decides the reader)
    data: bytes


def _folder(kind: str, user_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "import-staging" / kind / str(int(user_id))


def _extension(filename: str) -> str:
    return ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"


def stage(kind: str, user_id: int, filename: str, data: bytes) -> StagedFile:
    """Keep ``data`` for this user and import kind; returns its key (the content's sha256)."""
    key = hashlib.sha256(data).hexdigest()
    folder = _folder(kind, user_id)
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    (folder / f"{key}{_extension(filename)}").write_bytes(data)
    return StagedFile(key, filename, data)


def load(kind: str, user_id: int, key: str) -> StagedFile | None:
    """The staged file with this key, if this user staged it and it is intact; None otherwise."""
    if not isinstance(key, str) or not _KEY.match(key):
        return None
    folder = _folder(kind, user_id)
    for ext in (".xlsx", ".csv"):
        path = folder / f"{key}{ext}"
        if path.is_file():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != key:
                return None
            return StagedFile(key, path.name, data)
    return None


def discard(kind: str, user_id: int, key: str) -> None:
    if not isinstance(key, str) or not _KEY.match(key):
        return
    for ext in (".xlsx", ".csv"):
        (_folder(kind, user_id) / f"{key}{ext}").unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    limit = time.time() - STAGING_MAX_AGE
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
