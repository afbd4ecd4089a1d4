"""A plan as its YAML document (docs/campaign-format.md): ``plan_to_dict`` gives the canonical
document, ``dump_yaml`` writes it. Export only: nothing here reads a document or writes a plan."""

from __future__ import annotations

from decimal import Decimal

import yaml

from ..models import AwardForm, Campaign, QuotaKind, Round

FORMAT_VERSION = 1


def _dec(value: Decimal | None):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _fraction(num, den) -> str:
    if den == 100:
        return f"{num}%"
    return f"{num}/{den}"


def round_key(r: Round) -> str:
    return f"{r.year}-final" if r.is_final else str(r.year)


def plan_to_dict(c: Campaign) -> dict:
    groups = list(c.target_groups.prefetch_related("criteria__reform_area"))
    doc: dict = {
        "format": FORMAT_VERSION,
        "code": c.code,
        "issuer": c.issuer.code,
        "document_number": c.document_number,
        "issued_on": c.issued_on,
        "title": c.title,
        "theme": c.theme,
        "legal_basis": c.legal_basis_lines(),
        "parent": c.parent.code if c.parent else None,
        "period": {"start": c.period_start, "end": c.period_end},
        "score_aggregation": c.score_aggregation,
        "awards": {
            "quorum": f"{c.quorum_numerator}/{c.quorum_denominator}",
            "prize_rounding": c.prize_rounding,
            "publish_warnings": c.publish_warnings,
        },
        "reminders": {
            "days_before": list(c.reminder_offsets or []),
            "after_deadline": c.remind_after_deadline,
        },
        "rounds": [
            {
                "year": r.year,
                "label": r.label,
                "starts_on": r.starts_on,
                "ends_on": r.ends_on,
                "final": r.is_final,
            }
            for r in c.rounds.all()
        ],
        "contents": [{"title": x.title, "description": x.description} for x in c.contents.all()],
        "reform_areas": [{"code": a.code, "name": a.name} for a in c.reform_areas.all()],
        "target_groups": [
            {
                "code": g.code,
                "name": g.name,
                "kind": g.kind,
                "agency_kinds": list(g.agency_kinds or []),
                "person_kinds": list(g.person_kinds or []),
                "description": g.description,
                "initiative_required": g.initiative_required,
                "initiative_per_person": g.initiative_per_person,
                "criteria": [
                    {
                        "code": k.code,
                        "text": k.text,
                        "max_points": _dec(k.max_points),
                        "weight": _dec(k.weight),
                        "evidence_required": k.evidence_required,
                        "gate": k.is_gate,
                        "reform_area": k.reform_area.code if k.reform_area else None,
                    }
                    for k in g.criteria.all()
                ],
            }
            for g in groups
        ],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "unit": i.unit,
                "comparison": i.comparison,
                "threshold": _dec(i.threshold),
                "threshold_upper": _dec(i.threshold_upper),
            }
            for i in c.indicators.all()
        ],
        "milestones": [
            {
                "kind": m.kind,
                "name": m.name,
                "due_on": m.due_on,
                "round": round_key(m.round) if m.round else None,
            }
            for m in c.milestones.select_related("round").order_by("order", "due_on", "pk")
        ],
        "blocs": [
            {
                "code": b.code,
                "name": b.name,
                "agencies": [m.agency.code for m in b.memberships.select_related("agency")],
            }
            for b in c.blocs.all()
        ],
        "par_bands": [
            {"code": b.code, "name": b.name, "min_score": _dec(b.min_score)}
            for b in c.par_bands.order_by("-order")
        ],
        "warning": _warning_to_dict(c),
        "award_forms": [
            _award_to_dict(f)
            for f in c.award_forms.select_related("min_par_band").prefetch_related("target_groups")
        ],
    }
    return doc


def _warning_to_dict(c: Campaign) -> dict | None:
    rule = c.warning
    if rule is None:
        return None
    return {
        "band": rule.band.code if rule.band else None,
        "years": rule.years,
        "rank_fall": rule.rank_fall,
        "single_year_band": rule.single_year_band.code if rule.single_year_band else None,
    }


def _award_to_dict(f: AwardForm) -> dict:
    quota: dict[str, object] | None
    if f.quota_kind == QuotaKind.FRACTION:
        quota = {
            "fraction": _fraction(f.quota_numerator, f.quota_denominator),
            "base": f.quota_base,
            "scope": f.quota_scope,
        }
    elif f.quota_kind == QuotaKind.FIXED:
        quota = {"fixed": f.quota_fixed, "base": f.quota_base, "scope": f.quota_scope}
    else:
        quota = None
    return {
        "code": f.code,
        "name": f.name,
        "kind": f.kind,
        "issuing_level": f.issuing_level,
        "recipient": f.recipient,
        "target_groups": [g.code for g in f.target_groups.all()],
        "description": f.description,
        "gates": {
            "min_par_band": f.min_par_band.code if f.min_par_band else None,
            "par_year": f.par_year,
            "par_exempt_without_index": f.par_exempt_without_index,
            "min_staff_rating": f.min_staff_rating or None,
            "head_not_disciplined": f.require_head_not_disciplined,
            "head_tied_to_collective": f.head_tied_to_collective,
            "extends_to_head_and_deputy": f.extends_to_head_and_deputy,
            "no_upheld_complaints": f.require_no_upheld_complaints,
            "on_time_registration": f.require_on_time_registration,
            "accepted_registration": f.require_accepted_registration,
        },
        "quota": quota,
        "ranking": {
            "key": f.ranking_key,
            "individual_key": f.individual_ranking_key or None,
            "tie_break": f.tie_break_key,
        },
        "vote": f"{f.vote_numerator}/{f.vote_denominator}",
        "prize": {"individual": _dec(f.prize_individual), "collective": _dec(f.prize_collective)},
        **({"disclosure_days": f.disclosure_days} if f.disclosure_days else {}),
    }


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(c: Campaign) -> str:
    return yaml.dump(plan_to_dict(c), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
