from common.management.table_import import TableImportCommand
from scoring.import_tables import STAFF_TABLE
from scoring.imports import import_staff_ratings


class Command(TableImportCommand):
    help = (
        "Import staff ratings from a CSV or XLSX file with columns "
        "agency_code,person_code,year,rating,disciplined."
    )
    table = STAFF_TABLE

    def run(self, rows, actor, options):
        return import_staff_ratings(rows, actor=actor)
