"""An uploaded import file kept between its preview and the user's confirmation.

The preview reads and checks the file without writing anything; the file waits in Django's default
storage (private: never served; a bucket in production, so the web process that confirms need not be
the one that previewed) under a random name that only the uploader's session knows, with the options
chosen beside it (``fields``); the confirmation reads it again, checks it again against the database
as it is then, and imports it. A staged file older than ``STAGED_MAX_AGE`` is removed the next time
anyone stages one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone

FOLDER = "staged-imports"
SESSION_KEY = "staged_imports"
STAGED_MAX_AGE = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Staged:
    token: str
    kind: str
    filename: str
    path: str
    fields: dict[str, str] = field(default_factory=dict)

    def open(self) -> File[bytes]:
        return default_storage.open(self.path, "rb")


def stage(
    request: HttpRequest, kind: str, upload: UploadedFile, *, fields: dict[str, str] | None = None
) -> Staged:
    """Keep ``upload`` for ``kind`` (e.g. "people"), with the upload form's other ``fields``, and
    remember it in the user's session."""
    _sweep()
    token = secrets.token_urlsafe(16)
    name = upload.name or ""
    extension = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    upload.seek(0)
    path = default_storage.save(f"{FOLDER}/{token}{extension}", ContentFile(upload.read()))
    staged = request.session.get(SESSION_KEY, {})
    fields = {str(k): str(v)[:200] for k, v in (fields or {}).items()}
    staged[token] = {"kind": kind, "filename": name[:200], "path": path, "fields": fields}
    request.session[SESSION_KEY] = staged
    return Staged(token, kind, name, path, fields)


def staged_file(request: HttpRequest, kind: str, token: object) -> Staged | None:
    """The file this session staged for ``kind`` under ``token``, if it is still there."""
    entry = request.session.get(SESSION_KEY, {}).get(str(token or ""))
    if not entry or entry.get("kind") != kind or not default_storage.exists(entry["path"]):
        return None
    return Staged(str(token), kind, entry["filename"], entry["path"], entry.get("fields") or {})


def discard(request: HttpRequest, staged: Staged) -> None:
    entries = request.session.get(SESSION_KEY, {})
    entries.pop(staged.token, None)
    request.session[SESSION_KEY] = entries
    if default_storage.exists(staged.path):
        default_storage.delete(staged.path)


def _sweep() -> None:
    """Remove staged files nobody confirmed."""
    try:
        _dirs, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    limit = timezone.now() - STAGED_MAX_AGE
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, OSError):
            continue
