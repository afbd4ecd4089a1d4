from django.core.management.base import BaseCommand, CommandError

from agencies.tabular import ImportErrors, TableError, read_table
from campaigns.models import Campaign
from scoring.import_tables import PAR_TABLE
from scoring.imports import import_par_index


class Command(BaseCommand):
    help = (
        "Import PAR Index results from a CSV or XLSX file with columns agency_code,year,score[,rating]. "
        "A missing rating is derived from the bands of --campaign (or the default bands)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--campaign", help="code of the plan whose PAR bands rate the scores")

    def handle(self, *args, file, campaign=None, **options):
        plan = None
        if campaign:
            plan = Campaign.objects.filter(code=campaign).first()
            if plan is None:
                raise CommandError(f"Campaign not found: {campaign}")
        try:
            rows = read_table(file, file, PAR_TABLE)
            summary = import_par_index(rows, campaign=plan)
        except FileNotFoundError:
            raise CommandError(f"File not found: {file}") from None
        except TableError as exc:
            raise CommandError(str(exc)) from None
        except ImportErrors as exc:
            raise CommandError("Nothing was imported.\n" + str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
