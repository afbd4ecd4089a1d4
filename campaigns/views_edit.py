"""The plan editor, step by step. Each step saves its forms together; the whole plan is then checked
(campaigns.validation) and any incoherence undoes the step, shown on the page. A published plan is
changed only through an amendment with a reason (services.amendment)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.actions import perform

from . import forms as f
from .models import Campaign, CampaignState, ReformArea, Round
from .rules import CHANGE, check_may_issue, get_campaign_for_user
from .services import TransitionError, amendment, create_draft
from .validation import validate_plan

STEPS = [
    ("general", gettext_lazy("Thông tin chung")),
    ("contents", gettext_lazy("Nội dung, lĩnh vực")),
    ("groups", gettext_lazy("Đối tượng thi đua")),
    ("criteria", gettext_lazy("Tiêu chí")),
    ("milestones", gettext_lazy("Thời gian, mốc, chỉ số")),
    ("blocs", gettext_lazy("Khối thi đua")),
    ("bands", gettext_lazy("Xếp loại chỉ số CCHC")),
    ("awards", gettext_lazy("Hình thức khen thưởng")),
]


class _Rollback(Exception):
    pass


def _parts(step: str, campaign: Campaign, data, user) -> list[tuple[str, object]]:
    """(title, form or formset) of a step."""
    kw = {"data": data} if data is not None else {}
    if step == "general":
        form = f.CampaignForm(instance=campaign, user=user, prefix="c", with_period=False, **kw)
        return [(_("Thông tin chung"), form)]
    if step == "contents":
        return [
            (_("Nội dung thi đua"), f.ContentFormSet(instance=campaign, prefix="contents", **kw)),
            (_("Lĩnh vực cải cách hành chính"), f.ReformAreaFormSet(instance=campaign, prefix="areas", **kw)),
        ]
    if step == "groups":
        return [(_("Đối tượng thi đua"), f.TargetGroupFormSet(instance=campaign, prefix="groups", **kw))]
    if step == "criteria":
        areas = ReformArea.objects.filter(campaign=campaign)
        parts = []
        for group in campaign.target_groups.all():
            fs = f.CriterionFormSet(instance=group, prefix=f"crit-{group.pk}", **kw)
            _limit(fs, "reform_area", areas)
            parts.append((group.name, fs))
        return parts
    if step == "milestones":
        ms = f.MilestoneFormSet(instance=campaign, prefix="milestones", **kw)
        _limit(ms, "round", Round.objects.filter(campaign=campaign))
        return [
            (_("Thời gian của kế hoạch"), f.PeriodForm(instance=campaign, prefix="p", **kw)),
            (_("Các đợt (năm) thi đua"), f.RoundFormSet(instance=campaign, prefix="rounds", **kw)),
            (_("Mốc thời gian"), ms),
            (_("Chỉ số định lượng"), f.IndicatorFormSet(instance=campaign, prefix="indicators", **kw)),
        ]
    if step == "blocs":
        return [(_("Khối thi đua"), f.BlocFormSet(instance=campaign, prefix="blocs", **kw))]
    if step == "bands":
        return [
            (_("Xếp loại chỉ số CCHC"), f.ParBandFormSet(instance=campaign, prefix="bands", **kw)),
            (_("Kiến nghị xử lý người đứng đầu"), f.WarningRuleForm(campaign=campaign, prefix="w", **kw)),
        ]
    if step == "awards":
        fs = f.AwardFormFormSet(instance=campaign, prefix="awards", form_kwargs={"campaign": campaign}, **kw)
        return [(_("Hình thức khen thưởng"), fs)]
    raise ValueError(f"not a step of the editor: {step}")  # the URL admits only STEPS


def _limit(formset, field: str, queryset) -> None:
    for form in [*formset.forms, formset.empty_form]:
        form.fields[field].queryset = queryset


def _save(part) -> None:
    part.save()
    if isinstance(part, f.BlocFormSet):
        for form in part.forms:
            if form.instance.pk and form not in part.deleted_forms and form.cleaned_data:
                form.save_members(form.instance)


@login_required
def edit_step(request, code, step="general"):
    campaign = get_campaign_for_user(request.user, code, perm=CHANGE)
    published = campaign.state == CampaignState.PUBLISHED
    reason_form = f.ReasonForm(request.POST or None, prefix="r") if published else None
    errors: list = []
    if request.method == "POST":
        parts = _parts(step, campaign, request.POST, request.user)
        valid = all(p.is_valid() for _t, p in parts) and (reason_form is None or reason_form.is_valid())
        if valid:
            reason = reason_form.cleaned_data["reason"] if reason_form else ""
            try:
                with amendment(campaign, actor=request.user, reason=reason):
                    # The warning rule first: it may leave a band that this step deletes.
                    for _t, part in sorted(parts, key=lambda p: not isinstance(p[1], f.WarningRuleForm)):
                        _save(part)
                    errors = validate_plan(Campaign.objects.get(pk=campaign.pk))
                    if errors:
                        raise _Rollback
            except _Rollback:
                errors = show_on_forms(parts, errors)
            except TransitionError as exc:
                errors = exc.messages
            except (ProtectedError, RestrictedError):
                errors = [
                    _(
                        "Không xoá được: mục này đang được dùng ở phần khác của kế hoạch (hình thức khen "
                        "thưởng, kiến nghị xử lý). Bỏ chọn nó ở đó trước, rồi xoá."
                    )
                ]
            else:
                messages.success(request, _("Đã lưu bước “%(step)s”.") % {"step": dict(STEPS)[step]})
                nxt = _next_step(step)
                target = reverse("campaigns:edit", args=[campaign.code, nxt]) if nxt else None
                if "save_next" in request.POST and target:
                    return redirect(target)
                return redirect("campaigns:edit", campaign.code, step)
        # Bound forms keep what the user typed; nothing of this step was saved.
    else:
        parts = _parts(step, campaign, None, request.user)
    return render(
        request,
        "campaigns/edit_step.html",
        {
            "campaign": campaign,
            "step": step,
            "steps": STEPS,
            "parts": parts,
            "reason_form": reason_form,
            "plan_errors": errors,
            "next_step": _next_step(step),
        },
    )


#: First part of an error path -> the section named when the offending row is not on this step.
SECTIONS = {
    "period": gettext_lazy("Thời gian của kế hoạch"),
    "rounds": gettext_lazy("Các đợt (năm) thi đua"),
    "milestones": gettext_lazy("Mốc thời gian"),
    "par_bands": gettext_lazy("Xếp loại chỉ số CCHC"),
    "award_forms": gettext_lazy("Hình thức khen thưởng"),
    "target_groups": gettext_lazy("Tiêu chí"),
    "warning": gettext_lazy("Kiến nghị xử lý người đứng đầu"),
}


def show_on_forms(parts, errors) -> list[str]:
    """Put each plan error on the row and field of this step's forms that holds the offending object
    (matched by model and primary key, which new rows also have until the step is undone); return the
    messages for the alert above the forms, in words: "Mốc thời gian, dòng 2, Hạn (ngày cuối cùng): ..."."""
    shown = []
    for error in errors:
        where = _locate(parts, error)
        if where is None:
            section = SECTIONS.get(error.path.split("[")[0].split(".")[0])
            shown.append(f"{section}: {error.message}" if section else error.message)
            continue
        title, row, form = where
        name = error.field if error.field in form.fields else None
        form.add_error(name, error.message)
        place = [str(title)]
        if row:
            place.append(_("dòng %(n)s") % {"n": row})
        if name:
            place.append(str(form.fields[name].label))
        shown.append(f"{', '.join(place)}: {error.message}")
    return shown


def _locate(parts, error):
    obj = error.obj
    if obj is None or obj.pk is None:
        return None
    for title, part in parts:
        if hasattr(part, "forms"):
            forms = [(i + 1, form) for i, form in enumerate(part.forms)]
        else:
            forms = [(0, part)]
        for row, form in forms:
            instance = getattr(form, "instance", None)
            if type(instance) is type(obj) and instance.pk == obj.pk:
                return title, row, form
    return None


def _next_step(step: str) -> str | None:
    names = [s for s, _l in STEPS]
    i = names.index(step)
    return names[i + 1] if i + 1 < len(names) else None


@login_required
def create(request):
    check_may_issue(request.user)
    form = f.CampaignForm(request.POST or None, user=request.user, prefix="c")
    if request.method == "POST" and form.is_valid():
        return perform(
            request,
            lambda: create_draft(form.save(commit=False), actor=request.user),
            redirect_to=lambda campaign: reverse("campaigns:edit", args=[campaign.code, "contents"]),
            success=_("Đã tạo kế hoạch dự thảo. Tiếp tục với nội dung thi đua."),
            on_error=reverse("campaigns:create"),
        )
    return render(request, "campaigns/create.html", {"form": form})
