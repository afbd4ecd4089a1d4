from agencies.account_import import ACCOUNT_IMPORT
from common.management.table_import import TableImportCommand


class Command(TableImportCommand):
    help = (
        "Import accounts and roles from a CSV or XLSX file with columns agency_code, full_name, email, "
        "phone, role, person_code (or their Vietnamese titles). All or nothing; new accounts get an "
        "invitation e-mail. Importing the same file again changes nothing."
    )
    importer = ACCOUNT_IMPORT
