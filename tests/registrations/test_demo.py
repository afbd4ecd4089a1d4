from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from agencies.models import Person
from campaigns.models import Campaign
from common.audit import history_for
from registrations.models import Registration
from registrations.models import RegistrationState as S

from .conftest import PDF_BYTES


def test_demo_walk(client, db):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    campaign = Campaign.objects.get(code="demo-2027")
    assert not Registration.objects.filter(campaign=campaign, agency__code="p-binhtan").exists()
    assert sorted(Registration.objects.filter(campaign=campaign).values_list("agency__code", "state")) == [
        ("hcm-stc", "returned"),
        ("hcm-stp", "submitted"),
        ("p-anlac", "accepted"),
        ("p-btd", "draft"),
        ("p-tantao", "confirmed"),
    ]
    users = {u.username: u for u in get_user_model().objects.all()}
    client.force_login(users["canbo"])
    opening = next(
        o
        for o in client.get(reverse("registrations:index")).context["openings"]
        if o["round"].campaign == campaign
    )
    client.post(reverse("registrations:start", args=[opening["round"].pk, "p-binhtan"]))
    registration = Registration.objects.get(campaign=campaign, agency__code="p-binhtan")
    people = Person.objects.filter(agency__code="p-binhtan", code__in=["pbt-04", "pbt-05"])
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
    steps = [
        ("canbo", S.SUBMITTED, ""),
        ("thutruong", S.CONFIRMED, ""),
        ("noivu", S.RETURNED, "Bổ sung hiệu quả dự kiến"),
        ("canbo", S.RESUBMITTED, ""),
        ("thutruong", S.CONFIRMED, ""),
        ("noivu", S.ACCEPTED, ""),
    ]
    for username, target, reason in steps:
        client.force_login(users[username])
        client.post(
            reverse("registrations:transition", args=[registration.pk]), {"target": target, "reason": reason}
        )
        registration.refresh_from_db()
        assert registration.state == target
    assert registration.individuals.count() == 2
    assert registration.initiatives.get().attachments.count() == 1
    states = [
        (e.actor.username, e.changes_dict["state"][1])
        for e in history_for(registration)
        if "state" in e.changes_dict
    ]
    assert states[::-1] == [("canbo", "draft")] + [(u, t) for u, t, _r in steps]
    client.force_login(users["noivu"])
    response = client.get(reverse("registrations:dashboard", args=["demo-2027"]))
    assert response.status_code == 200
