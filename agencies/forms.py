"""Forms of the directory's account pages."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountForm(forms.Form):
    """Thêm một tài khoản: the fields of one row of the account import."""

    agency = forms.ChoiceField(label=_("Cơ quan"))
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=150,
        help_text=_("Là tên đăng nhập; thư mời đặt mật khẩu được gửi tới địa chỉ này."),
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=40, required=False)
    role = forms.ChoiceField(label=_("Vai trò"))
    person_code = forms.CharField(
        label=_("Mã cá nhân"),
        max_length=40,
        required=False,
        help_text=_("Không bắt buộc: mã của cá nhân trong danh sách cán bộ của cơ quan."),
    )

    def __init__(self, *args, agencies=(), roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = [("", "—")] + [
            (a.code, a.name) for a in agencies
        ]
        cast(forms.ChoiceField, self.fields["role"]).choices = list(roles)


class AccountDetailsForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=40, required=False)
