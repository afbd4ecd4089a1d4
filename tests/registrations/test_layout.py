"""Page layout fixes: styled review filter, room for evidence uploads, deadline only while it matters."""

import pytest
from django.urls import reverse

from registrations.domain.initiatives import save_initiative
from registrations.domain.registration import save_draft, set_registration_state, start_registration
from registrations.models import RegistrationState as S
from tests.factories import RegistrationFactory


def test_review_filter_uses_bootstrap_selects_with_labels(client, world):
    client.force_login(world.home_affairs)
    html = client.get(reverse("registrations:review_list", args=[world.campaign.code])).content.decode()
    for name, label in (("state", "Trạng thái"), ("bloc", "Khối"), ("kind", "Loại cơ quan")):
        assert f'<label class="form-label small d-block mb-1" for="id_{name}">{label}</label>' in html
        assert f'<select name="{name}" class="form-select form-select-sm" id="id_{name}">' in html
    assert "Trạng tháiTất cả" not in html


def _submitted(world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    save_draft(registration, actor=world.staff, pledge="Hoàn thành 100% nhiệm vụ")
    save_initiative(registration, {"title": "Một cửa số"}, [], actor=world.staff)
    return set_registration_state(registration, S.SUBMITTED, actor=world.staff)


def test_deadline_countdown_only_while_the_agency_has_to_act(client, world):
    client.force_login(world.staff)
    draft = start_registration(world.round, world.ward, actor=world.staff)
    html = client.get(reverse("registrations:detail", args=[draft.pk])).content.decode()
    assert 'id="deadline"' in html
    assert "(còn 9 ngày" in html or "(còn 10 ngày" in html

    submitted = _submitted(world)
    html = client.get(reverse("registrations:detail", args=[submitted.pk])).content.decode()
    assert 'id="deadline"' not in html
    assert "Hạn đăng ký" not in html
    assert "Đã gửi lúc" in html


@pytest.mark.parametrize("state", [S.CONFIRMED, S.RESUBMITTED, S.ACCEPTED])
def test_no_countdown_after_sending(client, world, state):
    registration = RegistrationFactory(round=world.round, agency=world.ward, state=state)
    client.force_login(world.staff)
    html = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert "Hạn đăng ký" not in html
    assert "còn " not in html.split('id="commitments"')[0]


def test_returned_registration_shows_countdown(client, world):
    registration = RegistrationFactory(
        round=world.round, agency=world.ward, state=S.RETURNED, return_reason="Bổ sung"
    )
    client.force_login(world.staff)
    html = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert 'id="deadline"' in html


def test_report_evidence_column_has_room_for_the_file_input(client, world):
    registration = RegistrationFactory(
        round=world.round, agency=world.ward, state=S.ACCEPTED, target_group=world.group
    )
    client.force_login(world.staff)
    html = client.get(reverse("registrations:report", args=[registration.pk])).content.decode()
    assert '<th style="min-width: 18rem">Minh chứng</th>' in html
    assert html.count('<td class="small evidence-cell" style="min-width: 18rem">') == 2
    assert (
        '<div class="d-flex gap-1 mt-1"><input class="form-control form-control-sm" type="file"' not in html
    )
    assert '<div class="mt-1"><input class="form-control form-control-sm mb-1" type="file"' in html
