"""The seed plans (campaigns/plans/*.yaml) in the plan editor."""

import pytest
from django.urls import reverse

from campaigns.models import CampaignState
from campaigns.views_edit import STEPS
from tests.factories import import_seed_plan


@pytest.mark.parametrize("step", [name for name, _label in STEPS])
def test_every_editor_step_renders_for_a_seed_plan(client, directory, home_affairs, step):
    import_seed_plan("hcmc-par-2022", state=CampaignState.DRAFT)
    client.force_login(home_affairs)
    response = client.get(reverse("campaigns:edit", args=["hcmc-par-2022", step]))
    assert response.status_code == 200
    assert client.get(reverse("campaigns:detail", args=["hcmc-par-2022"])).status_code == 200
