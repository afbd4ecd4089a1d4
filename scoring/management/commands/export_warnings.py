from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from scoring.warnings import default_year, export_csv, export_xlsx, warnings_for


class Command(BaseCommand):
    help = (
        "Export the heads flagged by a campaign's warning rule (kiến nghị xử lý) for a year "
        "(default: the latest round) as CSV or XLSX."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign code")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", required=True, help="file to write ('-' for standard output, CSV only)"
        )
        parser.add_argument("--year", type=int, help="year of the PAR Index (default: the latest round)")

    def handle(self, *args, campaign, format, output, year=None, **options):
        plan = Campaign.objects.filter(code=campaign).first()
        if plan is None:
            raise CommandError(f"Campaign not found: {campaign}")
        if plan.warning is None:
            raise CommandError(f"Campaign {campaign} has no warning rule (see 'warning' in its plan).")
        if output == "-" and format != "csv":
            raise CommandError("Only CSV can be written to standard output.")
        year = year or default_year(plan)
        warnings = warnings_for(plan, year)
        data = export_csv(warnings) if format == "csv" else export_xlsx(warnings)
        if output == "-":
            self.stdout.write(data.decode("utf-8-sig"), ending="")
            return
        Path(output).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{output}: {len(warnings)} rows ({year})"))
