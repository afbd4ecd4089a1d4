from agencies.people import PEOPLE_TABLE, import_people, plan_people_import
from common.management.table_import import TableImportCommand


class Command(TableImportCommand):
    help = (
        "Import people (personnel directory) from a CSV or XLSX file with columns agency_code, "
        "person_code, full_name, gender, birth_year, position, is_head, is_reform_deputy, started_on, "
        "kind. All or nothing."
    )
    table = PEOPLE_TABLE
    dry_run = True

    def run(self, rows, actor, options):
        return import_people(rows, actor=actor)

    def plan(self, rows, actor, options):
        return plan_people_import(rows, actor=actor)
