"""Hồ Chí Minh City as the tests build it: the directory the seed plans (``campaigns/plans/*.yaml``)
name, the accounts of the README's tour, and seed 002 (``hcmc-par-2022``) with its PAR Index results
and computed results.

This is the tests' own world, made with the factories: the demo (``demo/``) may change its data
without touching a test. The codes and names are those of the real city, as in the demo, so that a
test reads like the tour it checks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth.models import User
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Person, PersonKind, Role
from campaigns.models import Campaign, CampaignState

from .agencies import AgencyFactory, MembershipFactory, PersonFactory, UserFactory
from .awards import ensure_base_salaries

__all__ = [
    "DISTRICTS_END",
    "HCMC_DEPARTMENTS",
    "HCMC_DISTRICTS",
    "PAR_SCORES_2021_2022",
    "hcmc_directory",
    "hcmc_par_2022",
    "import_seed_plan",
    "import_seed_plans",
    "tour_accounts",
]

DISTRICTS_END = dt.date(2025, 7, 1)  # two-level local government: districts abolished

HCMC_DEPARTMENTS = [
    ("hcm-snv", "Sở Nội vụ"),
    ("hcm-stp", "Sở Tư pháp"),
    ("hcm-stc", "Sở Tài chính"),
    ("hcm-sxd", "Sở Xây dựng"),
    ("hcm-syt", "Sở Y tế"),
    ("hcm-sgddt", "Sở Giáo dục và Đào tạo"),
    ("hcm-skhcn", "Sở Khoa học và Công nghệ"),
    ("hcm-sct", "Sở Công Thương"),
    ("hcm-svhtt", "Sở Văn hóa và Thể thao"),
    ("hcm-snnmt", "Sở Nông nghiệp và Môi trường"),
    ("hcm-sdl", "Sở Du lịch"),
    ("hcm-btqlkcn", "Ban Quản lý các Khu chế xuất và công nghiệp"),
]
HCMC_DISTRICTS = [
    ("hcm-thuduc", "Ủy ban nhân dân thành phố Thủ Đức"),
    ("hcm-q1", "Ủy ban nhân dân Quận 1"),
    ("hcm-q3", "Ủy ban nhân dân Quận 3"),
    ("hcm-binhtan", "Ủy ban nhân dân quận Bình Tân"),
    ("hcm-govap", "Ủy ban nhân dân quận Gò Vấp"),
    ("hcm-cuchi", "Ủy ban nhân dân huyện Củ Chi"),
    ("hcm-nhabe", "Ủy ban nhân dân huyện Nhà Bè"),
]
# Under quận Bình Tân until 07/2025 (seed 003).
BINHTAN_2019 = [
    ("bt-anlac", "Ủy ban nhân dân phường An Lạc", AgencyKind.COMMUNE_PC),
    ("bt-anlaca", "Ủy ban nhân dân phường An Lạc A", AgencyKind.COMMUNE_PC),
    ("bt-bhh", "Ủy ban nhân dân phường Bình Hưng Hòa", AgencyKind.COMMUNE_PC),
    ("bt-tantao", "Ủy ban nhân dân phường Tân Tạo", AgencyKind.COMMUNE_PC),
    ("bt-pnv", "Phòng Nội vụ quận Bình Tân", AgencyKind.DISTRICT_OFFICE),
    ("bt-ptp", "Phòng Tư pháp quận Bình Tân", AgencyKind.DISTRICT_OFFICE),
]
# Directly under the city since 01/07/2025.
WARDS_2025 = [
    ("p-binhtan", "Ủy ban nhân dân phường Bình Tân"),
    ("p-anlac", "Ủy ban nhân dân phường An Lạc"),
    ("p-tantao", "Ủy ban nhân dân phường Tân Tạo"),
    ("p-btd", "Ủy ban nhân dân phường Bình Trị Đông"),
    ("p-bhh", "Ủy ban nhân dân phường Bình Hưng Hòa"),
    ("x-cuchi", "Ủy ban nhân dân xã Củ Chi"),
]
OTHERS = [
    ("hcm-bao-sggp", "Báo Sài Gòn Giải Phóng", AgencyKind.PRESS),
    ("hcm-sawaco", "Tổng Công ty Cấp nước Sài Gòn", AgencyKind.STATE_COMPANY),
    ("hcm-ttcnsh", "Trung tâm Công nghệ sinh học Thành phố", AgencyKind.PUBLIC_UNIT),
]

# (agency, code, name, kind, head, reform deputy)
PEOPLE = [
    ("p-binhtan", "pbt-01", "Nguyễn Văn Hùng", PersonKind.OFFICIAL, True, False),
    ("p-binhtan", "pbt-02", "Trần Thị Mai", PersonKind.OFFICIAL, False, True),
    ("p-binhtan", "pbt-03", "Lê Thị Thu Hà", PersonKind.CIVIL_SERVANT, False, False),
    ("p-binhtan", "pbt-04", "Phạm Minh Tuấn", PersonKind.CIVIL_SERVANT, False, False),
    ("p-binhtan", "pbt-05", "Võ Thị Ngọc Lan", PersonKind.CIVIL_SERVANT, False, False),
    ("p-anlac", "pal-01", "Bùi Văn Thành", PersonKind.OFFICIAL, True, False),
    ("p-anlac", "pal-02", "Ngô Thị Hạnh", PersonKind.OFFICIAL, False, True),
    ("p-anlac", "pal-03", "Đỗ Minh Khoa", PersonKind.CIVIL_SERVANT, False, False),
    ("hcm-snv", "snv-03", "Hồ Minh Nhật", PersonKind.CIVIL_SERVANT, False, False),
    ("hcm-snv", "snv-04", "Mai Thị Phương", PersonKind.CIVIL_SERVANT, False, False),
]

# username: (first name, last name, agency, role, person code or None), as in the README's tour
TOUR_ACCOUNTS = {
    "noivu": ("Phương", "Mai Thị", "hcm", Role.HOME_AFFAIRS, "snv-04"),
    "canbo": ("Thu Hà", "Lê Thị", "p-binhtan", Role.STAFF, "pbt-03"),
    "thutruong": ("Hùng", "Nguyễn Văn", "p-binhtan", Role.HEAD, "pbt-01"),
    "hoidong": ("Nhật", "Hồ Minh", "hcm", Role.COUNCIL, "snv-03"),
    "hoidong2": ("Lan", "Phạm Thị", "hcm", Role.COUNCIL, None),
    "hoidong3": ("Quang", "Võ Minh", "hcm", Role.COUNCIL, None),
    "hoidong4": ("Tâm", "Đặng Thanh", "hcm", Role.COUNCIL, None),
    "hoidong5": ("Bình", "Nguyễn Thái", "hcm", Role.COUNCIL, None),
    "lanhdao": ("Hồng", "Trần Thị", "hcm", Role.LEADERSHIP, None),
}

# Seed 002 (hcmc-par-2022): (agency, 2021 score, 2022 score). Departments: 12 ranked -> quota 4; six
# are "Tốt" in 2022, so two "Tốt" departments are cut by the quota and six fail the "Tốt" gate.
PAR_SCORES_2021_2022 = [
    ("hcm-snv", "91.20", "95.40"),
    ("hcm-stp", "89.10", "93.75"),
    ("hcm-stc", "90.05", "92.60"),
    ("hcm-sxd", "84.30", "91.80"),
    ("hcm-syt", "88.00", "90.90"),
    ("hcm-sgddt", "92.40", "90.10"),
    ("hcm-skhcn", "86.50", "88.70"),  # Khá two years, falls from 6th to 7th: warning
    ("hcm-sct", "83.20", "84.40"),  # Khá two years but stays 9th: no warning
    ("hcm-svhtt", "85.00", "82.15"),  # Khá two years, falls from 7th to 10th: warning
    ("hcm-snnmt", "81.00", "86.30"),
    ("hcm-sdl", "78.40", "79.60"),  # Trung bình in 2022: warning
    ("hcm-btqlkcn", "80.50", "81.00"),
    # Districts' bloc: 7 ranked -> quota 2
    ("hcm-thuduc", "90.30", "94.10"),
    ("hcm-q1", "91.00", "93.20"),
    ("hcm-q3", "87.60", "93.20"),  # ties with Quận 1 at the cut-off: the council decides
    ("hcm-binhtan", "86.10", "89.40"),
    ("hcm-govap", "84.80", "87.90"),
    ("hcm-cuchi", "79.90", "83.30"),
    ("hcm-nhabe", "76.20", "74.80"),  # Trung bình in 2022: warning
]


def hcmc_directory() -> dict[str, Agency]:
    """The city, its 12 departments, its 7 districts (dissolved 01/07/2025) with Bình Tân's wards and
    offices of 2019, the wards of 2025, a newspaper, a state company and a public unit; a few people
    of phường Bình Tân, phường An Lạc and the Sở Nội vụ. Returned by code."""
    city = AgencyFactory.create(
        code="hcm", name="Ủy ban nhân dân Thành phố Hồ Chí Minh", kind=AgencyKind.PROVINCE_PC
    )
    made = {"hcm": city}
    for code, name in HCMC_DEPARTMENTS:
        made[code] = AgencyFactory.create(code=code, name=name, kind=AgencyKind.DEPARTMENT, parent=city)
    for code, name in HCMC_DISTRICTS:
        made[code] = AgencyFactory.create(
            code=code, name=name, kind=AgencyKind.DISTRICT_PC, parent=city, dissolved_on=DISTRICTS_END
        )
    for code, name, kind in BINHTAN_2019:
        made[code] = AgencyFactory.create(
            code=code, name=name, kind=kind, parent=made["hcm-binhtan"], dissolved_on=DISTRICTS_END
        )
    for code, name in WARDS_2025:
        made[code] = AgencyFactory.create(code=code, name=name, kind=AgencyKind.COMMUNE_PC, parent=city)
    for code, name, agency_kind in OTHERS:
        made[code] = AgencyFactory.create(code=code, name=name, kind=agency_kind, parent=city)
    for agency, code, name, person_kind, head, deputy in PEOPLE:
        PersonFactory.create(
            agency=made[agency],
            code=code,
            full_name=name,
            kind=person_kind,
            is_head=head,
            is_reform_deputy=deputy,
        )
    return made


def tour_accounts() -> dict[str, User]:
    """The accounts of the README's tour (password demo-2026) on :func:`hcmc_directory`, by username."""
    users = {}
    for username, (first, last, agency, role, person) in TOUR_ACCOUNTS.items():
        user = UserFactory.create(
            username=username, first_name=first, last_name=last, email=f"{username}@demo.gov.vn"
        )
        MembershipFactory.create(user=user, agency=Agency.objects.get(code=agency), role=role)
        if person:
            Person.objects.filter(code=person).update(user=user)
        users[username] = user
    return users


def import_seed_plan(code: str, state: str = CampaignState.CLOSED) -> Campaign:
    """A seed plan of ``campaigns/plans/`` imported as it is (closed by default: a past plan), published
    at 08:00 on the day it was issued. Needs the agencies it names (:func:`hcmc_directory`)."""
    from campaigns.documents import import_plan, load_yaml

    path = Path(apps.get_app_config("campaigns").path) / "plans" / f"{code}.yaml"
    campaign = import_plan(load_yaml(path.read_text(encoding="utf-8")), state=state)
    published = dt.datetime.combine(campaign.issued_on or campaign.period_start, dt.time(8))
    Campaign.objects.filter(pk=campaign.pk).update(published_at=timezone.make_aware(published))
    campaign.refresh_from_db()
    return campaign


SEED_PLANS = ["hcmc-2022", "hanam-duytien-2023", "hcmc-par-2022", "hcmc-binhtan-2019", "angiang-2021"]


def import_seed_plans() -> dict[str, Campaign]:
    """The five seed plans, closed, by code."""
    return {code: import_seed_plan(code) for code in SEED_PLANS}


def hcmc_par_2022(
    directory: dict[str, Agency] | None = None, users: dict[str, User] | None = None
) -> SimpleNamespace:
    """Seed 002 on the city: the directory and the tour's accounts (made here unless given), the plan
    ``hcmc-par-2022`` (Giấy khen, only "Tốt", at most 1/3 of each bloc by PAR score, the warning rule),
    the PAR Index 2021-2022 of both blocs (:data:`PAR_SCORES_2021_2022`) and the results computed by
    ``noivu``: Quận 1 and Quận 3 tie at the cut-off of the districts' bloc."""
    from scoring.models import ParIndexResult
    from scoring.results import compute_results

    ensure_base_salaries()
    directory = directory if directory is not None else hcmc_directory()
    users = users if users is not None else tour_accounts()
    campaign = import_seed_plan("hcmc-par-2022")
    bands = list(campaign.par_bands.order_by("-min_score"))
    for code, *scores in PAR_SCORES_2021_2022:
        for year, score in zip((2021, 2022), scores, strict=True):
            band = next(b for b in bands if Decimal(score) >= b.min_score)
            ParIndexResult.objects.create(
                agency=directory[code], year=year, score=Decimal(score), rating=band.name
            )
    run = compute_results(campaign, actor=users["noivu"])
    return SimpleNamespace(campaign=campaign, directory=directory, users=users, run=run)
