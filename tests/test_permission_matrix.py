"""The permission matrix (issue 9): every URL pattern x every role x own / other province.

Two provinces of the same shape sit side by side, each with its home affairs, council, leadership,
a ward with its staff and head, a published plan and a draft one, registrations (accepted and
draft), an initiative with evidence, a review assignment, PAR and staff-rating rows, computed
results and a notification per user. Every role of each province requests every URL with its own
province's objects and with the other province's: the other province's must be "not found" (404),
or the login page for anonymous visitors; never 200, 403 or 500.

The URL list comes from the resolver: a pattern added without an entry below fails the test, so a
new page is placed in the matrix when it is written. The Django admin is checked on its own (the
administrator's tool: every model's list and change page opens, nobody else gets in).

One database setup serves the whole module; every request runs in a transaction that is rolled back,
so a successful POST (deleting evidence, computing results) leaves the data as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from agencies.models import AgencyKind
from awards import verification
from awards.domain import council as councils
from awards.domain import decision as decisions
from awards.domain import proposal_list as lists
from awards.dossier import jobs as dossier_jobs
from awards.models import BaseSalary, Disclosure, DisclosureComment
from campaigns.models import CampaignState, RankingKey, Recipient, TargetGroupKind
from common.models import Notification
from registrations.domain.evidence import attach_evidence
from registrations.models import IndividualRegistration, Initiative, Registration, RegistrationState
from scoring.models import CandidateResult, ReviewAssignment
from scoring.notices import ScoringNotice
from scoring.results import compute_results
from tests.factories import (
    AgencyFactory,
    AwardFormFactory,
    BlocFactory,
    BlocMembershipFactory,
    CampaignFactory,
    CriterionFactory,
    ParIndexResultFactory,
    PersonFactory,
    RoundFactory,
    StaffRatingRecordFactory,
    TargetGroupFactory,
    UserFactory,
    add_default_par_bands,
    published_campaign,
    user_with_role,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

STAFF, HEAD, HOME_AFFAIRS, COUNCIL, LEADERSHIP = "staff", "head", "home_affairs", "council", "leadership"
ROLES = [STAFF, HEAD, HOME_AFFAIRS, COUNCIL, LEADERSHIP]
ANONYMOUS, SUPERUSER = "anonymous", "superuser"
LOGGED_IN = frozenset(ROLES)
OVERSEERS = frozenset({HOME_AFFAIRS, COUNCIL, LEADERSHIP})
VIEWERS = frozenset({STAFF, HEAD}) | OVERSEERS  # who sees a registration of the ward
NOBODY: frozenset = frozenset()


# --- the two provinces ---------------------------------------------------------------------------


def build_province(tag: str) -> SimpleNamespace:
    p = SimpleNamespace(tag=tag)
    p.province = AgencyFactory(code=f"{tag}-tinh", name=f"UBND tỉnh {tag}", kind=AgencyKind.PROVINCE_PC)
    p.ward = AgencyFactory(code=f"{tag}-phuong", name=f"UBND phường {tag}", parent=p.province)
    p.users = {
        role: user_with_role(role, p.ward if role in (STAFF, HEAD) else p.province, username=f"{tag}-{role}")
        for role in ROLES
    }
    p.person = PersonFactory(agency=p.ward, code=f"{tag}-cb1")

    p.plan = published_campaign(issuer=p.province, code=f"{tag}-kh")
    p.round = p.plan.rounds.get()
    add_default_par_bands(p.plan)
    p.draft_plan = CampaignFactory(issuer=p.province, code=f"{tag}-du-thao", state=CampaignState.DRAFT)
    group = TargetGroupFactory(
        campaign=p.plan, code="phuong", kind=TargetGroupKind.COLLECTIVE, agency_kinds=[AgencyKind.COMMUNE_PC]
    )
    p.criterion = CriterionFactory(target_group=group, code="c1", max_points=Decimal("10"))
    p.bloc = BlocFactory(campaign=p.plan, code="khoi-phuong")
    BlocMembershipFactory(bloc=p.bloc, agency=p.ward)
    p.form = AwardFormFactory(
        campaign=p.plan, code="giay-khen", recipient=Recipient.BOTH, ranking_key=RankingKey.TOTAL_SCORE
    )
    # A second form whose list goes through the whole cycle, so the public results page has a decision.
    p.decided_form = AwardFormFactory(
        campaign=p.plan, code="bang-khen", recipient=Recipient.BOTH, ranking_key=RankingKey.TOTAL_SCORE
    )

    # The accepted registration of the plan's round (report, review, results) ...
    p.reg = Registration.objects.create(
        round=p.round,
        agency=p.ward,
        target_group=group,
        state=RegistrationState.ACCEPTED,
        submitted_at=timezone.make_aware(dt.datetime(2027, 1, 10, 9, 0)),
    )
    # ... and a draft one of an earlier round, for the pages that edit.
    earlier = RoundFactory(
        campaign=p.plan, year=2026, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31)
    )
    p.draft_reg = Registration.objects.create(round=earlier, agency=p.ward, target_group=group)
    p.individual = IndividualRegistration.objects.create(registration=p.draft_reg, person=p.person)
    p.initiative = Initiative.objects.create(registration=p.draft_reg, title=f"Sáng kiến {tag}")
    p.evidence = attach_evidence(
        p.draft_reg,
        SimpleUploadedFile("minh-chung.pdf", PDF_BYTES),
        actor=p.users[STAFF],
        initiative=p.initiative,
    )

    IndividualRegistration.objects.create(registration=p.reg, person=p.person)
    p.assignment = ReviewAssignment.objects.create(
        round=p.round, registration=p.reg, target_group=group, reviewer=p.users[COUNCIL]
    )
    p.par = ParIndexResultFactory(agency=p.ward, year=2027, score=Decimal("88"))
    StaffRatingRecordFactory(person=p.person, year=2027)
    compute_results(p.plan, p.round)
    results = CandidateResult.objects.filter(run__campaign=p.plan).select_related("award_form", "agency")
    p.candidate = results.filter(person__isnull=True).order_by("pk").first()
    p.person_candidate = results.filter(person__isnull=False).select_related("person").order_by("pk").first()
    assert p.candidate and p.person_candidate, "the matrix needs a computed collective and individual"
    build_awards(p)
    p.notes = {
        role: Notification.objects.create(
            recipient=user, kind=ScoringNotice.REVIEWER_ASSIGNED, title=f"Thông báo {tag}", url="/"
        )
        for role, user in p.users.items()
    }
    return p


def build_awards(p: SimpleNamespace) -> None:
    """A proposal list from the frozen results with an open council session (the province's council
    user sits on it, home affairs is the secretary), and a second list approved by the leadership."""
    officer, council, leader = p.users[HOME_AFFAIRS], p.users[COUNCIL], p.users[LEADERSHIP]
    # The base-salary table is written by a data migration; a transactional test earlier in the run
    # (tests/reminders/test_worker.py, the migration test) flushes it, so write it again when missing.
    for day, amount, basis in import_module("awards.migrations.0002_base_salary_table").ROWS:
        BaseSalary.objects.get_or_create(
            effective_from=dt.date.fromisoformat(day), defaults={"amount": amount, "legal_basis": basis}
        )
    day = dt.date(2028, 1, 15)
    p.plist = lists.make_list(p.plan, p.form, actor=officer)
    if not p.plist.proposals.exists():
        lists.add_proposal(p.plist, p.candidate.pk, actor=officer, reason="Bổ sung cho ma trận quyền")
    p.proposal = p.plist.proposals.order_by("pk").first()
    p.session = councils.open_session(
        p.plist, actor=officer, members=[council], secretary=officer, held_on=day
    )

    decided = lists.make_list(p.plan, p.decided_form, actor=officer)
    done = councils.open_session(decided, actor=officer, members=[council], secretary=officer, held_on=day)
    councils.cast_votes(done, {x.pk: "agree" for x in decided.proposals.all()}, actor=council)
    councils.close_session(done, actor=officer)
    decided.refresh_from_db()
    p.decision = decisions.approve(
        decided, actor=leader, number="125/QĐ-UBND",
        decided_on=day, signer_capacity="KT.", signer_title="Phó Chủ tịch", signer_name="Nguyễn Văn A",
    )  # fmt: skip
    # Its dossier, generated once: the tasks' work is done here in-process (the module's setup runs
    # in one transaction, so nothing queued after a commit would run).
    p.dossier_job = dossier_jobs.start_job(p.decision, actor=officer, kinds=["giay_khen"], format="pdf")
    for pk in p.dossier_job.documents.values_list("pk", flat=True):
        dossier_jobs.render_document(pk)
    assert dossier_jobs.assemble(p.dossier_job.pk) == "done"
    p.dossier_doc = p.dossier_job.documents.order_by("position").first()
    # công khai: the open list published (the plan asks nothing: written directly), one comment of the public
    today = timezone.localdate()
    p.disclosure = Disclosure.objects.create(
        proposal_list=p.plist, published_on=today, working_days=5, ends_on=today + dt.timedelta(days=7),
        may_open_on=today + dt.timedelta(days=8), proposals=[p.proposal.pk], published_by=officer,
    )  # fmt: skip
    p.comment = DisclosureComment.objects.create(disclosure=p.disclosure, name="A", contact="B", text="C")
    p.verify_code = verification.code_for(p.decision.lines.order_by("pk").first().pk)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The public pages count requests per address in the shared cache; every role starts afresh."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield SimpleNamespace(
                media=media,
                provinces={"a": build_province("a"), "b": build_province("b")},
                superuser=UserFactory(username="quan-tri", is_superuser=True, is_staff=True),
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media_root(settings, matrix):
    """The evidence stored by the module's setup stays readable in every test."""
    settings.MEDIA_ROOT = matrix.media


# --- the matrix ------------------------------------------------------------------------------------

Args = Callable[[SimpleNamespace, str], list]


@dataclass(frozen=True)
class Entry:
    """One URL pattern: how to fill it for a province (None: it names no object) and which roles
    of the province get the page (200, or a redirect after a POST) on their own province's object."""

    name: str
    args: Args | None = None
    ok: AbstractSet[str] = NOBODY
    method: str = "get"
    data: dict | Callable[[SimpleNamespace, str], dict] = field(default_factory=dict)  # or per province
    public: bool = False  # anonymous visitors get the page
    redirects: bool = False  # the page answers a permitted GET with a redirect
    scoped: bool = True  # False: the arguments name nothing of a province (requested once)


def reg(attr: str, *more: str) -> Args:
    return lambda p, role: [getattr(p, attr).pk, *(getattr(p, m).pk for m in more)]


def account(role: str = STAFF) -> Args:
    return lambda p, _role: [p.users[role].pk]


def plan(attr: str = "plan", *more) -> Args:
    return lambda p, role: [getattr(p, attr).code, *more]


ENTRIES = [
    # project
    Entry("home", ok=LOGGED_IN),
    Entry("healthz", public=True, ok=LOGGED_IN),  # the status only; its details for the administrator
    Entry("login", public=True, ok=LOGGED_IN),
    Entry("logout", method="get"),  # POST only: GET is refused with 405
    Entry("password_change", ok=LOGGED_IN),
    Entry("password_change_done", ok=LOGGED_IN),
    Entry("password_reset", public=True, ok=LOGGED_IN),
    Entry("password_reset_done", public=True, ok=LOGGED_IN),
    Entry(
        "password_reset_confirm", lambda p, role: ["MQ", "sai-ma"], public=True, ok=LOGGED_IN, scoped=False
    ),
    Entry("password_reset_complete", public=True, ok=LOGGED_IN),
    Entry("set_language", method="post", data={"language": "vi"}, public=True, ok=LOGGED_IN),
    # agencies
    Entry("agencies:list", ok={HOME_AFFAIRS}),
    Entry("agencies:import", ok={HOME_AFFAIRS}),
    Entry("agencies:import_template", ok={HOME_AFFAIRS}),
    Entry("common:notifications", ok=LOGGED_IN),
    Entry("common:notifications_read_all", method="post", ok=LOGGED_IN),
    Entry(
        "common:notification_open",
        lambda p, role: [p.notes.get(role, p.notes[STAFF]).pk],
        method="post",
        ok=LOGGED_IN,
    ),
    Entry("agencies:detail", lambda p, role: [p.ward.code], ok=VIEWERS),
    # accounts (issue 12): home affairs manages the accounts of its province; the account named is the
    # ward's staff account, and the other province's is "not found"
    Entry("agencies:accounts", ok={HOME_AFFAIRS}),
    Entry("agencies:account_add", ok={HOME_AFFAIRS}),
    Entry("agencies:account_import", ok={HOME_AFFAIRS}),
    Entry("agencies:account_import_confirm", method="post", data={"key": "0" * 64}, ok={HOME_AFFAIRS}),
    Entry("agencies:account_import_template", ok={HOME_AFFAIRS}),
    Entry("agencies:account", account(), ok={HOME_AFFAIRS}),
    Entry("agencies:account_edit", account(), method="post", ok={HOME_AFFAIRS}),
    Entry(
        "agencies:account_roles",
        account(),
        method="post",
        data=lambda p, role: {
            "action": "change",
            "membership": p.users[STAFF].memberships.get().pk,
            "role": HEAD,
        },
        ok={HOME_AFFAIRS},
    ),
    Entry("agencies:account_deactivate", account(), method="post", ok={HOME_AFFAIRS}),
    Entry("agencies:account_reactivate", account(), method="post", ok={HOME_AFFAIRS}),
    Entry("agencies:account_invite", account(), method="post", ok={HOME_AFFAIRS}),
    # the invitation link is public; an unknown one says so
    Entry("invitation", lambda p, role: ["x" * 43], public=True, ok=LOGGED_IN, scoped=False),
    Entry(
        "invitation_resend",
        lambda p, role: ["x" * 43],
        method="post",
        public=True,
        ok=LOGGED_IN,
        scoped=False,
    ),
    Entry("agencies:people", lambda p, role: [p.ward.code], ok=VIEWERS),
    Entry("agencies:person", reg("person"), ok=VIEWERS),
    Entry("agencies:people_import", ok={HOME_AFFAIRS}),
    Entry("agencies:people_template", ok={HOME_AFFAIRS}),
    # campaigns (a published plan is public: the scope check uses the draft)
    Entry("campaigns:list", public=True, ok=LOGGED_IN),
    Entry("campaigns:manage", ok={HOME_AFFAIRS}),
    Entry("campaigns:create", ok={HOME_AFFAIRS}),
    Entry("campaigns:import", ok={HOME_AFFAIRS}),
    Entry("campaigns:detail", plan("draft_plan"), ok={HOME_AFFAIRS}),
    Entry("campaigns:export", plan("draft_plan"), ok={HOME_AFFAIRS}),
    Entry("campaigns:state", plan("draft_plan"), method="post", ok={HOME_AFFAIRS}),
    Entry("campaigns:copy", plan(), ok={HOME_AFFAIRS}),
    Entry("campaigns:edit_start", plan("draft_plan"), ok={HOME_AFFAIRS}),
    Entry("campaigns:edit", plan("draft_plan", "general"), ok={HOME_AFFAIRS}),
    # registrations
    Entry("registrations:index", ok=LOGGED_IN),
    Entry("registrations:people_template", ok=LOGGED_IN),  # a blank form
    Entry("registrations:start", lambda p, role: [p.round.pk, p.ward.code], method="post", ok={STAFF}),
    Entry("registrations:detail", reg("reg"), ok=VIEWERS),
    Entry("registrations:autosave", reg("draft_reg"), method="post", ok={STAFF}, data={"pledge": "x"}),
    Entry("registrations:individual_add", reg("draft_reg"), method="post", ok={STAFF}),
    Entry("registrations:individual_import", reg("draft_reg"), method="post", ok={STAFF}),
    Entry("registrations:individual_remove", reg("draft_reg", "individual"), method="post", ok={STAFF}),
    Entry("registrations:initiative_new", reg("draft_reg"), ok={STAFF}),
    Entry("registrations:initiative_edit", reg("draft_reg", "initiative"), ok={STAFF}),
    Entry("registrations:initiative_delete", reg("draft_reg", "initiative"), method="post", ok={STAFF}),
    Entry("registrations:evidence_delete", reg("draft_reg", "evidence"), method="post", ok={STAFF}),
    Entry("registrations:transition", reg("draft_reg"), method="post", ok=VIEWERS),
    Entry("registrations:extension", reg("reg"), ok={HOME_AFFAIRS}),
    Entry("registrations:report", reg("reg"), ok=VIEWERS),
    Entry("registrations:report_evidence", reg("reg", "criterion"), method="post", ok={STAFF}),
    Entry("registrations:report_submit", reg("reg"), method="post", ok=VIEWERS),
    Entry("registrations:evidence_download", reg("evidence"), ok=VIEWERS),
    Entry("registrations:review_list", plan(), ok={HOME_AFFAIRS}),
    Entry("registrations:review_bulk", plan(), method="post", ok={HOME_AFFAIRS}),
    Entry("registrations:dashboard", plan(), ok={HOME_AFFAIRS}),
    Entry("registrations:export_registrations", plan(), ok={HOME_AFFAIRS}),
    Entry("registrations:export_initiatives", plan(), ok={HOME_AFFAIRS}),
    # scoring
    Entry("scoring:index", ok=LOGGED_IN),
    Entry("scoring:import_par", ok={HOME_AFFAIRS}),
    Entry("scoring:import_staff", ok={HOME_AFFAIRS}),
    Entry("scoring:par_template", ok={HOME_AFFAIRS}),
    Entry("scoring:staff_template", ok={HOME_AFFAIRS}),
    Entry("scoring:par_list", ok={HOME_AFFAIRS}),
    Entry("scoring:par_history", reg("par"), ok={HOME_AFFAIRS}),
    Entry("scoring:staff_list", ok={HOME_AFFAIRS}),
    Entry("scoring:my_reviews", ok=LOGGED_IN),
    Entry("scoring:review", reg("assignment"), ok={COUNCIL}),
    Entry("scoring:result", reg("candidate"), ok=OVERSEERS, redirects=True),
    Entry(
        "scoring:candidate",
        lambda p, role: [p.plan.code, p.candidate.award_form.code, p.candidate.kind, p.candidate.agency.code],
        ok=OVERSEERS,
    ),
    Entry(
        "scoring:person_candidate",
        lambda p, role: [
            p.plan.code,
            p.person_candidate.award_form.code,
            p.person_candidate.kind,
            p.person_candidate.agency.code,
            p.person_candidate.person.code,
        ],
        ok=OVERSEERS,
    ),
    Entry("scoring:results", plan(), ok=OVERSEERS),
    Entry("scoring:compute", plan(), method="post", ok={HOME_AFFAIRS}),
    Entry("scoring:export", plan("plan", "csv"), ok=OVERSEERS),
    Entry("scoring:bloc", lambda p, role: [p.plan.code, p.bloc.code], ok=OVERSEERS),
    Entry("scoring:warnings", plan(), ok=OVERSEERS),
    Entry("scoring:warnings_export", plan("plan", "xlsx"), ok=OVERSEERS),
    Entry("scoring:assign", plan(), ok={HOME_AFFAIRS}),
    # Score sheets: the council member for their own assignments; home affairs of the plan for a
    # chosen reviewer (a council that scores on paper). Another province's reviewer id is not found.
    Entry("scoring:score_sheet", plan(), ok={HOME_AFFAIRS, COUNCIL}),
    Entry(
        "scoring:score_sheet_download",
        plan(),
        data=lambda p, role: {"reviewer": p.users[COUNCIL].pk},
        ok={HOME_AFFAIRS, COUNCIL},
    ),
    Entry(
        "scoring:score_sheet_confirm",
        plan(),
        method="post",
        data=lambda p, role: {"reviewer": p.users[COUNCIL].pk, "token": "x"},
        ok={HOME_AFFAIRS, COUNCIL},
    ),
    Entry("scoring:initiatives", plan(), ok=OVERSEERS),
    Entry(
        "scoring:select_initiative",
        lambda p, role: [p.plan.code, p.initiative.pk],
        method="post",
        ok={HOME_AFFAIRS},
    ),
    # awards (a list is seen by home affairs, the leadership and its council; a session by its
    # members and home affairs; the public results page by everyone, whichever the province)
    Entry("awards:index", ok=LOGGED_IN),
    Entry(
        "awards:make_list",
        plan(),
        method="post",
        data=lambda p, role: {"award_form": p.form.pk},
        ok={HOME_AFFAIRS},
    ),
    Entry("awards:list", reg("plist"), ok=OVERSEERS),
    Entry("awards:add", reg("plist"), method="post", data={"result": "0"}, ok={HOME_AFFAIRS}),
    Entry("awards:remove", reg("plist", "proposal"), method="post", ok={HOME_AFFAIRS}),
    Entry("awards:withdraw", reg("plist"), method="post", ok={HOME_AFFAIRS}),
    Entry("awards:open_session", reg("plist"), method="post", ok={HOME_AFFAIRS}),
    Entry("awards:approve", reg("plist"), method="post", ok={LEADERSHIP}),
    Entry("awards:return", reg("plist"), method="post", ok={LEADERSHIP}),
    Entry("awards:amend", reg("plist"), method="post", ok={LEADERSHIP}),
    Entry("awards:export", reg("plist"), ok=OVERSEERS),
    Entry("awards:session", reg("session"), ok={HOME_AFFAIRS, COUNCIL}),
    Entry("awards:vote", reg("session"), method="post", ok={COUNCIL}),
    Entry(
        "awards:written",
        reg("session"),
        method="post",
        data=lambda p, role: {"member": p.session.members.get().pk},
        ok={HOME_AFFAIRS},
    ),
    Entry("awards:tie", reg("session"), method="post", ok={HOME_AFFAIRS}),
    Entry("awards:close", reg("session"), method="post", ok={HOME_AFFAIRS}),
    Entry("awards:public", plan(), public=True, ok=LOGGED_IN, scoped=False),  # public after the decision
    Entry("awards:register", ok=LOGGED_IN),
    Entry("awards:register_export", ok=LOGGED_IN),
    Entry("awards:register_import", ok={HOME_AFFAIRS}),
    Entry("awards:register_template", ok={HOME_AFFAIRS}),
    # a decision's dossier: generated by home affairs of the issuer, read and downloaded by the leadership
    Entry("awards:dossier", reg("decision"), ok={HOME_AFFAIRS, LEADERSHIP}),
    Entry(
        "awards:dossier_start",
        reg("decision"),
        method="post",
        data={"kinds": ["giay_khen"], "format": "pdf"},
        ok={HOME_AFFAIRS},
    ),
    Entry(
        "awards:dossier_preview",
        lambda p, role: [p.decision.pk, p.dossier_doc.key],
        ok={HOME_AFFAIRS, LEADERSHIP},
    ),
    Entry("awards:dossier_job", reg("dossier_job"), ok={HOME_AFFAIRS, LEADERSHIP}),
    Entry("awards:dossier_progress", reg("dossier_job"), ok={HOME_AFFAIRS, LEADERSHIP}),
    Entry("awards:dossier_retry", reg("dossier_job"), method="post", ok={HOME_AFFAIRS}),
    Entry("awards:dossier_zip", reg("dossier_job"), ok={HOME_AFFAIRS, LEADERSHIP}),
    Entry(
        "awards:dossier_document",
        lambda p, role: [p.dossier_job.pk, p.dossier_doc.pk, "pdf"],
        ok={HOME_AFFAIRS, LEADERSHIP},
    ),
    Entry(
        "awards:dossier_document_preview", reg("dossier_job", "dossier_doc"), ok={HOME_AFFAIRS, LEADERSHIP}
    ),
    # ký số: the leadership signs (no certificate here: refused with its message, a redirect); the signed
    # package of a job that has none is not found
    Entry("awards:dossier_sign", reg("decision"), method="post", ok={LEADERSHIP}),
    Entry("awards:dossier_package", reg("dossier_job"), ok=NOBODY),
    # xác minh: public, any province's code (rate-limited per address)
    Entry("awards:verify", public=True, ok=LOGGED_IN, scoped=False),
    Entry("awards:verify_code", lambda p, role: [p.verify_code], public=True, ok=LOGGED_IN, scoped=False),
    # công khai: home affairs publishes and moderates; the public reads and comments
    Entry("awards:disclose", reg("plist"), method="post", ok={HOME_AFFAIRS}),
    Entry("awards:disclosure_comments", reg("plist"), ok={HOME_AFFAIRS}),
    Entry(
        "awards:moderate_comment",
        reg("comment"),
        method="post",
        data={"decision": "accept"},
        ok={HOME_AFFAIRS},
    ),
    Entry("awards:disclosure_public", plan(), public=True, ok=LOGGED_IN, scoped=False),
    Entry(
        "awards:disclosure_comment",
        lambda p, role: [p.disclosure.pk],
        method="post",
        data={"name": "Nguyễn Văn Dân", "contact": "0903 000 000", "text": "Ý kiến"},
        public=True,
        ok=LOGGED_IN,
        scoped=False,
    ),
]


def url_names() -> set[str]:
    """Every named URL outside the Django admin; an unnamed one is reported by its pattern."""
    names: set[str] = set()

    def walk(patterns, namespace: list[str], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                ns = namespace + [pattern.namespace] if pattern.namespace else namespace
                walk(pattern.url_patterns, ns, prefix + str(pattern.pattern))
            elif pattern.name:
                names.add(":".join([*namespace, pattern.name]))
            else:
                names.add(f"<unnamed {prefix}{pattern.pattern}>")

    walk(get_resolver().url_patterns, [], "")
    return names


def test_every_url_pattern_has_a_matrix_entry():
    entries = [e.name for e in ENTRIES]
    assert len(entries) == len(set(entries))
    assert sorted(url_names() - set(entries)) == [], "add these URL patterns to the permission matrix"
    assert sorted(set(entries) - url_names()) == [], "these matrix entries name no URL pattern any more"


# --- the requests ---------------------------------------------------------------------------------


def fetch(client: Client, entry: Entry, url: str, data: dict):
    """One request whose writes are rolled back."""
    with transaction.atomic():
        response = getattr(client, entry.method)(url, data)
        transaction.set_rollback(True)
    return response


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))


def verdict(entry: Entry, scope: str, role: str, response) -> bool:
    """Whether the response is what the matrix allows (False is a leak or a crash)."""
    status = response.status_code
    if status >= 500:
        return False
    success = {200} if entry.method == "get" and not entry.redirects else {200, 302}
    if entry.name == "logout":
        return status == 405
    if role == ANONYMOUS:
        return (entry.public and status in success) or is_login_redirect(response) or status == 404
    if role == SUPERUSER:
        return status in {200, 302, 404}
    if scope == "other":
        return status == 404
    if role in entry.ok:
        return status in success
    # Own province, a role without the power: refused, or (for a POST) sent back with a message.
    return status in ({403, 404} if entry.method == "get" else {302, 403, 404})


CASES = [(p, role) for p in "ab" for role in ROLES] + [("a", ANONYMOUS), ("a", SUPERUSER)]


@pytest.mark.django_db
@pytest.mark.parametrize(("province", "role"), CASES)
def test_permission_matrix(matrix, province, role):
    own = matrix.provinces[province]
    other = matrix.provinces["b" if province == "a" else "a"]
    client = Client(raise_request_exception=False)
    if role == SUPERUSER:
        client.force_login(matrix.superuser)
    elif role != ANONYMOUS:
        client.force_login(own.users[role])
    problems = []
    for entry in ENTRIES:
        scopes = [("own", own), ("other", other)] if entry.args and entry.scoped else [("none", own)]
        for scope, p in scopes:
            url = reverse(entry.name, args=entry.args(p, role) if entry.args else None)
            data = entry.data(p, role) if callable(entry.data) else entry.data
            response = fetch(client, entry, url, data)
            if not verdict(entry, scope, role, response):
                problems.append(f"{entry.method.upper()} {url} ({scope}): {response.status_code}")
    assert problems == [], "\n".join(problems)


# --- the Django admin -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_pages_open_for_the_administrator_only(matrix):
    client = Client(raise_request_exception=False)
    client.force_login(matrix.superuser)
    problems = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages = [reverse("admin:{}_{}_changelist".format(*info))]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        for url in pages:
            status = client.get(url).status_code
            if status != 200:
                problems.append(f"{url}: {status}")
    assert problems == []
    outsider = Client(raise_request_exception=False)
    outsider.force_login(matrix.provinces["a"].users[HOME_AFFAIRS])
    response = outsider.get(reverse("admin:registrations_evidencefile_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
