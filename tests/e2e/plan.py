"""The plan the browser suite imports: the demo's current plan (demo-2027), narrowed to two wards of one
bloc and one award form, so the cycle's outcome is known in advance:

- bloc "Khối phường" = p-binhtan (canbo, thutruong) and p-anlac (two accounts the suite adds);
- Bằng khen for at most 1/2 of the bloc (rounded down: 1 of 2), ranked by PAR Index score, no
  tie-break key: both wards score 92,50 in the suite's PAR import, so the council decides the tie;
- only agencies whose registration home affairs accepted, rated "Tốt" (>= 90).
"""

from __future__ import annotations

import datetime as dt

import yaml

from demo.plans import demo_2027_document

CODE = "e2e-2027"
TITLE = "Phong trào thi đua cải cách hành chính năm 2027 của các phường"
WARDS = ["p-binhtan", "p-anlac"]


def plan_yaml(today: dt.date) -> str:
    doc = demo_2027_document(today)
    doc.update(code=CODE, document_number="45/KH-UBND", title=TITLE)
    groups = {g["code"]: g for g in doc["target_groups"]}
    wards = groups["phuong-xa"]
    wards["criteria"] = wards["criteria"][:2]  # ke-hoach (evidence required), tthc
    wards["criteria"][1]["evidence_required"] = False
    individuals = groups["ca-nhan"]
    individuals["agency_kinds"] = ["commune_pc"]
    doc["target_groups"] = [wards, individuals]
    doc["blocs"] = [{"code": "khoi-phuong", "name": "Khối phường", "agencies": WARDS}]
    doc["award_forms"] = [
        {
            "code": "bang-khen-phuong",
            "name": "Bằng khen của Chủ tịch Ủy ban nhân dân Thành phố",
            "kind": "bang_khen",
            "issuing_level": "Chủ tịch Ủy ban nhân dân Thành phố",
            "recipient": "collective",
            "target_groups": ["phuong-xa"],
            "gates": {"min_par_band": "tot", "par_year": "campaign", "accepted_registration": True},
            "quota": {"fraction": "1/2", "base": "ranked_in_bloc", "scope": "per_bloc"},
            "ranking": {"key": "par_score", "tie_break": "none"},
            "vote": "1/2",
            "prize": {"individual": "1.0", "collective": "2.0"},
        }
    ]
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
