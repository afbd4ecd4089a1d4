"""Account pages of home affairs (tài khoản): the list per agency, one account with its roles, adding
one, and the import (through the one import page). Thin: every page starts with its access helper,
calls a service of ``agencies.accounts`` through ``perform`` and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.actions import perform
from common.display import user_display_name, vietnamese_sort_key
from common.import_pages import import_page
from common.parsing import id_param, page_param, search_param
from common.tabular import template_response

from .account_import import ACCOUNT_IMPORT, USER_TABLE, allowed_roles
from .accounts import (
    AccountError,
    ExistingAccount,
    add_account,
    add_role,
    change_role,
    remove_role,
    resend_invitation,
    set_active,
    update_details,
)
from .forms import AccountDetailsForm, AccountForm
from .invitations import AccountStatus, account_status
from .models import Agency, Invitation, Membership, Role
from .queries import account_history, visible_accounts
from .rules import get_account_for_user, has_perm, in_reach, is_system_admin, reach_q, require_perm

User = get_user_model()
PERM = "agencies.manage_accounts"
PAGE_SIZE = 50


def _reach_agencies(user):
    return Agency.objects.filter(reach_q(user), dissolved_on__isnull=True).order_by("path")


def _role_choices(user):
    return [(r, Role(r).label) for r in allowed_roles(user)]


@login_required
def account_list(request):
    require_perm(request.user, PERM)
    actor = request.user
    accounts = visible_accounts(actor)
    agency_code = search_param(request.GET.get("agency"), max_length=40)
    agency = _reach_agencies(actor).filter(code=agency_code).first() if agency_code else None
    if agency is not None:
        accounts = accounts.filter(memberships__agency=agency)
    query = search_param(request.GET.get("q"))
    if query:
        accounts = accounts.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(username__icontains=query)
        )
    status = request.GET.get("status", "")
    if status == "inactive":
        accounts = accounts.filter(is_active=False)
    elif status == "active":
        accounts = accounts.filter(is_active=True)
    else:
        status = ""
    shown = Membership.objects.select_related("agency").order_by("agency__path", "role")
    if not is_system_admin(actor):
        shown = shown.filter(reach_q(actor, prefix="agency__"))
    # Vietnamese order of the names as shown (family name first, "Đặng" after "Dương", not after
    # "Võ"): the names only (one narrow query), sorted here, then the page's accounts in full.
    names = accounts.distinct().values_list("pk", "last_name", "first_name", "username")
    ordered = [
        pk
        for pk, last, first, username in sorted(
            names, key=lambda n: (vietnamese_sort_key(f"{n[1]} {n[2]}".strip() or n[3]), n[0])
        )
    ]
    page = Paginator(ordered, PAGE_SIZE).get_page(page_param(request.GET.get("page")))
    loaded = (
        User.objects.filter(pk__in=list(page.object_list))
        .select_related("account_profile")
        .prefetch_related(Prefetch("memberships", queryset=shown, to_attr="shown_roles"), "invitations")
        .in_bulk()
    )
    page.object_list = [loaded[pk] for pk in page.object_list]
    for account in page.object_list:
        account.status = account_status(account)
    return render(
        request,
        "agencies/accounts/list.html",
        {
            "page": page,
            "q": query,
            "agency_code": agency.code if agency else "",
            "agencies": _reach_agencies(actor),
            "status": status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_add(request):
    require_perm(request.user, PERM)
    actor = request.user
    agencies = list(_reach_agencies(actor))
    form = AccountForm(
        request.POST or None,
        agencies=agencies,
        roles=_role_choices(actor),
        initial={"agency": request.GET.get("agency", ""), "role": Role.STAFF},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = add_account(
                actor=actor,
                agency_code=data["agency"],
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                phone=data["phone"],
                person_code=data["person_code"],
            )
        except ExistingAccount as exc:
            if exc.account is not None:
                link = reverse("agencies:account", args=[exc.account.pk])
                form.add_error(
                    "email", format_html('{} <a href="{}">{}</a>', exc.message, link, _("Xem tài khoản"))
                )
            else:
                form.add_error("email", exc.message)
        except AccountError as exc:
            form.add_error(None, exc)
        else:
            if account.email:
                done = _("Đã tạo tài khoản %(name)s và gửi thư mời tới %(email)s.")
            else:
                done = _("Đã tạo tài khoản %(name)s.")
            messages.success(request, done % {"name": user_display_name(account), "email": account.email})
            return redirect("agencies:account", account.pk)
    return render(request, "agencies/accounts/add.html", {"form": form})


@login_required
def account_detail(request, pk):
    account = get_account_for_user(request.user, pk)
    actor = request.user
    memberships = list(account.memberships.select_related("agency").order_by("agency__path", "role"))
    for m in memberships:
        m.in_reach = in_reach(actor, m.agency)
    if not is_system_admin(actor):
        memberships = [m for m in memberships if m.in_reach]
    invitations = Invitation.objects.filter(user=account).order_by("-created_at")[:5]
    return render(
        request,
        "agencies/accounts/detail.html",
        {
            "account": account,
            "memberships": memberships,
            "manages": has_perm(actor, "agencies.change_account", account),
            "status": account_status(account),
            "now": timezone.now(),
            "invitations": invitations,
            "details_form": AccountDetailsForm(
                initial={
                    "full_name": f"{account.last_name} {account.first_name}".strip(),
                    "phone": getattr(getattr(account, "account_profile", None), "phone", ""),
                }
            ),
            "agencies": _reach_agencies(actor),
            "roles": _role_choices(actor),
            "history": account_history(account)[:100],
        },
    )


def _role_action(request, account):
    """The role act a POST asks for (add, change or remove one role), as a call of its service."""
    actor = request.user
    action, role = request.POST.get("action", ""), request.POST.get("role", "")
    if action == "add":
        code = search_param(request.POST.get("agency"), max_length=40)
        agency = _reach_agencies(actor).filter(code=code).first()
        if agency is None:
            raise AccountError(_("Hãy chọn một cơ quan thuộc phạm vi quản lý của anh/chị."))
        add_role(account, agency, role, actor=actor)
        return _("Đã thêm vai trò.")
    if action not in ("change", "remove"):
        raise AccountError(_("Thao tác không hợp lệ."))
    membership_id = id_param(request.POST.get("membership"))
    membership = (
        account.memberships.select_related("agency").filter(pk=membership_id).first()
        if membership_id
        else None
    )
    if membership is None:
        raise AccountError(_("Không tìm thấy vai trò này."))
    if action == "change":
        change_role(membership, role, actor=actor)
        return _("Đã đổi vai trò.")
    remove_role(membership, actor=actor)
    return _("Đã bỏ vai trò.")


@login_required
@require_POST
def account_roles(request, pk):
    """Add, change or remove one role of the account (each audited)."""
    account = get_account_for_user(request.user, pk)
    return perform(
        request,
        lambda: _role_action(request, account),
        success=lambda done: done,
        redirect_to=reverse("agencies:account", args=[account.pk]),
    )


def _edit(account, form, actor) -> None:
    if not form.is_valid():
        raise AccountError(_("Họ và tên không hợp lệ."))
    update_details(account, actor=actor, **form.cleaned_data)


@login_required
@require_POST
def account_edit(request, pk):
    account = get_account_for_user(request.user, pk)
    return perform(
        request,
        lambda: _edit(account, AccountDetailsForm(request.POST), request.user),
        success=_("Đã lưu thông tin tài khoản."),
        redirect_to=reverse("agencies:account", args=[account.pk]),
    )


def _set_active(request, pk, active: bool):
    account = get_account_for_user(request.user, pk)

    def said(_result) -> str:
        if not active:
            return _("Đã khoá tài khoản.")
        if account_status(account) == AccountStatus.REVOKED:
            return _("Đã mở lại tài khoản. Thư mời cũ đã bị thu hồi khi khoá; hãy gửi lại thư mời.")
        return _("Đã mở lại tài khoản.")

    return perform(
        request,
        lambda: set_active(account, active, actor=request.user),
        success=said,
        redirect_to=reverse("agencies:account", args=[account.pk]),
    )


@login_required
@require_POST
def account_deactivate(request, pk):
    return _set_active(request, pk, False)


@login_required
@require_POST
def account_reactivate(request, pk):
    return _set_active(request, pk, True)


@login_required
@require_POST
def account_invite(request, pk):
    account = get_account_for_user(request.user, pk)
    return perform(
        request,
        lambda: resend_invitation(account, actor=request.user),
        success=_("Đã gửi lại thư mời tới %(email)s.") % {"email": account.email},
        redirect_to=reverse("agencies:account", args=[account.pk]),
    )


# --- the import: upload -> preview -> confirm (common.import_pages) -------------------------------------


def _import(request):
    require_perm(request.user, PERM)
    return import_page(
        request,
        ACCOUNT_IMPORT,
        template="agencies/accounts/import.html",
        success_url=reverse("agencies:accounts"),
        context={
            "roles": _role_choices(request.user),
            "confirm_url": reverse("agencies:account_import_confirm"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_import(request):
    """Upload a file and see what it would do; nothing is written until the confirmation."""
    return _import(request)


@login_required
@require_POST
def account_import_confirm(request):
    """Import the file the preview showed: the server's own copy, found by the token only the
    uploader's session knows."""
    return _import(request)


@login_required
def account_import_template(request):
    require_perm(request.user, PERM)
    return template_response(USER_TABLE)
