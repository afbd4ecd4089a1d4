"""Celery tasks of the award cycle: ids in, services do the work."""

from __future__ import annotations

from celery import shared_task

from .domain import council
from .dossier import jobs


@shared_task(name="awards.remind_sessions_closing")
def remind_sessions_closing() -> int:
    """Remind the members of every session whose voting closes within a day (once per session)."""
    return council.remind_sessions_closing()


_SECONDS = jobs.document_seconds()


@shared_task(
    bind=True, name="awards.render_dossier_document", acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=_SECONDS, time_limit=_SECONDS + 10, max_retries=10,
)  # fmt: skip
def render_dossier_document(self, document_id: int) -> str:
    """One document of a dossier job (PDF and/or DOCX stored); the last one queues the ZIP. A
    delivery that finds the document held by another (a duplicate, or the message of a worker that
    died, come back before the holder's lease ran out) looks again once the lease has passed."""
    outcome = jobs.render_document(document_id)
    if outcome == jobs.HELD and not self.request.is_eager:
        raise self.retry(countdown=jobs.lease().total_seconds() + 1)
    return outcome


@shared_task(name="awards.sweep_interrupted_dossiers")
def sweep_interrupted_dossiers() -> int:
    """Beat: documents whose worker died and whose task never came back fail, so "Tạo lại" is offered."""
    return jobs.sweep_interrupted()


@shared_task(name="awards.assemble_dossier", acks_late=True, reject_on_worker_lost=True)
def assemble_dossier(job_id: int) -> str:
    """The ZIP of a dossier job whose documents are all done, with its manifest."""
    return jobs.assemble(job_id)
