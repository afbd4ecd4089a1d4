from django.core.management.base import BaseCommand, CommandError

from agencies.services import AGENCY_TABLE, import_agencies
from agencies.tabular import ImportErrors, TableError, read_table


class Command(BaseCommand):
    help = "Import the agency directory from a CSV or XLSX file with columns code,name,kind,parent_code."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            rows = read_table(file, file, AGENCY_TABLE)
            summary = import_agencies(rows)
        except FileNotFoundError:
            raise CommandError(f"File not found: {file}") from None
        except TableError as exc:
            raise CommandError(str(exc)) from None
        except ImportErrors as exc:
            raise CommandError("Nothing was imported.\n" + str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
