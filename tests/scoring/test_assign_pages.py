"""The assignment page for people's registrations and initiatives (beside agencies' registrations)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agencies.models import AgencyKind, Role
from campaigns.models import TargetGroupKind
from registrations.models import Initiative
from scoring.models import ReviewAssignment
from scoring.reviews import assign_reviewer, save_score
from tests.factories import AgencyFactory, CriterionFactory, PersonFactory, TargetGroupFactory, user_with_role


class Setup:
    def __init__(self, plan, agencies=1):
        self.plan = plan
        self.campaign = plan.campaign
        self.collective = TargetGroupFactory(
            campaign=self.campaign, code="tap-the", kind=TargetGroupKind.COLLECTIVE
        )
        self.people_group = TargetGroupFactory(
            campaign=self.campaign, code="ca-nhan", kind=TargetGroupKind.INDIVIDUAL, person_kinds=[]
        )
        self.initiative_group = TargetGroupFactory(
            campaign=self.campaign, code="sang-kien", kind=TargetGroupKind.INITIATIVE
        )
        for group in (self.collective, self.people_group, self.initiative_group):
            CriterionFactory(target_group=group, code="c1", max_points=Decimal("10"))
        self.officer = user_with_role(Role.HOME_AFFAIRS, self.campaign.issuer, username="noivu-pc")
        self.council = user_with_role(
            Role.COUNCIL, self.campaign.issuer, username="hoidong-pc", last_name="Lê Thị Thu", first_name="Hà"
        )
        self.council2 = user_with_role(
            Role.COUNCIL,
            self.campaign.issuer,
            username="hoidong-pc2",
            last_name="Phạm Văn",
            first_name="Bình",
        )
        self.individuals, self.initiatives = [], []
        for n in range(agencies):
            self.add(n)

    def add(self, n):
        registration = self.plan.register(self.plan.agency(f"so-{n:02d}"))
        registration.target_group = self.collective
        registration.save()
        person = PersonFactory(agency=registration.agency, full_name=f"Trần Thị {n:02d}")
        self.individuals.append(self.plan.individual(registration, person))
        self.initiatives.append(
            Initiative.objects.create(registration=registration, title=f"Sáng kiến {n:02d}")
        )


@pytest.fixture
def setup(plan):
    return Setup(plan)


def url(setup):
    return reverse("scoring:assign", args=[setup.campaign.code])


def test_tabs_list_people_and_initiatives(setup, client):
    client.force_login(setup.officer)
    response = client.get(url(setup), {"kind": "individual"})
    assert [(code, str(label), n) for code, label, n in response.context["tabs"]] == [
        ("collective", "Tập thể", 1),
        ("individual", "Cá nhân", 1),
        ("initiative", "Sáng kiến", 1),
    ]
    assert list(response.context["rows"]) == setup.individuals
    assert "Trần Thị 00" in response.content.decode()
    response = client.get(url(setup), {"kind": "initiative"})
    assert list(response.context["rows"]) == setup.initiatives
    # An odd kind is the default tab, not an error.
    assert client.get(url(setup), {"kind": "x" * 500}).context["kind"] == "collective"


def test_assign_a_person_and_an_initiative(setup, client):
    client.force_login(setup.officer)
    individual, initiative = setup.individuals[0], setup.initiatives[0]
    response = client.post(
        url(setup),
        {"action": "manual", "kind": "individual", "subject": individual.pk, "reviewer": setup.council.pk},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Đã phân công Lê Thị Thu Hà chấm Trần Thị 00 (Sở so-00)."
    ]
    assert response.redirect_chain[-1][0].endswith("?kind=individual")
    client.post(
        url(setup),
        {"action": "manual", "kind": "initiative", "subject": initiative.pk, "reviewer": setup.council.pk},
    )
    rows = ReviewAssignment.objects.values_list(
        "individual", "initiative", "target_group__code", "reviewer__username"
    )
    assert sorted(rows, key=str) == sorted(
        [(individual.pk, None, "ca-nhan", "hoidong-pc"), (None, initiative.pk, "sang-kien", "hoidong-pc")],
        key=str,
    )


def test_bulk_assignment_of_initiatives(plan, client):
    setup = Setup(plan, agencies=3)
    client.force_login(setup.officer)
    assign_reviewer(
        setup.initiatives[0].registration, setup.council, actor=setup.officer, initiative=setup.initiatives[0]
    )
    response = client.post(
        url(setup),
        {
            "action": "bulk",
            "kind": "initiative",
            "subjects": [i.pk for i in setup.initiatives],
            "reviewers": [setup.council.pk, setup.council2.pk],
        },
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Đã tạo 5 phân công.",
        "Sáng kiến 00: Lê Thị Thu Hà đã được phân công chấm hồ sơ này.",
    ]
    assert ReviewAssignment.objects.filter(initiative__isnull=False).count() == 6
    # One notification per reviewer for the bulk action.
    assert setup.council2.notifications.count() == 1
    assert setup.council2.notifications.get().title.startswith("Bạn được phân công chấm 3 hồ sơ: ")


def test_a_reviewer_who_is_not_council_or_home_affairs_of_the_plan_is_refused(setup, client):
    client.force_login(setup.officer)
    other_agency = AgencyFactory(code="so-khac", kind=AgencyKind.DEPARTMENT, parent=setup.campaign.issuer)
    staff = user_with_role(Role.STAFF, other_agency, username="canbo-khac")
    leader = user_with_role(Role.LEADERSHIP, setup.campaign.issuer, username="lanhdao-pc")
    for kind, subject in (("individual", setup.individuals[0]), ("initiative", setup.initiatives[0])):
        for user in (staff, leader):
            response = client.post(
                url(setup),
                {"action": "manual", "kind": kind, "subject": subject.pk, "reviewer": user.pk},
                follow=True,
            )
            assert [str(m) for m in response.context["messages"]] == [
                f"{user.username} không phải cán bộ Nội vụ hay thành viên Hội đồng của kế hoạch này."
            ]
    response = client.post(
        url(setup),
        {
            "action": "bulk",
            "kind": "individual",
            "subjects": [setup.individuals[0].pk],
            "reviewers": [staff.pk],
        },
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Hãy chọn ít nhất một hồ sơ và một người chấm."]
    assert ReviewAssignment.objects.count() == 0


def test_unassign_and_its_refusal_once_scored(setup, client):
    client.force_login(setup.officer)
    individual = setup.individuals[0]
    kept = assign_reviewer(individual.registration, setup.council, actor=setup.officer, individual=individual)
    gone = assign_reviewer(
        individual.registration, setup.council2, actor=setup.officer, individual=individual
    )
    save_score(kept, setup.people_group.criteria.get(), "8", "", None, actor=setup.council)
    response = client.post(
        url(setup), {"action": "unassign", "kind": "individual", "assignment": gone.pk}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Đã gỡ phân công Phạm Văn Bình."]
    response = client.post(
        url(setup), {"action": "unassign", "kind": "individual", "assignment": kept.pk}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Lê Thị Thu Hà đã chấm hồ sơ này nên không gỡ phân công được (điểm đã chấm được giữ lại). "
        "Nếu người chấm có xung đột lợi ích, họ tự khai trên trang chấm điểm."
    ]
    assert list(ReviewAssignment.objects.values_list("pk", flat=True)) == [kept.pk]


def test_final_score_for_a_person(setup, client):
    client.force_login(setup.officer)
    individual = setup.individuals[0]
    client.post(
        url(setup),
        {
            "action": "override",
            "kind": "individual",
            "subject": individual.pk,
            "score": "7,5",
            "reason": "Hội đồng",
        },
    )
    override = individual.score_overrides.get()
    assert (override.score, override.reason) == (Decimal("7.5"), "Hội đồng")


def test_another_province_is_not_found(setup, client):
    other = AgencyFactory(code="tinh-b", kind=AgencyKind.PROVINCE_PC)
    outsider = user_with_role(Role.HOME_AFFAIRS, other)
    client.force_login(outsider)
    assert client.get(url(setup), {"kind": "individual"}).status_code == 404
    response = client.post(
        url(setup),
        {
            "action": "manual",
            "kind": "individual",
            "subject": setup.individuals[0].pk,
            "reviewer": outsider.pk,
        },
    )
    assert response.status_code == 404
    assert ReviewAssignment.objects.count() == 0


@pytest.mark.parametrize("kind", ["collective", "individual", "initiative"])
def test_page_queries_do_not_grow_with_rows(plan, client, django_assert_max_num_queries, kind):
    setup = Setup(plan, agencies=1)
    client.force_login(setup.officer)

    def assign_all():
        for n in range(len(setup.individuals)):
            subject = {
                "collective": {},
                "individual": {"individual": setup.individuals[n]},
                "initiative": {"initiative": setup.initiatives[n]},
            }[kind]
            registration = setup.individuals[n].registration
            if not ReviewAssignment.objects.filter(
                reviewer=setup.council, registration=registration, **subject
            ).exists():
                assign_reviewer(registration, setup.council, actor=setup.officer, **subject)

    assign_all()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url(setup), {"kind": kind}).status_code == 200
    for n in range(1, 8):
        setup.add(n)
    assign_all()
    with django_assert_max_num_queries(len(one)):
        response = client.get(url(setup), {"kind": kind})
    assert len(response.context["rows"]) == 8


def test_a_tab_without_criteria_says_so_and_offers_no_assignment(setup, client):
    setup.initiative_group.delete()
    client.force_login(setup.officer)
    page = client.get(url(setup), {"kind": "initiative"}).content.decode()
    assert "Kế hoạch chưa có bộ tiêu chí chấm sáng kiến nên chưa phân công chấm sáng kiến được." in page
    assert 'value="manual"' not in page and 'id="bulk-form"' not in page and ">Thêm<" not in page
    assert "Sáng kiến 00" in page  # the list is still shown
    setup.people_group.delete()
    page = client.get(url(setup), {"kind": "individual"}).content.decode()
    assert "Kế hoạch chưa có bộ tiêu chí chấm cá nhân" in page and 'value="manual"' not in page
    page = client.get(url(setup), {"kind": "collective"}).content.decode()
    assert 'id="no-criteria"' not in page and 'value="manual"' in page and 'value="spread"' in page


def test_people_are_named_not_their_logins(setup, client):
    client.force_login(setup.officer)
    registration = setup.individuals[0].registration
    assign_reviewer(registration, setup.council, actor=setup.officer)
    page = client.get(url(setup)).content.decode()
    assert "hoidong-pc" not in page
    assert f'<option value="{setup.council.pk}">Lê Thị Thu Hà</option>' in page
    assert 'aria-label="Bỏ phân công Lê Thị Thu Hà"' in page
    # The notification the reviewer receives and the refusal name people too.
    response = client.post(
        url(setup),
        {"action": "manual", "kind": "collective", "subject": registration.pk, "reviewer": setup.council.pk},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Lê Thị Thu Hà đã được phân công chấm hồ sơ này."
    ]


def test_breadcrumb_shows_the_plan_title_and_every_field_is_labelled(setup, client):
    setup.campaign.title = "Kế hoạch thi đua " + " ".join(f"nội dung {n}" for n in range(20))
    setup.campaign.save()
    client.force_login(setup.officer)
    page = client.get(url(setup)).content.decode()
    breadcrumb = page.split('aria-label="breadcrumb"')[1].split("</nav>")[0]
    assert setup.campaign.code not in breadcrumb.split('href="')[1].split('"', 1)[1]
    assert ">Kế hoạch thi đua nội dung 0 nội dung 1 nội dung …</a>" in breadcrumb
    assert '<label class="form-label small mb-1" for="spread-per">Số người chấm mỗi hồ sơ</label>' in page
    assert 'id="spread-per"' in page and 'for="spread-bloc"' in page and 'for="spread-reviewers"' in page
    assert 'for="bulk-reviewers"' in page
