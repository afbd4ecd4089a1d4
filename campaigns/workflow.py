"""The plan's state machine: draft -> published -> closed -> archived, each step taken by home affairs
of the issuer (or the administrator), or by the system (``actor=None``: commands, the demo)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from common.errors import PortalError
from common.workflow import Transition, Workflow

from .models import Campaign, CampaignState
from .rules import can_manage


class TransitionError(PortalError):
    """A plan's state change or amendment was refused."""


def may_change(actor, campaign: Campaign) -> bool:
    return actor is None or bool(can_manage(actor, campaign))


WORKFLOW = Workflow(
    model=Campaign,
    transitions=[
        Transition(CampaignState.DRAFT, CampaignState.PUBLISHED, may_change),
        Transition(CampaignState.PUBLISHED, CampaignState.CLOSED, may_change),
        Transition(CampaignState.CLOSED, CampaignState.ARCHIVED, may_change),
    ],
    labels=lambda state: CampaignState(state).label,
    transition_message=gettext_lazy("Không thể chuyển kế hoạch từ “%(old)s” sang “%(new)s”."),
    error=TransitionError,
)
