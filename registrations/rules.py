"""Permissions on registrations (django-rules): the predicates, and each permission declared once.

The same predicates serve three callers: the permissions below (which the access helpers of
``registrations.access`` ask, so another agency's object is 404), the workflow table of
``registrations.domain.registration`` (who may take each transition), and the guards of the
services in ``registrations.domain`` (which say in words which part refused).

A predicate takes the object it is asked about: a ``Registration``, or anything that belongs to
one (``FinalReport``, ``EvidenceFile``: their registration is meant), or an ``Agency`` for the
agency-wide ones. ``actor=None`` is the portal acting on its own (a management command, a Celery
task, a data migration): it passes every rule about a person (``is_system``), never a rule about
the state of the record.
"""

from __future__ import annotations

import rules

from agencies.models import Agency
from agencies.rules import (
    is_head_of,
    is_home_affairs_for,
    is_member_of,
    is_staff_of,
    is_system,
    is_system_admin,
    oversees,
)
from campaigns.rules import is_issuer_home_affairs

from .models import FinalReport, Registration, RegistrationState, ReportState


def registration_of(obj) -> Registration | None:
    """The registration ``obj`` is or belongs to."""
    if obj is None or isinstance(obj, Registration):
        return obj
    return getattr(obj, "registration", None)


def agency_of(obj) -> Agency | None:
    """The agency ``obj`` is, or the agency of the registration it belongs to."""
    if obj is None or isinstance(obj, Agency):
        return obj
    registration = registration_of(obj)
    return registration.agency if registration is not None else None


@rules.predicate
def is_agency_member(user, obj) -> bool:
    """Staff or head of the agency."""
    return is_member_of(user, agency_of(obj))


@rules.predicate
def is_agency_staff(user, obj) -> bool:
    """Cán bộ phụ trách thi đua of the agency."""
    return is_staff_of(user, agency_of(obj))


@rules.predicate
def is_agency_head(user, obj) -> bool:
    """Thủ trưởng of the agency."""
    return is_head_of(user, agency_of(obj))


@rules.predicate
def oversees_agency(user, obj) -> bool:
    """Home affairs, council or leadership over the agency."""
    return oversees(user, agency_of(obj))


@rules.predicate
def is_agency_home_affairs(user, obj) -> bool:
    """Phòng/Sở Nội vụ of the agency or of a body above it."""
    return is_home_affairs_for(user, agency_of(obj))


@rules.predicate
def is_editable(user, obj) -> bool:
    """The registration is a draft or was returned: its agency may change it."""
    registration = registration_of(obj)
    return registration is not None and registration.is_editable


@rules.predicate
def is_accepted(user, obj) -> bool:
    """Home affairs accepted the registration: its final report is open."""
    registration = registration_of(obj)
    return registration is not None and registration.state == RegistrationState.ACCEPTED


@rules.predicate
def is_report_draft(user, report) -> bool:
    return isinstance(report, FinalReport) and report.state == ReportState.DRAFT


#: Who acts for the agency (registers, edits, sends, writes the report): its staff.
acts_as_staff = is_system | is_agency_staff
#: Who confirms what the staff sent: the head of the agency.
acts_as_head = is_system | is_agency_head
#: Who accepts, returns and extends: home affairs over the agency, or the administrator.
acts_as_reviewer = is_system | is_agency_home_affairs | is_system_admin
#: Who sees a registration and all it holds.
sees_registration = is_agency_member | oversees_agency | is_system_admin
#: The final report may be written: the registration is accepted and the report not sent.
report_open = is_accepted & is_report_draft


@rules.predicate
def evidence_editable(user, evidence) -> bool:
    """The part the file belongs to may still change: the final report (a self-assessment's file)
    while it is a draft, else the registration while it is a draft or returned."""
    if evidence is None:
        return False
    if evidence.assessment_id:
        return report_open(user, evidence.assessment.report)
    return is_editable(user, evidence.registration)


# --- the permissions, one declaration each, by the model they are asked about ----------------------

# Registration
rules.add_perm("registrations.view_registration", sees_registration)
rules.add_perm("registrations.edit_registration", acts_as_staff & is_editable)
rules.add_perm("registrations.review_registration", acts_as_reviewer)
# FinalReport (báo cáo kết quả cuối đợt)
rules.add_perm("registrations.view_report", sees_registration & is_accepted)
rules.add_perm("registrations.edit_report", acts_as_staff & report_open)
# EvidenceFile (tệp minh chứng)
rules.add_perm("registrations.download_evidence", sees_registration)
rules.add_perm("registrations.delete_evidence", acts_as_staff & evidence_editable)
# Agency: registering it for a round
rules.add_perm("registrations.start_registration", acts_as_staff)
# Campaign: every registration of a plan (lists, bulk actions, progress, exports)
rules.add_perm("registrations.review_campaign", is_issuer_home_affairs | is_system_admin)
