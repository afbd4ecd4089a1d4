"""Evidence inputs say which files are accepted and the size limit from settings, with the decimal comma."""

from django.urls import reverse

from registrations.forms import EvidenceUploadForm, InitiativeForm
from registrations.models import RegistrationState as S
from registrations.uploads import max_megabytes, upload_help_text
from tests.factories import RegistrationFactory


def test_help_text_uses_the_configured_limit(world, settings):
    assert upload_help_text() == "PDF, DOCX, XLSX, JPG, PNG; tối đa 20 MB"
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024 // 2
    assert max_megabytes() == "2,5"
    assert str(EvidenceUploadForm().fields["file"].help_text) == "PDF, DOCX, XLSX, JPG, PNG; tối đa 2,5 MB"


def test_initiative_and_report_pages_show_the_help(client, world):
    registration = RegistrationFactory(round=world.round, agency=world.ward, target_group=world.group)
    form = InitiativeForm(registration=registration)
    assert str(form.fields["attachment"].help_text) == "PDF, DOCX, XLSX, JPG, PNG; tối đa 20 MB"
    client.force_login(world.staff)
    html = client.get(reverse("registrations:initiative_new", args=[registration.pk])).content.decode()
    assert "PDF, DOCX, XLSX, JPG, PNG; tối đa 20 MB" in html
    registration.state = S.ACCEPTED
    registration.save(update_fields=["state"])
    html = client.get(reverse("registrations:report", args=[registration.pk])).content.decode()
    assert html.count('<div class="form-text">PDF, DOCX, XLSX, JPG, PNG; tối đa 20 MB</div>') == 2
