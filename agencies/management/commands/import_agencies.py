from agencies.services import AGENCY_TABLE, import_agencies
from common.management.table_import import TableImportCommand


class Command(TableImportCommand):
    help = "Import the agency directory from a CSV or XLSX file with columns code,name,kind,parent_code."
    table = AGENCY_TABLE

    def run(self, rows, actor, options):
        return import_agencies(rows, actor=actor)
