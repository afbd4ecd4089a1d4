"""Staged imports on the S3 bucket: the preview's file waits in the bucket, not on one web process's
disk, so the confirmation may reach another process; it is removed once imported or discarded."""

import datetime as dt

from django.contrib.sessions.backends.db import SessionStore
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from common import staging


def request_with_session():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    return request


def test_a_staged_file_waits_in_the_bucket_and_is_found_by_another_request(db, s3_media):
    first = request_with_session()
    staged = staging.stage(
        first, "people", SimpleUploadedFile("tep.csv", b"code,name\n1,A\n"), fields={"x": "1"}
    )
    first.session.save()
    assert s3_media.objects() == [f"{s3_media.prefix}/{staged.path}"]

    # Another process: the session from the database, the file from the bucket.
    second = RequestFactory().post("/")
    second.session = SessionStore(session_key=first.session.session_key)
    found = staging.staged_file(second, "people", staged.token)
    assert (found.filename, found.fields) == ("tep.csv", {"x": "1"})
    with found.open() as handle:
        assert handle.read() == b"code,name\n1,A\n"
    assert staging.staged_file(second, "users", staged.token) is None  # another import's token

    staging.discard(second, found)
    assert s3_media.objects() == []


def test_staged_files_nobody_confirmed_are_swept(db, s3_media, monkeypatch):
    old = staging.stage(request_with_session(), "people", SimpleUploadedFile("a.csv", b"a\n"))
    later = default_storage.get_modified_time(old.path) + staging.STAGED_MAX_AGE + dt.timedelta(minutes=1)
    monkeypatch.setattr(staging.timezone, "now", lambda: later)
    new = staging.stage(request_with_session(), "people", SimpleUploadedFile("b.csv", b"b\n"))
    assert s3_media.objects() == [f"{s3_media.prefix}/{new.path}"]
