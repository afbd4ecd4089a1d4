"""Forms of the plan editor: one step per page, each a set of forms and formsets saved together."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyKind, PersonKind
from agencies.rules import reach_q
from common.display import day as display_day

from .models import (
    MAX_WARNING_YEARS,
    AwardForm,
    Bloc,
    BlocMembership,
    Campaign,
    Content,
    Criterion,
    Indicator,
    Milestone,
    ParBand,
    ReformArea,
    Round,
    TargetGroup,
    TargetGroupKind,
    WarningRule,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


#: Who may issue a launch plan: People's Committees and provincial departments.
ISSUER_KINDS = [AgencyKind.PROVINCE_PC, AgencyKind.DISTRICT_PC, AgencyKind.COMMUNE_PC, AgencyKind.DEPARTMENT]


def issuer_queryset(user):
    """Agencies ``user`` may issue a plan for: People's Committees and departments within their
    home-affairs reach (any, for a system administrator), in directory order."""
    qs = Agency.objects.filter(reach_q(user), kind__in=ISSUER_KINDS)
    return qs.select_related("parent").order_by("path", "name")


def issuer_label(agency: Agency) -> str:
    """ "UBND phường An Lạc – UBND quận Bình Tân (giải thể 01/07/2025)": the parent tells look-alike
    names apart."""
    label = agency.name
    if agency.parent_id:
        label = _("%(name)s – %(parent)s") % {"name": label, "parent": agency.parent.name}
    if agency.dissolved_on:
        label = _("%(name)s (giải thể %(date)s)") % {
            "name": label,
            "date": display_day(agency.dissolved_on),
        }
    return label


class IssuerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return issuer_label(obj)


class CampaignForm(forms.ModelForm):
    reminder_days = forms.CharField(
        label=_("Nhắc hạn trước (ngày)"),
        required=False,
        help_text=_("Các số ngày, cách nhau bởi dấu phẩy, ví dụ: 7, 3, 1."),
    )

    class Meta:
        model = Campaign
        fields = [
            "code",
            "issuer",
            "document_number",
            "issued_on",
            "title",
            "theme",
            "legal_basis",
            "parent",
            "period_start",
            "period_end",
            "score_aggregation",
            "remind_after_deadline",
        ]
        field_classes = {"issuer": IssuerField}
        error_messages = {
            "issuer": {
                "invalid_choice": _(
                    "Cơ quan ban hành phải là Ủy ban nhân dân hoặc sở, ban, ngành thuộc phạm vi quản lý của bạn."  # noqa: E501
                )
            }
        }
        widgets = {
            "issued_on": DATE,
            "period_start": DATE,
            "period_end": DATE,
            "theme": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, with_period=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_period:  # the editor moves the period with the rounds and milestones (PeriodForm)
            del self.fields["period_start"], self.fields["period_end"]
        issuers = issuer_queryset(user)
        if self.instance.issuer_id:  # an issuer set before this rule stays selectable
            issuers = issuers | Agency.objects.filter(pk=self.instance.issuer_id)
        self.fields["issuer"].queryset = issuers.select_related("parent").order_by("path", "name")
        parents = Campaign.objects.exclude(state="draft")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.fields["code"].disabled = True
        self.fields["parent"].queryset = parents
        self.fields["reminder_days"].initial = ", ".join(
            str(x) for x in (self.instance.reminder_offsets or [])
        )

    def clean_reminder_days(self):
        raw = self.cleaned_data.get("reminder_days") or ""
        try:
            days = [int(x) for x in raw.replace(";", ",").split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError(
                _("Nhắc hạn trước: chỉ nhập các số nguyên, cách nhau bởi dấu phẩy.")
            ) from None
        if any(d < 0 for d in days):
            raise forms.ValidationError(_("Nhắc hạn trước: số ngày không được âm."))
        return sorted(set(days), reverse=True)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Ngày kết thúc phải sau ngày bắt đầu của kế hoạch."))
        return data

    def save(self, commit=True):
        self.instance.reminder_offsets = self.cleaned_data.get("reminder_days", [])
        return super().save(commit)


class PeriodForm(forms.ModelForm):
    """The plan's period, edited on the same page as its rounds and milestones so that all of them
    can move together (a published plan moved to other dates in one amendment)."""

    class Meta:
        model = Campaign
        fields = ["period_start", "period_end"]
        widgets = {"period_start": DATE, "period_end": DATE}

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Ngày kết thúc phải sau ngày bắt đầu của kế hoạch."))
        return data


class WarningRuleForm(forms.ModelForm):
    """Kiến nghị xử lý người đứng đầu (seed 002), beside the PAR bands it names. Both bands empty:
    the plan has no such rule (an existing one is removed)."""

    class Meta:
        model = WarningRule
        fields = ["band", "years", "rank_fall", "single_year_band"]
        help_texts = {
            "band": _("Ví dụ “Khá”: xếp loại “Khá” trở xuống. Để trống nếu kế hoạch không quy định."),
            "single_year_band": _("Ví dụ “Trung bình”. Để trống nếu kế hoạch không quy định."),
        }

    def __init__(self, *args, campaign: Campaign, **kwargs):
        kwargs["instance"] = campaign.warning or WarningRule(campaign=campaign)
        super().__init__(*args, **kwargs)
        bands = ParBand.objects.filter(campaign=campaign).order_by("-order")
        self.fields["band"].queryset = bands
        self.fields["single_year_band"].queryset = bands
        self.fields["years"].widget.attrs.update(min=1, max=MAX_WARNING_YEARS)
        self.fields["years"].required = False  # empty: the default (2 years)

    def clean_years(self):
        years = self.cleaned_data.get("years")
        if years is None:
            return self.instance.years or 2
        if not 1 <= years <= MAX_WARNING_YEARS:
            raise forms.ValidationError(_("Số năm liên tục phải từ 1 đến %(n)s.") % {"n": MAX_WARNING_YEARS})
        return years

    def _post_clean(self):
        # An empty rule is removed, not saved: the model's "one band at least" check does not apply.
        if not self.is_empty():
            super()._post_clean()

    def is_empty(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("band") and not data.get("single_year_band")

    def save(self, commit=True):
        if self.is_empty():
            if self.instance.pk:
                self.instance.delete()
            return None
        return super().save(commit)


class TargetGroupForm(forms.ModelForm):
    agency_kinds = forms.MultipleChoiceField(
        label=_("Loại cơ quan"),
        choices=AgencyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    person_kinds = forms.MultipleChoiceField(
        label=_("Loại cá nhân"),
        choices=PersonKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TargetGroup
        fields = [
            "order",
            "code",
            "name",
            "kind",
            "agency_kinds",
            "person_kinds",
            "initiative_required",
            "initiative_per_person",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        if data.get("initiative_per_person") and data.get("kind") != TargetGroupKind.INDIVIDUAL:
            self.add_error(
                "initiative_per_person",
                _("“Mỗi cá nhân đăng ký một sáng kiến” chỉ áp dụng cho đối tượng cá nhân."),
            )
        return data


class BlocForm(forms.ModelForm):
    agency_codes = forms.CharField(
        label=_("Mã các cơ quan thành viên"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi mã cách nhau bởi dấu phẩy hoặc xuống dòng."),
    )

    class Meta:
        model = Bloc
        fields = ["order", "code", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            codes = self.instance.memberships.select_related("agency").values_list("agency__code", flat=True)
            self.fields["agency_codes"].initial = ", ".join(codes)

    def clean_agency_codes(self):
        raw = self.cleaned_data.get("agency_codes") or ""
        codes = [c.strip() for c in raw.replace("\n", ",").split(",") if c.strip()]
        found = dict(Agency.objects.filter(code__in=codes).values_list("code", "pk"))
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(_("Không có cơ quan mã: %(codes)s.") % {"codes": ", ".join(missing)})
        return [found[c] for c in dict.fromkeys(codes)]

    def save_members(self, bloc: Bloc) -> None:
        wanted = set(self.cleaned_data.get("agency_codes") or [])
        bloc.memberships.exclude(agency_id__in=wanted).delete()
        have = set(bloc.memberships.values_list("agency_id", flat=True))
        for agency_id in wanted - have:
            BlocMembership.objects.create(bloc=bloc, campaign=bloc.campaign, agency_id=agency_id)


QUOTA_FRACTION_ERROR = _("Tỷ lệ khen thưởng phải từ 0 đến 1 (ví dụ 1/3 hoặc 50%).")


def parse_fraction(raw: str) -> tuple[int, int] | None:
    """ "1/3", "50%", "0,5" or "0.5" -> (numerator, denominator) in (0, 1]; anything else -> None."""
    text = raw.strip().replace(",", ".")
    try:
        if text.endswith("%"):
            fr = Fraction(Decimal(text[:-1].strip())) / 100
        elif "/" in text:
            a, b = text.split("/", 1)
            num, den = int(a.strip()), int(b.strip())
            if den <= 0:
                return None
            fr = Fraction(num, den)
            if 0 < fr <= 1:
                return num, den
            return None
        else:
            fr = Fraction(Decimal(text))
    except (ValueError, InvalidOperation, ZeroDivisionError):
        return None
    if not 0 < fr <= 1:
        return None
    if text.endswith("%") and fr * 100 == int(fr * 100):
        return int(fr * 100), 100
    return fr.numerator, fr.denominator


class AwardFormForm(forms.ModelForm):
    quota_fraction = forms.CharField(
        label=_("Tỷ lệ khen thưởng"),
        required=False,
        max_length=20,
        help_text=_("Khi giới hạn theo tỷ lệ: ví dụ 1/3 hoặc 50%."),
    )

    class Meta:
        model = AwardForm
        fields = [
            "order", "code", "name", "kind", "issuing_level", "recipient", "target_groups", "description",
            "min_par_band", "par_year", "par_exempt_without_index", "min_staff_rating",
            "require_head_not_disciplined", "head_tied_to_collective", "extends_to_head_and_deputy",
            "require_no_upheld_complaints", "require_on_time_registration", "require_accepted_registration",
            "quota_kind", "quota_fraction", "quota_fixed", "quota_base", "quota_scope",
            "ranking_key", "individual_ranking_key", "tie_break_key", "vote_numerator", "vote_denominator",
        ]  # fmt: skip
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(campaign=campaign)
        self.fields["min_par_band"].queryset = ParBand.objects.filter(campaign=campaign)
        num, den = self.instance.quota_numerator, self.instance.quota_denominator
        if num is not None and den:
            self.fields["quota_fraction"].initial = f"{num}%" if den == 100 else f"{num}/{den}"

    def clean_quota_fraction(self):
        raw = (self.cleaned_data.get("quota_fraction") or "").strip()
        if not raw:
            return None
        parsed = parse_fraction(raw)
        if parsed is None:
            raise forms.ValidationError(QUOTA_FRACTION_ERROR)
        return parsed

    def clean(self):
        data = super().clean()
        kind = data.get("quota_kind")
        fraction = data.get("quota_fraction")
        if kind == "fraction" and fraction is None and "quota_fraction" not in self.errors:
            self.add_error("quota_fraction", QUOTA_FRACTION_ERROR)
        # Set before the model's constraints are checked (_post_clean).
        if kind == "fraction" and fraction:
            self.instance.quota_numerator, self.instance.quota_denominator = fraction
        elif kind in ("none", "fixed"):
            self.instance.quota_numerator = self.instance.quota_denominator = None
        if kind == "fixed" and not data.get("quota_fixed"):
            self.add_error("quota_fixed", _("Số lượng khen thưởng tối đa phải lớn hơn 0."))
        vnum, vden = data.get("vote_numerator"), data.get("vote_denominator")
        if vnum is not None and vden is not None and (not vden or vnum <= 0 or vnum > vden):
            self.add_error("vote_numerator", _("Tỷ lệ phiếu tán thành phải lớn hơn 0 và không quá 1."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kế hoạch đã phát động: mọi thay đổi là một điều chỉnh có ghi lý do."),
    )


class PlanUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp kế hoạch (YAML)"))
    replace = forms.BooleanField(label=_("Thay thế kế hoạch dự thảo cùng mã"), required=False)


class CopyForm(forms.Form):
    code = forms.SlugField(label=_("Mã kế hoạch mới"), max_length=60)
    title = forms.CharField(label=_("Tên kế hoạch mới"), max_length=500)
    years = forms.IntegerField(label=_("Dời các mốc thời gian (năm)"), initial=1, min_value=0, max_value=10)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Campaign.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Đã có kế hoạch mã “%(code)s”.") % {"code": code})
        return code


def _fs(model, fields, form=forms.ModelForm, widgets=None):
    return inlineformset_factory(
        Campaign, model, form=form, fields=fields, extra=1, can_delete=True, widgets=widgets or {}
    )


RoundFormSet = _fs(
    Round, ["year", "label", "starts_on", "ends_on", "is_final"], widgets={"starts_on": DATE, "ends_on": DATE}
)
ContentFormSet = _fs(
    Content, ["order", "title", "description"], widgets={"description": forms.Textarea(attrs={"rows": 2})}
)
ReformAreaFormSet = _fs(ReformArea, ["order", "code", "name"])
TargetGroupFormSet = _fs(TargetGroup, TargetGroupForm.Meta.fields, form=TargetGroupForm)
MilestoneFormSet = _fs(Milestone, ["order", "kind", "name", "due_on", "round"], widgets={"due_on": DATE})
IndicatorFormSet = _fs(
    Indicator, ["order", "code", "name", "unit", "comparison", "threshold", "threshold_upper"]
)
BlocFormSet = _fs(Bloc, BlocForm.Meta.fields, form=BlocForm)
ParBandFormSet = _fs(ParBand, ["order", "code", "name", "min_score"])
AwardFormFormSet = _fs(AwardForm, AwardFormForm.Meta.fields, form=AwardFormForm)
CriterionFormSet = inlineformset_factory(
    TargetGroup,
    Criterion,
    fields=["order", "code", "text", "max_points", "weight", "evidence_required", "is_gate", "reform_area"],
    extra=1,
    can_delete=True,
    widgets={"text": forms.Textarea(attrs={"rows": 2})},
)
