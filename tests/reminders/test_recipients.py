"""Who receives a reminder: the staff and the head of each agency, as the directory answers it
(``agencies.rules.holders_by_agency``: one query for every agency of a run, locked accounts left out)."""

import pytest

from agencies.models import Role
from agencies.rules import holders, holders_by_agency
from common.models import Notification
from registrations.reminders.domain import run_due_reminders
from tests.factories import AgencyFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_a_locked_account_gets_no_reminder(world, at):
    ward = world.wards[0]
    locked = world.head[ward.pk]
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    summary = run_due_reminders(at("2027-03-07T08:00"), dispatch=None)
    assert (summary.reminders, summary.notifications) == (4, 7)
    assert list(Notification.objects.filter(recipient=locked)) == []
    assert Notification.objects.filter(recipient=world.staff[ward.pk]).count() == 1


def test_holders_of_many_agencies_in_one_query(world, django_assert_num_queries):
    province = world.wards[0].parent
    officer = user_with_role(Role.HOME_AFFAIRS, province, username="noivu-2")
    district = AgencyFactory(parent=province, code="quan")
    village = AgencyFactory(parent=district, code="xa-trong-quan")
    district_officer = user_with_role(Role.HOME_AFFAIRS, district, username="noivu-quan")
    village_staff = user_with_role(Role.STAFF, village, username="canbo-xa")
    locked = user_with_role(Role.HOME_AFFAIRS, district, username="noivu-khoa", is_active=False)
    agencies = [*world.wards[:2], village]
    with django_assert_num_queries(1):
        found = holders_by_agency(agencies, Role.STAFF, Role.HOME_AFFAIRS)
    first, second = world.wards[:2]
    noivu = holders(province, Role.HOME_AFFAIRS).order_by("pk").values_list("pk", flat=True)
    assert found == {
        first.pk: sorted([world.staff[first.pk].pk, *noivu]),
        second.pk: sorted([world.staff[second.pk].pk, *noivu]),
        village.pk: sorted([village_staff.pk, district_officer.pk, *noivu]),
    }
    assert officer.pk in noivu and locked.pk not in found[village.pk]
    # The same answer as ``holders`` agency by agency.
    for agency in agencies:
        one = sorted(holders(agency, Role.STAFF, Role.HOME_AFFAIRS).values_list("pk", flat=True))
        assert found[agency.pk] == one
