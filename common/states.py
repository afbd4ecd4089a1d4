"""State colours in one place: the tone of the badge every page shows for a workflow state.

The workflows share their state codes (draft, submitted, returned, accepted, closed...), so one
table keyed by code serves plans, registrations, reports, proposal lists, council sessions and
dossier jobs. A template writes ``{% state_badge obj.state obj.get_state_display %}``.
"""

from __future__ import annotations

#: Bootstrap tone per state code: waiting on someone (warning), done well (success), sent back or
#: failed (danger), in the hands of its author (secondary), decided and archived (dark/light).
TONES: dict[str, str] = {
    "draft": "secondary",
    "submitted": "warning",
    "resubmitted": "warning",
    "confirmed": "primary",
    "accepted": "success",
    "returned": "danger",
    "withdrawn": "light",
    "published": "success",
    "closed": "dark",
    "archived": "light",
    "voting": "info",
    "open": "info",
    "voted": "primary",
    "approved": "success",
    "queued": "secondary",
    "running": "info",
    "assembling": "info",
    "done": "success",
    "failed": "danger",
    "conflict": "warning",
    # accounts (agencies.invitations.AccountStatus)
    "active": "success",
    "invited": "info",
    "revoked": "warning",
    "expired": "warning",
    "locked": "secondary",
    "none": "light",
}


def tone(state: str) -> str:
    return TONES.get(state, "secondary")
