"""The staffing-rules engine: pure, typed, no Django — dataclasses in, results out.

A rule asks either that **each** body of a kind has at least ``minimum`` non-party
holders (of posts of one role, or of any post), or that at least ``minimum`` bodies of
a kind **have one** (e.g. "≥ 5 departments with a non-party section chief"). The engine
says, per rule, which bodies meet it, which are short and by how much, which holders
leave within the horizon (term end, or retirement age reached) and the shortfall that
will cause; and ranks reserve candidates for a gap, with the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class RuleMode(StrEnum):
    EACH = "each"  # every body of the kind needs ``minimum`` non-party holders
    BODIES = "bodies"  # ``minimum`` bodies of the kind need one non-party holder


@dataclass(frozen=True)
class PostData:
    id: int
    role: str
    non_party: bool  # held by a non-party person
    term_end: date | None = None
    holder_birth_date: date | None = None


@dataclass(frozen=True)
class BodyData:
    id: int
    name: str
    kind: str
    posts: tuple[PostData, ...] = ()
    field: str = ""  # the body's field of work, matched against a candidate's expertise


@dataclass(frozen=True)
class RuleData:
    id: int
    name: str
    body_kind: str
    mode: RuleMode
    minimum: int
    post_role: str = ""  # "" for any post


@dataclass(frozen=True)
class Settings:
    today: date
    horizon_months: int = 12
    retirement_age: int = 60


@dataclass(frozen=True)
class Leaving:
    """A non-party holder who leaves within the horizon, and why."""

    body_id: int
    post_id: int
    on: date
    reason: str  # "term_end" or "retirement"


@dataclass(frozen=True)
class BodyResult:
    body_id: int
    name: str
    count: int  # qualifying non-party holders now
    required: int
    leaving: tuple[Leaving, ...] = ()

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.count)

    @property
    def future_shortfall(self) -> int:
        return max(0, self.required - (self.count - len(self.leaving)))

    @property
    def met(self) -> bool:
        return self.shortfall == 0


@dataclass(frozen=True)
class RuleResult:
    rule: RuleData
    bodies: tuple[BodyResult, ...]
    shortfall: int  # "each": sum over bodies; "bodies": bodies missing
    future_shortfall: int
    leaving: tuple[Leaving, ...] = field(default=())

    @property
    def met(self) -> bool:
        return self.shortfall == 0

    @property
    def short_bodies(self) -> tuple[BodyResult, ...]:
        return tuple(b for b in self.bodies if not b.met)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months (the last day of a shorter month when needed)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def leaving_of(body: BodyData, post: PostData, settings: Settings) -> Leaving | None:
    """When and why a non-party holder leaves within the horizon (the earlier reason)."""
    until = add_months(settings.today, settings.horizon_months)
    found: list[tuple[date, str]] = []
    if post.term_end is not None and post.term_end <= until:
        found.append((post.term_end, "term_end"))
    if post.holder_birth_date is not None:
        birth = post.holder_birth_date
        retires = add_months(birth, 12 * settings.retirement_age)
        if retires <= until:
            found.append((retires, "retirement"))
    if not found:
        return None
    on, reason = min(found)
    return Leaving(body.id, post.id, on, reason)


def _qualifying(body: BodyData, rule: RuleData) -> list[PostData]:
    return [p for p in body.posts if p.non_party and (not rule.post_role or p.role == rule.post_role)]


def evaluate_rule(rule: RuleData, bodies: list[BodyData], settings: Settings) -> RuleResult:
    """One rule over the bodies (those of other kinds are ignored)."""
    of_kind = [b for b in bodies if b.kind == rule.body_kind]
    per_body = rule.minimum if rule.mode == RuleMode.EACH else 1
    results = []
    for body in of_kind:
        posts = _qualifying(body, rule)
        leaving = tuple(x for x in (leaving_of(body, p, settings) for p in posts) if x is not None)
        results.append(BodyResult(body.id, body.name, len(posts), per_body, leaving))
    leaving_all = tuple(x for b in results for x in b.leaving)
    if rule.mode == RuleMode.EACH:
        shortfall = sum(b.shortfall for b in results)
        future = sum(b.future_shortfall for b in results)
    else:
        have = sum(1 for b in results if b.met)
        keep = sum(1 for b in results if b.future_shortfall == 0)
        shortfall = max(0, rule.minimum - have)
        future = max(0, rule.minimum - keep)
    return RuleResult(rule, tuple(results), shortfall, future, leaving_all)


def evaluate(rules: list[RuleData], bodies: list[BodyData], settings: Settings) -> list[RuleResult]:
    return [evaluate_rule(rule, bodies, settings) for rule in rules]


# -- candidates ---------------------------------------------------------------------------

RANK_ORDER = ("none", "section_deputy", "section", "division_deputy", "division", "bureau_deputy")


@dataclass(frozen=True)
class CandidateData:
    id: int
    name: str
    birth_date: date
    rank: str
    expertise: str = ""
    training_hours: float = 0.0


@dataclass(frozen=True)
class Reason:
    """Why a candidate scores as they do: a code and its numbers (the web layer words it)."""

    code: str  # "field", "rank", "age", "training", "retires_soon"
    points: float
    value: str = ""


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    score: float
    reasons: tuple[Reason, ...]


def _field_match(expertise: str, body_field: str) -> bool:
    if not expertise or not body_field:
        return False
    words = [w for w in body_field.replace("、", " ").replace(",", " ").split() if w]
    return any(w in expertise or expertise in w for w in words)


def candidate_fit(candidate: CandidateData, body: BodyData, settings: Settings, *, wanted_rank: str = "") -> Candidate:
    """A candidate's score for a post in ``body``: field match (40), rank at or above the
    wanted one (30, less per level below), age (up to 20, younger scores higher, nothing
    within two years of retirement), training hours (up to 10, 40 hours for full marks)."""
    reasons: list[Reason] = []
    if _field_match(candidate.expertise, body.field):
        reasons.append(Reason("field", 40.0, candidate.expertise))
    level = RANK_ORDER.index(candidate.rank) if candidate.rank in RANK_ORDER else 0
    wanted = RANK_ORDER.index(wanted_rank) if wanted_rank in RANK_ORDER else 1
    rank_points = 30.0 if level >= wanted else max(0.0, 30.0 - 10.0 * (wanted - level))
    if rank_points:
        reasons.append(Reason("rank", rank_points, candidate.rank))
    age = age_on(candidate.birth_date, settings.today)
    years_left = settings.retirement_age - age
    if years_left <= 2:
        reasons.append(Reason("retires_soon", 0.0, str(age)))
    else:
        reasons.append(Reason("age", round(min(20.0, max(0.0, (years_left - 2) * 1.0)), 1), str(age)))
    hours = min(candidate.training_hours, 40.0)
    if hours:
        reasons.append(Reason("training", round(hours / 4.0, 1), f"{candidate.training_hours:g}"))
    score = round(sum(r.points for r in reasons), 1)
    return Candidate(candidate.id, candidate.name, score, tuple(reasons))


def rank_candidates(
    pool: list[CandidateData], body: BodyData, settings: Settings, *, wanted_rank: str = "", limit: int = 5
) -> list[Candidate]:
    """The best ``limit`` candidates of the pool for ``body``, best first (ties by name, id)."""
    scored = [candidate_fit(c, body, settings, wanted_rank=wanted_rank) for c in pool]
    scored.sort(key=lambda c: (-c.score, c.name, c.id))
    return scored[:limit]
