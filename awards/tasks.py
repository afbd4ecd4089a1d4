"""Celery tasks of the award cycle: ids in, services do the work."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="awards.remind_sessions_closing")
def remind_sessions_closing() -> int:
    """Remind the members of every session whose voting closes within a day (once per session)."""
    return services.remind_sessions_closing()
