"""A registration's whole walk through the pages, as the README's tour does it: staff register their
ward (people, an initiative with its file, the pledge), send it, the head confirms, home affairs
returns it, staff send it again, the head confirms again, home affairs accepts; the history names
who moved it each time."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.audit import history_for
from registrations.models import Registration
from registrations.models import RegistrationState as S

from .conftest import PDF_BYTES


def test_registration_walk(client, world):
    client.force_login(world.staff)
    opening = next(
        o
        for o in client.get(reverse("registrations:index")).context["openings"]
        if o["round"].campaign == world.campaign
    )
    client.post(reverse("registrations:start", args=[opening["round"].pk, world.ward.code]))
    registration = Registration.objects.get(campaign=world.campaign, agency=world.ward)
    people = world.people[:2]
    for person in people:
        client.post(reverse("registrations:individual_add", args=[registration.pk]), {"person": person.pk})
    client.post(
        reverse("registrations:initiative_new", args=[registration.pk]),
        {
            "kind": "model",
            "title": "Một cửa không chờ",
            "authors": [people[0].pk],
            "attachment": SimpleUploadedFile("mo-hinh.pdf", PDF_BYTES),
        },
    )
    client.post(
        reverse("registrations:autosave", args=[registration.pk]),
        {"pledge": "Hoàn thành 100% chỉ tiêu cải cách hành chính."},
    )
    users = {"staff": world.staff, "head": world.head, "home_affairs": world.home_affairs}
    steps = [
        ("staff", S.SUBMITTED, ""),
        ("head", S.CONFIRMED, ""),
        ("home_affairs", S.RETURNED, "Bổ sung hiệu quả dự kiến"),
        ("staff", S.RESUBMITTED, ""),
        ("head", S.CONFIRMED, ""),
        ("home_affairs", S.ACCEPTED, ""),
    ]
    for who, target, reason in steps:
        client.force_login(users[who])
        client.post(
            reverse("registrations:transition", args=[registration.pk]), {"target": target, "reason": reason}
        )
        registration.refresh_from_db()
        assert registration.state == target
    assert registration.individuals.count() == 2
    assert registration.initiatives.get().attachments.count() == 1
    assert registration.pledge == "Hoàn thành 100% chỉ tiêu cải cách hành chính."
    states = [
        (e.actor.username, e.changes_dict["state"][1])
        for e in history_for(registration)
        if "state" in e.changes_dict
    ]
    assert states[::-1] == [("staff-a", "draft")] + [(users[who].username, t) for who, t, _r in steps]
    client.force_login(world.home_affairs)
    response = client.get(reverse("registrations:dashboard", args=[world.campaign.code]))
    assert response.status_code == 200
