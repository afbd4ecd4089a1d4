from common.management.table_import import TableImportCommand
from scoring.imports import STAFF_IMPORT


class Command(TableImportCommand):
    help = (
        "Import staff ratings from a CSV or XLSX file with columns "
        "agency_code,person_code,year,rating,disciplined."
    )
    importer = STAFF_IMPORT
