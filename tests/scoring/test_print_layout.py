"""Issue 9, items 24 and 28 on the results pages: the chart's markup and the printed header."""

import re

from django.urls import reverse

from agencies.models import Role
from tests.factories import user_with_role

from .test_views import seed_002


def test_bloc_chart_keeps_rank_and_name_together_and_the_quota_on_its_own_line(client, plan):
    seed_002(plan, 10)
    client.force_login(user_with_role(Role.HOME_AFFAIRS, plan.province))
    html = client.get(reverse("scoring:bloc", args=[plan.campaign.code, "so-nganh"])).content.decode()
    assert '<span class="rank-label">1. Sở s000</span>' in html
    assert "<svg" not in html
    rows = re.findall(r'<li class="(rank-row|rank-quota)"', html)
    assert rows == ["rank-row"] * 3 + ["rank-quota"] + ["rank-row"] * 7
    assert 'style="--share: 1.0000"' in html


def test_printed_results_carry_the_issuer_and_the_plan(client, plan):
    seed_002(plan, 3)
    client.force_login(user_with_role(Role.HOME_AFFAIRS, plan.province))
    campaign = plan.campaign
    for url in (
        reverse("scoring:results", args=[campaign.code]),
        reverse("scoring:bloc", args=[campaign.code, "so-nganh"]),
    ):
        html = client.get(url).content.decode()
        assert html.count('<div class="print-header">') == 1, url
        header = html.split('<div class="print-header">')[1].split("</div>\n</div>")[0]
        assert f'<div class="print-agency">{campaign.issuer.name}</div>' in header, url
        assert f'<div class="print-title">{campaign.title}</div>' in header, url
