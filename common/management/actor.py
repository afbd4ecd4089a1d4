"""The ``--user`` option of the import commands.

A command runs as the system: without ``--user`` it is the administrator's tool and no scope
applies. With ``--user`` the named account is the actor: its reach is checked on every row and it
is recorded in the audit trail, exactly as when that user imports in the browser.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def add_user_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        help="username whose reach (home affairs of an agency and its sub-tree) limits the rows; "
        "without it the command acts as the administrator",
    )


def actor_from(username: str | None) -> Any:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"User not found or inactive: {username}")
    return user
