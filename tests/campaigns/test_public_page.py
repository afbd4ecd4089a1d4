import re

from django.urls import reverse

from campaigns.models import Campaign
from tests.factories import import_seed_plans


def page_text(response) -> str:
    """The page as a reader sees it (tags become spaces, whitespace collapsed)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_legal_basis_lines_are_not_prefixed_twice(client, directory):
    import_seed_plans()
    par = client.get(reverse("campaigns:detail", args=["hcmc-par-2022"]))
    assert (
        "<li>Căn cứ Chương trình hành động của Thành ủy, Kế hoạch cải cách hành chính nhà nước giai đoạn "
        "2021 - 2025 của Thành phố.</li>"
    ) in par.content.decode()
    assert "Căn cứ Căn cứ" not in page_text(par)
    hanam = client.get(reverse("campaigns:detail", args=["hanam-duytien-2023"]))
    assert "<li>Thực hiện Kế hoạch số 800/KH-UBND ngày 25 tháng 4 năm 2023" in hanam.content.decode()
    assert "Căn cứ Thực hiện" not in page_text(hanam)


def test_a_line_without_its_opening_word_gets_it(db):
    plan = Campaign(legal_basis="Luật Thi đua, khen thưởng năm 2022.\n  \nthực hiện Kế hoạch số 1/KH-UBND.")
    assert plan.legal_basis_display() == [
        "Căn cứ Luật Thi đua, khen thưởng năm 2022.",
        "thực hiện Kế hoạch số 1/KH-UBND.",
    ]


def test_document_number_is_shown_only_with_digits(client, directory):
    import_seed_plans()
    html = client.get(reverse("campaigns:detail", args=["hcmc-par-2022"])).content.decode()
    assert '<p class="mb-1 text-muted">Ủy ban nhân dân Thành phố Hồ Chí Minh · Số: 4000/QĐ-UBND</p>' in html
    for code in ["hanam-duytien-2023", "hcmc-binhtan-2019"]:
        campaign = Campaign.objects.select_related("issuer").get(code=code)
        assert (campaign.document_number, campaign.has_document_number) == ("/KH-UBND", False)
        html = client.get(reverse("campaigns:detail", args=[code])).content.decode()
        assert f'<p class="mb-1 text-muted">{campaign.issuer.name}' in html
        assert "/KH-UBND" not in html.split("<h1")[0]


def test_bloc_name_is_followed_by_its_colon_without_a_space(client, directory):
    import_seed_plans()
    response = client.get(reverse("campaigns:detail", args=["hcmc-par-2022"]))
    assert "<strong>Khối sở, ban, ngành:</strong> " in response.content.decode()
    text = page_text(response)
    assert "Khối sở, ban, ngành: " in text
    assert " :" not in text
