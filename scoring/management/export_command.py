"""What the export commands of scoring share: the plan by its code, ``--format`` (csv or xlsx),
``--output`` (a file, or ``-`` for standard output, CSV only) and ``--year``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign


class ExportCommand(BaseCommand):
    year_help = "year (default: the latest round)"
    #: How the CSV is decoded for standard output ("utf-8" keeps the byte-order mark).
    stdout_encoding = "utf-8"

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign code")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", required=True, help="file to write ('-' for standard output, CSV only)"
        )
        parser.add_argument("--year", type=int, help=self.year_help)

    def plan(self, code: str) -> Campaign:
        plan = Campaign.objects.filter(code=code).first()
        if plan is None:
            raise CommandError(f"Campaign not found: {code}")
        return plan

    def check_output(self, output: str, format: str) -> None:
        if output == "-" and format != "csv":
            raise CommandError("Only CSV can be written to standard output.")

    def write(self, data: bytes, output: str, format: str, summary: str) -> None:
        self.check_output(output, format)
        if output == "-":
            self.stdout.write(data.decode(self.stdout_encoding), ending="")
            return
        Path(output).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{output}: {summary}"))
