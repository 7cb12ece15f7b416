"""The results engine of a selection: pure, typed, no Django — dataclasses in, results out.

Steps (each candidate's result keeps its parts, so it can be explained):

1. **A juror's raw score** of a candidate: the weighted mean of the criteria points, each
   as a share of its maximum, on 0–100 (``raw = 100 × Σ wᵢ·pᵢ/maxᵢ / Σ wᵢ`` over the
   criteria the juror scored).
2. **Per-juror normalisation: z-scores.** A juror's raw scores over the candidates they
   scored become ``z = (raw − mean) / sd`` (population standard deviation). A severe juror
   (everyone low) and a lenient one (everyone high) then count alike; so do a juror who
   uses a narrow range and one who uses the whole scale: each juror gives the same spread
   of "votes". A juror who gives everyone the same score (sd 0) says nothing about the
   order: all their z are 0. Min-max scaling per juror was rejected: it hangs on the
   juror's single highest and lowest score, so one outlier rescales all their others.
3. **Recusal rescaling.** A juror who declared a conflict of interest gives no score to
   that candidate; the candidate's jury score is the *mean* z over the jurors who scored
   it (the sum over n − k jurors rescaled by n / (n − k)), so a recusal neither lowers nor
   raises it.
4. **Normalised parts on 0–100.** Jury: min-max over the short list of the candidates'
   mean z (the strongest 100, the weakest 0; all equal: 100). Public: votes as a share of
   the most votes (``100 × votes / max votes``; no votes at all: 0) — a share, not a
   min-max, so that a few votes' difference between close candidates is not stretched
   over the whole scale.
5. **Final score** = jury weight × normalised jury + public weight × normalised public
   (weights in percent, 50/50 by default).
6. **Ranking and tie-break rules**, declared in this order: higher final score (compared
   at 6 decimals), higher normalised jury score, more public votes, then the ballot
   number (lower first: the order of the published short list, fixed before any vote).
7. **Quotas**: down the ranking, a candidate takes a place unless their industry already
   has ``max_per_industry`` places (skipped: "industry quota"), or unless the places left
   are needed for the ``min_from_townships`` candidates from townships still to come
   (skipped: "township quota"). Places still empty after the pass go, in rank order, to
   the candidates skipped for the township quota (the quota could not be met; the
   shortfall is reported).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

DECIMALS = 6


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: float
    max_points: float


@dataclass(frozen=True)
class Candidate:
    id: int
    ballot: int  # the number on the published short list
    industry: str = ""
    from_township: bool = False
    votes: int = 0


@dataclass(frozen=True)
class Mark:
    """Points one juror gave one candidate on one criterion."""

    juror: int
    candidate: int
    criterion: str
    points: float


@dataclass(frozen=True)
class Rules:
    places: int = 10
    jury_weight: float = 50.0
    public_weight: float = 50.0
    max_per_industry: int | None = None
    min_from_townships: int = 0


class Outcome(StrEnum):
    WON = "won"
    INDUSTRY_QUOTA = "industry_quota"
    TOWNSHIP_QUOTA = "township_quota"
    BELOW = "below"  # ranked below the places


class TieBreak(StrEnum):
    JURY = "jury"  # equal final score, higher normalised jury score
    VOTES = "votes"  # equal final and jury, more votes
    BALLOT = "ballot"  # equal on everything, lower ballot number


@dataclass(frozen=True)
class Result:
    """One candidate's result with its parts."""

    candidate: int
    jurors: int  # jurors who scored the candidate
    recused: int  # jurors who declared a conflict
    jury_z: float  # mean z over those jurors
    jury: float  # normalised jury score, 0–100
    votes: int
    public: float  # normalised public score, 0–100
    final: float
    rank: int
    outcome: Outcome
    tie_break: TieBreak | None = None  # the rule that placed it below the candidate just above


@dataclass(frozen=True)
class Tally:
    results: tuple[Result, ...]
    township_shortfall: int = 0  # places the township quota could not fill
    unfilled: int = 0  # places left empty (too few eligible candidates)
    notes: tuple[str, ...] = field(default=())

    @property
    def winners(self) -> tuple[Result, ...]:
        return tuple(r for r in self.results if r.outcome is Outcome.WON)


def juror_raw_scores(
    criteria: Iterable[Criterion], marks: Iterable[Mark], recusals: Iterable[tuple[int, int]] = ()
) -> dict[int, dict[int, float]]:
    """{juror: {candidate: raw 0–100}}; marks of a recused (juror, candidate) are ignored."""
    by_key = {c.key: c for c in criteria}
    recused = set(recusals)
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for mark in marks:
        criterion = by_key.get(mark.criterion)
        if criterion is None or (mark.juror, mark.candidate) in recused or criterion.max_points <= 0:
            continue
        share = min(max(mark.points, 0.0), criterion.max_points) / criterion.max_points
        acc = sums[(mark.juror, mark.candidate)]
        acc[0] += criterion.weight * share
        acc[1] += criterion.weight
    raw: dict[int, dict[int, float]] = defaultdict(dict)
    for (juror, candidate), (weighted, weights) in sums.items():
        if weights > 0:
            raw[juror][candidate] = 100.0 * weighted / weights
    return dict(raw)


def z_scores(scores: Mapping[int, float]) -> dict[int, float]:
    """One juror's raw scores as z-scores (population sd; all 0 when the sd is 0)."""
    if not scores:
        return {}
    values = list(scores.values())
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    if sd < 1e-12:
        return dict.fromkeys(scores, 0.0)
    return {candidate: (value - mean) / sd for candidate, value in scores.items()}


def jury_means(raw: Mapping[int, Mapping[int, float]]) -> dict[int, tuple[float, int]]:
    """{candidate: (mean z over the jurors who scored it, how many jurors)}."""
    totals: dict[int, list[float]] = defaultdict(list)
    for scores in raw.values():
        for candidate, z in z_scores(scores).items():
            totals[candidate].append(z)
    return {candidate: (sum(zs) / len(zs), len(zs)) for candidate, zs in totals.items()}


def min_max(values: Mapping[int, float]) -> dict[int, float]:
    """0–100 between the lowest and the highest (all 100 when they are equal)."""
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    if high - low < 1e-12:
        return dict.fromkeys(values, 100.0)
    return {key: 100.0 * (value - low) / (high - low) for key, value in values.items()}


def share_of_most(votes: Mapping[int, int]) -> dict[int, float]:
    """Votes as a share of the most votes, 0–100 (all 0 without any vote)."""
    most = max(votes.values(), default=0)
    if most <= 0:
        return dict.fromkeys(votes, 0.0)
    return {key: 100.0 * value / most for key, value in votes.items()}


def _tie_break(above: tuple[float, float, int, int], below: tuple[float, float, int, int]) -> TieBreak | None:
    """Which declared rule put ``below`` after ``above`` (None: the final score did)."""
    if above[0] != below[0]:
        return None
    if above[1] != below[1]:
        return TieBreak.JURY
    if above[2] != below[2]:
        return TieBreak.VOTES
    return TieBreak.BALLOT


def tally(
    candidates: Iterable[Candidate],
    criteria: Iterable[Criterion],
    marks: Iterable[Mark],
    rules: Rules,
    recusals: Iterable[tuple[int, int]] = (),
) -> Tally:
    """The results of a short list: parts, final score, rank, quotas and outcome."""
    pool = {c.id: c for c in candidates}
    recusal_set = {(j, c) for j, c in recusals if c in pool}
    raw = juror_raw_scores(criteria, (m for m in marks if m.candidate in pool), recusal_set)
    means = jury_means(raw)
    jury_z = {cid: means.get(cid, (0.0, 0))[0] for cid in pool}
    jury = min_max(jury_z)
    public = share_of_most({cid: c.votes for cid, c in pool.items()})
    total_weight = rules.jury_weight + rules.public_weight
    jw = rules.jury_weight / total_weight if total_weight > 0 else 0.5
    pw = 1.0 - jw
    final = {cid: jw * jury[cid] + pw * public[cid] for cid in pool}

    def key(cid: int) -> tuple[float, float, int, int]:
        return (round(final[cid], DECIMALS), round(jury[cid], DECIMALS), pool[cid].votes, -pool[cid].ballot)

    ranking = sorted(pool, key=key, reverse=True)
    outcomes, shortfall, unfilled = _apply_quotas([pool[cid] for cid in ranking], rules)
    recused_count: dict[int, int] = defaultdict(int)
    for _juror, cid in recusal_set:
        recused_count[cid] += 1
    results = []
    for index, cid in enumerate(ranking):
        tie = _tie_break(key(ranking[index - 1]), key(cid)) if index > 0 else None
        results.append(
            Result(
                candidate=cid,
                jurors=means.get(cid, (0.0, 0))[1],
                recused=recused_count[cid],
                jury_z=jury_z[cid],
                jury=jury[cid],
                votes=pool[cid].votes,
                public=public[cid],
                final=final[cid],
                rank=index + 1,
                outcome=outcomes[cid],
                tie_break=tie,
            )
        )
    return Tally(tuple(results), township_shortfall=shortfall, unfilled=unfilled)


def _apply_quotas(ranked: list[Candidate], rules: Rules) -> tuple[dict[int, Outcome], int, int]:
    """Outcome per candidate, the township quota's shortfall and the places left empty."""
    outcomes: dict[int, Outcome] = {}
    per_industry: dict[str, int] = defaultdict(int)
    won: list[Candidate] = []
    skipped_township: list[Candidate] = []

    def industry_full(c: Candidate) -> bool:
        return (
            rules.max_per_industry is not None
            and bool(c.industry)
            and per_industry[c.industry] >= rules.max_per_industry
        )

    def take(c: Candidate) -> None:
        outcomes[c.id] = Outcome.WON
        per_industry[c.industry] += 1
        won.append(c)

    for index, c in enumerate(ranked):
        if len(won) >= rules.places:
            outcomes[c.id] = Outcome.BELOW
            continue
        if industry_full(c):
            outcomes[c.id] = Outcome.INDUSTRY_QUOTA
            continue
        needed = rules.min_from_townships - sum(1 for w in won if w.from_township)
        if not c.from_township and needed > 0 and rules.places - len(won) <= needed:
            coming = any(later.from_township for later in ranked[index + 1 :])
            if coming:
                outcomes[c.id] = Outcome.TOWNSHIP_QUOTA
                skipped_township.append(c)
                continue
        take(c)
    for c in skipped_township:
        if len(won) >= rules.places:
            break
        if not industry_full(c):
            take(c)
    shortfall = max(0, rules.min_from_townships - sum(1 for w in won if w.from_township))
    return outcomes, shortfall, max(0, rules.places - len(won))
