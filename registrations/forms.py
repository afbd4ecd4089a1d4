from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyKind, Person

from .models import IndividualRegistration, Initiative, RegistrationState
from .queries.targets import allowed_person_kinds, initiative_per_person
from .uploads import ACCEPT_ATTR, upload_help_text, validate_evidence


class EvidenceField(forms.FileField):
    """A file checked by content and size (see uploads.validate_evidence)."""

    def __init__(self, **kwargs):
        # Lazy: the size limit is read from settings each time the form is shown.
        kwargs.setdefault("help_text", lazy(upload_help_text, str)())
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ACCEPT_ATTR

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            validate_evidence(upload)
        return upload


class IndividualForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Cá nhân"), queryset=Person.objects.none())
    aimed_title = forms.CharField(label=_("Danh hiệu, hình thức đăng ký"), max_length=255, required=False)
    commitment = forms.CharField(label=_("Cam kết"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, registration=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration = registration
        people = Person.objects.filter(agency=registration.agency)
        allowed = allowed_person_kinds(registration.campaign)
        if allowed:
            people = people.filter(kind__in=allowed)
        # Everyone of the agency is a valid choice (so a repeat gets its own message, not "invalid
        # choice"); the list offers only those not registered yet.
        field = self.fields["person"]
        field.queryset = people
        taken = IndividualRegistration.objects.filter(round=registration.round).values("person_id")
        field.widget.choices = [("", field.empty_label)] + [
            (p.pk, str(p)) for p in people.exclude(pk__in=taken)
        ]

    def clean_person(self):
        person = self.cleaned_data["person"]
        if IndividualRegistration.objects.filter(round=self.registration.round, person=person).exists():
            raise forms.ValidationError(
                _("Người này (%(name)s) đã đăng ký trong đợt thi đua này.") % {"name": person.full_name},
                code="duplicate",
            )
        return person


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        help_text=_(
            "Cột bắt buộc: Mã cá nhân. Cột tuỳ chọn: Họ và tên; Danh hiệu, hình thức đăng ký; Cam kết "
            "(tiêu đề cột như trong tệp mẫu)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp danh sách không được lớn hơn 5 MB."))
        return upload


class InitiativeForm(forms.ModelForm):
    attachment = EvidenceField(label=_("Tệp đính kèm"), required=False)

    class Meta:
        model = Initiative
        fields = ["kind", "title", "reform_area", "problem", "description", "expected_effect", "authors"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "expected_effect": forms.Textarea(attrs={"rows": 3}),
            "authors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, registration=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reform_area"].queryset = registration.campaign.reform_areas.all()
        self.fields["authors"].queryset = Person.objects.filter(agency=registration.agency)
        if initiative_per_person(registration.campaign):
            self.fields["authors"].help_text = _(
                "Kế hoạch yêu cầu mỗi cá nhân đăng ký thi đua đăng ký một sáng kiến: chọn những người "
                "đăng ký là tác giả của sáng kiến này."
            )


class EvidenceUploadForm(forms.Form):
    file = EvidenceField(label=_("Tệp minh chứng"))


class ReasonForm(forms.Form):
    """Returning a registration: the reason, and optionally the last day to send it again."""

    reason = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    resubmit_by = forms.DateField(
        label=_("Hạn gửi lại (không bắt buộc)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Gửi lại sau hết ngày này thì bị từ chối, trừ khi được gia hạn."),
        error_messages={"invalid": _("Hạn gửi lại không phải là ngày hợp lệ.")},
    )


class ExtensionForm(forms.Form):
    milestone: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Mốc thời gian"), queryset=None)
    extended_until = forms.DateField(
        label=_("Gia hạn đến hết ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = campaign.milestones.all()


class ReviewFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả"))] + RegistrationState.choices
    )
    bloc: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Khối"), required=False, queryset=None, empty_label=_("Tất cả")
    )
    kind = forms.ChoiceField(
        label=_("Loại cơ quan"), required=False, choices=[("", _("Tất cả"))] + AgencyKind.choices
    )

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bloc"].queryset = campaign.blocs.all()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
