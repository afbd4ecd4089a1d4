"""The access helpers every registrations view starts with (healthchecks' ``_get_check_for_user``).

One per kind of object a page is about. Each returns the object when ``user`` has ``perm`` on it
(``registrations.rules``) and raises 404 otherwise: missing and forbidden look the same, so one
agency cannot probe another's ids. The rest of the view then only acts.
"""

from __future__ import annotations

from django.http import Http404

from agencies.models import Agency
from agencies.rules import get_for_user_or_404, has_perm
from campaigns.models import Campaign

from .domain.final_report import report_for
from .models import EvidenceFile, FinalReport, Registration

VIEW = "registrations.view_registration"
EDIT = "registrations.edit_registration"
REVIEW = "registrations.review_registration"
VIEW_REPORT = "registrations.view_report"
EDIT_REPORT = "registrations.edit_report"
DOWNLOAD_EVIDENCE = "registrations.download_evidence"
DELETE_EVIDENCE = "registrations.delete_evidence"
START = "registrations.start_registration"
REVIEW_CAMPAIGN = "registrations.review_campaign"


def get_registration_for_user(user, pk, *, perm: str = VIEW) -> Registration:
    """Registration ``pk`` (with its agency, plan, round and target group)."""
    qs = Registration.objects.select_related("agency", "campaign", "round", "target_group")
    return get_for_user_or_404(user, perm, qs, pk=pk)


def get_report_for_user(user, pk, *, perm: str = VIEW_REPORT) -> FinalReport:
    """The final report of registration ``pk`` (its draft is made when first opened by someone who
    may see it); there is none before home affairs accepted the registration."""
    registration = get_registration_for_user(user, pk)
    report = FinalReport.objects.filter(registration=registration).first()
    if not has_perm(user, perm, report or FinalReport(registration=registration)):
        raise Http404
    return report or report_for(registration)


def get_evidence_for_user(user, pk, *, registration_pk=None, perm: str = DOWNLOAD_EVIDENCE) -> EvidenceFile:
    """Evidence file ``pk`` (of registration ``registration_pk`` when the address names one)."""
    qs = EvidenceFile.objects.select_related("registration__agency", "assessment__report__registration")
    lookup = {"pk": pk} if registration_pk is None else {"pk": pk, "registration_id": registration_pk}
    return get_for_user_or_404(user, perm, qs, **lookup)


def get_agency_for_registrant(user, code: str) -> Agency:
    """The agency ``user`` registers for (its staff), by its code."""
    return get_for_user_or_404(user, START, Agency, code=code)


def get_campaign_for_reviewer(user, code: str) -> Campaign:
    """A plan whose registrations ``user`` reviews (home affairs of its issuer), by its code."""
    plans = Campaign.objects.select_related("issuer")
    return get_for_user_or_404(user, REVIEW_CAMPAIGN, plans, code=code)
