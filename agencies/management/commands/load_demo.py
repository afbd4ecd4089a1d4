import importlib

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Load the demo directory, accounts (password demo-2026) and campaigns. Idempotent: "
        "each installed app's demo.load() runs in app order."
    )

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            module.load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo loaded. Accounts: admin, noivu, canbo, thutruong, hoidong, lanhdao.")
        )
