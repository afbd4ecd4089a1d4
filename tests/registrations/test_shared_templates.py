"""The pages use the portal's shared pieces: the state badge (colours from common.states) and one
vendored autosave-status script, included by both autosaved pages instead of a copy in each."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from registrations.domain.registration import save_draft, set_registration_state, start_registration
from registrations.models import RegistrationState as S
from tests.factories import RegistrationFactory

SCRIPT = '<script src="/static/js/autosave-status.js"></script>'


def test_state_badges_on_the_lists_and_the_page(client, world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    save_draft(registration, actor=world.staff, pledge="Hoàn thành 100% nhiệm vụ")
    world.group.initiative_required = False
    world.group.save(update_fields=["initiative_required"])
    set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    set_registration_state(registration, S.CONFIRMED, actor=world.head)
    RegistrationFactory(round=world.round, agency=world.other_ward, state=S.RETURNED, return_reason="Thiếu")
    client.force_login(world.home_affairs)
    review = client.get(reverse("registrations:review_list", args=[world.campaign.code])).content.decode()
    assert '<span class="badge text-bg-primary">Thủ trưởng đã xác nhận, chờ Nội vụ duyệt</span>' in review
    assert '<span class="badge text-bg-danger">Nội vụ trả lại để bổ sung</span>' in review
    detail = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert '<span class="badge text-bg-primary">Thủ trưởng đã xác nhận, chờ Nội vụ duyệt</span>' in detail
    client.force_login(world.staff)
    index = client.get(reverse("registrations:index")).content.decode()
    assert index.count('<span class="badge text-bg-primary">') == 1


def test_both_autosaved_pages_include_the_one_script(client, world):
    draft = start_registration(world.round, world.ward, actor=world.staff)
    accepted = RegistrationFactory(
        round=world.round, agency=world.other_ward, state=S.ACCEPTED, target_group=world.group
    )
    client.force_login(world.staff)
    detail = client.get(reverse("registrations:detail", args=[draft.pk])).content.decode()
    client.force_login(world.other_staff)
    report = client.get(reverse("registrations:report", args=[accepted.pk])).content.decode()
    for page in (detail, report):
        assert page.count(SCRIPT) == 1
        assert "htmx:sendError" not in page  # no inline copy left
        assert 'id="save-status"' in page
        assert "data-offline=" in page and "data-failed=" in page
    script = (Path(settings.BASE_DIR) / "static" / "js" / "autosave-status.js").read_text()
    assert script.count('addEventListener("htmx:sendError"') == 1
    assert script.count('addEventListener("htmx:responseError"') == 1
