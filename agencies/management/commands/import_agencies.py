from agencies.agency_import import AGENCY_IMPORT
from common.management.table_import import TableImportCommand


class Command(TableImportCommand):
    help = "Import the agency directory from a CSV or XLSX file with columns code,name,kind,parent_code."
    importer = AGENCY_IMPORT
