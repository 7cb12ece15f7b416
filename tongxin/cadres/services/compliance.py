"""The compliance of a user's counties: reads the rows in scope, hands them to the pure
engine (:mod:`tongxin.cadres.compliance`) and words nothing (the pages and API do)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from tongxin.cadres import compliance as engine
from tongxin.cadres.choices import PersonStatus
from tongxin.cadres.models import Body, Person, Post, StaffingRule
from tongxin.cadres.models.bodies import COUNT
from tongxin.cadres.services.training import recent_hours
from tongxin.core.scope import VIEW, restrict


def engine_settings(today: date | None = None) -> engine.Settings:
    """Today, the horizon for vacancies and the retirement age (``TONGXIN`` settings
    ``CADRE_HORIZON_MONTHS``, default 12, and ``CADRE_RETIREMENT_AGE``, default 60)."""
    conf: dict[str, Any] = getattr(settings, "TONGXIN", {})
    return engine.Settings(
        today=today or timezone.localdate(),
        horizon_months=int(conf.get("CADRE_HORIZON_MONTHS", 12)),
        retirement_age=int(conf.get("CADRE_RETIREMENT_AGE", 60)),
    )


@dataclass(frozen=True)
class Gap:
    """A short (or soon short) body of a rule and the best reserve candidates for it."""

    body: engine.BodyResult
    candidates: list[engine.Candidate]


@dataclass(frozen=True)
class RuleReport:
    rule: StaffingRule
    result: engine.RuleResult
    gaps: list[Gap]


def _bodies(user: Any) -> list[tuple[int, engine.BodyData]]:
    """(county, body data) of every body the user may view, with its posts: two queries
    of plain values (no model instances: a province has thousands of bodies and posts)."""
    visible = restrict(Body.objects.all(), user, VIEW)
    posts: dict[int, list[engine.PostData]] = {}
    rows = (
        Post.objects.filter(body__in=visible.values("pk"))
        .order_by("pk")
        .values_list("pk", "body_id", "role", "person_id", "term_end", "person__birth_date")
    )
    for pk, body_id, role, person_id, term_end, born in rows:
        posts.setdefault(body_id, []).append(engine.PostData(pk, role, person_id is not None, term_end, born))
    bodies = visible.order_by("kind", "name", "pk").values_list("pk", "county_id", "name", "kind", "area")
    return [
        (county_id, engine.BodyData(pk, name, kind, tuple(posts.get(pk, ())), area))
        for pk, county_id, name, kind, area in bodies
    ]


def compliance_report(*, user: Any, today: date | None = None, candidates: int = 3) -> list[RuleReport]:
    """Every rule the user may view, evaluated over the bodies of its county the user may
    view, with candidates from the county's reserve pool for each short body."""
    conf = engine_settings(today)
    bodies = _bodies(user)
    rules = list(restrict(StaffingRule.objects.all(), user, VIEW).order_by("county_id", "body_kind", "pk"))
    pool = list(
        restrict(Person.objects.filter(status=PersonStatus.RESERVE), user, VIEW)
        .order_by("pk")
        .values_list("pk", "county_id", "name", "birth_date", "rank", "expertise")
    )
    hours = recent_hours([row[0] for row in pool], conf.today)  # training, read here: the engine stays pure
    pools: dict[int, list[engine.CandidateData]] = {}
    for pk, county_id, name, born, rank, expertise in pool:
        pools.setdefault(county_id, []).append(
            engine.CandidateData(pk, name, born, rank, expertise, hours.get(pk, 0.0))
        )
    by_county: dict[int, list[engine.BodyData]] = {}
    for county_id, body in bodies:
        by_county.setdefault(county_id, []).append(body)
    data = {b.id: b for items in by_county.values() for b in items}
    # A body's candidates depend on the county's pool and the body's field only: ranked once
    # per (county, field), however many bodies share them (every township team, say).
    ranked: dict[tuple[int, str], list[engine.Candidate]] = {}

    def ranked_for(county_id: int, body: engine.BodyData) -> list[engine.Candidate]:
        key = (county_id, body.field)
        if key not in ranked:
            ranked[key] = engine.rank_candidates(pools.get(county_id, []), body, conf, limit=candidates)
        return ranked[key]

    reports = []
    for rule in rules:
        rule_data = engine.RuleData(
            rule.pk, rule.name, rule.body_kind, engine.RuleMode(rule.mode), rule.minimum, rule.post_role
        )
        result = engine.evaluate_rule(rule_data, by_county.get(rule.county_id, []), conf)
        gaps = [Gap(b, ranked_for(rule.county_id, data[b.body_id])) for b in result.bodies if b.future_shortfall]
        reports.append(RuleReport(rule, result, gaps))
    return reports


def body_counts(*, user: Any) -> list[dict[str, Any]]:
    """Per body the user may count: how many posts, how many held, how many by non-party
    people. Numbers only — no holder is named."""
    queryset = restrict(Body.objects.all(), user, COUNT).annotate(
        total=Count("posts"),
        held=Count("posts", filter=Q(posts__person__isnull=False) | ~Q(posts__other_holder="")),
        non_party=Count("posts", filter=Q(posts__person__isnull=False)),
    )
    return list(queryset.order_by("kind", "name", "pk").values("pk", "name", "kind", "total", "held", "non_party"))
