"""A launch plan (kế hoạch phát động thi đua) as data: every later step reads its rules from here.

- ``campaign``: the plan, its state, rounds and amendments (and ``PlanPart``, the audit hook of its parts);
- ``contents``: contents, reform areas, target groups and criteria, indicators, milestones;
- ``blocs``: blocs and their members, PAR Index bands, the warning rule for heads;
- ``awards``: award forms with their gates, quota, ranking, vote threshold and prize multiples.

Everything is importable from ``campaigns.models``.
"""

from .awards import (
    AwardForm,
    AwardKind,
    ParYear,
    QuotaBase,
    QuotaKind,
    QuotaScope,
    RankingKey,
    Recipient,
    StaffRating,
    TieBreakKey,
)
from .blocs import DEFAULT_PAR_BANDS, Bloc, BlocMembership, ParBand, WarningRule, band_for
from .campaign import (
    LEGAL_BASIS_OPENINGS,
    MAX_WARNING_YEARS,
    VN_TZ,
    Campaign,
    CampaignAmendment,
    CampaignState,
    PlanPart,
    Round,
    ScoreAggregation,
    TargetGroupKind,
    default_reminder_offsets,
)
from .contents import (
    Comparison,
    Content,
    Criterion,
    Indicator,
    Milestone,
    MilestoneKind,
    ReformArea,
    TargetGroup,
)

__all__ = [
    "DEFAULT_PAR_BANDS",
    "LEGAL_BASIS_OPENINGS",
    "MAX_WARNING_YEARS",
    "VN_TZ",
    "AwardForm",
    "AwardKind",
    "Bloc",
    "BlocMembership",
    "Campaign",
    "CampaignAmendment",
    "CampaignState",
    "Comparison",
    "Content",
    "Criterion",
    "Indicator",
    "Milestone",
    "MilestoneKind",
    "ParBand",
    "ParYear",
    "PlanPart",
    "QuotaBase",
    "QuotaKind",
    "QuotaScope",
    "RankingKey",
    "Recipient",
    "ReformArea",
    "Round",
    "ScoreAggregation",
    "StaffRating",
    "TargetGroup",
    "TargetGroupKind",
    "TieBreakKey",
    "WarningRule",
    "band_for",
    "default_reminder_offsets",
]
