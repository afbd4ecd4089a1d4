"""The registration page history shows every step: people, initiatives, commitments, evidence."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registrations.domain.deadlines import grant_extension
from registrations.domain.evidence import attach_evidence
from registrations.domain.initiatives import delete_initiative, save_initiative
from registrations.domain.people import add_individual, remove_individual
from registrations.domain.registration import save_draft, start_registration

from .conftest import PDF_BYTES


def _lines(response):
    return [(e.label, e.get_action_display(), e.rows) for e in response.context["history"]][::-1]


def test_history_lists_children_with_labels_and_before_after(client, world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    content = world.campaign.contents.get(title="Cải cách thể chế")
    save_draft(registration, actor=world.staff, commitments={content.pk: "60%"})
    save_draft(registration, actor=world.staff, commitments={content.pk: "70%"})
    add_individual(registration, world.people[0], actor=world.staff, aimed_title="Lao động tiên tiến")
    initiative = save_initiative(
        registration, {"title": "Một cửa số", "problem": "Chờ lâu"}, [world.people[0]], actor=world.staff
    )
    attach_evidence(
        registration,
        SimpleUploadedFile("minh-chung.pdf", PDF_BYTES),
        actor=world.staff,
        initiative=initiative,
    )
    until = world.deadline.due_on + dt.timedelta(days=5)
    grant_extension(world.ward, world.deadline, until, "Mất điện", actor=world.home_affairs)

    client.force_login(world.staff)
    response = client.get(reverse("registrations:detail", args=[registration.pk]))
    lines = _lines(response)
    assert lines[0] == ("Đăng ký", "create", lines[0][2])
    assert lines[1:] == [
        ("Cam kết: Cải cách thể chế", "update", [("cam kết", "–", "60%")]),
        ("Cam kết: Cải cách thể chế", "update", [("cam kết", "60%", "70%")]),
        (
            "Cá nhân: Người 1",
            "create",
            [
                ("cá nhân", "–", "Người 1"),
                ("danh hiệu, hình thức đăng ký", "–", "Lao động tiên tiến"),
                ("cam kết", "–", "–"),
            ],
        ),
        (
            "Sáng kiến: Một cửa số",
            "create",
            [
                ("loại", "–", "Sáng kiến"),
                ("tên sáng kiến", "–", "Một cửa số"),
                ("lĩnh vực CCHC", "–", "–"),
                ("vấn đề cần giải quyết", "–", "Chờ lâu"),
                ("nội dung, cách thực hiện", "–", "–"),
                ("hiệu quả dự kiến", "–", "–"),
            ],
        ),
        ("Sáng kiến: Một cửa số", "update", [("tác giả", "–", "Người 1")]),
        (
            "Tệp minh chứng: minh-chung.pdf",
            "create",
            [
                ("sáng kiến", "–", "Một cửa số"),
                ("tiêu chí tự chấm", "–", "–"),
                ("tên tệp", "–", "minh-chung.pdf"),
                ("kiểu tệp", "–", "application/pdf"),
                ("dung lượng", "–", str(len(PDF_BYTES))),
            ],
        ),
        (
            "Gia hạn: Hạn đăng ký thi đua",
            "create",
            [
                ("cơ quan", "–", "UBND phường A"),
                ("mốc thời gian", "–", "Hạn đăng ký thi đua"),
                ("gia hạn đến hết ngày", "–", until.strftime("%d/%m/%Y")),
                ("lý do gia hạn", "–", "Mất điện"),
                ("người cho gia hạn", "–", "noivu-city"),
            ],
        ),
    ]
    html = response.content.decode()
    assert "Cam kết: Cải cách thể chế" in html
    assert "<strong>cam kết</strong>: 60% → 70%" in html
    assert "None" not in html


def test_history_keeps_removed_person_and_deleted_initiative(client, world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    individual = add_individual(registration, world.people[1], actor=world.staff)
    remove_individual(registration, individual, actor=world.staff)
    initiative = save_initiative(registration, {"title": "Bỏ đi"}, [], actor=world.staff)
    delete_initiative(registration, initiative, actor=world.staff)

    client.force_login(world.staff)
    response = client.get(reverse("registrations:detail", args=[registration.pk]))
    assert [(label, action) for label, action, _rows in _lines(response)] == [
        ("Đăng ký", "create"),
        ("Cá nhân: Người 2", "create"),
        ("Cá nhân: Người 2", "delete"),
        ("Sáng kiến: Bỏ đi", "create"),
        ("Sáng kiến: Bỏ đi", "delete"),
    ]


def test_history_leaves_out_other_registrations(client, world):
    mine = start_registration(world.round, world.ward, actor=world.staff)
    other = start_registration(world.round, world.other_ward, actor=world.other_staff)
    add_individual(mine, world.people[0], actor=world.staff)
    save_initiative(other, {"title": "Của phường B"}, [], actor=world.other_staff)
    client.force_login(world.staff)
    response = client.get(reverse("registrations:detail", args=[mine.pk]))
    assert [label for label, _a, _r in _lines(response)] == ["Đăng ký", "Cá nhân: Người 1"]


def test_date_times_read_day_first_everywhere():
    """The walk found "09:42 01/12/2026" in histories beside "01/12/2026 09:42" in lists and forms."""
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    moment = dt.datetime(2026, 12, 1, 9, 42)
    with translation.override("vi"):
        text = Template('{{ t|date:"SHORT_DATETIME_FORMAT" }}|{{ t|date:"DATETIME_FORMAT" }}').render(
            Context({"t": moment})
        )
    assert text == "01/12/2026 09:42|01/12/2026 09:42"
