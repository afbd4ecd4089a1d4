"""XLSX export of a proposal list with the council's vote counts (through common.spreadsheets)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.spreadsheets import Column, Sheet, xlsx_bytes

from .models import ProposalList


def list_xlsx(plist: ProposalList) -> bytes:
    columns = [
        Column(_("Khối")), Column(_("Thứ hạng")), Column(_("Tập thể, cá nhân")), Column(_("Cơ quan")),
        Column(_("Bổ sung / đưa ra")), Column(_("Lý do"), wrap=True), Column(_("Bằng điểm tại ngưỡng")),
        Column(_("Tán thành")), Column(_("Không tán thành")), Column(_("Không biểu quyết")),
        Column(_("Kết quả")),
    ]  # fmt: skip
    proposals = plist.proposals.select_related("agency", "person", "bloc").order_by(
        "bloc__order", "bloc_id", "rank_in_bloc", "pk"
    )

    def rows():
        for p in proposals.iterator(chunk_size=2000):
            change = _("Đưa ra") if p.removed else (_("Bổ sung") if p.added else "")
            outcome = "" if p.passed is None else (_("Thông qua") if p.passed else _("Không thông qua"))
            yield [
                p.bloc.name if p.bloc_id else "", p.rank_in_bloc, p.name, p.agency.name, change,
                p.remove_reason or p.add_reason, p.tie_at_cutoff, p.votes_agree, p.votes_disagree,
                p.votes_abstain, outcome,
            ]  # fmt: skip

    return xlsx_bytes(Sheet(_("Danh sách"), columns, rows()))
