from agencies.accounts import USER_TABLE, import_users
from common.management.table_import import TableImportCommand


class Command(TableImportCommand):
    help = (
        "Import accounts and roles from a CSV or XLSX file with columns agency_code, full_name, email, "
        "phone, role, person_code (or their Vietnamese titles). All or nothing; new accounts get an "
        "invitation e-mail. Importing the same file again changes nothing."
    )
    table = USER_TABLE

    def run(self, rows, actor, options):
        return import_users(rows, actor=actor)
