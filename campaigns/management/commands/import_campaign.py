from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.documents import import_plan, load_yaml
from campaigns.models import CampaignState
from campaigns.services import TransitionError, set_campaign_state
from campaigns.validation import PlanInvalid


class Command(BaseCommand):
    help = "Create a plan from a YAML document (docs/campaign-format.md). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--replace", action="store_true", help="Rebuild an existing draft plan of the same code."
        )
        parser.add_argument("--publish", action="store_true", help="Create the plan in the published state.")

    def handle(self, path, replace=False, publish=False, **options):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(str(exc)) from None
        try:
            data = load_yaml(text)
            campaign = import_plan(data, replace=replace)
            if publish:
                set_campaign_state(campaign, CampaignState.PUBLISHED, actor=None)
        except PlanInvalid as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from None
        except TransitionError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(f"{campaign.code}: {campaign.title}")
