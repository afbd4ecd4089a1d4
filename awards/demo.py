"""Demo data of the awards app: the other members of the City's Emulation and Reward Council
(besides ``hoidong``), so a session of ``hcmc-par-2022`` can reach its quorum. The cycle itself
(list, vote, decision) is left to the tour: see README.md."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from agencies.models import Agency, Membership, Role

PASSWORD = "demo-2026"

# username: (first name, last name)
COUNCIL = {
    "hoidong2": ("Lan", "Phạm Thị"),
    "hoidong3": ("Quang", "Võ Minh"),
    "hoidong4": ("Tâm", "Đặng Thanh"),
    "hoidong5": ("Bình", "Nguyễn Thái"),
}


@transaction.atomic
def load(stdout=None) -> None:
    city = Agency.objects.filter(code="hcm").first()
    if city is None:
        return
    User = get_user_model()
    for username, (first, last) in COUNCIL.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.gov.vn"},
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, agency=city, role=Role.COUNCIL)
    if stdout:
        stdout.write(f"Hội đồng Thi đua - Khen thưởng mẫu: hoidong, {', '.join(COUNCIL)}")
