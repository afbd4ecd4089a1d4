"""Writes docs/examples/users.xlsx: 100 accounts across 20 agencies of the demo directory.

Run from the project folder: ``.venv/bin/python docs/examples/make_users_xlsx.py``. The rows use the
demo's real agency codes (demo/directory.py): the 12 departments and the 8 wards of 2025, five
accounts each (a head and four staff; Phường Bình Tân, whose head account ``thutruong`` exists
already, gets five staff). Heads are tied to the demo's people by their person code where the demo
has one. The same script always writes the same rows.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from agencies.account_import import USER_TABLE  # noqa: E402
from common.spreadsheets import Column, Sheet, xlsx_bytes  # noqa: E402
from demo.directory import DEPARTMENTS, PEOPLE, WARDS_2025  # noqa: E402

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Quốc", "Ngọc", "Hữu", "Thị Kim", "Đức", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Khoa",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Trung",
    "Tú",
    "Vy",
    "Yến",
]
# Demo people already tied to a demo account (demo/directory.py ACCOUNTS): not offered again.
LINKED = {("hcm-snv", "snv-04"), ("p-binhtan", "pbt-03"), ("p-binhtan", "pbt-01"), ("hcm-snv", "snv-03")}


def ascii_slug(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return ".".join(plain.lower().split())


def rows() -> list[list[str]]:
    heads = {a: (code, name) for a, code, name, _pos, _kind, head, _dep, _g in PEOPLE if head}
    agencies = [code for code, _name in DEPARTMENTS] + [code for code, _name in WARDS_2025]
    out, n = [], 0
    for agency in agencies:
        short = agency.split("-", 1)[1]
        for slot in range(5):
            n += 1
            role = "head" if slot == 0 and agency != "p-binhtan" else "staff"
            person_code = ""
            name = f"{FAMILY[n % len(FAMILY)]} {MIDDLE[n % len(MIDDLE)]} {GIVEN[(n * 7) % len(GIVEN)]}"
            if role == "head" and agency in heads and (agency, heads[agency][0]) not in LINKED:
                person_code, name = heads[agency]
            email = f"{ascii_slug(name)}.{short}{n:03d}@demo.gov.vn"
            phone = f"09{(n * 7919) % 100_000_000:08d}"
            out.append([agency, name, email, phone, role, person_code])
    return out


def main() -> None:
    with translation.override("vi"):
        columns = [Column(column.title, width=max(column.width, 16)) for column in USER_TABLE.columns]
        data = xlsx_bytes(Sheet("Tài khoản", columns, rows()))
    target = Path(__file__).with_name("users.xlsx")
    target.write_bytes(data)
    print(f"{target.relative_to(ROOT)}: {len(rows())} rows")


if __name__ == "__main__":
    main()
