"""Demo plans: the five seed plans (closed, historical) and the current plan ``demo-2027``.

Idempotent: a plan whose code exists is left as it is (so demo-2027 keeps the dates of the day
``load_demo`` first ran).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from campaigns.documents import import_plan, load_yaml
from campaigns.models import Campaign, CampaignState, Criterion, ReformArea
from campaigns.services import amendment, set_campaign_state
from demo import Output

PLANS_DIR = Path(apps.get_app_config("campaigns").path) / "plans"
SEED_PLANS = ["hcmc-2022", "hanam-duytien-2023", "hcmc-par-2022", "hcmc-binhtan-2019", "angiang-2021"]

DEPARTMENTS = [
    "hcm-snv", "hcm-stp", "hcm-stc", "hcm-sxd", "hcm-syt", "hcm-sgddt", "hcm-skhcn", "hcm-sct", "hcm-svhtt",
    "hcm-snnmt", "hcm-sdl", "hcm-btqlkcn",
]  # fmt: skip
#: The seven areas of administrative reform (seed 004, An Giang 2021), the last one named for
#: two-level local government: (code, name).
REFORM_AREAS = [
    ("chi-dao", "Công tác chỉ đạo, điều hành"),
    ("the-che", "Cải cách thể chế"),
    ("tthc", "Cải cách thủ tục hành chính"),
    ("bo-may", "Cải cách tổ chức bộ máy hành chính"),
    ("cong-vu", "Cải cách chế độ công vụ"),
    ("tai-chinh-cong", "Cải cách tài chính công"),
    ("chinh-quyen-so", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
]
#: Criterion code -> reform area code in demo-2027.
CRITERION_AREAS = {"ke-hoach": "chi-dao", "tthc": "tthc", "chuyen-doi-so": "chinh-quyen-so"}
WARDS = ["p-binhtan", "p-anlac", "p-tantao", "p-btd", "p-bhh", "p-saigon", "x-cuchi", "x-nhabe"]


def _say(stdout: Output | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def load_seed_plans(stdout: Output | None = None) -> None:
    for code in SEED_PLANS:
        if Campaign.objects.filter(code=code).exists():
            continue
        data = load_yaml((PLANS_DIR / f"{code}.yaml").read_text(encoding="utf-8"))
        with transaction.atomic():
            campaign = import_plan(data, state=CampaignState.CLOSED)
            Campaign.objects.filter(pk=campaign.pk).update(
                published_at=timezone.make_aware(
                    dt.datetime.combine(campaign.issued_on or campaign.period_start, dt.time(8))
                )
            )
        _say(stdout, f"Kế hoạch mẫu: {code}")


def demo_2027_document(today: dt.date) -> dict[str, Any]:
    """The plan document of demo-2027 (the format of docs/campaign-format.md), dated from ``today``."""

    def day(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    criteria_collective = [
        (
            "ke-hoach",
            "Ban hành kế hoạch cải cách hành chính và kế hoạch thi đua năm 2027 đúng thời hạn.",
            20,
            True,
        ),
        ("tthc", "Giải quyết thủ tục hành chính đúng hạn; không có hồ sơ trễ hẹn, tồn đọng.", 30, True),
        (
            "chuyen-doi-so",
            "Tỷ lệ hồ sơ trực tuyến toàn trình, thanh toán trực tuyến tăng so với năm 2026.",
            20,
            True,
        ),
        ("sang-kien", "Có sáng kiến, mô hình, cách làm hay về cải cách hành chính được công nhận.", 20, True),
        ("tuyen-truyen", "Tuyên truyền về cải cách hành chính theo kế hoạch.", 10, False),
    ]
    criteria_individual = [
        ("nhiem-vu", "Hoàn thành tốt nhiệm vụ cải cách hành chính được giao.", 40, True),
        ("sang-kien", "Có giải pháp, sáng kiến trong thực hiện nhiệm vụ cải cách hành chính.", 40, True),
        ("van-hoa", "Thực hiện tốt quy chế văn hóa công vụ, không bị phản ánh, kiến nghị.", 20, False),
    ]

    def crit(rows: list[tuple[str, str, int, bool]]) -> list[dict[str, Any]]:
        return [
            {
                "code": c,
                "text": t,
                "max_points": p,
                "weight": 1,
                "evidence_required": e,
                "gate": False,
                **({"reform_area": CRITERION_AREAS[c]} if c in CRITERION_AREAS else {}),
            }
            for c, t, p, e in rows
        ]

    gates = {"min_par_band": "tot", "par_year": "campaign", "extends_to_head_and_deputy": True}
    return {
        "format": 1,
        "code": "demo-2027",
        "issuer": "hcm",
        "document_number": "27/KH-UBND",
        "issued_on": today,
        "title": "Phong trào thi đua cải cách hành chính năm 2027",
        "theme": "Chính quyền hai cấp phục vụ Nhân dân: nhanh, đúng, minh bạch, trên môi trường số.",
        "legal_basis": [
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022.",
            "Căn cứ Kế hoạch cải cách hành chính năm 2027 của Ủy ban nhân dân Thành phố.",
        ],
        "period": {"start": today, "end": day(330)},
        "rounds": [{"year": 2027, "label": "Năm 2027", "starts_on": today, "ends_on": day(330)}],
        "contents": [
            {"title": "Cải cách thủ tục hành chính, nâng cao sự hài lòng của người dân, doanh nghiệp"},
            {"title": "Chuyển đổi số trong giải quyết thủ tục hành chính"},
            {"title": "Sáng kiến, mô hình, cách làm hay về cải cách hành chính"},
        ],
        "reform_areas": [{"code": code, "name": name} for code, name in REFORM_AREAS],
        "target_groups": [
            {
                "code": "so-ban-nganh",
                "name": "Sở, ban, ngành Thành phố",
                "kind": "collective",
                "agency_kinds": ["department"],
                "initiative_required": True,
                "criteria": crit(criteria_collective),
            },
            {
                "code": "phuong-xa",
                "name": "Ủy ban nhân dân phường, xã, đặc khu",
                "kind": "collective",
                "agency_kinds": ["commune_pc"],
                "initiative_required": True,
                "criteria": crit(criteria_collective),
            },
            {
                "code": "ca-nhan",
                "name": "Cán bộ, công chức, viên chức, người lao động",
                "kind": "individual",
                "agency_kinds": ["department", "commune_pc"],
                "person_kinds": ["official", "civil_servant", "public_employee", "worker"],
                "criteria": crit(criteria_individual),
            },
        ],
        "milestones": [
            {
                "kind": "registration_deadline",
                "name": "Hạn đăng ký thi đua",
                "due_on": day(14),
                "round": "2027",
            },
            {"kind": "midterm_review", "name": "Sơ kết 6 tháng", "due_on": day(120), "round": "2027"},
            {
                "kind": "report_deadline",
                "name": "Hạn gửi báo cáo tổng kết",
                "due_on": day(300),
                "round": "2027",
            },
            {
                "kind": "final_review",
                "name": "Họp Hội đồng xét khen thưởng",
                "due_on": day(320),
                "round": "2027",
            },
            {"kind": "campaign_end", "name": "Kết thúc phong trào", "due_on": day(330), "round": "2027"},
        ],
        "blocs": [
            {"code": "khoi-so", "name": "Khối sở, ban, ngành", "agencies": DEPARTMENTS},
            {"code": "khoi-phuong-xa", "name": "Khối phường, xã", "agencies": WARDS},
        ],
        "par_bands": [
            {"code": "tot", "name": "Tốt", "min_score": 90},
            {"code": "kha", "name": "Khá", "min_score": 80},
            {"code": "trung-binh", "name": "Trung bình", "min_score": 65},
            {"code": "yeu", "name": "Yếu", "min_score": 0},
        ],
        "award_forms": [
            {
                "code": "bang-khen-ubnd-tp",
                "name": "Bằng khen của Chủ tịch Ủy ban nhân dân Thành phố",
                "kind": "bang_khen",
                "issuing_level": "Chủ tịch Ủy ban nhân dân Thành phố",
                "recipient": "collective",
                "target_groups": ["so-ban-nganh", "phuong-xa"],
                "gates": {**gates, "head_not_disciplined": True, "on_time_registration": True},
                "quota": {"fraction": "1/3", "base": "ranked_in_bloc", "scope": "per_bloc"},
                "ranking": {"key": "par_score", "tie_break": "total_score"},
                "vote": "2/3",
                # Nghị định 152/2025/NĐ-CP (plans from 01/07/2025): multiples of the base salary
                "prize": {"individual": "1.0", "collective": "2.0"},
            },
            {
                "code": "giay-khen-snv",
                "name": "Giấy khen của Giám đốc Sở Nội vụ",
                "kind": "giay_khen",
                "issuing_level": "Giám đốc Sở Nội vụ",
                "recipient": "both",
                "target_groups": ["so-ban-nganh", "phuong-xa", "ca-nhan"],
                "gates": {
                    "min_staff_rating": "good",
                    "head_tied_to_collective": True,
                    "accepted_registration": True,
                },
                "quota": {"fraction": "50%", "base": "with_achievements", "scope": "campaign"},
                "ranking": {
                    "key": "total_score",
                    "individual_key": "staff_rating",
                    "tie_break": "registered_at",
                },
                "vote": "1/2",
                "prize": {"individual": "0.3", "collective": "0.6"},
            },
        ],
    }


def ensure_reform_areas(campaign: Campaign, actor: User | None = None, stdout: Output | None = None) -> None:
    """Databases loaded before demo-2027 had reform areas get them (and the criteria their area),
    as a recorded amendment of the published plan. Nothing happens when they are there."""
    have = set(campaign.reform_areas.values_list("code", flat=True))
    missing = [(i, code, name) for i, (code, name) in enumerate(REFORM_AREAS, 1) if code not in have]
    if not missing:
        return
    with amendment(campaign, actor=actor, reason="Bổ sung các lĩnh vực cải cách hành chính (dữ liệu mẫu)"):
        for order, code, name in missing:
            ReformArea.objects.create(campaign=campaign, code=code, name=name, order=order)
        areas = {a.code: a for a in campaign.reform_areas.all()}
        for criterion in Criterion.objects.filter(
            target_group__campaign=campaign, reform_area__isnull=True, code__in=list(CRITERION_AREAS)
        ):
            criterion.reform_area = areas[CRITERION_AREAS[criterion.code]]
            criterion.save(update_fields=["reform_area"])
    _say(stdout, "Kế hoạch hiện hành demo-2027: bổ sung lĩnh vực cải cách hành chính")


def load_demo_2027(stdout: Output | None = None, today: dt.date | None = None) -> Campaign:
    existing = Campaign.objects.filter(code="demo-2027").first()
    if existing:
        actor = get_user_model().objects.filter(username="noivu").first()
        ensure_reform_areas(existing, actor, stdout)
        return existing
    today = today or timezone.localdate()
    actor = get_user_model().objects.filter(username="noivu").first()
    with transaction.atomic():
        campaign = import_plan(demo_2027_document(today), actor=actor)
        campaign = set_campaign_state(
            campaign, CampaignState.PUBLISHED, actor=actor, note="Phát động (dữ liệu mẫu)"
        )
    _say(stdout, "Kế hoạch hiện hành: demo-2027")
    return campaign


def load(stdout: Output | None = None) -> None:
    load_seed_plans(stdout)
    load_demo_2027(stdout)
