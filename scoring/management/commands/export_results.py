from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from scoring.exports import export_csv, export_xlsx
from scoring.queries import latest_run


class Command(BaseCommand):
    help = "Export the computed results of a campaign (latest round, or --year) as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign code")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", required=True, help="file to write ('-' for standard output, CSV only)"
        )
        parser.add_argument("--year", type=int, help="year of the round (default: the latest computed round)")

    def handle(self, *args, campaign, format, output, year=None, **options):
        plan = Campaign.objects.filter(code=campaign).first()
        if plan is None:
            raise CommandError(f"Campaign not found: {campaign}")
        round = plan.rounds.filter(year=year).order_by("-is_final").first() if year else None
        run = latest_run(plan, round)
        if run is None:
            raise CommandError(f"No results computed for {campaign}; run compute_results first.")
        data = export_csv(run) if format == "csv" else export_xlsx(run)
        if output == "-":
            if format != "csv":
                raise CommandError("Only CSV can be written to standard output.")
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        Path(output).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{output}: {run.candidate_count} rows"))
