from awards.register import AWARD_TABLE, import_awards, plan_awards_import
from common.management.table_import import TableImportCommand


class Command(TableImportCommand):
    help = (
        "Import earlier years' awards into the awards register from a CSV or XLSX file with columns "
        "agency_code, person_code, form_name, form_kind, level, decision_number, decided_on, campaign. "
        "All or nothing; awards already in the register are left alone."
    )
    table = AWARD_TABLE
    dry_run = True
    dry_run_help = "check the file and show what would be added"

    def run(self, rows, actor, options):
        return import_awards(rows, actor=actor)

    def plan(self, rows, actor, options):
        return plan_awards_import(rows, actor=actor)
