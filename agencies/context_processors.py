from django.conf import settings

from .models import Role
from .rules import grants, is_system_admin


def roles(request):
    """What the navigation needs to know: the user's roles, read once per request; and the single
    sign-on button's label when OpenID Connect is configured."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_roles": set(), "sso_label": _sso_label()}
    held = {g.role for g in grants(user)}
    return {
        "portal_roles": held,
        "is_home_affairs": Role.HOME_AFFAIRS in held,
        "is_agency_staff": bool(held & {Role.STAFF, Role.HEAD}),
        "is_council_member": Role.COUNCIL in held,
        "is_leadership": Role.LEADERSHIP in held,
        "is_portal_admin": is_system_admin(user),
    }


def _sso_label() -> str:
    if not getattr(settings, "OIDC_ENABLED", False):
        return ""
    from .oidc import login_label

    return login_label()
