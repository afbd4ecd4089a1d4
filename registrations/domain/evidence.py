"""Tệp minh chứng: files attached to an initiative or to a criterion of the final report.

A file is checked by its content and size (``registrations.uploads``) before anything is stored,
and only while the part it belongs to may change: the registration (a draft or returned) for an
initiative's file, the final report (a draft of an accepted registration) for a criterion's.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Criterion
from common.audit import audit_context

from ..errors import RegistrationError
from ..models import EvidenceFile, FinalReport, Initiative, Registration, SelfAssessment
from ..uploads import validate_evidence
from .final_report import require_report_open
from .registration import require_editable


@transaction.atomic
def attach_evidence(
    registration: Registration,
    upload,
    *,
    actor,
    initiative: Initiative | None = None,
    assessment: SelfAssessment | None = None,
) -> EvidenceFile:
    """Validate (content, size) then store; refuses, saving nothing, a bad file or a locked part."""
    if assessment is not None:
        if assessment.report.registration_id != registration.pk:
            raise RegistrationError(_("Không tìm thấy."), code="not_found")
        require_report_open(assessment.report, actor=actor)
    else:
        if initiative is not None and initiative.registration_id != registration.pk:
            raise RegistrationError(_("Không tìm thấy."), code="not_found")
        require_editable(registration, actor=actor)
    kind = validate_evidence(upload)
    with audit_context(actor):
        evidence = EvidenceFile(
            registration=registration,
            initiative=initiative,
            assessment=assessment,
            original_name=(upload.name or "")[-255:],
            content_type=kind.content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
    return evidence


@transaction.atomic
def attach_to_criterion(report: FinalReport, criterion: Criterion, upload, *, actor) -> EvidenceFile:
    """A file for one criterion of the final report (its self-assessment row is made if need be)."""
    require_report_open(report, actor=actor)
    group = report.registration.target_group
    if group is None or not group.criteria.filter(pk=criterion.pk).exists():
        raise RegistrationError(_("Không tìm thấy."), code="not_found")
    with audit_context(actor):
        assessment, _created = SelfAssessment.objects.get_or_create(report=report, criterion=criterion)
    return attach_evidence(report.registration, upload, actor=actor, assessment=assessment)


@transaction.atomic
def delete_evidence(evidence: EvidenceFile, *, actor) -> None:
    """Only the agency's staff, and only while the part the file belongs to is editable (a draft or
    returned registration; a draft final report): the superuser included."""
    assessment = evidence.assessment
    if assessment is not None:
        require_report_open(assessment.report, actor=actor)
    else:
        require_editable(evidence.registration, actor=actor)
    with audit_context(actor):
        storage, name = evidence.file.storage, evidence.file.name
        evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
