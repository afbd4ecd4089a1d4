import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import AgencyKind
from campaigns.models import Campaign
from tests.factories import AgencyFactory

PLANS = Path(__file__).resolve().parents[2] / "campaigns" / "plans"


def test_issuer_list_has_only_committees_and_departments_in_reach_sorted_with_parents(
    client, directory, home_affairs
):
    # Two wards of the same name under different districts; one dissolved; a newspaper and
    # an agency outside the user's reach.
    AgencyFactory(code="q1-p1", name="Phường 1", kind=AgencyKind.COMMUNE_PC, parent=directory["hcm-binhtan"])
    AgencyFactory(
        code="q2-p1",
        name="Phường 1",
        kind=AgencyKind.COMMUNE_PC,
        parent=directory["hcm"],
        dissolved_on=dt.date(2025, 7, 1),
    )
    AgencyFactory(code="elsewhere", name="UBND tỉnh khác", kind=AgencyKind.PROVINCE_PC)
    client.force_login(home_affairs)
    field = client.get(reverse("campaigns:create")).context["form"].fields["issuer"]
    choices = [(label, field.queryset.get(pk=value.value).kind) for value, label in field.choices if value]
    kinds = {kind for _label, kind in choices}
    assert kinds <= {"province_pc", "district_pc", "commune_pc", "department"}
    assert "Báo Sài Gòn Giải Phóng" not in [label for label, _kind in choices]
    assert "UBND tỉnh khác" not in [label.split(" – ")[0] for label, _kind in choices]
    paths = [a.path for a in field.queryset]
    assert paths == sorted(paths)
    labels = [label for label, _kind in choices]
    binhtan = directory["hcm-binhtan"].name
    assert f"Phường 1 – {binhtan}" in labels
    assert f"Phường 1 – {directory['hcm'].name} (giải thể 01/07/2025)" in labels
    assert labels[0] == directory["hcm"].name


def test_a_newspaper_cannot_issue_a_plan(client, directory, home_affairs):
    client.force_login(home_affairs)
    press = directory["hcm-bao-sggp"]
    assert press.kind == AgencyKind.PRESS
    response = client.post(
        reverse("campaigns:create"),
        {
            "c-code": "kh-bao",
            "c-issuer": press.pk,
            "c-title": "Kế hoạch của báo",
            "c-period_start": "2027-01-01",
            "c-period_end": "2027-12-31",
            "c-score_aggregation": "mean",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "issuer": [
            "Cơ quan ban hành phải là Ủy ban nhân dân hoặc sở, ban, ngành thuộc phạm vi quản lý của bạn."
        ]
    }
    assert not Campaign.objects.exists()
    text = (
        (PLANS / "hcmc-par-2022.yaml")
        .read_text(encoding="utf-8")
        .replace("issuer: hcm\n", "issuer: hcm-bao-sggp\n")
    )
    response = client.post(
        reverse("campaigns:import"), {"file": SimpleUploadedFile("plan.yaml", text.encode("utf-8"))}
    )
    assert [(e.path, e.message) for e in response.context["errors"]] == [
        (
            "issuer",
            "Cơ quan “hcm-bao-sggp” không ban hành kế hoạch thi đua: chỉ Ủy ban nhân dân hoặc sở, ban, ngành.",  # noqa: E501
        )
    ]
    assert not Campaign.objects.exists()
