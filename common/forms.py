"""Forms every app's pages use."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _


class TableUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (.csv hoặc .xlsx)"),
        help_text=_("Dòng đầu là tên cột. CSV lưu với mã hoá UTF-8."),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        if (upload.size or 0) > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp danh sách không được lớn hơn 5 MB."))
        return upload
