from django.core.management.base import BaseCommand, CommandError

from agencies.accounts import USER_TABLE, import_users
from agencies.management.actor import actor_from, add_user_argument
from agencies.tabular import ImportErrors, TableError, read_table


class Command(BaseCommand):
    help = (
        "Import accounts and roles from a CSV or XLSX file with columns agency_code, full_name, email, "
        "phone, role, person_code (or their Vietnamese titles). All or nothing; new accounts get an "
        "invitation e-mail. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        add_user_argument(parser)

    def handle(self, *args, file, user=None, **options):
        try:
            rows = read_table(file, file, USER_TABLE)
            summary = import_users(rows, actor=actor_from(user))
        except FileNotFoundError:
            raise CommandError(f"File not found: {file}") from None
        except TableError as exc:
            raise CommandError(str(exc)) from None
        except ImportErrors as exc:
            raise CommandError("Nothing was imported.\n" + str(exc)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
