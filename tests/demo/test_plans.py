"""The demo's plans (demo/plans.py): the five seed plans, closed, and the current plan demo-2027 whose
dates follow the day the demo is first loaded."""

import datetime as dt

import pytest

from agencies.models import Agency
from campaigns.models import Campaign, Criterion, ReformArea
from demo import directory as demo_directory
from demo import plans as demo


@pytest.fixture
def directory(db):
    """The demo's directory and accounts, which the demo's plans name."""
    demo_directory.load()
    return {a.code: a for a in Agency.objects.all()}


def test_demo_loads_seeds_and_the_current_plan_idempotently(directory):
    today = dt.date(2026, 11, 21)
    demo.load_seed_plans()
    current = demo.load_demo_2027(today=today)
    assert sorted(Campaign.objects.values_list("code", "state")) == [
        ("angiang-2021", "closed"),
        ("demo-2027", "published"),
        ("hanam-duytien-2023", "closed"),
        ("hcmc-2022", "closed"),
        ("hcmc-binhtan-2019", "closed"),
        ("hcmc-par-2022", "closed"),
    ]
    assert current.title == "Phong trào thi đua cải cách hành chính năm 2027"
    assert [(m.kind, (m.due_on - today).days) for m in current.milestones.order_by("due_on")] == [
        ("registration_deadline", 14),
        ("midterm_review", 120),
        ("report_deadline", 300),
        ("final_review", 320),
        ("campaign_end", 330),
    ]
    assert current.targets_agency(directory["p-binhtan"]) is True
    assert current.targets_agency(directory["hcm-snv"]) is True
    assert current.targets_agency(directory["bt-anlac"]) is False  # dissolved ward (07/2025)
    assert current.targets_agency(directory["hcm-bao-sggp"]) is False
    assert current.blocs.get(code="khoi-phuong-xa").memberships.filter(agency__code="p-binhtan").exists()
    assert all(g.initiative_required for g in current.target_groups.filter(kind="collective"))
    # A second run keeps everything, including the dates of the first run.
    demo.load()
    assert Campaign.objects.count() == 6
    assert Campaign.objects.get(code="demo-2027").period_start == today


AREAS = [
    ("chi-dao", "Công tác chỉ đạo, điều hành"),
    ("the-che", "Cải cách thể chế"),
    ("tthc", "Cải cách thủ tục hành chính"),
    ("bo-may", "Cải cách tổ chức bộ máy hành chính"),
    ("cong-vu", "Cải cách chế độ công vụ"),
    ("tai-chinh-cong", "Cải cách tài chính công"),
    ("chinh-quyen-so", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
]


def _areas(campaign):
    return list(campaign.reform_areas.order_by("order", "pk").values_list("code", "name"))


def _criterion_areas(campaign):
    return sorted(
        set(
            Criterion.objects.filter(target_group__campaign=campaign, reform_area__isnull=False).values_list(
                "code", "reform_area__code"
            )
        )
    )


def test_demo_2027_has_the_seven_reform_areas(directory):
    current = demo.load_demo_2027(today=dt.date(2026, 11, 21))
    assert _areas(current) == AREAS
    assert _criterion_areas(current) == [
        ("chuyen-doi-so", "chinh-quyen-so"),
        ("ke-hoach", "chi-dao"),
        ("tthc", "tthc"),
    ]
    assert not current.amendments.exists()


def test_an_older_demo_2027_gets_the_reform_areas_on_the_next_load(directory):
    current = demo.load_demo_2027(today=dt.date(2026, 11, 21))
    ReformArea.objects.filter(campaign=current).delete()  # as loaded before the areas existed
    assert _criterion_areas(current) == []
    demo.load()
    assert _areas(current) == AREAS
    assert _criterion_areas(current) == [
        ("chuyen-doi-so", "chinh-quyen-so"),
        ("ke-hoach", "chi-dao"),
        ("tthc", "tthc"),
    ]
    change = current.amendments.get()
    assert (change.reason, change.made_by.username, sorted(change.changes)) == (
        "Bổ sung các lĩnh vực cải cách hành chính (dữ liệu mẫu)",
        "noivu",
        ["reform_areas", "target_groups"],
    )
    demo.load()
    assert current.amendments.count() == 1
    assert ReformArea.objects.filter(campaign=current).count() == 7
