from awards.register import AWARDS_IMPORT
from common.management.table_import import TableImportCommand


class Command(TableImportCommand):
    help = (
        "Import earlier years' awards into the awards register from a CSV or XLSX file with columns "
        "agency_code, person_code, form_name, form_kind, level, decision_number, decided_on, campaign. "
        "All or nothing; awards already in the register are left alone."
    )
    importer = AWARDS_IMPORT
    dry_run_help = "check the file and show what would be added"
