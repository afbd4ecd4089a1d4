from django.core.management.base import BaseCommand, CommandError

from agencies.management.actor import actor_from, add_user_argument
from agencies.people import PEOPLE_TABLE, import_people, plan_people_import
from agencies.tabular import ImportErrors, TableError, read_table


class Command(BaseCommand):
    help = (
        "Import people (personnel directory) from a CSV or XLSX file with columns agency_code, "
        "person_code, full_name, gender, birth_year, position, is_head, is_reform_deputy, started_on, "
        "kind. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        add_user_argument(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and show what would change"
        )

    def handle(self, *args, file, user=None, dry_run=False, **options):
        try:
            rows = read_table(file, file, PEOPLE_TABLE)
            run = plan_people_import if dry_run else import_people
            result = run(rows, actor=actor_from(user))
        except FileNotFoundError:
            raise CommandError(f"File not found: {file}") from None
        except TableError as exc:
            raise CommandError(str(exc)) from None
        except ImportErrors as exc:
            raise CommandError("Nothing was imported.\n" + str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(result)))
