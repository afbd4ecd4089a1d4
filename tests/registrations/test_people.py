"""Adding people to a registration: a repeat is refused with a message that says why."""

from django.urls import reverse

from registrations.domain.people import add_individual
from registrations.domain.registration import start_registration
from registrations.forms import IndividualForm


def test_adding_the_same_person_twice_says_already_registered(client, world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    client.force_login(world.staff)
    url = reverse("registrations:individual_add", args=[registration.pk])
    person = world.people[0]
    first = client.post(url, {"person": person.pk, "aimed_title": "Lao động tiên tiến"}, follow=True)
    assert [str(m) for m in first.context["messages"]] == ["Đã thêm Người 1."]
    second = client.post(url, {"person": person.pk}, follow=True)
    assert [str(m) for m in second.context["messages"]] == [
        "Người này (Người 1) đã đăng ký trong đợt thi đua này."
    ]
    assert list(registration.individuals.values_list("person__full_name", flat=True)) == ["Người 1"]


def test_person_list_offers_only_those_not_registered(world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    add_individual(registration, world.people[0], actor=world.staff)
    form = IndividualForm(registration=registration)
    assert [label for _value, label in form.fields["person"].widget.choices] == [
        "---------",
        "Người 2",
        "Người 3",
    ]
    form = IndividualForm({"person": world.people[0].pk}, registration=registration)
    assert form.errors == {"person": ["Người này (Người 1) đã đăng ký trong đợt thi đua này."]}
