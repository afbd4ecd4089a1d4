from django.core.management.base import CommandError

from scoring.exports import export_csv, export_xlsx
from scoring.management.export_command import ExportCommand
from scoring.queries import latest_run


class Command(ExportCommand):
    help = "Export the computed results of a campaign (latest round, or --year) as CSV or XLSX."
    year_help = "year of the round (default: the latest computed round)"

    def handle(self, *args, campaign, format, output, year=None, **options):
        plan = self.plan(campaign)
        round = plan.rounds.filter(year=year).order_by("-is_final").first() if year else None
        run = latest_run(plan, round)
        if run is None:
            raise CommandError(f"No results computed for {campaign}; run compute_results first.")
        data = export_csv(run) if format == "csv" else export_xlsx(run)
        self.write(data, output, format, f"{run.candidate_count} rows")
