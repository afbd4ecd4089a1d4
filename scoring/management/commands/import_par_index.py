from django.core.management.base import CommandError

from campaigns.models import Campaign
from common.management.table_import import TableImportCommand
from scoring.import_tables import PAR_TABLE
from scoring.imports import import_par_index


class Command(TableImportCommand):
    help = (
        "Import PAR Index results from a CSV or XLSX file with columns agency_code,year,score[,rating]. "
        "A missing rating is derived from the bands of --campaign (or the default bands)."
    )
    table = PAR_TABLE

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--campaign", help="code of the plan whose PAR bands rate the scores")

    def handle(self, *args, campaign=None, **options):
        self.campaign = None
        if campaign:
            self.campaign = Campaign.objects.filter(code=campaign).first()
            if self.campaign is None:
                raise CommandError(f"Campaign not found: {campaign}")
        return super().handle(*args, **options)

    def run(self, rows, actor, options):
        return import_par_index(rows, actor=actor, campaign=self.campaign)
