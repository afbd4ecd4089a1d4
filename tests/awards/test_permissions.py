"""Every view per role, with a second province: other scopes get 404; council members see only
their sessions; agency staff only the public page."""

import pytest

from agencies.models import Role
from awards.domain import council as councils
from awards.domain import proposal_list as lists
from tests.factories import AgencyFactory, award_form_with_quota, council_of, user_with_role

from .conftest import Cycle


@pytest.fixture
def world(db):
    home = Cycle(council_size=3)
    plist = lists.make_list(home.campaign, home.form, actor=home.officer)
    session = councils.open_session(
        plist, actor=home.officer, members=home.council[:2], secretary=home.officer, held_on=home.day
    )
    other_province = AgencyFactory(code="hn", name="UBND Hà Nội")
    users = {
        "officer": home.officer,
        "leader": home.leader,
        "member": home.council[0],
        "council_not_in_session": home.council[2],
        "staff": user_with_role(Role.STAFF, home.agencies["a1"]),
        "other_officer": user_with_role(Role.HOME_AFFAIRS, other_province),
        "other_leader": user_with_role(Role.LEADERSHIP, other_province),
        "other_council": council_of(other_province, 1, prefix="hn")[0],
    }
    return home, plist, session, users


# (view, url pattern, method) -> roles that get 200/302; every other role gets 404
VIEWS = [
    ("list", "/awards/list/{list}/", "get", {"officer", "leader", "member"}),
    ("export", "/awards/list/{list}/export.xlsx", "get", {"officer", "leader", "member"}),
    ("add", "/awards/list/{list}/add/", "post", {"officer"}),
    ("withdraw", "/awards/list/{list}/withdraw/", "post", {"officer"}),
    ("open_session", "/awards/list/{list}/session/", "post", {"officer"}),
    ("approve", "/awards/list/{list}/approve/", "post", {"leader"}),
    ("return", "/awards/list/{list}/return/", "post", {"leader"}),
    ("session", "/awards/session/{session}/", "get", {"officer", "member"}),
    ("vote", "/awards/session/{session}/vote/", "post", {"member"}),
    ("written", "/awards/session/{session}/written/", "post", {"officer"}),
    ("tie", "/awards/session/{session}/tie/", "post", {"officer"}),
    ("close", "/awards/session/{session}/close/", "post", {"officer"}),
]
ROLES = ["officer", "leader", "member", "council_not_in_session", "staff", "other_officer", "other_leader",
         "other_council"]  # fmt: skip


@pytest.mark.parametrize(("name", "pattern", "method", "allowed"), VIEWS, ids=[v[0] for v in VIEWS])
def test_each_role_reaches_only_its_views(client, world, name, pattern, method, allowed):
    home, plist, session, users = world
    url = pattern.format(list=plist.pk, session=session.pk)
    got = {}
    for role in ROLES:
        client.force_login(users[role])
        data = {"member": session.members.first().pk} if name == "written" else {}
        response = getattr(client, method)(url, data)
        got[role] = response.status_code
    expected = {role: (404 if role not in allowed else got[role]) for role in ROLES}
    assert got == expected
    assert all(got[role] in (200, 302) for role in allowed), got


def test_index_lists_only_reached_lists_and_own_sessions(client, world):
    home, plist, session, users = world
    client.force_login(users["member"])
    page = client.get("/awards/").content.decode()
    assert f"/awards/session/{session.pk}/" in page
    client.force_login(users["other_council"])
    page = client.get("/awards/").content.decode()
    assert f"/awards/session/{session.pk}/" not in page and f"/awards/list/{plist.pk}/" not in page
    client.force_login(users["other_officer"])
    assert f"/awards/list/{plist.pk}/" not in client.get("/awards/").content.decode()


def test_other_province_cannot_make_a_list_of_this_plan(client, world):
    home, plist, session, users = world
    other = award_form_with_quota(home.campaign, code="gk-2")
    client.force_login(users["other_officer"])
    assert client.post(f"/awards/make/{home.campaign.code}/", {"award_form": other.pk}).status_code == 404


def test_public_page_is_404_before_the_decision(client, world):
    home, plist, session, users = world
    client.force_login(users["staff"])
    assert client.get(f"/awards/results/{home.campaign.code}/").status_code == 404
