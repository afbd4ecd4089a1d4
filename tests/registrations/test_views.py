import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from registrations.domain.evidence import attach_evidence
from registrations.domain.people import add_individual
from registrations.domain.registration import save_draft, set_registration_state, start_registration
from registrations.errors import RegistrationError
from registrations.models import EvidenceFile, Initiative, Registration
from registrations.models import RegistrationState as S
from tests.factories import AgencyFactory, BlocMembershipFactory, RegistrationFactory
from tests.imports import confirm, preview

from .conftest import EXE_BYTES, PDF_BYTES


def _registration(world):
    return start_registration(world.round, world.ward, actor=world.staff)


def test_index_offers_open_round(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("registrations:index"))
    assert response.status_code == 200
    assert response.context["openings"][0]["agency"] == world.ward
    assert response.context["openings"][0]["round"] == world.round


def test_acceptance_walk_in_browser(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("registrations:start", args=[world.round.pk, world.ward.code]))
    registration = Registration.objects.get(agency=world.ward)
    assert response.url == reverse("registrations:detail", args=[registration.pk])
    url = reverse("registrations:detail", args=[registration.pk])
    for person in world.people[:2]:
        client.post(
            reverse("registrations:individual_add", args=[registration.pk]),
            {"person": person.pk, "aimed_title": "Lao động tiên tiến"},
        )
    assert sorted(registration.individuals.values_list("person__full_name", flat=True)) == [
        "Người 1",
        "Người 2",
    ]
    response = client.post(
        reverse("registrations:initiative_new", args=[registration.pk]),
        {
            "kind": "initiative",
            "title": "Tiếp nhận hồ sơ qua Zalo",
            "reform_area": world.area.pk,
            "problem": "Người dân phải đi lại nhiều lần",
            "description": "Nhận hồ sơ trực tuyến",
            "expected_effect": "Giảm 30% thời gian",
            "authors": [world.people[0].pk],
            "attachment": SimpleUploadedFile("de-an.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.attachments.get().original_name == "de-an.pdf"
    assert initiative.attachments.get().content_type == "application/pdf"
    first = world.campaign.contents.first()
    client.post(reverse("registrations:autosave", args=[registration.pk]), {f"commitment-{first.pk}": "60%"})
    client.post(reverse("registrations:transition", args=[registration.pk]), {"target": S.SUBMITTED})
    registration.refresh_from_db()
    assert registration.state == S.SUBMITTED

    client.force_login(world.head)
    client.post(reverse("registrations:transition", args=[registration.pk]), {"target": S.CONFIRMED})
    registration.refresh_from_db()
    assert registration.state == S.CONFIRMED

    client.force_login(world.home_affairs)
    client.post(
        reverse("registrations:transition", args=[registration.pk]),
        {"target": S.RETURNED, "reason": "Bổ sung cam kết nội dung 2"},
    )
    registration.refresh_from_db()
    assert (registration.state, registration.return_reason) == (S.RETURNED, "Bổ sung cam kết nội dung 2")

    client.force_login(world.staff)
    client.post(
        reverse("registrations:autosave", args=[registration.pk]),
        {f"commitment-{world.campaign.contents.last().pk}": "Cam kết bổ sung"},
    )
    client.post(reverse("registrations:transition", args=[registration.pk]), {"target": S.RESUBMITTED})
    client.force_login(world.head)
    client.post(reverse("registrations:transition", args=[registration.pk]), {"target": S.CONFIRMED})
    client.force_login(world.home_affairs)
    client.post(reverse("registrations:transition", args=[registration.pk]), {"target": S.ACCEPTED})
    registration.refresh_from_db()
    assert registration.state == S.ACCEPTED

    response = client.get(url)
    history = [
        (e.actor.username, e.changes_dict["state"][1])
        for e in response.context["history"]
        if "state" in e.changes_dict
    ]
    assert history[::-1] == [
        ("staff-a", "draft"),
        ("staff-a", "submitted"),
        ("head-a", "confirmed"),
        ("noivu-city", "returned"),
        ("staff-a", "resubmitted"),
        ("head-a", "confirmed"),
        ("noivu-city", "accepted"),
    ]
    assert "Bổ sung cam kết nội dung 2" in response.content.decode()


def test_late_submission_message_on_page(client, world):
    registration = _registration(world)
    Initiative.objects.create(registration=registration, title="x")
    world.deadline.due_on = world.round.starts_on
    world.deadline.save()
    client.force_login(world.staff)
    response = client.post(
        reverse("registrations:transition", args=[registration.pk]), {"target": S.SUBMITTED}, follow=True
    )
    assert "Đã quá hạn đăng ký thi đua" in response.content.decode()
    registration.refresh_from_db()
    assert registration.state == S.DRAFT


def test_autosave_htmx(client, world):
    registration = _registration(world)
    content = world.campaign.contents.first()
    client.force_login(world.staff)
    response = client.post(
        reverse("registrations:autosave", args=[registration.pk]),
        {"pledge": "Quyết tâm", f"commitment-{content.pk}": "Hoàn thành 100%"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Đã lưu lúc" in response.content.decode()
    registration.refresh_from_db()
    assert registration.pledge == "Quyết tâm"
    assert registration.commitments.get(content=content).text == "Hoàn thành 100%"


def test_detail_shows_time_left(client, world):
    registration = _registration(world)
    client.force_login(world.staff)
    body = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert "Hạn đăng ký:" in body
    assert "còn 1" in body  # "còn 10 ngày" / "còn 1 tuần, ..." depending on the clock


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bao-cao.pdf", EXE_BYTES, "không phải PDF, DOCX, XLSX, JPG hoặc PNG"),
        ("lon.pdf", PDF_BYTES + b"0" * (25 * 1024 * 1024), "vượt quá giới hạn 20,0\xa0MB"),
    ],
)
def test_bad_upload_refused_and_draft_intact(client, world, name, data, message):
    registration = _registration(world)
    initiative = Initiative.objects.create(registration=registration, title="Bản cũ", problem="Vấn đề cũ")
    registration.pledge = "Cam kết đã lưu"
    registration.save()
    client.force_login(world.staff)
    response = client.post(
        reverse("registrations:initiative_edit", args=[registration.pk, initiative.pk]),
        {
            "kind": "initiative",
            "title": "Bản mới",
            "problem": "Vấn đề mới",
            "attachment": SimpleUploadedFile(name, data),
        },
    )
    assert response.status_code == 200
    assert message.replace("\xa0", " ") in response.content.decode().replace("\xa0", " ")
    initiative.refresh_from_db()
    registration.refresh_from_db()
    assert (initiative.title, initiative.problem) == ("Bản cũ", "Vấn đề cũ")
    assert registration.pledge == "Cam kết đã lưu"
    assert EvidenceFile.objects.count() == 0
    # The form keeps what was typed, so nothing is lost.
    assert response.context["form"].data["title"] == "Bản mới"


def test_other_agency_gets_404(client, world):
    registration = _registration(world)
    initiative = Initiative.objects.create(registration=registration, title="x")
    evidence = attach_evidence(
        registration, SimpleUploadedFile("a.pdf", PDF_BYTES), actor=world.staff, initiative=initiative
    )
    client.force_login(world.other_staff)
    assert client.get(reverse("registrations:detail", args=[registration.pk])).status_code == 404
    assert (
        client.post(reverse("registrations:autosave", args=[registration.pk]), {"pledge": "x"}).status_code
        == 404
    )
    assert client.get(reverse("registrations:evidence_download", args=[evidence.pk])).status_code == 404
    assert (
        client.post(
            reverse("registrations:transition", args=[registration.pk]), {"target": "submitted"}
        ).status_code
        == 404
    )
    registration.refresh_from_db()
    assert registration.pledge == ""


def test_evidence_download_for_owner_and_home_affairs(client, world):
    registration = _registration(world)
    evidence = attach_evidence(
        registration,
        SimpleUploadedFile("bien-ban-hop.pdf", PDF_BYTES),
        actor=world.staff,
        initiative=Initiative.objects.create(registration=registration, title="x"),
    )
    # The stored name is random: the original name never appears in it (a one-letter name could, by chance).
    assert "bien-ban-hop" not in evidence.file.name
    for user in (world.staff, world.home_affairs):
        client.force_login(user)
        response = client.get(reverse("registrations:evidence_download", args=[evidence.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="bien-ban-hop.pdf"' in response["Content-Disposition"]


def test_people_import_xlsx(client, world):
    registration = _registration(world)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "aimed_title"])
    sheet.append(["pa-1", "Chiến sĩ thi đua cơ sở"])
    sheet.append(["pa-3", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(world.staff)
    url = reverse("registrations:individual_import", args=[registration.pk])
    response = preview(client, url, SimpleUploadedFile("ds.xlsx", buffer.getvalue()))
    assert registration.individuals.count() == 0  # nothing before the confirmation
    assert confirm(client, response)["Location"] == f"{registration.get_absolute_url()}#people"
    assert sorted(registration.individuals.values_list("person__code", "aimed_title")) == [
        ("pa-1", "Chiến sĩ thi đua cơ sở"),
        ("pa-3", ""),
    ]


def test_people_import_errors_save_nothing(client, world):
    registration = _registration(world)
    client.force_login(world.staff)
    response = client.post(
        reverse("registrations:individual_import", args=[registration.pk]),
        {"file": SimpleUploadedFile("ds.csv", b"code\npa-1\nkhong-co\n")},
        follow=True,
    )
    assert "Dòng 3: không có cá nhân mã “khong-co” trong cơ quan." in response.content.decode()
    assert registration.individuals.count() == 0


def test_person_registered_once_per_round(world):
    registration = _registration(world)
    add_individual(registration, world.people[0], actor=world.staff)
    with pytest.raises(RegistrationError) as exc:
        add_individual(registration, world.people[0], actor=world.staff)
    assert exc.value.code == "duplicate"


def _many(world, n):
    agencies = [AgencyFactory(parent=world.city) for _ in range(n)]
    for agency in agencies:
        BlocMembershipFactory(bloc=world.bloc, agency=agency)
        RegistrationFactory(round=world.round, agency=agency, state=S.CONFIRMED)


@pytest.mark.parametrize("n", [1, 200])
def test_review_list_query_count(client, world, django_assert_max_num_queries, n):
    _many(world, n)
    client.force_login(world.home_affairs)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("registrations:review_list", args=[world.campaign.code]))
    assert len(response.context["registrations"]) == n


def test_review_filters(client, world):
    _registration(world)
    RegistrationFactory(round=world.round, agency=world.other_ward, state=S.CONFIRMED)
    client.force_login(world.home_affairs)
    url = reverse("registrations:review_list", args=[world.campaign.code])
    assert [r.agency.code for r in client.get(url, {"state": "confirmed"}).context["registrations"]] == [
        "ward-b"
    ]
    assert [r.agency.code for r in client.get(url, {"bloc": world.bloc.pk}).context["registrations"]] == [
        "ward-a",
        "ward-b",
    ]
    assert list(client.get(url, {"kind": "department"}).context["registrations"]) == []


def test_review_list_only_for_home_affairs(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("registrations:review_list", args=[world.campaign.code])).status_code == 404


def test_bulk_return_and_accept(client, world):
    a = RegistrationFactory(round=world.round, agency=world.ward, state=S.CONFIRMED)
    b = RegistrationFactory(round=world.round, agency=world.other_ward, state=S.CONFIRMED)
    client.force_login(world.home_affairs)
    url = reverse("registrations:review_bulk", args=[world.campaign.code])
    response = client.post(url, {"ids": [a.pk, b.pk], "target": "returned"}, follow=True)
    assert "Phải ghi lý do trả lại." in response.content.decode()
    client.post(url, {"ids": [a.pk], "target": "returned", "reason": "Thiếu sáng kiến"})
    client.post(url, {"ids": [b.pk], "target": "accepted"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, a.return_reason, b.state) == (S.RETURNED, "Thiếu sáng kiến", S.ACCEPTED)
    assert LogEntry.objects.get_for_object(a).filter(additional_data__note="Thiếu sáng kiến").count() == 1


def test_dashboard_counts_and_laggards(client, world, django_assert_max_num_queries):
    RegistrationFactory(round=world.round, agency=world.other_ward, state=S.ACCEPTED)
    client.force_login(world.home_affairs)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("registrations:dashboard", args=[world.campaign.code]))
    (row,) = response.context["progress"]
    assert (row.name, row.total, row.registered, row.confirmed, row.accepted, row.reported) == (
        "Khối phường",
        2,
        1,
        1,
        1,
        0,
    )
    assert [a.code for a in response.context["laggards"]] == ["ward-a"]
    url = reverse("registrations:dashboard", args=[world.campaign.code])
    assert [a.code for a in client.get(url, {"stage": "confirmed"}).context["laggards"]] == ["ward-a"]
    assert [a.code for a in client.get(url, {"stage": "reported"}).context["laggards"]] == [
        "ward-a",
        "ward-b",
    ]
    assert [a.code for a in client.get(url, {"stage": "bogus"}).context["laggards"]] == ["ward-a"]
    assert '<figure class="rank-chart progress-chart"' in response.content.decode()


def test_exports(client, world):
    registration = _registration(world)
    add_individual(registration, world.people[0], actor=world.staff, aimed_title="Lao động tiên tiến")
    initiative = Initiative.objects.create(
        registration=registration, title="Số hoá hồ sơ", reform_area=world.area
    )
    initiative.authors.set([world.people[0]])
    client.force_login(world.home_affairs)
    response = client.get(reverse("registrations:export_registrations", args=[world.campaign.code]))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:7] == ("ward-a", "UBND phường A", "Khối phường", str(world.round), "Đang soạn", 1, 1)
    assert list(workbook.worksheets[1].iter_rows(values_only=True))[1] == (
        "ward-a",
        "UBND phường A",
        "pa-1",
        "Người 1",
        "Công chức",
        "Lao động tiên tiến",
    )
    response = client.get(reverse("registrations:export_initiatives", args=[world.campaign.code]))
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:6] == (
        "ward-a",
        "UBND phường A",
        "Sáng kiến",
        "Số hoá hồ sơ",
        "Thủ tục hành chính",
        "Người 1",
    )


def test_extension_view(client, world):
    registration = _registration(world)
    client.force_login(world.home_affairs)
    until = world.deadline.due_on
    response = client.post(
        reverse("registrations:extension", args=[registration.pk]),
        {
            "milestone": world.deadline.pk,
            "extended_until": until.isoformat(),
            "reason": "Đơn vị mới sáp nhập",
        },
    )
    assert response.status_code == 302
    assert registration.agency.deadline_extensions.get().reason == "Đơn vị mới sáp nhập"
    client.force_login(world.staff)
    assert client.get(reverse("registrations:extension", args=[registration.pk])).status_code == 404


def test_forms_render(client, world):
    registration = _registration(world)
    client.force_login(world.staff)
    response = client.get(reverse("registrations:initiative_new", args=[registration.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].fields["authors"].queryset) == world.people
    client.force_login(world.home_affairs)
    response = client.get(reverse("registrations:extension", args=[registration.pk]))
    assert list(response.context["form"].fields["milestone"].queryset) == [
        world.deadline,
        world.report_deadline,
    ]
    # Home affairs sees the registration but cannot edit it.
    response = client.get(reverse("registrations:detail", args=[registration.pk]))
    assert (response.status_code, response.context["can_edit"], response.context["targets"]) == (
        200,
        False,
        [],
    )
    assert client.get(reverse("registrations:initiative_new", args=[registration.pk])).status_code == 404


def test_person_kind_must_fit_individual_target_group(client, world):
    from agencies.models import PersonKind
    from campaigns.models import TargetGroup, TargetGroupKind
    from tests.factories import PersonFactory

    TargetGroup.objects.create(
        campaign=world.campaign,
        code="ca-nhan",
        name="Cá nhân",
        kind=TargetGroupKind.INDIVIDUAL,
        person_kinds=[PersonKind.CIVIL_SERVANT.value],
    )
    citizen = PersonFactory(agency=world.ward, code="dan-1", full_name="Người dân A", kind=PersonKind.CITIZEN)
    registration = _registration(world)
    with pytest.raises(RegistrationError) as exc:
        add_individual(registration, citizen, actor=world.staff)
    assert exc.value.messages == [
        "Người dân A (Người dân, doanh nhân) không thuộc đối tượng thi đua cá nhân của kế hoạch."
    ]
    client.force_login(world.staff)
    response = client.get(reverse("registrations:detail", args=[registration.pk]))
    assert list(response.context["individual_form"].fields["person"].queryset) == world.people


@pytest.mark.parametrize("n", [1, 30])
def test_detail_query_count(client, world, django_assert_max_num_queries, n):
    from tests.factories import PersonFactory

    registration = _registration(world)
    for i in range(n):
        person = PersonFactory(agency=world.ward)
        add_individual(registration, person, actor=world.staff)
        initiative = Initiative.objects.create(registration=registration, title=f"Sáng kiến {i}")
        initiative.authors.set([person])
        attach_evidence(
            registration, SimpleUploadedFile(f"{i}.pdf", PDF_BYTES), actor=world.staff, initiative=initiative
        )
    client.force_login(world.staff)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("registrations:detail", args=[registration.pk]))
    assert len(response.context["individuals"]) == n


@pytest.mark.parametrize("n", [1, 40])
def test_dashboard_query_count(client, world, django_assert_max_num_queries, n):
    _many(world, n)
    client.force_login(world.home_affairs)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("registrations:dashboard", args=[world.campaign.code]))
    assert response.context["progress"][0].total == n + 2


@pytest.mark.parametrize("n", [1, 15])
def test_index_query_count(client, world, django_assert_max_num_queries, n):
    from campaigns.models import Round

    for i in range(n):
        rnd = Round.objects.create(
            campaign=world.campaign,
            year=2000 + i,
            starts_on=world.round.starts_on,
            ends_on=world.round.ends_on,
        )
        RegistrationFactory(round=rnd, agency=world.ward)
    client.force_login(world.staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("registrations:index"))
    assert len(response.context["registrations"]) == n


def test_evidence_stored_under_media_root_and_not_public(
    client, world, settings, django_capture_on_commit_callbacks
):
    registration = _registration(world)
    initiative = Initiative.objects.create(registration=registration, title="x")
    evidence = attach_evidence(
        registration, SimpleUploadedFile("a.pdf", PDF_BYTES), actor=world.staff, initiative=initiative
    )
    path = settings.MEDIA_ROOT / evidence.file.name
    assert path.read_bytes() == PDF_BYTES
    assert evidence.file.name.startswith("evidence/")
    client.force_login(world.staff)
    assert client.get("/media/" + evidence.file.name).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registrations:initiative_delete", args=[registration.pk, initiative.pk])
        )
    assert response.status_code == 302
    assert path.exists() is False
    assert Initiative.objects.count() == 0
    assert EvidenceFile.objects.count() == 0


def test_initiative_delete_refused_after_submission(client, world):
    registration = _registration(world)
    initiative = Initiative.objects.create(registration=registration, title="x")
    save_draft(registration, actor=world.staff, pledge="Hoàn thành 100% nhiệm vụ")
    set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    client.force_login(world.staff)
    response = client.post(
        reverse("registrations:initiative_delete", args=[registration.pk, initiative.pk]), follow=True
    )
    assert "không sửa được" in response.content.decode()
    assert Initiative.objects.count() == 1


def test_bulk_review_ignores_odd_ids(client, world):
    """Issue 9, item 7: ``ids=²`` passed ``isdigit()`` and crashed ``int()``."""
    a = RegistrationFactory(round=world.round, agency=world.ward, state=S.CONFIRMED)
    client.force_login(world.home_affairs)
    url = reverse("registrations:review_bulk", args=[world.campaign.code])
    response = client.post(
        url, {"ids": ["²", "9" * 20, "9" * 5000, str(a.pk)], "target": "accepted"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Đã xử lý 1 đăng ký."]
    a.refresh_from_db()
    assert a.state == S.ACCEPTED
    response = client.post(url, {"ids": ["²"], "target": "accepted"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Hãy chọn ít nhất một đăng ký và một thao tác."]
