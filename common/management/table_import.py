"""The one shape of every spreadsheet import command: read FILE through the import's table spec,
run it as ``--user`` (see ``actor``), all or nothing, exit non-zero with the row errors;
``--dry-run`` runs the planner only and says what the file would do."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from common.importing import TableImport
from common.tabular import ImportErrors, TableError, read_table

from .actor import actor_from, add_user_argument


class TableImportCommand(BaseCommand):
    """Subclasses set ``importer`` (a ``TableImport``); one with options of its own adds their
    arguments and turns them into the planner's and writer's keyword arguments in ``options``."""

    importer: TableImport
    dry_run_help = "check the file and show what would change; write nothing"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        add_user_argument(parser)
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)

    def options(self, options: dict[str, Any]) -> dict[str, Any]:
        """The import's own keyword arguments, from the command's options."""
        return {}

    def handle(
        self, *args: object, file: str, user: str | None = None, dry_run: bool = False, **options: Any
    ) -> None:
        actor = actor_from(user)
        extra = self.options(options)
        step = self.importer.plan if dry_run else self.importer.write
        try:
            rows = read_table(file, file, self.importer.spec)
            result = step(rows, actor=actor, **extra)
        except FileNotFoundError:
            raise CommandError(f"File not found: {file}") from None
        except TableError as exc:
            raise CommandError(str(exc)) from None
        except ImportErrors as exc:
            raise CommandError("Nothing was imported.\n" + str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(result)))
