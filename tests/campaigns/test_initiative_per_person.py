"""The seed 003 rule in the plan format: ``initiative_per_person`` on individual groups."""

from campaigns.documents import import_plan, plan_to_dict
from campaigns.forms import TargetGroupForm
from campaigns.models import Campaign
from tests.campaigns.test_documents import errors_of, seed


def test_seed_003_sets_it_on_its_individual_group(directory):
    campaign = import_plan(seed("hcmc-binhtan-2019"))
    assert list(campaign.target_groups.values_list("code", "initiative_per_person")) == [
        ("co-quan-don-vi", False),
        ("ca-nhan", True),
    ]
    exported = plan_to_dict(campaign)
    assert [g["initiative_per_person"] for g in exported["target_groups"]] == [False, True]


def test_plans_without_the_key_keep_their_behaviour(directory):
    campaign = import_plan(seed("hanam-duytien-2023"))
    assert not campaign.target_groups.filter(initiative_per_person=True).exists()


def test_only_an_individual_group_may_set_it(directory):
    doc = seed("hcmc-binhtan-2019")
    doc["target_groups"][0]["initiative_per_person"] = True
    doc["target_groups"][1]["initiative_per_person"] = "yes"
    assert errors_of(doc) == [
        (
            "target_groups[0].initiative_per_person",
            "Chỉ đối tượng cá nhân (kind: individual) mới có initiative_per_person.",
        ),
        ("target_groups[1].initiative_per_person", "Phải là true hoặc false."),
    ]
    assert Campaign.objects.count() == 0


def test_the_editor_refuses_it_on_a_collective_group(directory):
    form = TargetGroupForm(
        data={
            "order": 1,
            "code": "tap-the",
            "name": "Tập thể",
            "kind": "collective",
            "initiative_per_person": "on",
        }
    )
    assert form.errors["initiative_per_person"] == [
        "“Mỗi cá nhân đăng ký một sáng kiến” chỉ áp dụng cho đối tượng cá nhân."
    ]
