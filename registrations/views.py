"""Agency-side pages: register, autosave, people, initiatives, evidence, state actions.

Every view starts with an access helper of ``registrations.access`` (404 for what the user may not
see) and acts through one service of ``registrations.domain``, via ``common.actions.perform``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies.models import Role
from agencies.rules import has_perm
from campaigns.models import Round
from common.actions import perform, report_error
from common.import_pages import import_page
from common.storage import stream_response
from common.tabular import template_response

from .access import (
    DELETE_EVIDENCE,
    EDIT,
    REVIEW,
    get_agency_for_registrant,
    get_evidence_for_user,
    get_registration_for_user,
)
from .domain.evidence import delete_evidence
from .domain.initiatives import delete_initiative, save_initiative
from .domain.people import add_individual, remove_individual
from .domain.registration import (
    allowed_targets,
    require_editable,
    save_draft,
    set_registration_state,
    start_registration,
)
from .errors import RegistrationError
from .forms import IndividualForm, InitiativeForm, PeopleImportForm, ReasonForm
from .history import registration_history
from .individual_import import INDIVIDUALS_IMPORT
from .models import EvidenceFile, FinalReport, RegistrationState
from .queries.deadlines import extension_for, registration_milestone, sending_deadline
from .queries.initiatives import people_without_initiative
from .queries.lists import agency_registrations, openings, reviewed_campaigns
from .queries.targets import initiative_per_person


def form_errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


def saved_status(when) -> str:
    return _("Đã lưu lúc %(time)s") % {"time": time_format(timezone.localtime(when), "H:i:s")}


@login_required
def index(request):
    """My agencies' registrations and the open rounds they may register for; home affairs' campaigns."""
    registrations = list(
        agency_registrations(request.user, Role.STAFF, Role.HEAD).order_by(
            "-round__starts_on", "agency__path"
        )
    )
    return render(
        request,
        "registrations/index.html",
        {
            "registrations": registrations,
            "openings": openings(request.user, registered={(r.round_id, r.agency_id) for r in registrations}),
            "campaigns": reviewed_campaigns(request.user),
        },
    )


@login_required
@require_POST
def start(request, round_pk, agency_code):
    rnd = get_object_or_404(Round.objects.select_related("campaign__issuer"), pk=round_pk)
    agency = get_agency_for_registrant(request.user, agency_code)
    return perform(
        request,
        lambda: start_registration(rnd, agency, actor=request.user),
        redirect_to=lambda registration: registration.get_absolute_url(),
        on_error="registrations:index",
    )


@login_required
def detail(request, pk):
    registration = get_registration_for_user(request.user, pk)
    user = request.user
    can_edit = has_perm(user, EDIT, registration)
    initiatives = registration.initiatives.select_related("reform_area").prefetch_related(
        "authors", Prefetch("attachments", queryset=EvidenceFile.objects.order_by("pk"))
    )
    deadline = sending_deadline(registration)
    returned = registration.state == RegistrationState.RETURNED and registration.resubmit_by is not None
    per_person = initiative_per_person(registration.campaign)
    return render(
        request,
        "registrations/detail.html",
        {
            # Seed 003: every registered person registers an initiative (the plan says so).
            "initiative_per_person": per_person,
            "without_initiative": {p.pk for p in people_without_initiative(registration)}
            if per_person
            else set(),
            "registration": registration,
            "can_edit": can_edit,
            "commitments": registration.commitments.select_related("content"),
            "individuals": registration.individuals.select_related("person"),
            "initiatives": initiatives,
            "deadline": deadline,
            "deadline_label": _("Hạn gửi lại:") if returned else _("Hạn đăng ký:"),
            "late": deadline is not None and timezone.now() > deadline,
            # The countdown matters only while the agency still has to send the registration.
            "must_act": registration.is_editable,
            "extension": extension_for(registration.agency, registration_milestone(registration)),
            "targets": allowed_targets(registration, user),
            "individual_form": IndividualForm(registration=registration) if can_edit else None,
            "import_form": PeopleImportForm() if can_edit else None,
            "reason_form": ReasonForm(),
            "history": registration_history(registration),
            "report": FinalReport.objects.filter(registration=registration).first(),
            "can_review": has_perm(user, REVIEW, registration),
            "States": RegistrationState,
        },
    )


@login_required
@require_POST
def autosave(request, pk):
    """Saves the pledge and commitments as the user types (htmx) or on the Save button."""
    registration = get_registration_for_user(request.user, pk)
    commitments = {}
    for key, value in request.POST.items():
        if key.startswith("commitment-"):
            try:
                commitments[int(key.removeprefix("commitment-"))] = value
            except ValueError:
                continue

    def save():
        return save_draft(
            registration, actor=request.user, pledge=request.POST.get("pledge"), commitments=commitments
        )

    if request.headers.get("HX-Request"):
        try:
            saved = save()
        except RegistrationError as exc:
            return HttpResponse(format_html('<span class="text-danger">{}</span>', " ".join(exc.messages)))
        return HttpResponse(
            format_html(
                '<span class="text-success"><i class="bi bi-check2"></i> {}</span>',
                saved_status(saved.updated_at),
            )
        )
    return perform(
        request,
        save,
        redirect_to=registration.get_absolute_url(),
        success=lambda saved: saved_status(saved.updated_at),
    )


@login_required
@require_POST
def individual_add(request, pk):
    registration = get_registration_for_user(request.user, pk)
    back = f"{registration.get_absolute_url()}#people"
    form = IndividualForm(request.POST, registration=registration)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    person = form.cleaned_data["person"]
    return perform(
        request,
        lambda: add_individual(
            registration,
            person,
            actor=request.user,
            aimed_title=form.cleaned_data["aimed_title"],
            commitment=form.cleaned_data["commitment"],
        ),
        redirect_to=back,
        success=_("Đã thêm %(name)s.") % {"name": person},
    )


@login_required
@require_http_methods(["GET", "POST"])
def individual_import(request, pk):
    """The registration's individuals from a file, through the one import page (preview, confirm)."""
    registration = get_registration_for_user(request.user, pk)
    back = f"{registration.get_absolute_url()}#people"
    if not has_perm(request.user, EDIT, registration):
        try:
            require_editable(registration, actor=request.user)  # says why not
        except RegistrationError as exc:
            report_error(request, exc)
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
    registration = get_registration_for_user(request.user, pk)
    individual = get_object_or_404(registration.individuals, pk=item_pk)
    return perform(
        request,
        lambda: remove_individual(registration, individual, actor=request.user),
        redirect_to=f"{registration.get_absolute_url()}#people",
    )


@login_required
def initiative_edit(request, pk, item_pk=None):
    registration = get_registration_for_user(request.user, pk, perm=EDIT)
    initiative = get_object_or_404(registration.initiatives, pk=item_pk) if item_pk else None
    form = InitiativeForm(
        request.POST or None, request.FILES or None, instance=initiative, registration=registration
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields if f != "authors"}
        try:
            saved = save_initiative(
                registration,
                data,
                form.cleaned_data["authors"],
                actor=request.user,
                initiative=initiative,
                attachment=form.cleaned_data.get("attachment") or None,
            )
        except RegistrationError as exc:
            # The form page shows the refusal above the fields it keeps.
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
    registration = get_registration_for_user(request.user, pk)
    initiative = get_object_or_404(registration.initiatives, pk=item_pk)
    return perform(
        request,
        lambda: delete_initiative(registration, initiative, actor=request.user),
        redirect_to=f"{registration.get_absolute_url()}#initiatives",
        success=_("Đã xoá sáng kiến “%(title)s”.") % {"title": initiative.title},
    )


@login_required
@require_POST
def evidence_delete(request, pk, file_pk):
    evidence = get_evidence_for_user(request.user, file_pk, registration_pk=pk, perm=DELETE_EVIDENCE)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = evidence.registration.get_absolute_url()
    return perform(
        request,
        lambda: delete_evidence(evidence, actor=request.user),
        redirect_to=target,
        success=_("Đã xoá tệp “%(name)s”.") % {"name": evidence.original_name},
    )


@login_required
def evidence_download(request, file_pk):
    """Evidence is served only here, to users who may see its registration (never as static files)."""
    evidence = get_evidence_for_user(request.user, file_pk)
    try:
        return stream_response(
            evidence.file.storage, evidence.file.name, filename=evidence.original_name,
            content_type=evidence.content_type,
        )  # fmt: skip
    except FileNotFoundError:
        raise Http404 from None


@login_required
@require_POST
def transition(request, pk):
    registration = get_registration_for_user(request.user, pk)
    back = registration.get_absolute_url()
    target = request.POST.get("target", "")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("resubmit_by", [])))
        return redirect(back)
    return perform(
        request,
        lambda: set_registration_state(
            registration,
            target,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            resubmit_by=form.cleaned_data["resubmit_by"] if target == RegistrationState.RETURNED else None,
        ),
        redirect_to=back,
        success=lambda moved: _("Đăng ký đã chuyển sang “%(state)s”.") % {"state": moved.get_state_display()},
    )
