"""The awards register (sổ theo dõi khen thưởng): every award an agency or a person has received.

Two sources fill it: the portal's own decisions (``record_decision``, called by
``awards.services`` in the transaction that issues a decision; an amending decision moves the rows
to itself) and the records of earlier years, imported from CSV/XLSX (``import_awards``). Other code
reads it through ``past_awards`` only (plain frozen objects), e.g. "Các hình thức đã được khen
thưởng" in an achievement report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.imports import resolve_agencies
from agencies.models import Agency, Person, PersonPosition, Role
from agencies.rules import reach_q
from campaigns.models import AwardKind, Campaign
from common.display import day as display_day
from common.importing import Action, ImportPlan, PlannedRow, TableImport, choice_from_text, chunks
from common.parsing import ParseError, parse_date
from common.spreadsheets import Column as XColumn
from common.spreadsheets import Sheet, xlsx_bytes
from common.tabular import AGENCY_CODE_NOTE, Column, ImportErrors, Row, RowError, TableSpec

from .models import AwardDecision, AwardRecord, RecordSource

# --- the read function for other code ------------------------------------------------------------


@dataclass(frozen=True)
class PastAward:
    """One award received, as an achievement report prints it."""

    form: str
    level: str
    decision_number: str
    decision_date: dt.date
    campaign_name: str
    form_kind: str = ""


def past_awards(
    agency: Agency | None = None, person: Person | None = None, before: dt.date | None = None
) -> list[PastAward]:
    """The awards of a person (when ``person`` is given) or of an agency as a collective, oldest
    first, decided before ``before`` when given. One query."""
    if person is None and agency is None:
        return []
    qs = (
        AwardRecord.objects.filter(person=person)
        if person is not None
        else AwardRecord.objects.filter(agency=agency, person__isnull=True)
    )
    if before is not None:
        qs = qs.filter(decided_on__lt=before)
    return [
        PastAward(r.form_name, r.level, r.decision_number, r.decided_on, r.campaign_name, r.form_kind)
        for r in qs.order_by("decided_on", "pk").only(
            "form_name", "level", "decision_number", "decided_on", "campaign_name", "form_kind"
        )
    ]


# --- portal decisions ----------------------------------------------------------------------------


def record_decision(decision: AwardDecision, actor=None) -> int:
    """Write the awardees of ``decision`` into the register; returns how many rows were added.

    Called in the transaction that issues the decision. Idempotent: a proposal has one row
    whatever the number of calls. An amending decision (quyết định sửa đổi) adds to
    its list nothing and removes the awards it withdraws; the others keep the original decision."""
    from .queries.proposal_list import awarded

    plist = decision.proposal_list
    if decision.amends_id is not None:
        # The annex of an amending decision is its corrected one's, less the awards it withdraws:
        # those leave the register; the others stay as they were given, by the original decision
        # (its number and date are the award's; a correction does not rewrite the history).
        AwardRecord.objects.filter(proposal__proposal_list=plist).exclude(
            proposal__in=decision.lines.values("proposal_id")
        ).delete()
        return 0
    form = plist.award_form
    campaign = plist.campaign
    level = (form.issuing_level or decision.issuer.name)[:255]
    # One INSERT ... SELECT whatever the number of awardees; a proposal already in the register is
    # skipped (the register's one-to-one on the proposal).
    select = (
        awarded(plist)
        .filter(register_record__isnull=True)
        .annotate(rec_proposal=F("pk"), rec_agency=F("agency_id"), rec_person=F("person_id"))
        .values("rec_proposal", "rec_agency", "rec_person")
    )
    sql, params = select.query.sql_with_params()
    with connection.cursor() as cursor:
        day = connection.ops.adapt_datefield_value(decision.decided_on)
        cursor.execute(
            "INSERT INTO awards_awardrecord (agency_id, person_id, form_name, form_kind, level, "
            "decision_number, decided_on, campaign_id, campaign_name, source, decision_id, proposal_id, "
            "created_by_id, created_at) "
            "SELECT q.rec_agency, q.rec_person, %s, %s, %s, %s, %s, %s, %s, %s, %s, q.rec_proposal, %s, %s "
            f"FROM ({sql}) q "
            # The same award already imported (e.g. a register exported and imported back) stays one row.
            "WHERE NOT EXISTS (SELECT 1 FROM awards_awardrecord r WHERE r.decision_number = %s "
            "AND r.decided_on = %s AND r.form_name = %s AND ((q.rec_person IS NULL AND r.person_id IS NULL "
            "AND r.agency_id = q.rec_agency) OR r.person_id = q.rec_person))",
            [
                form.name[:255],
                form.kind,
                level,
                decision.number,
                day,
                campaign.pk,
                campaign.title[:255],
                RecordSource.DECISION,
                decision.pk,
                getattr(actor, "pk", None),
                connection.ops.adapt_datetimefield_value(timezone.now()),
                *params,
                decision.number,
                day,
                form.name[:255],
            ],  # fmt: skip
        )
        return cursor.rowcount


# --- import of earlier years ---------------------------------------------------------------------

AWARD_TABLE = TableSpec(
    slug="mau-nhap-khen-thuong",
    title=gettext_noop("Mẫu nhập khen thưởng các năm trước"),
    columns=(
        Column("agency_code", gettext_noop("Mã cơ quan"), example="p-binhtan", note=AGENCY_CODE_NOTE),
        Column(
            "person_code",
            gettext_noop("Mã cá nhân"),
            required=False,
            example="pbt-01",
            note=gettext_noop(
                "Để trống nếu khen thưởng tập thể (cơ quan); mã cá nhân nếu khen thưởng cá nhân."
            ),
        ),
        Column(
            "form_name",
            gettext_noop("Hình thức khen thưởng"),
            example="Giấy khen của Chủ tịch UBND quận Bình Tân",
            width=40,
        ),
        Column(
            "form_kind",
            gettext_noop("Loại hình thức"),
            required=False,
            example="Giấy khen",
            note=gettext_noop("Giấy khen, Bằng khen, Cờ thi đua, Danh hiệu thi đua hoặc Hình thức khác."),
        ),
        Column(
            "level",
            gettext_noop("Cấp khen, cơ quan khen"),
            required=False,
            example="UBND quận Bình Tân",
            width=30,
        ),
        Column("decision_number", gettext_noop("Số quyết định"), example="125/QĐ-UBND"),
        Column(
            "decided_on",
            gettext_noop("Ngày quyết định"),
            example="20/01/2023",
            note=gettext_noop("dd/mm/yyyy."),
        ),
        Column(
            "campaign",
            gettext_noop("Phong trào thi đua"),
            required=False,
            example="Phong trào thi đua cải cách hành chính năm 2022",
            width=40,
            note=gettext_noop("Tên phong trào, hoặc mã kế hoạch trên cổng."),
        ),
    ),
)


def _form_kind(text: str) -> str | None:
    return choice_from_text(AwardKind.choices, text) if text.strip() else ""


@dataclass
class PlannedAward(PlannedRow):
    row: int
    action: str  # create (a new award), unchanged (already in the register)
    agency: Agency
    person: Person | None
    values: dict

    @property
    def shown_name(self) -> str:
        return self.person.full_name if self.person else self.agency.name

    def describe(self) -> str:
        day = display_day(self.values["decided_on"])
        return f"{self.values['form_name']} – {self.values['decision_number']}, {day}"


class AwardsPlan(ImportPlan[PlannedAward]):
    preview_text = done_text = gettext_noop(
        "Thêm %(created)s khen thưởng vào sổ; %(unchanged)s khen thưởng đã có trong sổ."
    )


def _key(agency_id, person_id, number, day, form_name) -> tuple:
    return (None if person_id else agency_id, person_id, number, day, form_name)


def plan_awards_import(rows: list[Row], *, actor=None, today: dt.date | None = None) -> AwardsPlan:
    """Check every row and say which awards are new; writes nothing. Raises ``ImportErrors``."""
    today = today or timezone.localdate()
    errors: list[RowError] = []
    directory = resolve_agencies(actor, rows)
    people: dict[str, Person] = {}
    for chunk in chunks({r["person_code"] for r in rows if r["person_code"]}):
        people.update({p.code: p for p in Person.objects.filter(code__in=chunk)})
    served: set[tuple[int, int]] = set()
    for chunk in chunks([p.pk for p in people.values()]):
        served.update(
            PersonPosition.objects.filter(person_id__in=chunk).values_list("person_id", "agency_id")
        )
    campaigns: dict[str, Campaign] = {}
    for chunk in chunks({r["campaign"] for r in rows if r["campaign"]}):
        campaigns.update({c.code: c for c in Campaign.objects.filter(code__in=chunk)})
    existing: set[tuple] = set()
    for chunk in chunks({a.pk for a in directory.by_code.values()}):
        existing.update(
            _key(*k)
            for k in AwardRecord.objects.filter(agency_id__in=chunk).values_list(
                "agency_id", "person_id", "decision_number", "decided_on", "form_name"
            )
        )
    seen: dict[tuple, int] = {}
    planned: list[PlannedAward] = []
    for row in rows:
        row_errors: list[str] = []
        agency = directory.agency(row["agency_code"], row_errors)
        person = None
        if row["person_code"]:
            person = people.get(row["person_code"])
            if person is None:
                row_errors.append(
                    _("không tìm thấy cá nhân có mã “%(code)s”.") % {"code": row["person_code"][:60]}
                )
            elif (
                agency is not None and person.agency_id != agency.pk and (person.pk, agency.pk) not in served
            ):
                row_errors.append(
                    _("cá nhân mã “%(code)s” (%(name)s) không công tác tại %(agency)s.")
                    % {"code": person.code, "name": person.full_name, "agency": agency.name}
                )
        form_name = row["form_name"]
        if not form_name:
            row_errors.append(_("thiếu hình thức khen thưởng."))
        elif len(form_name) > 255:
            row_errors.append(_("hình thức khen thưởng dài quá 255 ký tự."))
        kind = _form_kind(row["form_kind"])
        if kind is None:
            row_errors.append(
                _("loại hình thức “%(v)s” không hợp lệ; dùng một trong: %(kinds)s.")
                % {
                    "v": row["form_kind"][:40],
                    "kinds": ", ".join(str(label) for _v, label in AwardKind.choices),
                }
            )
        if len(row["level"]) > 255:
            row_errors.append(_("cấp khen dài quá 255 ký tự."))
        number = row["decision_number"]
        if not number:
            row_errors.append(_("thiếu số quyết định."))
        elif len(number) > 60:
            row_errors.append(_("số quyết định dài quá 60 ký tự."))
        day = None
        if not row["decided_on"]:
            row_errors.append(_("thiếu ngày quyết định."))
        else:
            try:
                day = parse_date(row["decided_on"])
            except ParseError as exc:
                row_errors.append(_("ngày quyết định: %(e)s") % {"e": exc.message})
            else:
                if day > today:
                    row_errors.append(_("ngày quyết định không được sau hôm nay."))
        campaign_text = row["campaign"]
        if len(campaign_text) > 255:
            row_errors.append(_("tên phong trào dài quá 255 ký tự."))
        errors.extend(RowError(row.number, e) for e in row_errors)
        if row_errors or agency is None:
            continue
        key = _key(agency.pk, person.pk if person else None, number, day, form_name)
        if key in seen:
            errors.append(
                RowError(row.number, _("khen thưởng này trùng với dòng %(other)s.") % {"other": seen[key]})
            )
            continue
        seen[key] = row.number
        campaign = campaigns.get(campaign_text)
        values = {
            "form_name": form_name, "form_kind": kind, "level": row["level"], "decision_number": number,
            "decided_on": day, "campaign": campaign,
            "campaign_name": (campaign.title[:255] if campaign else campaign_text),
        }  # fmt: skip
        action = Action.CREATE if key not in existing else Action.UNCHANGED
        planned.append(PlannedAward(row.number, action, agency, person, values))
    if errors:
        raise ImportErrors(errors)
    return AwardsPlan(planned)


def import_awards(rows: list[Row], *, actor=None, today: dt.date | None = None) -> AwardsPlan:
    """Check and add the new awards of the file to the register, all or nothing."""
    with transaction.atomic():
        plan = plan_awards_import(rows, actor=actor, today=today)
        # The rows keep who imported them and when (created_by, created_at): an import only adds.
        AwardRecord.objects.bulk_create(
            [
                AwardRecord(
                    agency=p.agency,
                    person=p.person,
                    source=RecordSource.IMPORT,
                    created_by=actor if getattr(actor, "pk", None) else None,
                    **p.values,
                )  # fmt: skip
                for p in plan.of(Action.CREATE)
            ],
            batch_size=1000,
        )
    return plan


AWARDS_IMPORT = TableImport("awards", AWARD_TABLE, plan_awards_import, import_awards)


# --- the register's pages ------------------------------------------------------------------------


def visible_records(user) -> QuerySet[AwardRecord]:
    """Records of the agencies the user sees (their own agency, or the tree they oversee)."""
    return AwardRecord.objects.filter(
        reach_q(
            user, Role.STAFF, Role.HEAD, Role.HOME_AFFAIRS, Role.COUNCIL, Role.LEADERSHIP, prefix="agency__"
        )
    ).select_related("agency", "person", "campaign")


def search_records(qs: QuerySet[AwardRecord], *, query: str = "", year: int | None = None, form: str = ""):
    """Search by name or code (agency, person), decision number, year, and form (its kind's code or
    words of its name)."""
    if query:
        qs = qs.filter(
            Q(agency__name__icontains=query)
            | Q(agency__code__iexact=query)
            | Q(person__full_name__icontains=query)
            | Q(person__code__iexact=query)
            | Q(decision_number__icontains=query)
        )
    if year:
        qs = qs.filter(decided_on__gte=dt.date(year, 1, 1), decided_on__lte=dt.date(year, 12, 31))
    if form:
        qs = qs.filter(form_kind=form) if form in AwardKind.values else qs.filter(form_name__icontains=form)
    return qs.order_by("-decided_on", "agency__path", "person__full_name", "pk")


def register_xlsx(qs: QuerySet[AwardRecord]) -> bytes:
    columns = [
        XColumn(_("Ngày quyết định")), XColumn(_("Số quyết định")),
        XColumn(_("Hình thức khen thưởng"), wrap=True), XColumn(_("Cấp khen, cơ quan khen")),
        XColumn(_("Tập thể, cá nhân được khen")), XColumn(_("Mã cá nhân")), XColumn(_("Cơ quan")),
        XColumn(_("Mã cơ quan")), XColumn(_("Phong trào thi đua"), wrap=True), XColumn(_("Nguồn")),
    ]  # fmt: skip

    def rows():
        for r in qs.iterator(chunk_size=2000):
            yield [
                r.decided_on, r.decision_number, r.form_name, r.level,
                r.person.full_name if r.person else r.agency.name, r.person.code if r.person else "",
                r.agency.name, r.agency.code, r.campaign_name, r.get_source_display(),
            ]  # fmt: skip

    return xlsx_bytes(Sheet(_("Sổ khen thưởng"), columns, rows()))
