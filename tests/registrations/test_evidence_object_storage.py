"""Evidence on the S3 bucket (SeaweedFS on 127.0.0.1, MEDIA_STORAGE_URL): stored under a random key,
downloaded only through the permission-checked view (streamed), never from the bucket directly."""

import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registrations.domain.evidence import attach_evidence, delete_evidence
from registrations.domain.registration import start_registration
from registrations.models import Initiative

from .conftest import PDF_BYTES


def test_evidence_lives_in_the_private_bucket_and_leaves_only_through_the_checked_view(
    client, world, s3_media
):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    initiative = Initiative.objects.create(registration=registration, title="x")
    evidence = attach_evidence(
        registration, SimpleUploadedFile("bien-ban.pdf", PDF_BYTES), actor=world.staff, initiative=initiative
    )
    assert s3_media.objects() == [f"{s3_media.prefix}/{evidence.file.name}"]
    assert evidence.file.name.startswith("evidence/") and "bien-ban" not in evidence.file.name

    client.force_login(world.home_affairs)
    response = client.get(reverse("registrations:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert (response["Content-Type"], response["Content-Length"]) == ("application/pdf", str(len(PDF_BYTES)))
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(world.other_staff)  # another province: not found
    assert client.get(reverse("registrations:evidence_download", args=[evidence.pk])).status_code == 404

    # The bucket answers nobody without the key: no public URL.
    direct = f"{s3_media.server.endpoint}/{s3_media.server.bucket}/{s3_media.prefix}/{evidence.file.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(direct, timeout=10)
    assert refused.value.code == 403

    # A file gone from the bucket is "not found", not a 500.
    s3_media.server.client().delete_object(
        Bucket=s3_media.server.bucket, Key=f"{s3_media.prefix}/{evidence.file.name}"
    )
    client.force_login(world.home_affairs)
    assert client.get(reverse("registrations:evidence_download", args=[evidence.pk])).status_code == 404


def test_deleting_evidence_removes_its_object_after_the_commit(
    world, s3_media, django_capture_on_commit_callbacks
):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    initiative = Initiative.objects.create(registration=registration, title="x")
    evidence = attach_evidence(
        registration, SimpleUploadedFile("a.pdf", PDF_BYTES), actor=world.staff, initiative=initiative
    )
    assert len(s3_media.objects()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        delete_evidence(evidence, actor=world.staff)
    assert s3_media.objects() == []
