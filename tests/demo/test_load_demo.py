"""``load_demo`` (what ``make run`` loads): the starting point of the README's tour, and a second run
changes nothing.

The one test of the suite that loads the whole demo and reads it back; every other test builds its own
world with the factories (tests/factories), so a change of the demo's data breaks only this module
(and the browser suite's tour of the demo homes, tests/e2e/test_homes.py)."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from agencies.models import Agency, Membership, Role
from campaigns.models import Campaign, MilestoneKind
from common.models import EmailStatus, Notification
from registrations.models import Registration
from registrations.notices import RegistrationNotice
from scoring.models import CandidateResult
from scoring.queries import latest_run
from scoring.results import compute_results
from scoring.warnings import warnings_for

pytestmark = pytest.mark.django_db


def rows_per_model() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_load_demo_sets_up_the_tour_and_a_second_run_changes_nothing(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert out.getvalue().splitlines()[-1] == (
        "Demo loaded. Accounts: admin, noivu, canbo, thutruong, hoidong, lanhdao."
    )
    loaded = rows_per_model()
    call_command("load_demo", stdout=io.StringIO())
    assert rows_per_model() == loaded

    # The accounts of the tour, with their password and roles.
    roles = dict(
        Membership.objects.filter(agency__code__in=["hcm", "p-binhtan"]).values_list("user__username", "role")
    )
    assert roles == {
        "admin": Role.SYSTEM_ADMIN,
        "noivu": Role.HOME_AFFAIRS,
        "canbo": Role.STAFF,
        "thutruong": Role.HEAD,
        "hoidong": Role.COUNCIL,
        "lanhdao": Role.LEADERSHIP,
        **{f"hoidong{n}": Role.COUNCIL for n in range(2, 6)},
    }
    response = client.post("/accounts/login/", {"username": "canbo", "password": "demo-2026"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert Agency.objects.get(code="hcm-binhtan").dissolved_on.isoformat() == "2025-07-01"

    # The plans: the five seeds, closed, and demo-2027 open for registration for 14 days.
    assert Campaign.objects.filter(state="closed").count() == 5  # the seeds (tests/demo/test_plans.py)
    current = Campaign.objects.get(code="demo-2027")
    deadline = current.milestones.get(kind=MilestoneKind.REGISTRATION_DEADLINE).due_on
    assert (deadline - timezone.localdate()).days == 14

    # Registrations of demo-2027 in every state but Bình Tân's, which canbo makes in the tour.
    assert sorted(Registration.objects.filter(campaign=current).values_list("agency__code", "state")) == [
        ("hcm-stc", "returned"),
        ("hcm-stp", "submitted"),
        ("p-anlac", "accepted"),
        ("p-btd", "draft"),
        ("p-tantao", "confirmed"),
    ]

    # canbo's bell shows the reminder of the registration deadline (written once).
    canbo = get_user_model().objects.get(username="canbo")
    reminder = Notification.objects.get(recipient=canbo, kind=RegistrationNotice.DEADLINE_REMINDER)
    assert reminder.title == (
        f"Nhắc hạn: Hạn đăng ký thi đua – còn 14 ngày (hết ngày {date_format(deadline, 'd/m/Y')})"
    )
    assert (reminder.email_status, reminder.read_at) == (EmailStatus.NOT_REQUESTED, None)
    client.force_login(canbo)
    unread = Notification.objects.filter(recipient=canbo, read_at__isnull=True).count()
    assert f'data-unread="{unread}"' in client.get(reverse("home")).content.decode()
    assert reminder.title in client.get(reverse("common:notifications")).content.decode()

    # hcmc-par-2022 (seed 002) has its results: a third of each bloc among the "Tốt", a tie in the
    # districts' bloc for the council, and the warnings of the plan's rule.
    par = Campaign.objects.get(code="hcmc-par-2022")
    results = CandidateResult.objects.filter(run=latest_run(par), kind="collective")
    listed = results.filter(Q(proposed=True) | Q(tie_at_cutoff=True))
    assert sorted(listed.values_list("agency__code", "tie_at_cutoff")) == [
        ("hcm-q1", True),
        ("hcm-q3", True),
        ("hcm-snv", False),
        ("hcm-stc", False),
        ("hcm-stp", False),
        ("hcm-sxd", False),
        ("hcm-thuduc", False),
    ]
    assert [w.agency.code for w in warnings_for(par, 2022)] == [
        "hcm-skhcn",
        "hcm-svhtt",
        "hcm-sdl",
        "hcm-nhabe",
    ]

    # demo-2027's Giấy khen needs an accepted registration (issue 9 item 18): phường An Lạc's only.
    giay_khen = current.award_forms.get(code="giay-khen-snv")
    assert (giay_khen.require_accepted_registration, giay_khen.individual_ranking_key) == (
        True,
        "staff_rating",
    )
    passed = CandidateResult.objects.filter(
        run=compute_results(current), award_form=giay_khen, kind="collective", gate_registration=True
    )
    assert [r.agency.code for r in passed] == ["p-anlac"]
