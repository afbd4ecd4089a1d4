"""Files in the default storage, read and written in pieces, whatever the storage is.

The default storage is local files under MEDIA_ROOT (``make run``) or an S3-compatible bucket
(``MEDIA_STORAGE_URL``, django-storages' S3 backend). Django's ``File.open()`` on the S3 backend
downloads the whole object before the first byte is read, and a ``ZipFile`` cannot write into its
multipart upload (the upload's ``tell()`` restarts at every part), so the portal goes through here:

- ``open_stream(storage, name)``: a file object that reads the object as it arrives (an S3
  ``GetObject`` body, or the local file);
- ``stream_response(...)``: a download streamed in chunks, after the view's permission check (the
  bucket is private and no URL of it is ever handed out);
- ``open_writer(storage, name)``: a write-only stream into the storage (an S3 multipart upload of
  5 MB parts, or a local file renamed into place when complete); nothing is left behind on error;
- ``check(storage)``: one round trip, for ``/healthz``.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from typing import IO, Any, cast

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.http import FileResponse

CHUNK = 1 << 16


def _s3(storage: Storage) -> Any | None:
    """The storage if it is django-storages' S3 backend (imported only when configured)."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - the dependency is installed with the portal
        return None
    return storage if isinstance(storage, S3Storage) else None


def _key(storage: Any, name: str) -> str:
    # django-storages' own name handling: the path cleaned, the prefix (location) joined.
    from storages.utils import clean_name

    return cast(str, storage._normalize_name(clean_name(name)))


def is_remote(storage: Storage | None = None) -> bool:
    return _s3(storage or default_storage) is not None


class _Body(io.RawIOBase):
    """An S3 object's body as a read-only, unseekable binary file with a known size."""

    def __init__(self, body: Any, size: int, name: str) -> None:
        super().__init__()
        self._body = body
        self.size = size
        self.name = name

    def read(self, n: int | None = -1) -> bytes:
        return cast(bytes, self._body.read(None if n is None or n < 0 else n))

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


def open_stream(storage: Storage, name: str) -> IO[bytes]:
    """The stored file ``name`` opened for reading in pieces; FileNotFoundError if it is not there."""
    s3 = _s3(storage)
    if s3 is None:
        return cast(IO[bytes], storage.open(name, "rb"))
    from botocore.exceptions import ClientError

    try:
        response = s3.connection.meta.client.get_object(Bucket=s3.bucket_name, Key=_key(s3, name))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
            raise FileNotFoundError(name) from None
        raise
    return cast(IO[bytes], _Body(response["Body"], int(response["ContentLength"]), name))


def stream_response(
    storage: Storage, name: str, *, filename: str, content_type: str, as_attachment: bool = True
) -> FileResponse:
    """A download of the stored file, streamed; never cached by the browser or a proxy."""
    handle = open_stream(storage, name)
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    size = getattr(handle, "size", None)
    if size is not None and not response.has_header("Content-Length"):
        response["Content-Length"] = str(size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class WriteOnly:
    """What a ZipFile writing into the storage sees: ``write`` and ``flush`` only, so that it counts
    the offsets itself (no ``tell``/``seek`` on a multipart upload)."""

    def __init__(self, target: Any) -> None:
        self._target = target
        self.written = 0

    def write(self, data: bytes) -> int:
        self._target.write(data)
        self.written += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass  # the storage's file is closed (and the upload completed) by ``open_writer``


@contextlib.contextmanager
def open_writer(storage: Storage, name: str) -> Iterator[WriteOnly]:
    """Write ``name`` into the storage as a stream, replacing a file of that name once complete; on
    an exception nothing is stored (the multipart upload is aborted, the partial file removed)."""
    s3 = _s3(storage)
    if s3 is not None:
        target = s3.open(name, "wb")
        try:
            yield WriteOnly(target)
        except BaseException:
            multipart = getattr(target, "_multipart", None)
            if multipart is not None:
                multipart.abort()
                target._multipart = None
                target._is_dirty = False
                target._raw_bytes_written = 1  # nothing to create on close either
            target.close()
            raise
        target.close()
        return
    if isinstance(storage, FileSystemStorage):
        path = storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        partial = f"{path}.part"
        try:
            with open(partial, "wb") as fh:
                yield WriteOnly(fh)
            os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(partial)
            raise
        return
    with tempfile.TemporaryFile() as tmp:  # another storage: spool to disk, then save
        yield WriteOnly(tmp)
        tmp.seek(0)
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, File(tmp))


def check(storage: Storage | None = None) -> None:
    """One round trip to the storage (the bucket answers, or MEDIA_ROOT is a writable folder);
    raises on failure."""
    storage = storage or default_storage
    s3 = _s3(storage)
    if s3 is not None:
        s3.connection.meta.client.head_bucket(Bucket=s3.bucket_name)
        return
    if isinstance(storage, FileSystemStorage):
        root = storage.location
        os.makedirs(root, exist_ok=True)
        if not os.access(root, os.W_OK):
            raise PermissionError(f"{root} is not writable")
        return
    storage.exists(".healthz")
