"""Account pages (tài khoản): the list per agency, one account, the import with its preview, and the
public invitation page. Thin: parse, call a service of ``agencies.accounts``, render."""

from __future__ import annotations

import io

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common import staging
from common.audit import history_for
from common.display import user_display_name, vietnamese_sort_key
from common.forms import TableUploadForm
from common.parsing import id_param, page_param, search_param
from common.tabular import ImportErrors, TableError, read_table, template_response

from .accounts import (
    USER_TABLE,
    AccountError,
    ExistingAccount,
    accept_invitation,
    add_account,
    add_role,
    allowed_roles,
    apply_user_import,
    change_role,
    find_invitation,
    invitation_status,
    manages,
    plan_user_import,
    remove_role,
    resend_from_link,
    resend_invitation,
    set_active,
    update_details,
    visible_accounts,
)
from .forms import AccountDetailsForm, AccountForm
from .models import Agency, Invitation, Membership, Role
from .rules import has_perm, in_reach, is_system_admin, reach_q

User = get_user_model()
PERM = "agencies.manage_accounts"
STAGING_KIND = "users"
PAGE_SIZE = 50


def _require(request) -> None:
    if not has_perm(request.user, PERM):
        raise PermissionDenied


def _reach_agencies(user):
    return Agency.objects.filter(reach_q(user), dissolved_on__isnull=True).order_by("path")


def _role_choices(user):
    return [(r, Role(r).label) for r in allowed_roles(user)]


def _account_or_404(request, pk):
    """The account if the user manages accounts and reaches one of its roles; 404 otherwise (an
    account of another province looks the same as one that does not exist)."""
    if not has_perm(request.user, PERM):
        raise Http404
    account_id = id_param(pk)
    account = visible_accounts(request.user).filter(pk=account_id).first() if account_id else None
    if account is None:
        raise Http404
    return account


@login_required
def account_list(request):
    _require(request)
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
        account.status = invitation_status(account)
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
    _require(request)
    actor = request.user
    agencies = list(_reach_agencies(actor))
    form = AccountForm(
        request.POST or None,
        agencies=agencies,
        roles=_role_choices(actor),
        initial={"agency": request.GET.get("agency", ""), "role": Role.STAFF},
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = add_account(
                actor,
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
                    "email", format_html('{} <a href="{}">{}</a>', str(exc), link, _("Xem tài khoản"))
                )
            else:
                form.add_error("email", str(exc))
        except ImportErrors as exc:
            errors = [e.message for e in exc.errors]
        else:
            if account.email:
                done = _("Đã tạo tài khoản %(name)s và gửi thư mời tới %(email)s.")
            else:
                done = _("Đã tạo tài khoản %(name)s.")
            messages.success(request, done % {"name": user_display_name(account), "email": account.email})
            return redirect("agencies:account", account.pk)
    return render(request, "agencies/accounts/add.html", {"form": form, "errors": errors})


def _account_history(account):
    """The account's own entries (name, status) and those of its roles, including removed ones
    (a membership's entry names the account's login in its text)."""
    membership_type = ContentType.objects.get_for_model(Membership)
    entries = LogEntry.objects.filter(
        Q(pk__in=history_for(account).values("pk"))
        | Q(content_type=membership_type, object_repr__startswith=f"{account.get_username()} – ")
    )
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")[:100]


@login_required
def account_detail(request, pk):
    account = _account_or_404(request, pk)
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
            "manages": manages(actor, account),
            "status": invitation_status(account),
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
            "history": _account_history(account),
        },
    )


def _membership_of(account, value) -> Membership | None:
    membership_id = id_param(value)
    if membership_id is None:
        return None
    return account.memberships.select_related("agency").filter(pk=membership_id).first()


@login_required
@require_POST
def account_roles(request, pk):
    """Add, change or remove one role of the account (each audited)."""
    account = _account_or_404(request, pk)
    actor = request.user
    action = request.POST.get("action", "")
    role = request.POST.get("role", "")
    try:
        if action == "add":
            agency = (
                _reach_agencies(actor)
                .filter(code=search_param(request.POST.get("agency"), max_length=40))
                .first()
            )
            if agency is None:
                raise AccountError(_("Hãy chọn một cơ quan thuộc phạm vi quản lý của anh/chị."))
            add_role(actor, account, agency, role)
            messages.success(request, _("Đã thêm vai trò."))
        elif action in ("change", "remove"):
            membership = _membership_of(account, request.POST.get("membership"))
            if membership is None:
                raise AccountError(_("Không tìm thấy vai trò này."))
            if action == "change":
                change_role(actor, membership, role)
                messages.success(request, _("Đã đổi vai trò."))
            else:
                remove_role(actor, membership)
                messages.success(request, _("Đã bỏ vai trò."))
        else:
            raise AccountError(_("Thao tác không hợp lệ."))
    except AccountError as exc:
        messages.error(request, str(exc))
    return redirect("agencies:account", account.pk)


@login_required
@require_POST
def account_edit(request, pk):
    account = _account_or_404(request, pk)
    form = AccountDetailsForm(request.POST)
    try:
        if not form.is_valid():
            raise AccountError(_("Họ và tên không hợp lệ."))
        update_details(request.user, account, **form.cleaned_data)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã lưu thông tin tài khoản."))
    return redirect("agencies:account", account.pk)


def _set_active(request, pk, active: bool):
    account = _account_or_404(request, pk)
    try:
        set_active(request.user, account, active)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        if not active:
            messages.success(request, _("Đã khoá tài khoản."))
        elif invitation_status(account) == "revoked":
            messages.success(
                request,
                _("Đã mở lại tài khoản. Thư mời cũ đã bị thu hồi khi khoá; hãy gửi lại thư mời."),
            )
        else:
            messages.success(request, _("Đã mở lại tài khoản."))
    return redirect("agencies:account", account.pk)


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
    account = _account_or_404(request, pk)
    try:
        resend_invitation(request.user, account)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã gửi lại thư mời tới %(email)s.") % {"email": account.email})
    return redirect("agencies:account", account.pk)


# --- the import: upload -> preview -> confirm ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def account_import(request):
    """Upload a file and see what it would do; nothing is written until the confirmation."""
    _require(request)
    form = TableUploadForm(request.POST or None, request.FILES or None)
    errors, errors_more, plan, staged = [], "", None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = read_table(io.BytesIO(data), upload.name, USER_TABLE)
            plan = plan_user_import(rows, actor=request.user)
        except TableError as exc:
            form.add_error("file", str(exc))
        except ImportErrors as exc:
            errors, errors_more = exc.errors, exc.more_text()
            messages.error(
                request, _("Tệp có %(n)s dòng lỗi; chưa có dòng nào được nhập.") % {"n": exc.total}
            )
        else:
            staged = staging.stage(request, STAGING_KIND, upload)
    return render(
        request,
        "agencies/accounts/import.html",
        {
            "form": form,
            "errors": errors,
            "errors_more": errors_more,
            "plan": plan,
            "staged": staged,
            "filename": form.cleaned_data["file"].name if plan is not None else "",
            "roles": _role_choices(request.user),
        },
    )


@login_required
@require_POST
def account_import_confirm(request):
    """Apply the file the preview showed: the server's own copy, found by the token only the
    uploader's session knows."""
    _require(request)
    staged = staging.staged_file(request, STAGING_KIND, request.POST.get("key", ""))
    if staged is None:
        messages.error(
            request,
            _("Không tìm thấy tệp đã xem trước (có thể đã nhập hoặc đã quá hạn); hãy tải tệp lên lại."),
        )
        return redirect("agencies:account_import")
    try:
        with staged.open() as handle:
            data = handle.read()
        rows = read_table(io.BytesIO(data), staged.filename, USER_TABLE)
        summary = apply_user_import(rows, actor=request.user)
    except TableError as exc:
        messages.error(request, str(exc))
        return redirect("agencies:account_import")
    except ImportErrors as exc:
        # The directory changed since the preview: show the rows again, nothing was written.
        messages.error(request, _("Tệp có %(n)s dòng lỗi; chưa có dòng nào được nhập.") % {"n": exc.total})
        return render(
            request,
            "agencies/accounts/import.html",
            {
                "form": TableUploadForm(),
                "errors": exc.errors,
                "errors_more": exc.more_text(),
                "roles": _role_choices(request.user),
            },
        )
    staging.discard(request, staged)
    messages.success(request, str(summary))
    return redirect("agencies:accounts")


@login_required
def account_import_template(request):
    _require(request)
    return template_response(USER_TABLE)


# --- the invitation link (public) ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """Đặt mật khẩu lần đầu from the invitation e-mail's link."""
    state = find_invitation(token)
    form = None
    if state.status == "valid":
        form = SetPasswordForm(state.invitation.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            if accept_invitation(state.invitation, form.cleaned_data["new_password1"]):
                user = state.invitation.user
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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
            "account": state.invitation.user if state.status == "valid" else None,
        },
    )


@require_POST
def invitation_resend(request, token):
    state = find_invitation(token)
    if state.invitation is not None and state.status in ("expired", "revoked"):
        resend_from_link(state.invitation)
    # The same answer whatever happened: the page does not tell whether an address exists.
    return render(request, "registration/invitation_sent.html")
