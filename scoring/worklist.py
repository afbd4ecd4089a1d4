"""Work-list provider of the scoring app (see agencies/worklist.py): registrations assigned to the
user for scoring and not yet completed, per plan."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from common.worklist import WorkItem

from .models import ReviewAssignment


def reviewer_work(user) -> list[WorkItem]:
    per_plan = (
        ReviewAssignment.objects.filter(reviewer=user, completed_at__isnull=True, conflict_declared=False)
        .values("registration__campaign__title")
        .annotate(n=Count("pk"))
        .order_by("registration__campaign__title")
    )
    return [
        WorkItem(
            title=_("Hồ sơ được phân công chấm điểm"),
            count=row["n"],
            url=reverse("scoring:my_reviews"),
            detail=row["registration__campaign__title"],
        )
        for row in per_plan
    ]
