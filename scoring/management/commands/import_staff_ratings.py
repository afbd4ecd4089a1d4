from django.core.management.base import BaseCommand, CommandError

from agencies.tabular import ImportErrors, TableError, read_table
from scoring.import_tables import STAFF_TABLE
from scoring.imports import import_staff_ratings


class Command(BaseCommand):
    help = (
        "Import staff ratings from a CSV or XLSX file with columns "
        "agency_code,person_code,year,rating,disciplined."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            rows = read_table(file, file, STAFF_TABLE)
            summary = import_staff_ratings(rows)
        except FileNotFoundError:
            raise CommandError(f"File not found: {file}") from None
        except TableError as exc:
            raise CommandError(str(exc)) from None
        except ImportErrors as exc:
            raise CommandError("Nothing was imported.\n" + str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
