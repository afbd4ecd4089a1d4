"""``python manage.py render_samples DIR``: one PDF and one Word copy of each document of an award
dossier, for review without clicking (docs/documents.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awards.dossier.documents import DOCUMENT_KINDS, DocumentSpec, plan_documents, render_docx, render_pdf
from awards.models import AwardDecision, ListState, Proposal
from demo.awards import run_award_cycle


class Command(BaseCommand):
    help = (
        "Write one PDF and one DOCX of each dossier document (Tờ trình, Biên bản, Báo cáo thành tích of a "
        "collective and of an individual, Quyết định, Giấy khen) into DIR, laid out as in the dossier ZIP. "
        "Uses the latest approved decision, or --decision NUMBER; on a fresh demo database it first runs the "
        "demo award cycle of hcmc-par-2022 (125/QĐ-UBND)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--decision", help="số quyết định, ví dụ 125/QĐ-UBND")
        parser.add_argument(
            "--signed",
            action="store_true",
            help="ký số các bản PDF bằng chứng thư thử nghiệm của bản demo (docs/signing.md)",
        )

    def handle(
        self,
        *args: object,
        directory: str,
        decision: str | None = None,
        signed: bool = False,
        **options: object,
    ) -> None:
        target = Path(directory)
        found = AwardDecision.objects.filter(proposal_list__state=ListState.APPROVED)
        if decision:
            found = found.filter(number=decision.strip())
        chosen = found.order_by("-decided_on", "-pk").first()
        if chosen is None and decision:
            raise CommandError(f"Không có quyết định khen thưởng số {decision}.")
        if chosen is None:
            chosen = run_award_cycle(stdout=self.stdout)
        if chosen is None:
            raise CommandError(
                "Chưa có quyết định khen thưởng nào và chưa có dữ liệu mẫu: "
                "chạy `python manage.py load_demo` trước."
            )
        specs = plan_documents(chosen)
        people = set(
            Proposal.objects.filter(
                pk__in=[s.proposal_id for s in specs if s.proposal_id], person__isnull=False
            ).values_list("pk", flat=True)
        )
        picked = []
        for kind in DOCUMENT_KINDS:
            of_kind = [s for s in specs if s.kind == kind]
            if kind == "bao_cao":
                # one report of a collective and one of an individual (the two forms differ)
                collective = next((s for s in of_kind if s.proposal_id not in people), None)
                person = next((s for s in of_kind if s.proposal_id in people), None)
                picked += [s for s in (collective, person) if s is not None]
            elif of_kind:
                picked.append(of_kind[0])
        render_signed = None
        if signed:
            render_signed = self._signer(chosen)
        written = 0
        for spec in picked:
            folder = target / spec.folder
            folder.mkdir(parents=True, exist_ok=True)
            for suffix, render in ((".pdf", render_signed or render_pdf), (".docx", render_docx)):
                path = folder / f"{spec.filename}{suffix}"
                path.write_bytes(render(chosen, spec))
                self.stdout.write(str(path))
                written += 1
        self.stdout.write(self.style.SUCCESS(f"{written} tệp của quyết định {chosen.number} trong {target}"))

    def _signer(self, decision: AwardDecision) -> Callable[[AwardDecision, DocumentSpec], bytes]:
        """The demo certificates (made on first use) and the signing step of the dossier jobs."""
        from awards.errors import SigningError
        from awards.signing.dossier import required_keys, sign_document
        from demo.signing import ensure_demo_keys

        ensure_demo_keys(self.stdout)
        try:
            required_keys(decision, DOCUMENT_KINDS)
        except SigningError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        return lambda chosen, spec: sign_document(chosen, spec)
