"""XLSX export of a proposal list with the council's vote counts."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from .models import ProposalList


def _cell(value):
    # Text that a spreadsheet would read as a formula is neutralised.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def list_xlsx(plist: ProposalList) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Danh sách")[:31])
    sheet.append([
        _("Khối"), _("Thứ hạng"), _("Tập thể, cá nhân"), _("Cơ quan"), _("Bổ sung / đưa ra"), _("Lý do"),
        _("Bằng điểm tại ngưỡng"), _("Tán thành"), _("Không tán thành"), _("Không biểu quyết"), _("Kết quả"),
    ])  # fmt: skip
    rows = plist.proposals.select_related("agency", "person", "bloc").order_by(
        "bloc__order", "bloc_id", "rank_in_bloc", "pk"
    )
    for p in rows:
        change = _("Đưa ra") if p.removed else (_("Bổ sung") if p.added else "")
        outcome = "" if p.passed is None else (_("Thông qua") if p.passed else _("Không thông qua"))
        sheet.append([
            _cell(p.bloc.name if p.bloc_id else ""), p.rank_in_bloc, _cell(p.name), _cell(p.agency.name),
            change, _cell(p.remove_reason or p.add_reason), _("Có") if p.tie_at_cutoff else "",
            p.votes_agree, p.votes_disagree, p.votes_abstain, outcome,
        ])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
