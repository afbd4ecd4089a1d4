"""The notification kinds of registrations and final reports, registered with
``common.notifications.register_kinds``
in the app's ``ready()`` (the bell and the e-mails read their labels there)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationNotice(models.TextChoices):
    REGISTRATION_TO_CONFIRM = "registration_to_confirm", _("Đăng ký chờ xác nhận")
    REGISTRATION_RETURNED = "registration_returned", _("Đăng ký bị trả lại")
    REGISTRATION_ACCEPTED = "registration_accepted", _("Đăng ký được chấp nhận")
    REGISTRATION_TO_REVIEW = "registration_to_review", _("Đăng ký chờ Nội vụ xét duyệt")
    REPORT_SUBMITTED = "report_submitted", _("Báo cáo cuối đợt đã gửi")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
    REPORT_ACCEPTED = "report_accepted", _("Báo cáo được chấp nhận")
    DEADLINE_REMINDER = "deadline_reminder", _("Nhắc hạn")
