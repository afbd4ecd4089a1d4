"""The invitation link's public pages: set the first password, or ask for a new link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .invitations import accept_invitation, find_invitation, resend_from_link


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """Đặt mật khẩu lần đầu from the invitation e-mail's link."""
    state = find_invitation(token)
    form = None
    invitation = state.invitation
    if state.status == "valid" and invitation is not None:
        form = SetPasswordForm(invitation.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            if accept_invitation(invitation, form.cleaned_data["new_password1"]):
                login(request, invitation.user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Đã đặt mật khẩu. Chào mừng anh/chị đến với Cổng thi đua CCHC."))
                return redirect("home")
            state = find_invitation(token)
            form = None
    can_resend = (
        state.status in ("expired", "revoked")
        and state.invitation is not None
        and not state.invitation.user.has_usable_password()
    )
    return render(
        request,
        "registration/invitation.html",
        {
            "status": state.status,
            "form": form,
            "token": token,
            "can_resend": can_resend,
            "account": state.invitation.user if state.status == "valid" and state.invitation else None,
        },
    )


@require_POST
def invitation_resend(request, token):
    state = find_invitation(token)
    if state.invitation is not None and state.status in ("expired", "revoked"):
        resend_from_link(state.invitation)
    # The same answer whatever happened: the page does not tell whether an address exists.
    return render(request, "registration/invitation_sent.html")
