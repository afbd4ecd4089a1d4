"""compute_results: gates, ranking within the bloc, quota, all in a fixed number of SQL statements.

How a round is computed (per award form, collective forms first):

1. Scores: each reviewer's weighted total (sum of points x weight over the scored criteria of a
   completed, conflict-free assignment), then the mean or the median across reviewers (the plan's
   ``score_aggregation``), rounded to 2 decimals; a final score set by home affairs replaces it.
2. Candidates: collectives are the agencies of the plan's blocs plus agencies with an accepted
   registration outside any bloc; individuals are the people of accepted registrations. Each row
   stores the values the gates saw (PAR score and rating of the plan's year, staff rating,
   discipline, upheld complaints, registration time) and each gate's verdict (NULL = gate not set).
3. Ranking: within each bloc (and candidate kind) by the plan's key (PAR score or total score),
   high to low, then by the plan's tie-break key (higher score, or earlier registration). Candidates
   still equal share a rank (SQL ``RANK()``); a candidate with no value for the key is not ranked.
4. Quota: floor(base x numerator / denominator) or a fixed number, per bloc or for the whole plan,
   where the base is the number of ranked candidates, of candidates with a score ("có thành tích"),
   or of eligible candidates. Eligible candidates are proposed in rank order up to the quota. When a
   group of equal candidates straddles the cut-off, none of them is proposed automatically: they are
   flagged ``tie_at_cutoff`` for the council to decide, so the quota is never exceeded.
5. Head and reform deputy (seed 002) follow their agency's collective result; a head's individual
   award waits for the agency's collective proposal when the plan ties them (seed 001).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _

from agencies.audit import record
from campaigns.models import (
    DEFAULT_PAR_BANDS,
    AwardForm,
    Campaign,
    MilestoneKind,
    ParYear,
    QuotaBase,
    QuotaKind,
    QuotaScope,
    RankingKey,
    Recipient,
    Round,
    ScoreAggregation,
    StaffRating,
    TargetGroupKind,
    TieBreakKey,
)
from registrations.models import DeadlineExtension, RegistrationState

from .models import CandidateKind, CandidateResult, ResultRun

ACCEPTED = RegistrationState.ACCEPTED.value


def default_round(campaign: Campaign) -> Round:
    """The latest round of the plan (the phase summary after the yearly round of the same year)."""
    round = campaign.rounds.order_by("-year", "-is_final", "-starts_on").first()
    if round is None:
        raise ValueError(_("Kế hoạch chưa có đợt thi đua nào."))
    return round


def par_year_for(award_form: AwardForm, round: Round) -> int:
    return round.year - 1 if award_form.par_year == ParYear.PREVIOUS else round.year


def _bands(campaign: Campaign) -> list[tuple[str, object, int]]:
    """(name, min_score, order), best first."""
    bands = [(b.name, b.min_score, b.order) for b in campaign.par_bands.all()]
    if not bands:
        bands = [(name, min_score, order) for _c, name, min_score, order in DEFAULT_PAR_BANDS]
    return sorted(bands, key=lambda b: b[1], reverse=True)


def _num(value) -> str:
    """A number from our own models inlined as an SQL literal (never user text)."""
    return str(float(value)) if not isinstance(value, int) else str(value)


def _band_sql(campaign: Campaign, alias: str = "p") -> tuple[str, str, list, list]:
    """SQL for the rating order and name of a PAR result row ``alias``: an imported rating that names
    one of the plan's bands is taken as published, otherwise the band is derived from the score."""
    bands = _bands(campaign)
    by_score_order = " ".join(f"WHEN {alias}.score >= {_num(m)} THEN {o}" for _n, m, o in bands)
    by_score_name = " ".join(f"WHEN {alias}.score >= {_num(m)} THEN %s" for _n, m, _o in bands)
    given_order = " ".join(f"WHEN {alias}.rating = %s THEN {o}" for _n, _m, o in bands)
    given_name = " ".join(f"WHEN {alias}.rating = %s THEN {alias}.rating" for _n, _m, _o in bands)
    names = [n for n, _m, _o in bands]
    order_sql = (
        f"(CASE WHEN {alias}.id IS NULL THEN NULL WHEN {alias}.rating_given AND {alias}.rating IN "
        f"({', '.join(['%s'] * len(bands))}) THEN (CASE {given_order} END) "
        f"ELSE (CASE {by_score_order} ELSE 0 END) END)"
    )
    name_sql = (
        f"(CASE WHEN {alias}.id IS NULL THEN '' WHEN {alias}.rating_given AND {alias}.rating IN "
        f"({', '.join(['%s'] * len(bands))}) THEN (CASE {given_name} END) "
        f"ELSE (CASE {by_score_name} ELSE '' END) END)"
    )
    return order_sql, name_sql, names * 2, names * 3


def _staff_rank_sql(column: str) -> str:
    ranks = " ".join(f"WHEN '{c.value}' THEN {StaffRating.rank(c.value)}" for c in StaffRating)
    return f"(CASE {column} {ranks} ELSE 0 END)"


def _kinds_filter(award_form: AwardForm, group_kind: str, field: str, column: str) -> tuple[str, list]:
    kinds: set[str] = set()
    for group in award_form.target_groups.all():
        if group.kind == group_kind:
            kinds.update(getattr(group, field) or [])
    if not kinds:
        return "", []
    kinds_list = sorted(kinds)
    return f" AND {column} IN ({', '.join(['%s'] * len(kinds_list))})", kinds_list


INSERT_COLUMNS = (
    "run_id, award_form_id, bloc_id, kind, agency_id, person_id, registration_id, individual_id, par_year, "
    "par_score, par_rating, par_order, staff_rating, disciplined, upheld_complaints, registered_at, "
    "total_score, reviewer_count, score_overridden, gate_par, par_exempt, gate_staff_rating, "
    "gate_discipline, gate_complaints, gate_on_time, gate_head_tied, gate_collective, eligible, rank_value, "
    "tie_at_cutoff, proposed"
)


class _Context:
    def __init__(self, campaign: Campaign, round: Round, run: ResultRun, award_form: AwardForm):
        self.campaign, self.round, self.run, self.form = campaign, round, run, award_form
        self.par_year = par_year_for(award_form, round)
        self.order_sql, self.name_sql, self.order_params, self.name_params = _band_sql(campaign)
        min_band = award_form.min_par_band
        self.min_order = min_band.order if min_band else None
        deadline = campaign.milestone(MilestoneKind.REGISTRATION_DEADLINE, round)
        self.deadline = deadline
        self.deadline_param = (
            connection.ops.adapt_datetimefield_value(deadline.deadline_at) if deadline else None
        )

    def gate_par(self) -> tuple[str, list]:
        if self.min_order is None:
            return "NULL", []
        missing = "NULL" if self.form.par_exempt_without_index else "FALSE"
        return (
            f"(CASE WHEN p.id IS NULL THEN {missing} ELSE ({self.order_sql} >= {self.min_order}) END)",
            list(self.order_params),
        )

    def par_exempt(self) -> str:
        if self.min_order is not None and self.form.par_exempt_without_index:
            return "(p.id IS NULL)"
        return "FALSE"

    def gate_on_time(self) -> tuple[str, list]:
        if not self.form.require_on_time_registration:
            return "NULL", []
        if self.deadline_param is None:
            return "(r.submitted_at IS NOT NULL)", []
        return "(r.submitted_at IS NOT NULL AND r.submitted_at <= %s)", [self.deadline_param]

    def gate_staff(self, column: str) -> str:
        minimum = self.form.min_staff_rating
        if not minimum:
            return "NULL"
        return f"({_staff_rank_sql(column)} >= {StaffRating.rank(minimum)})"

    def gate_discipline(self, column: str) -> str:
        if not self.form.require_head_not_disciplined:
            return "NULL"
        return f"(CASE WHEN {column} THEN FALSE ELSE TRUE END)"

    def gate_complaints(self) -> str:
        return "(COALESCE(cp.n, 0) = 0)" if self.form.require_no_upheld_complaints else "NULL"

    def rank_value(self) -> str:
        return "p.score" if self.form.ranking_key == RankingKey.PAR_SCORE else "COALESCE(o.score, s.total)"


def _aggregate_scores(run: ResultRun, campaign: Campaign, round: Round, cursor) -> None:
    if campaign.score_aggregation == ScoreAggregation.MEDIAN:
        total = "AVG(CASE WHEN rn IN ((cnt + 1) / 2, (cnt + 2) / 2) THEN total END)"
    else:
        total = "AVG(total)"
    cursor.execute(
        f"""
        WITH rt AS (
            SELECT a.id, a.registration_id AS reg, a.individual_id AS ind, SUM(sc.points * c.weight) AS total
            FROM scoring_reviewassignment a
            JOIN scoring_criterionscore sc ON sc.assignment_id = a.id
            JOIN campaigns_criterion c ON c.id = sc.criterion_id
            WHERE a.round_id = %s AND a.initiative_id IS NULL AND a.conflict_declared = %s
              AND a.completed_at IS NOT NULL AND c.is_gate = %s
            GROUP BY a.id, a.registration_id, a.individual_id
        ), ordered AS (
            SELECT reg, ind, total,
                   ROW_NUMBER() OVER (PARTITION BY reg, ind ORDER BY total) AS rn,
                   COUNT(*) OVER (PARTITION BY reg, ind) AS cnt
            FROM rt
        )
        INSERT INTO scoring_aggregatescore (run_id, registration_id, individual_id, total, reviewer_count)
        SELECT %s, reg, ind, ROUND({total}, 2), COUNT(*) FROM ordered GROUP BY reg, ind
        """,
        [round.pk, False, False, run.pk],
    )


def _insert_collectives(ctx: _Context, cursor) -> None:
    gate_par, gate_par_params = ctx.gate_par()
    gate_on_time, on_time_params = ctx.gate_on_time()
    kinds_sql, kinds_params = _kinds_filter(ctx.form, TargetGroupKind.COLLECTIVE, "agency_kinds", "ag.kind")
    sql = f"""
        INSERT INTO scoring_candidateresult ({INSERT_COLUMNS})
        SELECT %s, %s, c.bloc_id, %s, c.agency_id, NULL, r.id, NULL, %s,
               p.score, {ctx.name_sql}, {ctx.order_sql}, '', hs.disciplined, COALESCE(cp.n, 0),
               r.submitted_at,
               COALESCE(o.score, s.total), COALESCE(s.reviewer_count, 0), (o.id IS NOT NULL),
               {gate_par}, {ctx.par_exempt()}, NULL, {ctx.gate_discipline("hs.disciplined")},
               {ctx.gate_complaints()}, {gate_on_time}, NULL, NULL, FALSE, {ctx.rank_value()}, FALSE, FALSE
        FROM (
            SELECT bm.agency_id, bm.bloc_id FROM campaigns_blocmembership bm WHERE bm.campaign_id = %s
            UNION ALL
            SELECT r0.agency_id, NULL FROM registrations_registration r0
            WHERE r0.round_id = %s AND r0.state = %s AND NOT EXISTS (
                SELECT 1 FROM campaigns_blocmembership b2
                WHERE b2.campaign_id = %s AND b2.agency_id = r0.agency_id)
        ) c
        JOIN agencies_agency ag ON ag.id = c.agency_id
        LEFT JOIN registrations_registration r
               ON r.round_id = %s AND r.agency_id = c.agency_id AND r.state = %s
        LEFT JOIN scoring_parindexresult p ON p.agency_id = c.agency_id AND p.year = %s
        LEFT JOIN scoring_aggregatescore s
               ON s.run_id = %s AND s.registration_id = r.id AND s.individual_id IS NULL
        LEFT JOIN scoring_scoreoverride o ON o.registration_id = r.id AND o.individual_id IS NULL
        LEFT JOIN agencies_person h ON h.agency_id = c.agency_id AND h.is_head = %s
        LEFT JOIN scoring_staffratingrecord hs ON hs.person_id = h.id AND hs.year = %s
        LEFT JOIN (SELECT agency_id, COUNT(*) AS n FROM scoring_complaint WHERE year = %s AND upheld = %s
                   GROUP BY agency_id) cp ON cp.agency_id = c.agency_id
        WHERE (ag.dissolved_on IS NULL OR ag.dissolved_on > %s){kinds_sql}
    """
    params = [
        ctx.run.pk, ctx.form.pk, CandidateKind.COLLECTIVE.value, ctx.par_year,
        *ctx.name_params, *ctx.order_params,
        *gate_par_params, *on_time_params,
        ctx.campaign.pk, ctx.round.pk, ACCEPTED, ctx.campaign.pk,
        ctx.round.pk, ACCEPTED, ctx.par_year, ctx.run.pk, True, ctx.round.year, ctx.round.year, True,
        connection.ops.adapt_datefield_value(ctx.round.starts_on), *kinds_params,
    ]  # fmt: skip
    cursor.execute(sql, params)


def _insert_individuals(ctx: _Context, cursor) -> None:
    gate_par, gate_par_params = ctx.gate_par()
    gate_on_time, on_time_params = ctx.gate_on_time()
    kinds_sql, kinds_params = _kinds_filter(ctx.form, TargetGroupKind.INDIVIDUAL, "person_kinds", "pe.kind")
    head_tied = "NULL"
    if ctx.form.head_tied_to_collective:
        head_tied = (
            "(CASE WHEN pe.is_head THEN EXISTS (SELECT 1 FROM scoring_candidateresult c2 "
            "WHERE c2.run_id = %s "
            "AND c2.kind = 'collective' AND c2.agency_id = r.agency_id AND c2.proposed) ELSE NULL END)"
        )
    sql = f"""
        INSERT INTO scoring_candidateresult ({INSERT_COLUMNS})
        SELECT %s, %s, bm.bloc_id, %s, r.agency_id, pe.id, r.id, i.id, %s,
               p.score, {ctx.name_sql}, {ctx.order_sql}, COALESCE(sr.rating, ''), sr.disciplined,
               COALESCE(cp.n, 0), r.submitted_at,
               COALESCE(o.score, s.total), COALESCE(s.reviewer_count, 0), (o.id IS NOT NULL),
               {gate_par}, {ctx.par_exempt()}, {ctx.gate_staff("sr.rating")},
               {ctx.gate_discipline("sr.disciplined")}, {ctx.gate_complaints()}, {gate_on_time}, {head_tied},
               NULL, FALSE, {ctx.rank_value()}, FALSE, FALSE
        FROM registrations_individualregistration i
        JOIN registrations_registration r ON r.id = i.registration_id AND r.state = %s
        JOIN agencies_person pe ON pe.id = i.person_id
        LEFT JOIN campaigns_blocmembership bm ON bm.campaign_id = %s AND bm.agency_id = r.agency_id
        LEFT JOIN scoring_parindexresult p ON p.agency_id = r.agency_id AND p.year = %s
        LEFT JOIN scoring_aggregatescore s ON s.run_id = %s AND s.individual_id = i.id
        LEFT JOIN scoring_scoreoverride o ON o.individual_id = i.id
        LEFT JOIN scoring_staffratingrecord sr ON sr.person_id = pe.id AND sr.year = %s
        LEFT JOIN (SELECT agency_id, COUNT(*) AS n FROM scoring_complaint WHERE year = %s AND upheld = %s
                   GROUP BY agency_id) cp ON cp.agency_id = r.agency_id
        WHERE i.round_id = %s{kinds_sql}
    """
    params = [
        ctx.run.pk, ctx.form.pk, CandidateKind.INDIVIDUAL.value, ctx.par_year,
        *ctx.name_params, *ctx.order_params,
        *gate_par_params, *on_time_params,
        *([ctx.run.pk] if ctx.form.head_tied_to_collective else []),
        ACCEPTED, ctx.campaign.pk, ctx.par_year, ctx.run.pk, ctx.round.year, ctx.round.year, True,
        ctx.round.pk, *kinds_params,
    ]  # fmt: skip
    cursor.execute(sql, params)


def _apply_extensions(ctx: _Context) -> None:
    """Registrations sent after the deadline but within an extension granted to the agency are on time."""
    if not ctx.form.require_on_time_registration or ctx.deadline is None:
        return
    from registrations.services import effective_deadline

    for extension in DeadlineExtension.objects.filter(milestone=ctx.deadline).select_related("agency"):
        until = effective_deadline(extension.agency, ctx.deadline)
        CandidateResult.objects.filter(
            run=ctx.run, award_form=ctx.form, agency=extension.agency, registered_at__lte=until
        ).update(gate_on_time=True)


def _set_eligible(cursor, run_id: int, form_id: int, kinds: tuple[str, ...]) -> None:
    gates = [
        "gate_par", "gate_staff_rating", "gate_discipline", "gate_complaints", "gate_on_time",
        "gate_head_tied", "gate_collective",
    ]  # fmt: skip
    cursor.execute(
        f"""UPDATE scoring_candidateresult
        SET eligible = ({" AND ".join(f"COALESCE({g}, TRUE)" for g in gates)})
        WHERE run_id = %s AND award_form_id = %s AND kind IN ({", ".join(["%s"] * len(kinds))})""",
        [run_id, form_id, *kinds],
    )


def _order_sql(form: AwardForm) -> tuple[str, str]:
    """ORDER BY for the ranking, and the columns that make two candidates equal."""
    order = "rank_value DESC"
    tie_cols = "rank_value"
    key = form.tie_break_key
    if key == TieBreakKey.TOTAL_SCORE and form.ranking_key != RankingKey.TOTAL_SCORE:
        order += ", (total_score IS NULL), total_score DESC"
        tie_cols += ", total_score"
    elif key == TieBreakKey.PAR_SCORE and form.ranking_key != RankingKey.PAR_SCORE:
        order += ", (par_score IS NULL), par_score DESC"
        tie_cols += ", par_score"
    elif key == TieBreakKey.REGISTERED_AT:
        order += ", (registered_at IS NULL), registered_at ASC"
        tie_cols += ", registered_at"
    return order, tie_cols


def _rank_and_cut(cursor, run_id: int, form: AwardForm) -> None:
    order, tie_cols = _order_sql(form)
    where = "run_id = %s AND award_form_id = %s AND kind IN ('collective', 'individual')"
    cursor.execute(
        f"""UPDATE scoring_candidateresult SET rank_in_bloc = x.rnk, ranked_count = x.cnt
        FROM (SELECT id, RANK() OVER (PARTITION BY kind, bloc_id ORDER BY {order}) AS rnk,
                     COUNT(*) OVER (PARTITION BY kind, bloc_id) AS cnt
              FROM scoring_candidateresult WHERE {where} AND rank_value IS NOT NULL) x
        WHERE scoring_candidateresult.id = x.id""",
        [run_id, form.pk],
    )
    part = "kind, bloc_id" if form.quota_scope == QuotaScope.PER_BLOC else "kind"
    base = {
        QuotaBase.RANKED_IN_BLOC: f"COUNT(rank_value) OVER (PARTITION BY {part})",
        QuotaBase.WITH_ACHIEVEMENTS: f"COUNT(total_score) OVER (PARTITION BY {part})",
        QuotaBase.ELIGIBLE: f"SUM(CASE WHEN eligible THEN 1 ELSE 0 END) OVER (PARTITION BY {part})",
    }[form.quota_base]
    if form.quota_kind == QuotaKind.FRACTION:
        quota = f"((x.base * {int(form.quota_numerator)}) / {int(form.quota_denominator)})"
    elif form.quota_kind == QuotaKind.FIXED:
        quota = str(int(form.quota_fixed))
    else:
        quota = "NULL"
    pool = "(eligible AND rank_value IS NOT NULL)"
    cursor.execute(
        f"""UPDATE scoring_candidateresult SET quota_base = x.base, quota = {quota},
               eligible_rank = x.erank, tie_size = x.tsize
        FROM (SELECT id, {base} AS base,
                     CASE WHEN {pool} THEN RANK() OVER (PARTITION BY {part}, {pool} ORDER BY {order})
                     END AS erank,
                     COUNT(*) OVER (PARTITION BY {part}, {pool}, {tie_cols}) AS tsize
              FROM scoring_candidateresult WHERE {where}) x
        WHERE scoring_candidateresult.id = x.id""",
        [run_id, form.pk],
    )
    cursor.execute(
        f"""UPDATE scoring_candidateresult SET
            proposed = COALESCE({pool} AND (quota IS NULL OR eligible_rank + tie_size - 1 <= quota), FALSE),
            tie_at_cutoff = COALESCE({pool} AND quota IS NOT NULL AND eligible_rank <= quota
                                     AND eligible_rank + tie_size - 1 > quota, FALSE)
        WHERE {where}""",
        [run_id, form.pk],
    )


def _extend_to_head_and_deputy(ctx: _Context, cursor) -> None:
    """Seed 002: the collective's proposal extends to its head and the deputy in charge of reform."""
    sql = f"""
        INSERT INTO scoring_candidateresult ({INSERT_COLUMNS}, rank_in_bloc, ranked_count, quota_base, quota)
        SELECT c.run_id, c.award_form_id, c.bloc_id,
               CASE WHEN pe.is_head THEN %s ELSE %s END, c.agency_id, pe.id, c.registration_id, NULL,
               c.par_year,
               c.par_score, c.par_rating, c.par_order, COALESCE(sr.rating, ''), sr.disciplined,
               c.upheld_complaints, c.registered_at, c.total_score, c.reviewer_count, c.score_overridden,
               c.gate_par, c.par_exempt, {ctx.gate_staff("sr.rating")},
               {ctx.gate_discipline("sr.disciplined")}, c.gate_complaints, c.gate_on_time, NULL, c.proposed,
               FALSE, c.rank_value, c.tie_at_cutoff, FALSE,
               c.rank_in_bloc, c.ranked_count, c.quota_base, c.quota
        FROM scoring_candidateresult c
        JOIN agencies_person pe
             ON pe.agency_id = c.agency_id AND (pe.is_head = %s OR pe.is_reform_deputy = %s)
        LEFT JOIN scoring_staffratingrecord sr ON sr.person_id = pe.id AND sr.year = %s
        WHERE c.run_id = %s AND c.award_form_id = %s AND c.kind = %s
    """
    cursor.execute(
        sql,
        [
            CandidateKind.HEAD.value, CandidateKind.DEPUTY.value, True, True, ctx.round.year,
            ctx.run.pk, ctx.form.pk, CandidateKind.COLLECTIVE.value,
        ],
    )  # fmt: skip
    _set_eligible(cursor, ctx.run.pk, ctx.form.pk, (CandidateKind.HEAD.value, CandidateKind.DEPUTY.value))
    cursor.execute(
        "UPDATE scoring_candidateresult SET proposed = eligible "
        "WHERE run_id = %s AND award_form_id = %s AND kind IN (%s, %s)",
        [ctx.run.pk, ctx.form.pk, CandidateKind.HEAD.value, CandidateKind.DEPUTY.value],
    )


def _form_order(form: AwardForm) -> tuple[int, int, int]:
    # Collective forms first: a head's individual award may wait for the agency's (seed 001).
    return (0 if form.recipient != Recipient.INDIVIDUAL else 1, form.order, form.pk)


def compute_results(campaign: Campaign, round: Round | None = None, *, actor=None) -> ResultRun:
    """Compute (or recompute) the results of ``round`` (default: the latest) for every award form.

    The number of SQL statements depends on the number of award forms, never on the candidates.
    """
    round = round or default_round(campaign)
    forms = sorted(
        campaign.award_forms.select_related("min_par_band").prefetch_related("target_groups"), key=_form_order
    )
    with transaction.atomic():
        previous = ResultRun.objects.filter(round=round).first()
        if previous is not None:
            CandidateResult.objects.filter(run=previous)._raw_delete(CandidateResult.objects.db)
            previous.aggregate_scores.all()._raw_delete(CandidateResult.objects.db)
            previous.delete()
        run = ResultRun.objects.create(campaign=campaign, round=round, computed_by=actor)
        with connection.cursor() as cursor:
            _aggregate_scores(run, campaign, round, cursor)
            for form in forms:
                ctx = _Context(campaign, round, run, form)
                kinds: list[str] = []
                if form.recipient in (Recipient.COLLECTIVE, Recipient.BOTH):
                    _insert_collectives(ctx, cursor)
                    kinds.append(CandidateKind.COLLECTIVE.value)
                if form.recipient in (Recipient.INDIVIDUAL, Recipient.BOTH):
                    _insert_individuals(ctx, cursor)
                    kinds.append(CandidateKind.INDIVIDUAL.value)
                _apply_extensions(ctx)
                _set_eligible(cursor, run.pk, form.pk, tuple(kinds))
                _rank_and_cut(cursor, run.pk, form)
                if form.extends_to_head_and_deputy and form.recipient != Recipient.INDIVIDUAL:
                    _extend_to_head_and_deputy(ctx, cursor)
        run.candidate_count = CandidateResult.objects.filter(run=run).count()
        run.save(update_fields=["candidate_count"])
        record(
            run,
            actor=actor,
            changes={
                "candidate_count": (previous.candidate_count if previous else None, run.candidate_count)
            },
            note=_("Tính kết quả xét khen thưởng"),
        )
    return run


def latest_run(campaign: Campaign, round: Round | None = None) -> ResultRun | None:
    qs = ResultRun.objects.filter(campaign=campaign)
    if round is not None:
        qs = qs.filter(round=round)
    return qs.select_related("round").order_by("-round__year", "-round__is_final", "-computed_at").first()
