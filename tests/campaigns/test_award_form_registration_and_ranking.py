"""Issue 9 items 17 and 18 as plan data: whether an award form needs an accepted registration
(``gates.accepted_registration``) and how individuals are ranked (``ranking.individual_key``), in the
YAML format, its checks, the public page's sentences and the editor."""

import pytest
from django.urls import reverse

from agencies.models import AgencyKind, Role
from campaigns.documents import import_plan, plan_to_dict
from campaigns.models import AwardForm, Campaign, CampaignState
from campaigns.sentences import award_sentences
from tests.campaigns.test_documents import errors_of, seed
from tests.campaigns.test_views import award_post
from tests.factories import AgencyFactory, CampaignFactory, user_with_role


@pytest.fixture
def city(db):
    return AgencyFactory(code="tp", kind=AgencyKind.PROVINCE_PC)


@pytest.fixture
def officer(city):
    return user_with_role(Role.HOME_AFFAIRS, city)


def test_gate_and_individual_key_round_trip_in_the_document(directory):
    doc = seed("hanam-duytien-2023")
    giay_khen = doc["award_forms"][2]
    giay_khen["gates"]["accepted_registration"] = True
    giay_khen["ranking"]["individual_key"] = "staff_rating"
    campaign = import_plan(doc)
    form = campaign.award_forms.get(code="giay-khen-thi-xa")
    assert (form.require_accepted_registration, form.individual_ranking_key) == (True, "staff_rating")
    exported = plan_to_dict(campaign)
    assert exported["award_forms"][2]["gates"]["accepted_registration"] is True
    assert exported["award_forms"][2]["ranking"] == {
        "key": "total_score",
        "individual_key": "staff_rating",
        "tie_break": "none",
    }
    assert exported["award_forms"][0]["gates"]["accepted_registration"] is False
    assert exported["award_forms"][0]["ranking"]["individual_key"] is None
    Campaign.objects.all().delete()
    assert plan_to_dict(import_plan(exported)) == exported


def test_bad_values_name_their_paths(directory):
    doc = seed("hanam-duytien-2023")
    doc["award_forms"][2]["gates"]["accepted_registration"] = "có"
    doc["award_forms"][2]["ranking"]["individual_key"] = "age"
    assert errors_of(doc) == [
        ("award_forms[2].gates.accepted_registration", "Phải là true hoặc false."),
        (
            "award_forms[2].ranking.individual_key",
            "Giá trị “age” không hợp lệ; chọn một trong: par_score, total_score, staff_rating.",
        ),
    ]


def test_a_staff_rating_cannot_rank_collectives(directory):
    doc = seed("hcmc-par-2022")
    doc["award_forms"][0]["ranking"]["key"] = "staff_rating"
    doc["award_forms"][0]["ranking"]["individual_key"] = "total_score"
    assert errors_of(doc) == [
        (
            "award_forms[0].ranking.key",
            "Xếp loại cán bộ chỉ dùng để xếp hạng cá nhân: hãy chọn cách xếp hạng tập thể và ghi xếp loại "
            "cán bộ ở mục xếp hạng cá nhân.",
        ),
        (
            "award_forms[0].ranking.individual_key",
            "Hình thức chỉ khen tập thể nên không có cách xếp hạng cá nhân.",
        ),
    ]


def test_public_page_states_the_registration_gate_and_the_individual_ranking(client, city):
    plan = CampaignFactory(issuer=city, state=CampaignState.PUBLISHED)
    form = AwardForm.objects.create(
        campaign=plan,
        code="gk",
        name="Giấy khen của Giám đốc Sở Nội vụ",
        recipient="both",
        require_accepted_registration=True,
        individual_ranking_key="staff_rating",
    )
    assert award_sentences(form)[:2] == [
        "Giấy khen của Giám đốc Sở Nội vụ: chỉ đề nghị khen thưởng đối với tập thể, cá nhân khi có đăng ký "
        "thi đua được Phòng/Sở Nội vụ chấp nhận.",
        "Cá nhân được xếp thứ tự theo xếp loại cán bộ.",
    ]
    html = client.get(reverse("campaigns:detail", args=[plan.code])).content.decode()
    assert "khi có đăng ký thi đua được Phòng/Sở Nội vụ chấp nhận." in html


@pytest.mark.parametrize("gate", [True, False])
def test_editor_sets_the_gate_and_the_individual_key(client, officer, city, gate):
    plan = CampaignFactory(issuer=city)
    client.force_login(officer)
    url = reverse("campaigns:edit", args=[plan.code, "awards"])
    values = {"recipient": "both", "individual_ranking_key": "staff_rating", "quota_kind": "none"}
    if gate:
        values["require_accepted_registration"] = "on"
    assert client.post(url, award_post(**values)).status_code == 302
    award = plan.award_forms.get()
    assert (award.require_accepted_registration, award.individual_ranking_key) == (gate, "staff_rating")
    html = client.get(url).content.decode()
    assert "Có đăng ký thi đua được Nội vụ chấp nhận" in html
    assert "Xếp hạng cá nhân theo" in html
