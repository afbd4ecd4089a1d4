"""Demo data of the scoring app: PAR Index results 2021-2022 of the HCMC blocs of the seed-002 plan
(``hcmc-par-2022``: only "Tốt", at most 1/3 of each bloc by PAR score) and its computed results.

Idempotent: results already imported are left as they are (so a score changed in the browser
stays changed), and results are computed only once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from agencies.models import Agency
from campaigns.models import Campaign
from common.tabular import Row
from demo import Output
from scoring.imports import import_par_index
from scoring.models import ParIndexResult, ResultRun
from scoring.results import compute_results

PLAN = "hcmc-par-2022"

# (agency, 2021 score, 2022 score). Departments: 12 ranked -> quota 4; six are "Tốt" in 2022,
# so two "Tốt" departments are cut by the quota and six fail the "Tốt" gate.
PAR_SCORES = [
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


def load(stdout: Output | None = None) -> None:
    campaign = Campaign.objects.filter(code=PLAN).first()
    if campaign is None:
        return
    actor = get_user_model().objects.filter(username="noivu").first()
    known = set(Agency.objects.filter(code__in=[c for c, *_ in PAR_SCORES]).values_list("code", flat=True))
    if not ParIndexResult.objects.filter(year=2022, agency__code__in=known).exists():
        rows: list[Row] = []
        for year, column in ((2021, 1), (2022, 2)):
            for entry in PAR_SCORES:
                if entry[0] in known:
                    values = {
                        "agency_code": entry[0],
                        "year": str(year),
                        "score": entry[column],
                        "rating": "",
                    }
                    rows.append(Row(len(rows) + 2, values))
        summary = import_par_index(rows, actor=actor, campaign=campaign)
        if stdout is not None:
            stdout.write(f"Chỉ số CCHC mẫu ({PLAN}): {summary}")
    if not ResultRun.objects.filter(campaign=campaign).exists():
        run = compute_results(campaign, actor=actor)
        if stdout is not None:
            stdout.write(f"Kết quả xét khen thưởng {PLAN}: {run.candidate_count} ứng viên")
