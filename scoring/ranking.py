"""The SQL of a result computation: gates, ranking within the bloc, quota, in one INSERT per award form
and candidate kind (``scoring.results.compute_results`` runs them in its transaction).

How a round is computed (per award form, collective forms first):

1. Scores: each reviewer's weighted total (sum of points x weight over the scored criteria of a
   completed, conflict-free assignment), then the mean or the median across reviewers (the plan's
   ``score_aggregation``), rounded to 2 decimals; a final score set by home affairs replaces it.
2. Candidates: collectives are the agencies of the plan's blocs plus agencies with an accepted
   registration outside any bloc; individuals are the people of accepted registrations. Each row
   stores the values the gates saw (PAR score and rating of the plan's year, staff rating,
   discipline, upheld complaints, registration time) and each gate's verdict (NULL = gate not set).
3. Ranking: within each bloc (and candidate kind) by the plan's key (PAR score or total score;
   individuals by their own key when the plan gives one, e.g. the staff rating),
   high to low, then by the plan's tie-break key (higher score, or earlier registration). Candidates
   still equal share a rank (SQL ``RANK()``); a candidate with no value for the key is not ranked.
4. Quota: floor(base x numerator / denominator) or a fixed number, per bloc or for the whole plan,
   where the base is the number of ranked candidates, of candidates with a score ("có thành tích"),
   or of eligible candidates. Eligible candidates are proposed in rank order up to the quota
   (without a quota every eligible candidate is; with one, a candidate needs a value to rank by). When a
   group of equal candidates straddles the cut-off, none of them is proposed automatically: they are
   flagged ``tie_at_cutoff`` for the council to decide, so the quota is never exceeded.
5. Head and reform deputy (seed 002) follow their agency's collective result; a head's individual
   award waits for the agency's collective proposal when the plan ties them (seed 001).
6. An agency with no head in the directory, under a plan that requires an undisciplined head, is
   neither passed nor failed (``head_unknown``): it keeps its rank and its place in the quota, but
   is not proposed until home affairs adds the head and recomputes.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection

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

from .models import CandidateKind, ResultRun

ACCEPTED = RegistrationState.ACCEPTED.value


def par_year_for(award_form: AwardForm, round: Round) -> int:
    return round.year - 1 if award_form.par_year == ParYear.PREVIOUS else round.year


def _bands(campaign: Campaign) -> list[tuple[str, Decimal, int]]:
    """(name, min_score, order), best first."""
    bands = [(b.name, b.min_score, b.order) for b in campaign.par_bands.all()]
    if not bands:
        bands = [(name, min_score, order) for _c, name, min_score, order in DEFAULT_PAR_BANDS]
    return sorted(bands, key=lambda b: b[1], reverse=True)


def _num(value) -> str:
    """A number from our own models inlined as an SQL literal (never user text)."""
    return str(float(value)) if not isinstance(value, int) else str(value)


def band_sql(campaign: Campaign, alias: str = "p") -> tuple[str, str, list, list]:
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


# A typed NULL: PostgreSQL types a bare NULL in a sub-select as text.
BOOL_NULL = "CAST(NULL AS BOOLEAN)"

INSERT_COLUMNS = (
    "run_id, award_form_id, bloc_id, kind, agency_id, person_id, registration_id, individual_id, par_year, "
    "par_score, par_rating, par_order, staff_rating, disciplined, upheld_complaints, registered_at, "
    "total_score, reviewer_count, score_overridden, gate_par, par_exempt, gate_staff_rating, "
    "gate_discipline, gate_complaints, gate_on_time, gate_head_tied, gate_collective, resubmitted_at, "
    "resubmit_by, gate_registration, head_unknown, eligible, rank_value, tie_at_cutoff, proposed"
)

# The registration's first sending (a re-send after a return does not move it) and the re-send.
FIRST_SENT = "COALESCE(r.first_submitted_at, r.submitted_at)"
RESENT = (
    "(CASE WHEN r.first_submitted_at IS NOT NULL AND r.submitted_at > r.first_submitted_at "
    "THEN r.submitted_at END)"
)


class _Context:
    def __init__(self, campaign: Campaign, round: Round, run: ResultRun, award_form: AwardForm):
        self.campaign, self.round, self.run, self.form = campaign, round, run, award_form
        self.par_year = par_year_for(award_form, round)
        self.order_sql, self.name_sql, self.order_params, self.name_params = band_sql(campaign)
        min_band = award_form.min_par_band
        self.min_order = min_band.order if min_band else None
        deadline = campaign.milestone(MilestoneKind.REGISTRATION_DEADLINE, round)
        self.deadline = deadline
        self.deadline_param = (
            connection.ops.adapt_datetimefield_value(deadline.deadline_at) if deadline else None
        )

    def gate_par(self) -> tuple[str, list]:
        if self.min_order is None:
            return BOOL_NULL, []
        missing = BOOL_NULL if self.form.par_exempt_without_index else "FALSE"
        return (
            f"(CASE WHEN p.id IS NULL THEN {missing} ELSE ({self.order_sql} >= {self.min_order}) END)",
            list(self.order_params),
        )

    def par_exempt(self) -> str:
        if self.min_order is not None and self.form.par_exempt_without_index:
            return "(p.id IS NULL)"
        return "FALSE"

    def gate_on_time(self) -> tuple[str, list]:
        """First sent by the end of the deadline day, or of the extension granted to the agency (gia
        hạn). A re-send after a return keeps the first sending: it is refused after the resubmission
        date home affairs gave (registrations.queries.deadlines), so it cannot make a registration late."""
        if not self.form.require_on_time_registration:
            return BOOL_NULL, []
        if self.deadline_param is None:
            return f"({FIRST_SENT} IS NOT NULL)", []
        from registrations.queries.deadlines import effective_deadline

        extended = [
            (
                e.agency_id,
                connection.ops.adapt_datetimefield_value(effective_deadline(e.agency, self.deadline)),
            )
            for e in DeadlineExtension.objects.filter(milestone=self.deadline).select_related("agency")
        ]
        if not extended:
            return f"({FIRST_SENT} IS NOT NULL AND {FIRST_SENT} <= %s)", [self.deadline_param]
        whens = " ".join("WHEN %s THEN %s" for _e in extended)
        params = [value for pair in extended for value in pair]
        return (
            f"({FIRST_SENT} IS NOT NULL AND {FIRST_SENT} <= (CASE r.agency_id {whens} ELSE %s END))",
            [*params, self.deadline_param],
        )

    def gate_staff(self, column: str) -> str:
        minimum = self.form.min_staff_rating
        if not minimum:
            return BOOL_NULL
        return f"({_staff_rank_sql(column)} >= {StaffRating.rank(minimum)})"

    def gate_discipline(self, column: str, head: str | None = None) -> str:
        """``head``: the head's id column, for a collective. No head in the directory: NULL (not
        judged), and ``head_unknown`` says why."""
        if not self.form.require_head_not_disciplined:
            return BOOL_NULL
        if head is not None:
            return f"(CASE WHEN {head} IS NULL THEN NULL WHEN {column} THEN FALSE ELSE TRUE END)"
        return f"(CASE WHEN {column} THEN FALSE ELSE TRUE END)"

    def head_unknown(self, head: str) -> str:
        return f"({head} IS NULL)" if self.form.require_head_not_disciplined else "FALSE"

    def gate_registration(self) -> str:
        """The plan requires an accepted registration (alias ``r``: the accepted one, or none)."""
        return "(r.id IS NOT NULL)" if self.form.require_accepted_registration else BOOL_NULL

    def gate_complaints(self) -> str:
        return "(COALESCE(cp.n, 0) = 0)" if self.form.require_no_upheld_complaints else BOOL_NULL

    def rank_value(self, individuals: bool = False, staff_rating: str = "sr.rating") -> str:
        key = self.form.ranking_key_for(individuals)
        if key == RankingKey.PAR_SCORE:
            return "p.score"
        if key == RankingKey.STAFF_RATING:
            # The rating's rank (4 = Hoàn thành xuất sắc nhiệm vụ); no rating: not ranked.
            if not individuals:
                return "CAST(NULL AS DECIMAL)"
            return f"(CASE WHEN {staff_rating} IS NULL THEN NULL ELSE {_staff_rank_sql(staff_rating)} END)"
        return "COALESCE(o.score, s.total)"


def _scores_cte(ctx: _Context, individuals: bool) -> tuple[str, list]:
    """CTE ``agg`` (subj, total, reviewer_count): each reviewer's weighted total over the scored
    criteria of a completed, conflict-free review, then the mean or the median across reviewers,
    rounded to 2 decimals. Only the subjects of one kind (agencies or people) are aggregated."""
    if ctx.campaign.score_aggregation == ScoreAggregation.MEDIAN:
        total = "AVG(CASE WHEN rn IN ((cnt + 1) / 2, (cnt + 2) / 2) THEN total END)"
        windows = """, ROW_NUMBER() OVER (PARTITION BY subj ORDER BY total) AS rn,
                   COUNT(*) OVER (PARTITION BY subj) AS cnt"""
    else:
        total, windows = "AVG(total)", ""
    # One key per subject: the person's registration, or the agency's (collective reviews).
    subject, key = (
        ("a.individual_id IS NOT NULL", "a.individual_id")
        if individuals
        else (
            "a.individual_id IS NULL",
            "a.registration_id",
        )
    )
    reviews = f"""
            FROM scoring_reviewassignment a
            JOIN scoring_criterionscore sc ON sc.assignment_id = a.id
            JOIN campaigns_criterion c ON c.id = sc.criterion_id
            WHERE a.round_id = %s AND a.initiative_id IS NULL AND {subject} AND a.conflict_declared = %s
              AND a.completed_at IS NOT NULL AND c.is_gate = %s"""
    if windows == "" and connection.vendor == "postgresql":
        # The mean in one pass: the reviewers' totals add up to the subject's total, and numeric sums
        # and divisions are exact, so SUM / reviewers equals AVG of the per-reviewer totals (same
        # division, same scale) without grouping the scores by review first. SQLite keeps the two
        # steps: its REAL sums could round differently when added in another order.
        sql = f"""
        WITH agg AS (
            SELECT {key} AS subj, ROUND(SUM(sc.points * c.weight) / COUNT(DISTINCT a.id), 2) AS total,
                   COUNT(DISTINCT a.id) AS reviewer_count{reviews}
            GROUP BY {key}
        )
    """
        return sql, [ctx.round.pk, False, False]
    sql = f"""
        WITH rt AS (
            SELECT a.id, {key} AS subj, SUM(sc.points * c.weight) AS total
            FROM scoring_reviewassignment a
            JOIN scoring_criterionscore sc ON sc.assignment_id = a.id
            JOIN campaigns_criterion c ON c.id = sc.criterion_id
            WHERE a.round_id = %s AND a.initiative_id IS NULL AND {subject} AND a.conflict_declared = %s
              AND a.completed_at IS NOT NULL AND c.is_gate = %s
            GROUP BY a.id, {key}
        ), ordered AS (
            SELECT subj, total{windows}
            FROM rt
        ), agg AS (
            SELECT subj, ROUND({total}, 2) AS total, COUNT(*) AS reviewer_count
            FROM ordered GROUP BY subj
        )
    """
    return sql, [ctx.round.pk, False, False]


def _collective_select(ctx: _Context) -> tuple[str, str, list]:
    gate_par, gate_par_params = ctx.gate_par()
    gate_on_time, on_time_params = ctx.gate_on_time()
    kinds_sql, kinds_params = _kinds_filter(ctx.form, TargetGroupKind.COLLECTIVE, "agency_kinds", "ag.kind")
    sql = f"""
        SELECT %s AS run_id, %s AS award_form_id, c.bloc_id AS bloc_id, %s AS kind, c.agency_id AS agency_id,
               CAST(NULL AS BIGINT) AS person_id, r.id AS registration_id,
               CAST(NULL AS BIGINT) AS individual_id, %s AS par_year,
               p.score AS par_score, {ctx.name_sql} AS par_rating, {ctx.order_sql} AS par_order,
               '' AS staff_rating, hs.disciplined AS disciplined, COALESCE(cp.n, 0) AS upheld_complaints,
               {FIRST_SENT} AS registered_at, COALESCE(o.score, s.total) AS total_score,
               COALESCE(s.reviewer_count, 0) AS reviewer_count, (o.id IS NOT NULL) AS score_overridden,
               {gate_par} AS gate_par, {ctx.par_exempt()} AS par_exempt,
               CAST(NULL AS BOOLEAN) AS gate_staff_rating,
               {ctx.gate_discipline("hs.disciplined", head="h.id")} AS gate_discipline,
               {ctx.gate_complaints()} AS gate_complaints, {gate_on_time} AS gate_on_time,
               CAST(NULL AS BOOLEAN) AS gate_head_tied, CAST(NULL AS BOOLEAN) AS gate_collective,
               {RESENT} AS resubmitted_at, r.resubmit_by AS resubmit_by,
               {ctx.gate_registration()} AS gate_registration, {ctx.head_unknown("h.id")} AS head_unknown,
               {ctx.rank_value()} AS rank_value
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
        LEFT JOIN agg s ON s.subj = r.id
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
        ctx.round.pk, ACCEPTED, ctx.par_year, True, ctx.round.year, ctx.round.year, True,
        connection.ops.adapt_datefield_value(ctx.round.starts_on), *kinds_params,
    ]  # fmt: skip
    cte, cte_params = _scores_cte(ctx, individuals=False)
    return cte, sql, [*cte_params, *params]


def _individual_select(ctx: _Context) -> tuple[str, str, list]:
    gate_par, gate_par_params = ctx.gate_par()
    gate_on_time, on_time_params = ctx.gate_on_time()
    kinds_sql, kinds_params = _kinds_filter(ctx.form, TargetGroupKind.INDIVIDUAL, "person_kinds", "pe.kind")
    head_tied, head_join, head_params = BOOL_NULL, "", []
    if ctx.form.head_tied_to_collective:
        # Agencies proposed as collectives in this run (collective forms are computed first).
        head_tied = "(CASE WHEN pe.is_head THEN (pc.agency_id IS NOT NULL) ELSE NULL END)"
        head_join = """
        LEFT JOIN (SELECT DISTINCT agency_id FROM scoring_candidateresult
                   WHERE run_id = %s AND kind = 'collective' AND proposed = %s) pc
               ON pc.agency_id = r.agency_id"""
        head_params = [ctx.run.pk, True]
    sql = f"""
        SELECT %s AS run_id, %s AS award_form_id, bm.bloc_id AS bloc_id, %s AS kind, r.agency_id AS agency_id,
               pe.id AS person_id, r.id AS registration_id, i.id AS individual_id, %s AS par_year,
               p.score AS par_score, {ctx.name_sql} AS par_rating, {ctx.order_sql} AS par_order,
               COALESCE(sr.rating, '') AS staff_rating, sr.disciplined AS disciplined,
               COALESCE(cp.n, 0) AS upheld_complaints, {FIRST_SENT} AS registered_at,
               COALESCE(o.score, s.total) AS total_score, COALESCE(s.reviewer_count, 0) AS reviewer_count,
               (o.id IS NOT NULL) AS score_overridden, {gate_par} AS gate_par,
                   {ctx.par_exempt()} AS par_exempt,
               {ctx.gate_staff("sr.rating")} AS gate_staff_rating,
               {ctx.gate_discipline("sr.disciplined")} AS gate_discipline,
               {ctx.gate_complaints()} AS gate_complaints, {gate_on_time} AS gate_on_time,
               {head_tied} AS gate_head_tied, CAST(NULL AS BOOLEAN) AS gate_collective,
               {RESENT} AS resubmitted_at, r.resubmit_by AS resubmit_by,
               {ctx.gate_registration()} AS gate_registration, FALSE AS head_unknown,
               {ctx.rank_value(individuals=True)} AS rank_value
        FROM registrations_individualregistration i
        JOIN registrations_registration r ON r.id = i.registration_id AND r.state = %s
        JOIN agencies_person pe ON pe.id = i.person_id
        LEFT JOIN campaigns_blocmembership bm ON bm.campaign_id = %s AND bm.agency_id = r.agency_id
        LEFT JOIN scoring_parindexresult p ON p.agency_id = r.agency_id AND p.year = %s
        LEFT JOIN agg s ON s.subj = i.id
        LEFT JOIN scoring_scoreoverride o ON o.individual_id = i.id
        LEFT JOIN scoring_staffratingrecord sr ON sr.person_id = pe.id AND sr.year = %s
        LEFT JOIN (SELECT agency_id, COUNT(*) AS n FROM scoring_complaint WHERE year = %s AND upheld = %s
                   GROUP BY agency_id) cp ON cp.agency_id = r.agency_id{head_join}
        WHERE i.round_id = %s{kinds_sql}
    """
    params = [
        ctx.run.pk, ctx.form.pk, CandidateKind.INDIVIDUAL.value, ctx.par_year,
        *ctx.name_params, *ctx.order_params,
        *gate_par_params, *on_time_params,
        ACCEPTED, ctx.campaign.pk, ctx.par_year, ctx.round.year, ctx.round.year, True, *head_params,
        ctx.round.pk, *kinds_params,
    ]  # fmt: skip
    cte, cte_params = _scores_cte(ctx, individuals=True)
    return cte, sql, [*cte_params, *params]


def _order_sql(form: AwardForm, individuals: bool = False) -> tuple[str, str]:
    """ORDER BY for the ranking, and the columns that make two candidates equal."""
    order = "rank_value DESC"
    tie_cols = "rank_value"
    key = form.tie_break_key
    ranking_key = form.ranking_key_for(individuals)
    if key == TieBreakKey.TOTAL_SCORE and ranking_key != RankingKey.TOTAL_SCORE:
        order += ", (total_score IS NULL), total_score DESC"
        tie_cols += ", total_score"
    elif key == TieBreakKey.PAR_SCORE and ranking_key != RankingKey.PAR_SCORE:
        order += ", (par_score IS NULL), par_score DESC"
        tie_cols += ", par_score"
    elif key == TieBreakKey.REGISTERED_AT:
        order += ", (registered_at IS NULL), registered_at ASC"
        tie_cols += ", registered_at"
    return order, tie_cols


GATES = (
    "gate_par", "gate_staff_rating", "gate_discipline", "gate_complaints", "gate_on_time", "gate_head_tied",
    "gate_collective", "gate_registration",
)  # fmt: skip


def _insert_ranked(
    ctx: _Context, cte_sql: str, select_sql: str, params: list, cursor, *, individuals: bool = False
) -> int:
    """One INSERT per award form and candidate kind: the candidates with their gates (``select_sql``),
    eligibility, rank in the bloc, quota base, quota, rank among the eligible, size of the tie group,
    tie at the cut-off and the proposal, all by window functions over the candidates."""
    form = ctx.form
    order, _tie_cols = _order_sql(form, individuals)
    part = "bloc_id" if form.quota_scope == QuotaScope.PER_BLOC else "award_form_id"
    bases: dict[str, str] = {
        QuotaBase.RANKED_IN_BLOC: f"COUNT(rank_value) OVER (PARTITION BY {part})",
        # Every agency the plan lists in the bloc (or in all its blocs), ranked or not, candidate or not.
        QuotaBase.BLOC_MEMBERS: "(SELECT COUNT(*) FROM campaigns_blocmembership m WHERE "
        + ("m.bloc_id = q.bloc_id)" if part == "bloc_id" else f"m.campaign_id = {int(ctx.campaign.pk)})"),
        QuotaBase.WITH_ACHIEVEMENTS: f"COUNT(total_score) OVER (PARTITION BY {part})",
        QuotaBase.ELIGIBLE: f"SUM(CASE WHEN eligible THEN 1 ELSE 0 END) OVER (PARTITION BY {part})",
    }
    base = bases[form.quota_base]
    # The numbers are set whenever the kind needs them (database constraints); inlined as integers.
    if form.quota_kind == QuotaKind.FRACTION:
        quota = f"((quota_base * {int(form.quota_numerator or 0)}) / {int(form.quota_denominator or 1)})"
    elif form.quota_kind == QuotaKind.FIXED:
        quota = str(int(form.quota_fixed or 0))
    else:
        quota = "NULL"
    pool = "(eligible AND rank_value IS NOT NULL)"
    eligible = " AND ".join(f"COALESCE({g}, TRUE)" for g in GATES)
    if form.quota_scope == QuotaScope.PER_BLOC:
        # The pool (eligible and ranked) lies inside the bloc's ranked partition, in the same order: its
        # rank and tie groups are counted over the bloc's peer groups, without sorting the rows again.
        # eligible_rank = 1 + pool rows strictly ahead (pool rows up to this one's peers, the default
        # frame, less its pool peers); tie_size = rows of the same side (pool or not) equal to this one.
        # Candidates with no value all lie in the bloc's unranked partition.
        peers = "GROUPS BETWEEN CURRENT ROW AND CURRENT ROW"
        pool_windows = f"""CASE WHEN {pool}
                        THEN COUNT(CASE WHEN {pool} THEN 1 END) OVER bloc_order
                             - COUNT(CASE WHEN {pool} THEN 1 END) OVER (bloc_order {peers}) + 1 END
                        AS eligible_rank,
                   CASE WHEN {pool} THEN COUNT(CASE WHEN {pool} THEN 1 END) OVER (bloc_order {peers})
                        ELSE COUNT(CASE WHEN {pool} THEN NULL ELSE 1 END) OVER (bloc_order {peers}) END
                        AS tie_size"""
        pool_window = ""
    else:
        pool_windows = f"""CASE WHEN {pool} THEN RANK() OVER pool_order END AS eligible_rank,
                   -- rows up to the last one equal to this one (the default frame includes peers)
                   COUNT(*) OVER pool_order - RANK() OVER pool_order + 1 AS tie_size"""
        pool_window = f",\n                   pool_order AS (PARTITION BY {part}, {pool} ORDER BY {order})"
    cursor.execute(
        f"""{cte_sql}
        INSERT INTO scoring_candidateresult ({INSERT_COLUMNS}, rank_in_bloc, ranked_count, quota_base, quota,
                                             eligible_rank, tie_size)
        SELECT {INSERT_COLUMNS.replace("tie_at_cutoff, proposed", "")}
               COALESCE({pool} AND ({quota}) IS NOT NULL AND eligible_rank <= ({quota})
                        AND eligible_rank + tie_size - 1 > ({quota}), FALSE),
               COALESCE(eligible AND NOT head_unknown
                        AND (({quota}) IS NULL OR ({pool} AND eligible_rank + tie_size - 1 <= ({quota}))),
                        FALSE),
               rank_in_bloc, ranked_count, quota_base, {quota}, eligible_rank, tie_size
        FROM (
            SELECT q.*,
                   CASE WHEN rank_value IS NOT NULL THEN RANK() OVER bloc_order END AS rank_in_bloc,
                   CASE WHEN rank_value IS NOT NULL THEN COUNT(rank_value) OVER (PARTITION BY bloc_id) END
                        AS ranked_count,
                   {base} AS quota_base,
                   {pool_windows}
            FROM (SELECT c.*, ({eligible}) AS eligible FROM ({select_sql}) c) q
            WINDOW bloc_order AS (PARTITION BY bloc_id, (rank_value IS NULL) ORDER BY {order}){pool_window}
        ) ranked
        """,
        params,
    )
    return cursor.rowcount


def _extend_to_head_and_deputy(ctx: _Context, cursor) -> int:
    """Seed 002: the collective's proposal extends to its head and the deputy in charge of reform
    (their own staff-rating and discipline gates apply too)."""
    eligible = " AND ".join(f"COALESCE({g}, TRUE)" for g in GATES)
    sql = f"""
        INSERT INTO scoring_candidateresult ({INSERT_COLUMNS}, rank_in_bloc, ranked_count, quota_base, quota)
        SELECT {INSERT_COLUMNS.replace("eligible, rank_value, tie_at_cutoff, proposed", "")}
               ({eligible}), rank_value, tie_at_cutoff, ({eligible}),
               rank_in_bloc, ranked_count, quota_base, quota
        FROM (
            SELECT c.run_id, c.award_form_id, c.bloc_id,
                   CASE WHEN pe.is_head THEN %s ELSE %s END AS kind, c.agency_id, pe.id AS person_id,
                   c.registration_id, c.individual_id, c.par_year, c.par_score, c.par_rating, c.par_order,
                   COALESCE(sr.rating, '') AS staff_rating, sr.disciplined, c.upheld_complaints,
                       c.registered_at,
                   c.total_score, c.reviewer_count, c.score_overridden, c.gate_par, c.par_exempt,
                   {ctx.gate_staff("sr.rating")} AS gate_staff_rating,
                   {ctx.gate_discipline("sr.disciplined")} AS gate_discipline, c.gate_complaints,
                   c.gate_on_time, {BOOL_NULL} AS gate_head_tied, c.proposed AS gate_collective,
                   c.resubmitted_at, c.resubmit_by, c.gate_registration, FALSE AS head_unknown, c.rank_value,
                   c.tie_at_cutoff, c.rank_in_bloc, c.ranked_count, c.quota_base, c.quota
            FROM scoring_candidateresult c
            JOIN agencies_person pe
                 ON pe.agency_id = c.agency_id AND (pe.is_head = %s OR pe.is_reform_deputy = %s)
            LEFT JOIN scoring_staffratingrecord sr ON sr.person_id = pe.id AND sr.year = %s
            WHERE c.run_id = %s AND c.award_form_id = %s AND c.kind = %s
        ) people
    """
    cursor.execute(
        sql,
        [
            CandidateKind.HEAD.value, CandidateKind.DEPUTY.value, True, True, ctx.round.year,
            ctx.run.pk, ctx.form.pk, CandidateKind.COLLECTIVE.value,
        ],
    )  # fmt: skip
    return cursor.rowcount


def ordered_forms(campaign: Campaign) -> list[AwardForm]:
    """The plan's award forms in the order they are computed: collective forms first, since a head's
    individual award may wait for the agency's (seed 001)."""
    forms = campaign.award_forms.select_related("min_par_band").prefetch_related("target_groups")
    return sorted(forms, key=lambda f: (0 if f.recipient != Recipient.INDIVIDUAL else 1, f.order, f.pk))


def insert_candidates(campaign: Campaign, round: Round, run: ResultRun, form: AwardForm, cursor) -> list[int]:
    """Write the candidates of ``form`` into ``run`` (collectives, individuals, then the head and the
    deputy who follow their agency); the row counts of the statements (-1 where unknown)."""
    ctx = _Context(campaign, round, run, form)
    counts = []
    if form.recipient in (Recipient.COLLECTIVE, Recipient.BOTH):
        counts.append(_insert_ranked(ctx, *_collective_select(ctx), cursor))
    if form.recipient in (Recipient.INDIVIDUAL, Recipient.BOTH):
        counts.append(_insert_ranked(ctx, *_individual_select(ctx), cursor, individuals=True))
    if form.extends_to_head_and_deputy and form.recipient != Recipient.INDIVIDUAL:
        counts.append(_extend_to_head_and_deputy(ctx, cursor))
    return counts
