import datetime as dt

import pytest
from django.urls import reverse

from campaigns import demo
from campaigns.models import Campaign, CampaignState
from campaigns.views_edit import STEPS


def test_demo_loads_seeds_and_the_current_plan_idempotently(directory):
    today = dt.date(2026, 11, 21)
    demo.load_seed_plans()
    current = demo.load_demo_2027(today=today)
    assert sorted(Campaign.objects.values_list("code", "state")) == [
        ("angiang-2021", "closed"),
        ("demo-2027", "published"),
        ("hanam-duytien-2023", "closed"),
        ("hcmc-2022", "closed"),
        ("hcmc-binhtan-2019", "closed"),
        ("hcmc-par-2022", "closed"),
    ]
    assert current.title == "Phong trào thi đua cải cách hành chính năm 2027"
    assert [(m.kind, (m.due_on - today).days) for m in current.milestones.order_by("due_on")] == [
        ("registration_deadline", 14),
        ("midterm_review", 120),
        ("report_deadline", 300),
        ("final_review", 320),
        ("campaign_end", 330),
    ]
    assert current.targets_agency(directory["p-binhtan"]) is True
    assert current.targets_agency(directory["hcm-snv"]) is True
    assert current.targets_agency(directory["bt-anlac"]) is False  # dissolved ward (07/2025)
    assert current.targets_agency(directory["hcm-bao-sggp"]) is False
    assert current.blocs.get(code="khoi-phuong-xa").memberships.filter(agency__code="p-binhtan").exists()
    assert all(g.initiative_required for g in current.target_groups.filter(kind="collective"))
    # A second run keeps everything, including the dates of the first run.
    demo.load()
    assert Campaign.objects.count() == 6
    assert Campaign.objects.get(code="demo-2027").period_start == today


@pytest.mark.parametrize("step", [name for name, _label in STEPS])
def test_every_editor_step_renders_for_a_seed_plan(client, directory, home_affairs, step):
    demo.load_seed_plans()
    Campaign.objects.filter(code="hcmc-par-2022").update(state=CampaignState.DRAFT)
    client.force_login(home_affairs)
    response = client.get(reverse("campaigns:edit", args=["hcmc-par-2022", step]))
    assert response.status_code == 200
    assert client.get(reverse("campaigns:detail", args=["hcmc-par-2022"])).status_code == 200
