"""The demo directory: Hồ Chí Minh City with its departments, (historical) districts and wards, its
people and the accounts of the README's tour. Idempotent (get-or-create by code): the first step of
``load_demo``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from agencies.models import Agency, AgencyKind, Membership, Person, PersonKind, PersonPosition, Role
from demo import Output

DEMO_PASSWORD = "demo-2026"
DISTRICTS_END = dt.date(2025, 7, 1)

CITY = ("hcm", "Ủy ban nhân dân Thành phố Hồ Chí Minh")

# (code, name): Khối sở, ban, ngành (seed 002).
DEPARTMENTS = [
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

# Khối UBND thành phố Thủ Đức, quận, huyện (seed 002; abolished 01/07/2025).
DISTRICTS = [
    ("hcm-thuduc", "Ủy ban nhân dân thành phố Thủ Đức"),
    ("hcm-q1", "Ủy ban nhân dân Quận 1"),
    ("hcm-q3", "Ủy ban nhân dân Quận 3"),
    ("hcm-binhtan", "Ủy ban nhân dân quận Bình Tân"),
    ("hcm-govap", "Ủy ban nhân dân quận Gò Vấp"),
    ("hcm-cuchi", "Ủy ban nhân dân huyện Củ Chi"),
    ("hcm-nhabe", "Ủy ban nhân dân huyện Nhà Bè"),
]

# The 10 wards of Bình Tân district in 2019 (seed 003).
BINHTAN_WARDS_2019 = [
    ("bt-anlac", "Ủy ban nhân dân phường An Lạc"),
    ("bt-anlaca", "Ủy ban nhân dân phường An Lạc A"),
    ("bt-bhh", "Ủy ban nhân dân phường Bình Hưng Hòa"),
    ("bt-bhha", "Ủy ban nhân dân phường Bình Hưng Hòa A"),
    ("bt-bhhb", "Ủy ban nhân dân phường Bình Hưng Hòa B"),
    ("bt-btd", "Ủy ban nhân dân phường Bình Trị Đông"),
    ("bt-btda", "Ủy ban nhân dân phường Bình Trị Đông A"),
    ("bt-btdb", "Ủy ban nhân dân phường Bình Trị Đông B"),
    ("bt-tantao", "Ủy ban nhân dân phường Tân Tạo"),
    ("bt-tantaoa", "Ủy ban nhân dân phường Tân Tạo A"),
]
BINHTAN_OFFICES = [
    ("bt-pnv", "Phòng Nội vụ quận Bình Tân"),
    ("bt-ptp", "Phòng Tư pháp quận Bình Tân"),
    ("bt-vp", "Văn phòng HĐND và UBND quận Bình Tân"),
]

# Wards directly under the city since 01/07/2025 (two-level local government).
WARDS_2025 = [
    ("p-binhtan", "Ủy ban nhân dân phường Bình Tân"),
    ("p-anlac", "Ủy ban nhân dân phường An Lạc"),
    ("p-tantao", "Ủy ban nhân dân phường Tân Tạo"),
    ("p-btd", "Ủy ban nhân dân phường Bình Trị Đông"),
    ("p-bhh", "Ủy ban nhân dân phường Bình Hưng Hòa"),
    ("p-saigon", "Ủy ban nhân dân phường Sài Gòn"),
    ("x-cuchi", "Ủy ban nhân dân xã Củ Chi"),
    ("x-nhabe", "Ủy ban nhân dân xã Nhà Bè"),
]

OTHERS = [
    ("hcm-bao-sggp", "Báo Sài Gòn Giải Phóng", AgencyKind.PRESS),
    ("hcm-htv", "Đài Truyền hình Thành phố Hồ Chí Minh", AgencyKind.PRESS),
    ("hcm-sawaco", "Tổng Công ty Cấp nước Sài Gòn", AgencyKind.STATE_COMPANY),
    ("hcm-ttcnsh", "Trung tâm Công nghệ sinh học Thành phố", AgencyKind.PUBLIC_UNIT),
]

# People: (agency code, person code, name, position, kind, head, reform deputy, gender)
PEOPLE = [
    (
        "p-binhtan",
        "pbt-01",
        "Nguyễn Văn Hùng",
        "Chủ tịch UBND phường",
        PersonKind.OFFICIAL,
        True,
        False,
        "male",
    ),
    (
        "p-binhtan",
        "pbt-02",
        "Trần Thị Mai",
        "Phó Chủ tịch UBND phường",
        PersonKind.OFFICIAL,
        False,
        True,
        "female",
    ),
    (
        "p-binhtan",
        "pbt-03",
        "Lê Thị Thu Hà",
        "Công chức Văn phòng - Thống kê",
        PersonKind.CIVIL_SERVANT,
        False,
        False,
        "female",
    ),
    (
        "p-binhtan",
        "pbt-04",
        "Phạm Minh Tuấn",
        "Công chức Tư pháp - Hộ tịch",
        PersonKind.CIVIL_SERVANT,
        False,
        False,
        "male",
    ),
    (
        "p-binhtan",
        "pbt-05",
        "Võ Thị Ngọc Lan",
        "Công chức Văn hóa - Xã hội",
        PersonKind.CIVIL_SERVANT,
        False,
        False,
        "female",
    ),
    (
        "p-binhtan",
        "pbt-06",
        "Đặng Quốc Bảo",
        "Viên chức Trung tâm Phục vụ hành chính công",
        PersonKind.PUBLIC_EMPLOYEE,
        False,
        False,
        "male",
    ),
    (
        "p-binhtan",
        "pbt-07",
        "Huỳnh Thị Kim Oanh",
        "Người lao động",
        PersonKind.WORKER,
        False,
        False,
        "female",
    ),
    ("p-anlac", "pal-01", "Bùi Văn Thành", "Chủ tịch UBND phường", PersonKind.OFFICIAL, True, False, "male"),
    (
        "p-anlac",
        "pal-02",
        "Ngô Thị Hạnh",
        "Phó Chủ tịch UBND phường",
        PersonKind.OFFICIAL,
        False,
        True,
        "female",
    ),
    (
        "p-anlac",
        "pal-03",
        "Đỗ Minh Khoa",
        "Công chức Văn phòng - Thống kê",
        PersonKind.CIVIL_SERVANT,
        False,
        False,
        "male",
    ),
    ("p-tantao", "ptt-01", "Lý Văn Phúc", "Chủ tịch UBND phường", PersonKind.OFFICIAL, True, False, "male"),
    (
        "p-tantao",
        "ptt-02",
        "Trương Thị Bích",
        "Công chức Tư pháp - Hộ tịch",
        PersonKind.CIVIL_SERVANT,
        False,
        False,
        "female",
    ),
    ("hcm-snv", "snv-01", "Phan Văn Long", "Giám đốc Sở", PersonKind.OFFICIAL, True, False, "male"),
    ("hcm-snv", "snv-02", "Châu Thị Thanh", "Phó Giám đốc Sở", PersonKind.OFFICIAL, False, True, "female"),
    (
        "hcm-snv",
        "snv-03",
        "Hồ Minh Nhật",
        "Trưởng phòng Cải cách hành chính",
        PersonKind.CIVIL_SERVANT,
        False,
        False,
        "male",
    ),
    (
        "hcm-snv",
        "snv-04",
        "Mai Thị Phương",
        "Chuyên viên Phòng Thi đua - Khen thưởng",
        PersonKind.CIVIL_SERVANT,
        False,
        False,
        "female",
    ),
    ("hcm-stp", "stp-01", "Tạ Quang Vinh", "Giám đốc Sở", PersonKind.OFFICIAL, True, False, "male"),
    ("hcm-stp", "stp-02", "Kiều Thị Ánh", "Phó Giám đốc Sở", PersonKind.OFFICIAL, False, True, "female"),
    ("hcm-stp", "stp-03", "La Văn Sơn", "Chuyên viên", PersonKind.CIVIL_SERVANT, False, False, "male"),
    ("hcm-stc", "stc-01", "Dương Thị Hoa", "Giám đốc Sở", PersonKind.OFFICIAL, True, False, "female"),
    ("hcm-stc", "stc-02", "Tôn Thất Minh", "Phó Giám đốc Sở", PersonKind.OFFICIAL, False, True, "male"),
    ("hcm-sxd", "sxd-01", "Lâm Quốc Khánh", "Giám đốc Sở", PersonKind.OFFICIAL, True, False, "male"),
    ("hcm-syt", "syt-01", "Nguyễn Thị Diệu", "Giám đốc Sở", PersonKind.OFFICIAL, True, False, "female"),
    ("hcm-sgddt", "sgd-01", "Vũ Đức Anh", "Giám đốc Sở", PersonKind.OFFICIAL, True, False, "male"),
    ("hcm-skhcn", "skh-01", "Hà Thị Quyên", "Giám đốc Sở", PersonKind.OFFICIAL, True, False, "female"),
    ("hcm-sct", "sct-01", "Trịnh Văn Lộc", "Giám đốc Sở", PersonKind.OFFICIAL, True, False, "male"),
    ("hcm-binhtan", "qbt-01", "Lê Văn Chính", "Chủ tịch UBND quận", PersonKind.OFFICIAL, True, False, "male"),
    (
        "hcm-binhtan",
        "qbt-02",
        "Nguyễn Thị Tuyết",
        "Phó Chủ tịch UBND quận",
        PersonKind.OFFICIAL,
        False,
        True,
        "female",
    ),
    (
        "bt-anlac",
        "btal-01",
        "Phạm Văn Dũng",
        "Chủ tịch UBND phường",
        PersonKind.OFFICIAL,
        True,
        False,
        "male",
    ),
    (
        "bt-tantao",
        "bttt-01",
        "Trần Văn Nam",
        "Chủ tịch UBND phường",
        PersonKind.OFFICIAL,
        True,
        False,
        "male",
    ),
    (
        "hcm-thuduc",
        "td-01",
        "Hoàng Minh Tâm",
        "Chủ tịch UBND thành phố",
        PersonKind.OFFICIAL,
        True,
        False,
        "male",
    ),
    ("hcm-q1", "q1-01", "Đinh Thị Ngân", "Chủ tịch UBND quận", PersonKind.OFFICIAL, True, False, "female"),
    ("hcm-bao-sggp", "sggp-01", "Lưu Văn Khải", "Phóng viên", PersonKind.JOURNALIST, False, False, "male"),
    (
        "hcm",
        "hcm-01",
        "Nguyễn Văn Thắng",
        "Chủ tịch UBND Thành phố",
        PersonKind.OFFICIAL,
        True,
        False,
        "male",
    ),
    (
        "hcm",
        "hcm-02",
        "Trần Thị Hồng",
        "Phó Chủ tịch UBND Thành phố",
        PersonKind.OFFICIAL,
        False,
        True,
        "female",
    ),
]

# username: (first name, last name, [(agency code, role)], person code or None)
ACCOUNTS = {
    "admin": ("Quản trị", "Hệ thống", [("hcm", Role.SYSTEM_ADMIN)], None),
    "noivu": ("Phương", "Mai Thị", [("hcm", Role.HOME_AFFAIRS)], ("hcm-snv", "snv-04")),
    "canbo": ("Thu Hà", "Lê Thị", [("p-binhtan", Role.STAFF)], ("p-binhtan", "pbt-03")),
    "thutruong": ("Hùng", "Nguyễn Văn", [("p-binhtan", Role.HEAD)], ("p-binhtan", "pbt-01")),
    "hoidong": ("Nhật", "Hồ Minh", [("hcm", Role.COUNCIL)], ("hcm-snv", "snv-03")),
    "lanhdao": ("Hồng", "Trần Thị", [("hcm", Role.LEADERSHIP)], ("hcm", "hcm-02")),
}


def _agency(
    code: str, name: str, kind: str, parent: Agency | None = None, dissolved_on: dt.date | None = None
) -> Agency:
    agency, _created = Agency.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, "parent": parent, "dissolved_on": dissolved_on}
    )
    return agency


@transaction.atomic
def load(stdout: Output | None = None) -> None:
    city = _agency(*CITY, AgencyKind.PROVINCE_PC)
    for code, name in DEPARTMENTS:
        _agency(code, name, AgencyKind.DEPARTMENT, city)
    districts = {
        code: _agency(code, name, AgencyKind.DISTRICT_PC, city, DISTRICTS_END) for code, name in DISTRICTS
    }
    for code, name in BINHTAN_WARDS_2019:
        _agency(code, name, AgencyKind.COMMUNE_PC, districts["hcm-binhtan"], DISTRICTS_END)
    for code, name in BINHTAN_OFFICES:
        _agency(code, name, AgencyKind.DISTRICT_OFFICE, districts["hcm-binhtan"], DISTRICTS_END)
    for code, name in WARDS_2025:
        _agency(code, name, AgencyKind.COMMUNE_PC, city)
    for code, name, agency_kind in OTHERS:
        _agency(code, name, agency_kind, city)

    agencies = {a.code: a for a in Agency.objects.all()}
    placed = dict(Person.objects.filter(code__in=[p[1] for p in PEOPLE]).values_list("code", "agency__code"))
    for agency_code, code, name, position, kind, head, deputy, gender in PEOPLE:
        if placed.get(code, agency_code) != agency_code:
            continue  # moved by an import since: the directory's history wins over the demo
        Person.objects.update_or_create(
            agency=agencies[agency_code],
            code=code,
            defaults={
                "full_name": name,
                "position": position,
                "kind": kind,
                "is_head": head,
                "is_reform_deputy": deputy,
                "gender": gender,
            },
        )

    # Every demo person has their current period of service (quá trình công tác), start unknown.
    PersonPosition.objects.bulk_create(
        [
            PersonPosition(
                person=p,
                agency_id=p.agency_id,
                position=p.position,
                is_head=p.is_head,
                is_reform_deputy=p.is_reform_deputy,
            )  # fmt: skip
            for p in Person.objects.filter(code__in=[row[1] for row in PEOPLE]).exclude(
                pk__in=PersonPosition.objects.filter(ended_on__isnull=True).values("person_id")
            )
        ]
    )

    User = get_user_model()
    for username, (first, last, roles, person_key) in ACCOUNTS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.gov.vn"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = username == "admin"
        user.save()
        for agency_code, role in roles:
            Membership.objects.get_or_create(user=user, agency=agencies[agency_code], role=role)
        if person_key:
            Person.objects.filter(agency__code=person_key[0], code=person_key[1]).update(user=user)
    if stdout:
        stdout.write(f"Demo directory: {Agency.objects.count()} agencies, {Person.objects.count()} people.")
