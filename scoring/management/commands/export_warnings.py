from django.core.management.base import CommandError

from scoring.management.export_command import ExportCommand
from scoring.warnings import default_year, export_csv, export_xlsx, warnings_for


class Command(ExportCommand):
    help = (
        "Export the heads flagged by a campaign's warning rule (kiến nghị xử lý) for a year "
        "(default: the latest round) as CSV or XLSX."
    )
    year_help = "year of the PAR Index (default: the latest round)"
    stdout_encoding = "utf-8-sig"

    def handle(self, *args, campaign, format, output, year=None, **options):
        plan = self.plan(campaign)
        if plan.warning is None:
            raise CommandError(f"Campaign {campaign} has no warning rule (see 'warning' in its plan).")
        self.check_output(output, format)
        year = year or default_year(plan)
        warnings = warnings_for(plan, year)
        data = export_csv(warnings) if format == "csv" else export_xlsx(warnings)
        self.write(data, output, format, f"{len(warnings)} rows ({year})")
