from agencies.people_import import PEOPLE_IMPORT
from common.management.table_import import TableImportCommand


class Command(TableImportCommand):
    help = (
        "Import people (personnel directory) from a CSV or XLSX file with columns agency_code, "
        "person_code, full_name, gender, birth_year, position, is_head, is_reform_deputy, started_on, "
        "kind. All or nothing."
    )
    importer = PEOPLE_IMPORT
