"""Seed 003: "mỗi cá nhân ... đăng ký một sáng kiến" as plan data (TargetGroup.initiative_per_person)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from agencies.models import PersonKind
from campaigns.models import TargetGroup, TargetGroupKind
from registrations.domain.people import add_individual
from registrations.domain.registration import save_draft, set_registration_state, start_registration
from registrations.errors import RegistrationError
from registrations.models import IndividualRegistration, Initiative, Registration
from registrations.models import RegistrationState as S
from registrations.queries.initiatives import people_without_initiative


def individual_group(world, *, per_person=True, person_kinds=(), code="ca-nhan"):
    return TargetGroup.objects.create(
        campaign=world.campaign,
        code=code,
        name="Cán bộ, công chức",
        kind=TargetGroupKind.INDIVIDUAL,
        person_kinds=list(person_kinds),
        initiative_per_person=per_person,
    )


def registration_with_people(world):
    """A draft with a pledge, three people and one initiative authored by the first."""
    registration = start_registration(world.round, world.ward, actor=world.staff)
    save_draft(registration, actor=world.staff, pledge="Hoàn thành 100% nhiệm vụ")
    for person in world.people:
        add_individual(registration, person, actor=world.staff)
    initiative = Initiative.objects.create(registration=registration, title="Một cửa số")
    initiative.authors.set([world.people[0]])
    return registration, initiative


def test_rule_off_a_person_without_initiative_may_register(world):
    individual_group(world, per_person=False)
    registration, _initiative = registration_with_people(world)
    set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    assert Registration.objects.get(pk=registration.pk).state == S.SUBMITTED


def test_rule_on_sending_is_refused_naming_the_people_and_nothing_is_lost(world):
    individual_group(world)
    registration, initiative = registration_with_people(world)
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    assert exc.value.code == "initiative_per_person"
    assert exc.value.messages == [
        "Kế hoạch yêu cầu mỗi cá nhân đăng ký thi đua đăng ký một sáng kiến, giải pháp hoặc cách làm hay. "
        "Chưa là tác giả của sáng kiến nào: Người 2, Người 3. Hãy thêm sáng kiến hoặc ghi những người "
        "này vào tác giả của sáng kiến đã có."
    ]
    registration.refresh_from_db()
    assert registration.state == S.DRAFT and registration.submitted_at is None
    assert IndividualRegistration.objects.filter(registration=registration).count() == 3
    assert registration.pledge == "Hoàn thành 100% nhiệm vụ"
    # One more initiative by the other two: now it goes.
    second = Initiative.objects.create(registration=registration, title="Tra cứu hồ sơ qua Zalo")
    second.authors.set(world.people[1:])
    set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    assert Registration.objects.get(pk=registration.pk).state == S.SUBMITTED


def test_only_people_of_a_flagged_group_need_one(world):
    individual_group(world, person_kinds=[PersonKind.OFFICIAL], code="lanh-dao")
    individual_group(world, per_person=False, person_kinds=[PersonKind.CIVIL_SERVANT], code="cong-chuc")
    world.people[2].kind = PersonKind.OFFICIAL
    world.people[2].save()
    registration, _initiative = registration_with_people(world)  # people 1, 2 are civil servants
    assert [p.full_name for p in people_without_initiative(registration)] == ["Người 3"]


def test_confirming_is_refused_when_the_plan_asks_after_sending(world):
    group = individual_group(world, per_person=False)
    registration, _initiative = registration_with_people(world)
    set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    group.initiative_per_person = True  # the plan was amended meanwhile
    group.save()
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(registration, S.CONFIRMED, actor=world.head)
    assert exc.value.messages[0].endswith(
        "Người 2, Người 3. Hãy thêm sáng kiến hoặc ghi những người này vào tác giả của sáng kiến đã có. "
        "Đề nghị cán bộ phụ trách thi đua rút đăng ký về để bổ sung rồi gửi lại."
    )
    assert Registration.objects.get(pk=registration.pk).state == S.SUBMITTED


def test_the_page_shows_the_rule_and_who_has_no_initiative(world, client):
    individual_group(world)
    registration, _initiative = registration_with_people(world)
    client.force_login(world.staff)
    response = client.get(reverse("registrations:detail", args=[registration.pk]))
    page = response.content.decode()
    assert 'id="initiative-per-person"' in page
    assert response.context["without_initiative"] == {world.people[1].pk, world.people[2].pk}
    assert page.count("chưa có sáng kiến</span>") == 2
    form = client.get(reverse("registrations:initiative_new", args=[registration.pk])).context["form"]
    assert form.fields["authors"].help_text.startswith("Kế hoạch yêu cầu mỗi cá nhân đăng ký thi đua")
    # And the page sends the refusal back as a message, keeping the draft.
    response = client.post(
        reverse("registrations:transition", args=[registration.pk]), {"target": S.SUBMITTED}, follow=True
    )
    assert (
        "Chưa là tác giả của sáng kiến nào: Người 2, Người 3."
        in [str(m) for m in response.context["messages"]][0]
    )


def test_without_the_rule_the_page_says_nothing(world, client):
    individual_group(world, per_person=False)
    registration, _initiative = registration_with_people(world)
    client.force_login(world.staff)
    page = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert 'id="initiative-per-person"' not in page and "chưa có sáng kiến</span>" not in page


def test_the_database_refuses_the_flag_on_a_collective_group(world):
    world.group.initiative_per_person = True
    with pytest.raises(IntegrityError), transaction.atomic():
        world.group.save()


def test_the_check_reads_a_constant_number_of_queries(world, django_assert_num_queries):
    from tests.factories import PersonFactory

    individual_group(world)
    registration, _initiative = registration_with_people(world)
    registration = Registration.objects.select_related("campaign").get(pk=registration.pk)
    with django_assert_num_queries(3):
        assert len(people_without_initiative(registration)) == 2
    for n in range(10):
        person = PersonFactory(agency=world.ward, code=f"them-{n}", full_name=f"Thêm {n}")
        add_individual(registration, person, actor=world.staff)
    with django_assert_num_queries(3):
        assert len(people_without_initiative(registration)) == 12
