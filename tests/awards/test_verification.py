"""Certificates anyone can verify (issue 22): the code printed under each certificate's QR code is a signed
token, the public page names the award and its standing (in force, amended, withdrawn), a code typed by
hand works, and random codes find nothing and are throttled through the shared cache."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.cache import cache
from django.urls import reverse

from awards import verification
from awards.domain import decision as decisions
from awards.dossier import documents
from awards.models import AwardLine
from tests.factories import decision_with_awardees


@pytest.fixture
def world(db):
    cache.clear()  # the rate limit counts in the shared cache (Redis when REDIS_URL is set)
    yield decision_with_awardees("kh-xm", 3)
    cache.clear()


def amend(world, number, withdrawn=()):
    return decisions.amend_decision(
        world.decision, actor=world.leader, number=number, decided_on=dt.date(2028, 2, 1),
        signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Nguyễn Văn An",
        reason="Cơ quan 0 bị xử lý kỷ luật trong năm", withdrawn=withdrawn,
    )  # fmt: skip


def lines(decision):
    return {
        line.proposal.agency.name: line
        for line in AwardLine.objects.filter(decision=decision).select_related("proposal__agency")
    }


def test_a_code_is_a_signed_token_read_leniently_and_not_an_id(world):
    line = lines(world.decision)["Cơ quan 1"]
    code = verification.code_for(line.pk)
    assert len(code) == 19 and code.count("-") == 3
    assert verification.line_id_of(code) == line.pk
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert verification.line_id_of(typed) == line.pk
    # the id of the next line with this code's signature is not a code
    forged = verification.code_for(line.pk + 1)[:9] + code[9:]
    assert verification.line_id_of(forged) is None
    assert verification.line_id_of("") is None
    assert verification.line_id_of("not a code at all!!") is None


def test_the_page_names_the_award_and_the_certificate_carries_its_qr(world, client):
    line = lines(world.decision)["Cơ quan 2"]
    code = verification.code_for(line.pk)
    response = client.get(reverse("awards:verify_code", args=[code]))
    assert response.status_code == 200
    text = response.content.decode()
    for fact in ("Cơ quan 2", "Khen thưởng có hiệu lực", "125/QĐ-UBND", "20/01/2028", "Nguyễn Văn An",
                 "Chưa có bản ký số trên cổng."):  # fmt: skip
        assert fact in text, fact
    spec = next(
        s
        for s in documents.plan_documents(world.decision, ["giay_khen"])
        if s.proposal_id == line.proposal_id
    )
    certificate = documents.build(world.decision, spec).certificate
    assert certificate.verification.code == code
    assert certificate.verification.url == f"http://127.0.0.1:8000/awards/verify/{code}/"


def test_a_withdrawn_award_says_so_and_an_amended_one_stays_in_force(world, client):
    before = lines(world.decision)
    amended = amend(world, "140/QĐ-UBND", withdrawn=[before["Cơ quan 0"].proposal_id])
    gone = client.get(reverse("awards:verify_code", args=[verification.code_for(before["Cơ quan 0"].pk)]))
    text = gone.content.decode()
    assert gone.status_code == 200
    assert "Khen thưởng này đã bị thu hồi" in text
    assert "theo Quyết định số 140/QĐ-UBND ngày 01/02/2028." in text
    assert "Lý do: Cơ quan 0 bị xử lý kỷ luật trong năm" in text
    kept = client.get(reverse("awards:verify_code", args=[verification.code_for(before["Cơ quan 1"].pk)]))
    assert "Quyết định khen thưởng đã được sửa đổi, bổ sung" in kept.content.decode()
    assert (
        "bởi Quyết định số 140/QĐ-UBND ngày 01/02/2028; khen thưởng này vẫn giữ nguyên."
        in kept.content.decode()
    )
    now = client.get(
        reverse("awards:verify_code", args=[verification.code_for(lines(amended)["Cơ quan 1"].pk)])
    )
    assert "Khen thưởng có hiệu lực" in now.content.decode()


def test_a_code_typed_by_hand_finds_its_page(world, client):
    line = lines(world.decision)["Cơ quan 1"]
    code = verification.code_for(line.pk)
    response = client.get(reverse("awards:verify"), {"code": f"  {code.lower().replace('-', '')} "})
    assert (response.status_code, response["Location"]) == (302, reverse("awards:verify_code", args=[code]))
    wrong = client.get(reverse("awards:verify"), {"code": "ABCD-EFGH-JKMN-PQRS"})
    assert wrong.status_code == 404
    assert "Mã tra cứu “ABCD-EFGH-JKMN-PQRS” không đúng." in wrong.content.decode()


def test_a_thousand_random_codes_find_nothing_and_are_throttled(
    world, client, settings, django_assert_max_num_queries
):
    settings.VERIFY_RATE_LIMIT = 30
    rng = random.Random(22)
    statuses = []
    with django_assert_max_num_queries(0):  # a random code never reaches the database
        for _ in range(1000):
            code = "".join(rng.choice(verification.CROCKFORD) for _ in range(16))
            statuses.append(client.get(reverse("awards:verify_code", args=[code])).status_code)
    assert statuses[:30] == [404] * 30
    assert statuses[30:] == [429] * 970
    throttled = client.get(reverse("awards:verify_code", args=["0000-0000-0000-0000"]))
    assert throttled.status_code == 429
    assert "Anh/chị đã tra cứu quá nhiều lần trong thời gian ngắn" in throttled.content.decode()
    # another address is not held back by this one
    other = client.get(
        reverse("awards:verify_code", args=[verification.code_for(lines(world.decision)["Cơ quan 0"].pk)]),
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 200
