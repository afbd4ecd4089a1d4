from django.core.management.base import BaseCommand, CommandError

from agencies.management.actor import actor_from, add_user_argument
from agencies.tabular import ImportErrors, TableError, read_table
from awards.register import AWARD_TABLE, import_awards, plan_awards_import


class Command(BaseCommand):
    help = (
        "Import earlier years' awards into the awards register from a CSV or XLSX file with columns "
        "agency_code, person_code, form_name, form_kind, level, decision_number, decided_on, campaign. "
        "All or nothing; awards already in the register are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        add_user_argument(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and show what would be added"
        )

    def handle(self, *args, file, user=None, dry_run=False, **options):
        try:
            rows = read_table(file, file, AWARD_TABLE)
            run = plan_awards_import if dry_run else import_awards
            result = run(rows, actor=actor_from(user))
        except FileNotFoundError:
            raise CommandError(f"File not found: {file}") from None
        except TableError as exc:
            raise CommandError(str(exc)) from None
        except ImportErrors as exc:
            raise CommandError("Nothing was imported.\n" + str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(result)))
