"""Issue 9, items 2, 12, 15: evidence of a locked registration stays (for the superuser too), the
redirect after deleting evidence stays on the portal, the admin's evidence pages work."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registrations.domain.evidence import attach_evidence, delete_evidence
from registrations.domain.registration import start_registration
from registrations.models import EvidenceFile, Initiative
from registrations.models import RegistrationState as S
from tests.factories import UserFactory

from .conftest import PDF_BYTES


@pytest.fixture
def evidence(world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    initiative = Initiative.objects.create(registration=registration, title="Một cửa số")
    return attach_evidence(
        registration, SimpleUploadedFile("bien-ban.pdf", PDF_BYTES), actor=world.staff, initiative=initiative
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(username="quan-tri", is_superuser=True, is_staff=True)


def test_superuser_cannot_delete_evidence_of_an_accepted_registration(client, world, evidence, admin_user):
    registration = evidence.registration
    registration.state = S.ACCEPTED
    registration.save(update_fields=["state"])
    with pytest.raises(ValidationError) as exc:
        delete_evidence(evidence, actor=admin_user)
    assert exc.value.messages == ["Chỉ cán bộ phụ trách thi đua của cơ quan được sửa."]
    client.force_login(admin_user)
    url = reverse("registrations:evidence_delete", args=[registration.pk, evidence.pk])
    assert client.post(url).status_code == 404
    client.force_login(world.staff)
    assert client.post(url).status_code == 404  # locked for the agency's own staff too
    with pytest.raises(ValidationError) as exc:
        delete_evidence(evidence, actor=world.staff)
    assert exc.value.messages == ["Đăng ký đang ở trạng thái “Nội vụ đã chấp nhận”, không sửa được."]
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)", "http:evil.example"]
)
def test_no_open_redirect_after_deleting_evidence(client, world, evidence, target):
    client.force_login(world.staff)
    url = reverse("registrations:evidence_delete", args=[evidence.registration_id, evidence.pk])
    response = client.post(url, {"next": target})
    assert response.status_code == 302
    assert response["Location"] == evidence.registration.get_absolute_url()
    assert not EvidenceFile.objects.exists()


def test_redirect_to_a_page_of_the_portal_is_kept(client, world, evidence):
    client.force_login(world.staff)
    back = reverse("registrations:initiative_edit", args=[evidence.registration_id, evidence.initiative_id])
    url = reverse("registrations:evidence_delete", args=[evidence.registration_id, evidence.pk])
    assert client.post(url, {"next": back})["Location"] == back


def test_admin_evidence_pages_link_the_checked_download(client, evidence, admin_user):
    client.force_login(admin_user)
    listing = client.get(reverse("admin:registrations_evidencefile_changelist"))
    assert listing.status_code == 200
    download = reverse("registrations:evidence_download", args=[evidence.pk])
    assert download in listing.content.decode()
    change = client.get(reverse("admin:registrations_evidencefile_change", args=[evidence.pk]))
    assert change.status_code == 200
    assert f'<a href="{download}">bien-ban.pdf</a>' in change.content.decode()
    assert client.get(reverse("admin:registrations_evidencefile_add")).status_code == 403
    assert client.get(download).status_code == 200
