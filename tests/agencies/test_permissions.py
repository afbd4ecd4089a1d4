import pytest
from django.http import Http404

from agencies.models import Agency, Role
from agencies.rules import get_for_user_or_404, is_home_affairs_for, is_member_of, visible_agencies
from tests.factories import AgencyFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = AgencyFactory(code="city", kind="province_pc")
    ward_a = AgencyFactory(code="ward-a", parent=city)
    ward_b = AgencyFactory(code="ward-b", parent=city)
    other_city = AgencyFactory(code="other", kind="province_pc")
    return city, ward_a, ward_b, other_city


def test_paths_follow_the_tree(tree):
    city, ward_a, _, _ = tree
    assert ward_a.path == "city/ward-a/"
    city.code = "hcm"
    city.save()
    ward_a.refresh_from_db()
    assert ward_a.path == "hcm/ward-a/"


def test_staff_of_agency_a_gets_404_for_agency_b(client, tree):
    _, ward_a, ward_b, _ = tree
    user = user_with_role(Role.STAFF, ward_a)
    client.force_login(user)
    assert client.get(f"/agencies/{ward_a.code}/").status_code == 200
    assert client.get(f"/agencies/{ward_b.code}/").status_code == 404
    assert client.get("/agencies/does-not-exist/").status_code == 404


def test_get_for_user_or_404_hides_other_agencies(tree):
    _, ward_a, ward_b, _ = tree
    user = user_with_role(Role.STAFF, ward_a)
    assert get_for_user_or_404(user, "agencies.view_agency", Agency, code="ward-a") == ward_a
    with pytest.raises(Http404):
        get_for_user_or_404(user, "agencies.view_agency", Agency, code="ward-b")
    with pytest.raises(Http404):
        get_for_user_or_404(user, "agencies.view_agency", Agency.objects.all(), pk="not-a-number")


def test_home_affairs_reaches_the_sub_tree_only(tree):
    city, ward_a, ward_b, other = tree
    officer = user_with_role(Role.HOME_AFFAIRS, city)
    assert is_home_affairs_for(officer, ward_b)
    assert not is_home_affairs_for(officer, other)
    assert set(visible_agencies(officer).values_list("code", flat=True)) == {"city", "ward-a", "ward-b"}
    assert not is_member_of(officer, ward_a)


def test_roles_are_per_agency(tree):
    city, ward_a, ward_b, _ = tree
    user = user_with_role(Role.STAFF, ward_a)
    from tests.factories import MembershipFactory

    MembershipFactory(user=user, agency=ward_b, role=Role.COUNCIL)
    assert is_member_of(user, ward_a)
    assert not is_member_of(user, ward_b)
    assert user.has_perm("agencies.view_agency", ward_b)  # as council member, not as staff
    assert not user.has_perm("agencies.view_agency", city)


def test_history_is_shown_to_home_affairs_only(client, tree):
    city, ward_a, _, _ = tree
    PersonFactory(agency=ward_a, full_name="Lê Thị Thu")
    ward_a.name = "Phường Mới"
    ward_a.save()
    officer = user_with_role(Role.HOME_AFFAIRS, city)
    staff = user_with_role(Role.STAFF, ward_a)
    client.force_login(officer)
    page = client.get("/agencies/ward-a/").content.decode()
    assert "Lịch sử thay đổi" in page
    assert "Phường Mới" in page
    client.force_login(staff)
    page = client.get("/agencies/ward-a/").content.decode()
    assert "Lịch sử thay đổi" not in page
    assert "Lê Thị Thu" in page


def test_directory_list_is_for_home_affairs(client, tree, django_assert_max_num_queries):
    city, ward_a, _, _ = tree
    client.force_login(user_with_role(Role.STAFF, ward_a))
    assert client.get("/agencies/").status_code == 403
    officer = user_with_role(Role.HOME_AFFAIRS, city)
    client.force_login(officer)
    with django_assert_max_num_queries(8):
        response = client.get("/agencies/")
    assert [a.code for a in response.context["agencies"]] == ["city", "ward-a", "ward-b"]
    for n in range(60):
        AgencyFactory(code=f"w{n:03d}", parent=city)
    with django_assert_max_num_queries(8):
        response = client.get("/agencies/")
    assert len(response.context["agencies"]) == 63


def test_history_rows_are_readable(tree):
    from common.audit import change_rows, history_for

    city, ward_a, _, _ = tree
    created = history_for(ward_a).get()
    rows = {label: after for label, _before, after in change_rows(created)}
    assert rows == {
        "Mã": "ward-a",
        "Tên": ward_a.name,
        "Loại": "UBND xã, phường, thị trấn, đặc khu",
        "Cơ quan cấp trên": city.name,
        "Thư điện tử": "–",
        "Địa chỉ": "–",
    }
    ward_a.name = "Phường Hai"
    ward_a.save()
    updated = history_for(ward_a).first()
    assert change_rows(updated) == [("Tên", created.changes_dict["name"][1], "Phường Hai")]


def test_user_display_name_is_family_name_first():
    from common.display import user_display_name
    from tests.factories import UserFactory

    assert (
        user_display_name(UserFactory(username="tt", first_name="Thu Hà", last_name="Lê Thị"))
        == "Lê Thị Thu Hà"
    )
    assert user_display_name(UserFactory(username="nobody")) == "nobody"
    assert user_display_name(None) == ""
