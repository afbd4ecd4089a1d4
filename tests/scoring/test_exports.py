"""Results exports: user text never becomes a live formula (CSV and XLSX); the XLSX is for people."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import Role
from campaigns.models import QuotaBase, QuotaKind, QuotaScope, RankingKey
from scoring.exports import COLUMNS, export_csv, export_xlsx
from scoring.results import compute_results
from tests.factories import PersonFactory, user_with_role

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


def _run(plan, text="", **form):
    """Two agencies of one bloc with PAR "Tốt"; the first one and its head carry ``text`` in their names."""
    first = plan.agency("s000", par=99)
    plan.agency("s001", par=95)
    if text:
        first.name = f"{text}Sở A"
        first.save()
        bloc = plan.bloc()
        bloc.name = f"{text}Khối"
        bloc.save()
        band = plan.bands["tot"]
        band.name = f"{text}Tốt"
        band.save()
    PersonFactory(agency=first, code="head", full_name=f"{text}Nguyễn Văn A", is_head=True)
    plan.award_form(
        code="cchc",
        name=f"{text}Bằng khen",
        min_par_band=plan.bands["tot"],
        extends_to_head_and_deputy=True,
        quota_kind=QuotaKind.FRACTION,
        quota_numerator=1,
        quota_denominator=2,
        quota_base=QuotaBase.RANKED_IN_BLOC,
        quota_scope=QuotaScope.PER_BLOC,
        ranking_key=RankingKey.PAR_SCORE,
        **form,
    )
    return compute_results(plan.campaign)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_results_csv_neutralises_text_cells(plan, prefix):
    run = _run(plan, f'{prefix}HYPERLINK("http://evil.example")+')
    table = list(csv.reader(io.StringIO(export_csv(run).decode("utf-8-sig"), newline="")))
    assert table[0] == COLUMNS
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in table[1:]]
    head = next(r for r in rows if r["candidate_kind"] == "head")
    assert head["person_name"] == f'\'{prefix}HYPERLINK("http://evil.example")+Nguyễn Văn A'
    assert head["par_rating"] == f'\'{prefix}HYPERLINK("http://evil.example")+Tốt'
    assert not any(v.startswith(prefix) for r in table for v in r)
    # numbers are values, not text
    assert (head["rank_in_bloc"], head["par_year"], head["par_score"]) == ("1", "2027", "99.00")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_results_xlsx_has_no_live_formula(plan, prefix):
    text = f"{prefix}SUM(1;2)*"
    run = _run(plan, text)
    ws = load_workbook(io.BytesIO(export_xlsx(run))).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    # A stored CR reads back as CR or LF depending on the XML reader (lxml 6 keeps it)
    stored = "'" + text.replace("\r", "\n")
    values = {str(c.value).replace("\r", "\n") for c in cells}
    names = ["Sở A", "Khối", "Tốt", "Nguyễn Văn A", "Bằng khen"]
    assert {stored + name for name in names} <= values
    assert not any(str(v).startswith(prefix) for v in values)


def test_results_xlsx_for_people(client, plan):
    run = _run(plan)
    ws = load_workbook(io.BytesIO(export_xlsx(run))).worksheets[0]
    assert ws.title == "Kết quả 2027"
    assert [c.value for c in ws[1]] == [
        "Khối",
        "Hạng trong khối",
        "Loại ứng viên",
        "Mã cơ quan",
        "Cơ quan",
        "Cá nhân",
        "Năm chỉ số CCHC",
        "Điểm chỉ số CCHC",
        "Xếp loại chỉ số CCHC",
        "Tổng điểm",
        "Đủ điều kiện",
        "Được đề nghị",
        "Hình thức khen thưởng",
        "Giải thích",
        "Bằng điểm tại ngưỡng: Hội đồng quyết định",
    ]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:O{ws.max_row}"
    first = [c.value for c in ws[2]][:13]
    assert first == [
        "Khối so-nganh",
        1,
        "Tập thể",
        "s000",
        "Sở s000",
        None,
        2027,
        99,
        "Tốt",
        None,
        "Có",
        "Có",
        "Bằng khen",
    ]
    assert ws["H2"].number_format == "0.00"
    assert ws["N2"].alignment.wrap_text is True
    assert "\n" in ws["N2"].value  # one reason per line
    assert ws.column_dimensions["E"].width == 40
    officer = user_with_role(Role.HOME_AFFAIRS, plan.province)
    client.force_login(officer)
    response = client.get(reverse("scoring:export", args=[plan.campaign.code, "xlsx"]))
    assert [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0]["E"]][:2] == [
        "Cơ quan",
        "Sở s000",
    ]
