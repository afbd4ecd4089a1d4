from django.core.management.base import CommandError

from campaigns.models import Campaign
from common.management.table_import import TableImportCommand
from scoring.imports import PAR_IMPORT


class Command(TableImportCommand):
    help = (
        "Import PAR Index results from a CSV or XLSX file with columns agency_code,year,score[,rating]. "
        "A missing rating is derived from the bands of --campaign (or the default bands)."
    )
    importer = PAR_IMPORT

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--campaign", help="code of the plan whose PAR bands rate the scores")

    def options(self, options):
        code = options.get("campaign")
        if not code:
            return {"campaign": None}
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise CommandError(f"Campaign not found: {code}")
        return {"campaign": campaign}
