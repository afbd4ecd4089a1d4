from django.core.management.base import BaseCommand, CommandError

from campaigns.documents import dump_yaml
from campaigns.models import Campaign


class Command(BaseCommand):
    help = "Write a plan as a YAML document (docs/campaign-format.md) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("code")

    def handle(self, code, **options):
        campaign = Campaign.objects.filter(code=code).select_related("issuer", "parent").first()
        if campaign is None:
            raise CommandError(f"Không có kế hoạch mã “{code}”.")
        self.stdout.write(dump_yaml(campaign), ending="")
