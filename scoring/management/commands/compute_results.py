import time

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from common.errors import PortalError
from scoring.results import compute_results


class Command(BaseCommand):
    help = "Compute (or recompute) the results of a campaign round: gates, ranking in each bloc, quotas."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign code")
        parser.add_argument("--year", type=int, help="year of the round (default: the latest round)")

    def handle(self, *args, campaign, year=None, **options):
        plan = Campaign.objects.filter(code=campaign).first()
        if plan is None:
            raise CommandError(f"Campaign not found: {campaign}")
        round = None
        if year is not None:
            round = plan.rounds.filter(year=year).order_by("-is_final").first()
            if round is None:
                raise CommandError(f"No round {year} in campaign {campaign}")
        started = time.perf_counter()
        try:
            run = compute_results(plan, round)
        except PortalError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        proposed = run.results.filter(proposed=True).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{plan.code} {run.round}: {run.candidate_count} candidates, {proposed} proposed "
                f"({time.perf_counter() - started:.2f} s)"
            )
        )
