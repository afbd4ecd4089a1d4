"""Agency-side pages: register, autosave, people, initiatives, evidence, state actions, final report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies.models import Agency, Role
from agencies.rules import (
    agencies_q,
    agency_ids_with_role,
    get_for_user_or_404,
    has_perm,
    is_home_affairs,
    is_system_admin,
)
from campaigns.models import Campaign, CampaignState, Round
from common.import_pages import import_page
from common.tabular import template_response

from . import services
from .forms import IndividualForm, InitiativeForm, PeopleImportForm, ReasonForm
from .history import registration_history
from .individual_import import INDIVIDUALS_IMPORT
from .models import EvidenceFile, FinalReport, Registration, RegistrationState

VIEW = "registrations.view_registration"


def _registration(request, pk) -> Registration:
    qs = Registration.objects.select_related("agency", "campaign", "round", "target_group")
    return get_for_user_or_404(request.user, VIEW, qs, pk=pk)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def index(request):
    """My agencies' registrations and the open rounds they may register for; home affairs' campaigns."""
    agency_ids = agency_ids_with_role(request.user, Role.STAFF, Role.HEAD)
    agencies = list(Agency.objects.filter(pk__in=agency_ids).order_by("path"))
    registrations = (
        Registration.objects.filter(agency_id__in=agency_ids)
        .select_related("agency", "campaign", "round")
        .order_by("-round__starts_on", "agency__path")
    )
    registered = {(r.round_id, r.agency_id) for r in registrations}
    staff_ids = agency_ids_with_role(request.user, Role.STAFF)
    openings = []
    for agency in agencies:
        if agency.pk not in staff_ids:
            continue
        for rnd in services.open_rounds_for(agency):
            if (rnd.pk, agency.pk) not in registered:
                milestone = rnd.campaign.milestone("registration_deadline", rnd)
                openings.append(
                    {
                        "agency": agency,
                        "round": rnd,
                        "deadline": services.effective_deadline(agency, milestone),
                    }
                )
    campaigns = []
    if is_home_affairs(request.user) or is_system_admin(request.user):
        campaigns = Campaign.objects.exclude(state=CampaignState.DRAFT).select_related("issuer")
        if not is_system_admin(request.user):
            campaigns = campaigns.filter(agencies_q(request.user, Role.HOME_AFFAIRS, prefix="issuer__"))
    return render(
        request,
        "registrations/index.html",
        {"registrations": registrations, "openings": openings, "campaigns": campaigns},
    )


@login_required
@require_POST
def start(request, round_pk, agency_code):
    rnd = get_object_or_404(Round.objects.select_related("campaign__issuer"), pk=round_pk)
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None or agency.pk not in agency_ids_with_role(request.user, Role.STAFF):
        raise Http404
    try:
        registration = services.start_registration(rnd, agency, request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("registrations:index")
    return redirect("registrations:detail", registration.pk)


@login_required
def detail(request, pk):
    registration = _registration(request, pk)
    user = request.user
    can_edit = has_perm(user, "registrations.edit_registration", registration)
    commitments = registration.commitments.select_related("content")
    individuals = registration.individuals.select_related("person")
    initiatives = registration.initiatives.select_related("reform_area").prefetch_related(
        "authors", Prefetch("attachments", queryset=EvidenceFile.objects.order_by("pk"))
    )
    milestone = services.registration_milestone(registration)
    deadline = services.effective_deadline(registration.agency, milestone)
    returned = registration.state == RegistrationState.RETURNED and registration.resubmit_by is not None
    if returned:
        # A returned registration may be sent again until the date home affairs gave.
        deadline = services.resubmission_deadline(registration)
    extension = services.extension_for(registration.agency, milestone)
    targets = services.allowed_targets(registration, user)
    report = FinalReport.objects.filter(registration=registration).first()
    per_person = services.initiative_per_person(registration.campaign)
    return render(
        request,
        "registrations/detail.html",
        {
            # Seed 003: every registered person registers an initiative (the plan says so).
            "initiative_per_person": per_person,
            "without_initiative": {p.pk for p in services.people_without_initiative(registration)}
            if per_person
            else set(),
            "registration": registration,
            "can_edit": can_edit,
            "commitments": commitments,
            "individuals": individuals,
            "initiatives": initiatives,
            "deadline": deadline,
            "deadline_label": _("Hạn gửi lại:") if returned else _("Hạn đăng ký:"),
            "late": deadline is not None and timezone.now() > deadline,
            # The countdown matters only while the agency still has to send the registration.
            "must_act": registration.state in (RegistrationState.DRAFT, RegistrationState.RETURNED),
            "extension": extension,
            "targets": targets,
            "individual_form": IndividualForm(registration=registration) if can_edit else None,
            "import_form": PeopleImportForm() if can_edit else None,
            "reason_form": ReasonForm(),
            "history": registration_history(registration),
            "report": report,
            "can_review": has_perm(user, "registrations.review_registration", registration),
            "States": RegistrationState,
        },
    )


@login_required
@require_POST
def autosave(request, pk):
    """Saves the pledge and commitments as the user types (htmx) or on the Save button."""
    registration = _registration(request, pk)
    commitments = {}
    for key, value in request.POST.items():
        if key.startswith("commitment-"):
            try:
                commitments[int(key.removeprefix("commitment-"))] = value
            except ValueError:
                continue
    try:
        services.save_draft(
            registration, request.user, pledge=request.POST.get("pledge"), commitments=commitments
        )
    except ValidationError as exc:
        if request.headers.get("HX-Request"):
            return HttpResponse(format_html('<span class="text-danger">{}</span>', _error_text(exc)))
        messages.error(request, _error_text(exc))
        return redirect("registrations:detail", pk)
    saved = _("Đã lưu lúc %(time)s") % {
        "time": time_format(timezone.localtime(registration.updated_at), "H:i:s")
    }
    if request.headers.get("HX-Request"):
        return HttpResponse(
            format_html('<span class="text-success"><i class="bi bi-check2"></i> {}</span>', saved)
        )
    messages.success(request, saved)
    return redirect("registrations:detail", pk)


@login_required
@require_POST
def individual_add(request, pk):
    registration = _registration(request, pk)
    form = IndividualForm(request.POST, registration=registration)
    if form.is_valid():
        try:
            services.add_individual(
                registration,
                form.cleaned_data["person"],
                request.user,
                aimed_title=form.cleaned_data["aimed_title"],
                commitment=form.cleaned_data["commitment"],
            )
            messages.success(request, _("Đã thêm %(name)s.") % {"name": form.cleaned_data["person"]})
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(f"{registration.get_absolute_url()}#people")


@login_required
@require_http_methods(["GET", "POST"])
def individual_import(request, pk):
    """The registration's individuals from a file, through the one import page (preview, confirm)."""
    registration = _registration(request, pk)
    back = f"{registration.get_absolute_url()}#people"
    if not has_perm(request.user, "registrations.edit_registration", registration):
        try:
            services._require_editable(registration, request.user)  # says why not
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect(back)
    return import_page(
        request,
        INDIVIDUALS_IMPORT,
        template="registrations/individual_import.html",
        success_url=back,
        options=lambda _values: {"registration": registration},
        scope=str(registration.pk),
        context={"registration": registration, "cancel_url": back},
    )


@login_required
def people_template(request):
    """The XLSX template of the people import (a blank form: no data, any signed-in user)."""
    return template_response(INDIVIDUALS_IMPORT.spec)


@login_required
@require_POST
def individual_remove(request, pk, item_pk):
    registration = _registration(request, pk)
    individual = get_object_or_404(registration.individuals, pk=item_pk)
    try:
        services.remove_individual(registration, individual, request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(f"{registration.get_absolute_url()}#people")


@login_required
def initiative_edit(request, pk, item_pk=None):
    registration = _registration(request, pk)
    initiative = get_object_or_404(registration.initiatives, pk=item_pk) if item_pk else None
    if not has_perm(request.user, "registrations.edit_registration", registration):
        raise Http404
    form = InitiativeForm(
        request.POST or None, request.FILES or None, instance=initiative, registration=registration
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields if f != "authors"}
        try:
            saved = services.save_initiative(
                registration, request.user, data, form.cleaned_data["authors"], initiative=initiative
            )
            if form.cleaned_data.get("attachment"):
                services.attach_evidence(
                    registration, form.cleaned_data["attachment"], request.user, initiative=saved
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu sáng kiến “%(title)s”.") % {"title": saved.title})
            if "add_another_file" in request.POST:
                return redirect("registrations:initiative_edit", pk, saved.pk)
            return redirect(f"{registration.get_absolute_url()}#initiatives")
    attachments = initiative.attachments.all() if initiative else []
    return render(
        request,
        "registrations/initiative_form.html",
        {"registration": registration, "form": form, "initiative": initiative, "attachments": attachments},
    )


@login_required
@require_POST
def initiative_delete(request, pk, item_pk):
    registration = _registration(request, pk)
    initiative = get_object_or_404(registration.initiatives, pk=item_pk)
    try:
        services.delete_initiative(registration, initiative, request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã xoá sáng kiến “%(title)s”.") % {"title": initiative.title})
    return redirect(f"{registration.get_absolute_url()}#initiatives")


@login_required
@require_POST
def evidence_delete(request, pk, file_pk):
    registration = _registration(request, pk)
    evidence = get_object_or_404(EvidenceFile, pk=file_pk, registration=registration)
    editable = (
        has_perm(request.user, "registrations.edit_registration", registration)
        if evidence.initiative_id
        else services.can_edit_report(request.user, registration)
    )
    if not editable:
        raise Http404
    try:
        services.delete_evidence(evidence, request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã xoá tệp “%(name)s”.") % {"name": evidence.original_name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = registration.get_absolute_url()
    return redirect(target)


@login_required
def evidence_download(request, file_pk):
    """Evidence is served only here, to users who may see its registration (never as static files)."""
    evidence = get_object_or_404(EvidenceFile.objects.select_related("registration__agency"), pk=file_pk)
    if not has_perm(request.user, VIEW, evidence.registration):
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name)
    response["Content-Type"] = evidence.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def transition(request, pk):
    registration = _registration(request, pk)
    target = request.POST.get("target", "")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("resubmit_by", [])))
        return redirect("registrations:detail", pk)
    try:
        services.set_registration_state(
            registration,
            target,
            request.user,
            reason=form.cleaned_data["reason"],
            resubmit_by=form.cleaned_data["resubmit_by"] if target == RegistrationState.RETURNED else None,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        registration.refresh_from_db()
        messages.success(
            request, _("Đăng ký đã chuyển sang “%(state)s”.") % {"state": registration.get_state_display()}
        )
    return redirect("registrations:detail", pk)
