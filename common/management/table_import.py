"""The one shape of every spreadsheet import command: read FILE through the table spec, run the
import as ``--user`` (see ``actor``), all or nothing, exit non-zero with the row errors."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from common.tabular import ImportErrors, Row, TableError, TableSpec, read_table

from .actor import actor_from, add_user_argument


class TableImportCommand(BaseCommand):
    """Subclasses set ``table`` and implement ``run(rows, actor, options)``; with ``dry_run`` they
    also implement ``plan(rows, actor, options)`` and get a ``--dry-run`` option."""

    table: TableSpec
    dry_run = False
    dry_run_help = "check the file and show what would change"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        add_user_argument(parser)
        if self.dry_run:
            parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)

    def run(self, rows: list[Row], actor: Any, options: dict[str, Any]) -> object:
        raise NotImplementedError

    def plan(self, rows: list[Row], actor: Any, options: dict[str, Any]) -> object:
        raise NotImplementedError

    def handle(
        self, *args: object, file: str, user: str | None = None, dry_run: bool = False, **options: Any
    ) -> None:
        try:
            rows = read_table(file, file, self.table)
            result = (self.plan if dry_run else self.run)(rows, actor_from(user), options)
        except FileNotFoundError:
            raise CommandError(f"File not found: {file}") from None
        except TableError as exc:
            raise CommandError(str(exc)) from None
        except ImportErrors as exc:
            raise CommandError("Nothing was imported.\n" + str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(result)))
