"""5. Giấy khen (or the award's certificate): one per awardee, landscape, given by the issuer or
its chairman as the decision was signed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ...errors import DossierError
from ...verification import certificate_code
from ..facts import DecisionFacts, who
from ..layout import Certificate, Document
from ..wording import body_lines, date_line, day


def giay_khen(decision, proposal_id: int) -> Document:
    ctx = DecisionFacts(decision, with_lines=False)
    line = (
        ctx.d.lines.select_related("proposal__agency", "proposal__person")
        .filter(proposal_id=proposal_id)
        .first()
    )
    if line is None:
        raise DossierError(_("Tập thể, cá nhân này không có trong quyết định khen thưởng."))
    p = line.proposal
    name, unit = who(p)
    d = ctx.d
    # who gives it follows the decision: the People's Committee (TM.) or its chairman (KT.)
    if ctx.issuer_is_pc and d.signer_capacity == "KT.":
        authority: tuple[str, ...] = ("CHỦ TỊCH", ctx.issuer.name.upper())
    else:
        authority = body_lines(ctx.issuer.name)
    return Document(
        kind="giay_khen",
        title=f"{ctx.award_kind} – {name}",
        landscape=True,
        certificate=Certificate(
            authority=authority,
            award=ctx.award_kind.upper(),
            awardee=name,
            awardee_detail=unit,
            reason=ctx.achievement[:1].upper() + ctx.achievement[1:] + ".",
            decision=f"Quyết định số {d.number} ngày {day(d.decided_on)}",
            place_date=date_line(ctx.place, d.decided_on),
            signature=ctx.signature(),
            verification=certificate_code(line.pk),
        ),
    )
