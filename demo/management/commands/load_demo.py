from django.core.management.base import BaseCommand

from demo import awards, directory, plans, registrations, reminders, scoring, signing

#: The demo's steps in the order of the layers: each one reads what the steps before it loaded.
STEPS = [directory, plans, registrations, reminders, scoring, awards, signing]


class Command(BaseCommand):
    help = (
        "Load the demo directory, accounts (password demo-2026) and campaigns. Idempotent: "
        "the demo package's steps run in the order of the layers."
    )

    def handle(self, *args: object, **options: object) -> None:
        for step in STEPS:
            step.load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo loaded. Accounts: admin, noivu, canbo, thutruong, hoidong, lanhdao.")
        )
