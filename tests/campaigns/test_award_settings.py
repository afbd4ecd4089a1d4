"""The plan data of the award cycle (issue 10): council quorum, prize rounding, warnings
publication and prize multiples per award form, in the YAML format."""

import copy
from decimal import Decimal

import pytest

from campaigns.documents import import_plan, plan_to_dict
from campaigns.models import AwardForm
from campaigns.validation import PlanInvalid

from .test_documents import seed


def test_seed_002_carries_quorum_prizes_and_warnings(directory):
    campaign = import_plan(seed("hcmc-par-2022"))
    form = AwardForm.objects.get(campaign=campaign)
    assert form.kind == "giay_khen"
    assert (form.prize_individual, form.prize_collective) == (Decimal("0.3"), Decimal("0.6"))
    assert (campaign.quorum_numerator, campaign.quorum_denominator) == (2, 3)
    assert (campaign.prize_rounding, campaign.publish_warnings) == (1000, True)
    doc = plan_to_dict(campaign)
    assert doc["awards"] == {"quorum": "2/3", "prize_rounding": 1000, "publish_warnings": True}
    assert doc["award_forms"][0]["prize"] == {"individual": 0.3, "collective": 0.6}  # as YAML writes them


def test_defaults_when_the_plan_says_nothing(directory):
    doc = seed("hcmc-2022")
    doc.pop("awards", None)
    for form in doc["award_forms"]:
        form.pop("prize", None)
    campaign = import_plan(doc)
    assert (campaign.quorum_numerator, campaign.quorum_denominator) == (2, 3)
    assert campaign.publish_warnings is False
    assert {f.prize_collective for f in campaign.award_forms.all()} == {None}


def test_bad_award_settings_are_refused_with_their_path(directory):
    doc = copy.deepcopy(seed("hcmc-par-2022"))
    doc["awards"] = {"quorum": "3/2", "prize_rounding": 0}
    doc["award_forms"][0]["prize"] = {"individual": -1}
    with pytest.raises(PlanInvalid) as exc:
        import_plan(doc)
    paths = sorted(e.path for e in exc.value.errors)
    assert paths == ["award_forms[0].prize.individual", "awards.prize_rounding", "awards.quorum"]
