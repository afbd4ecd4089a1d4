"""Celery tasks of the award cycle: ids in, services do the work."""

from __future__ import annotations

from celery import shared_task

from .domain import council
from .dossier import jobs


@shared_task(name="awards.remind_sessions_closing")
def remind_sessions_closing() -> int:
    """Remind the members of every session whose voting closes within a day (once per session)."""
    return council.remind_sessions_closing()


@shared_task(name="awards.render_dossier_document", acks_late=True, reject_on_worker_lost=True)
def render_dossier_document(document_id: int) -> str:
    """One document of a dossier job (PDF and/or DOCX stored); the last one queues the ZIP."""
    return jobs.render_document(document_id)


@shared_task(name="awards.assemble_dossier", acks_late=True, reject_on_worker_lost=True)
def assemble_dossier(job_id: int) -> str:
    """The ZIP of a dossier job whose documents are all done, with its manifest."""
    return jobs.assemble(job_id)
