"""What the ranking pages read: a participant's possible partners with their fit, and how
far the campaign's rankings have come.

Each row says how well a partner fits (the fit score of :mod:`tongxin.matching.fit`, shown
on a 0–100 scale), which needs it meets and which advantages match, and how far it is
(from the stored coordinates; unknown when either side has none). The whole list costs a
fixed number of queries, whatever the number of partners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from tongxin.accounts.choices import Role
from tongxin.accounts.roles import hats
from tongxin.core.models import Capability
from tongxin.core.scope import restrict
from tongxin.enterprises.models import Enterprise
from tongxin.matching.errors import UnknownIdError
from tongxin.matching.fit import FitModel, PairFit
from tongxin.pairing.choices import FIT_POINTS, Side
from tongxin.pairing.models import Participant
from tongxin.pairing.services import suggested_partners
from tongxin.pairing.services.selection import fit_parties
from tongxin.regions.models import Village

#: Unranked partners shown at once; ranked ones are always kept (shown or carried).
MAX_SHOWN = 200
SUGGESTED = 10


def points(value: float | None) -> float | None:
    """A fit score (or part) of the engine's 0–1 scale on the 0–100 scale people read."""
    return None if value is None else round(value * FIT_POINTS, 1)


@dataclass
class Fit:
    """A pair's fit as people read it: points out of 100, the tags behind them, the distance."""

    total: float
    need: float
    advantage: float
    distance: float
    capacity: float
    km: float | None  # None: coordinates unknown
    needs_met: list[str]
    advantages_matched: list[str]


class FitReader:
    """Fit of any pair of a campaign, from one fit model (built in a fixed number of queries)."""

    def __init__(self, campaign: Any) -> None:
        self.model: FitModel
        self.model, self.parties = fit_parties(campaign)
        self.labels = self.capability_labels()

    @staticmethod
    def capability_labels() -> dict[str, str]:
        """Needs and advantages by code, labelled in the active language (one query)."""
        return {c.code: c.label for c in Capability.objects.all()}

    def fit(self, enterprise_id: int, village_id: int) -> Fit | None:
        try:
            pair: PairFit = self.model.score(village_id, enterprise_id)
        except UnknownIdError:
            return None
        located = self.parties.villages[village_id].located and self.parties.enterprises[enterprise_id].located
        score = pair.score
        return Fit(
            total=points(score.total) or 0.0,
            need=points(score.need) or 0.0,
            advantage=points(score.advantage) or 0.0,
            distance=points(score.distance) or 0.0,
            capacity=points(score.capacity) or 0.0,
            km=round(score.distance_km, 1) if located else None,
            needs_met=sorted(self.labels.get(tag, tag) for tag in pair.needs_met),
            advantages_matched=sorted(self.labels.get(tag, tag) for tag in pair.advantages_complemented),
        )


@dataclass
class Row:
    id: int
    name: str
    code: str
    township: str
    industry: str
    rank: int | None
    suggested: int | None
    fit: Fit | None


@dataclass
class Ranking:
    """The rows shown, the ranked partners filtered out (kept on save), and counts."""

    rows: list[Row]
    hidden: list[tuple[int, int]] = field(default_factory=list)  # (partner id, rank)
    matching: int = 0  # partners matching the filters
    partners: int = 0  # partners in all


def partner_side(participant: Participant) -> str:
    return Side.VILLAGE if participant.side == Side.ENTERPRISE else Side.ENTERPRISE


def ranking_rows(
    participant: Participant,
    *,
    q: str = "",
    township: Any = None,
    industry: str = "",
    max_km: float | None = None,
) -> Ranking:
    """Every partner ``participant`` may rank, ranked first (in order), then the suggested
    ones, then by fit; filtered by text (name or code), township, industry and distance.

    A distance filter leaves out the partners whose distance is unknown.
    """
    campaign = participant.campaign
    other = partner_side(participant)
    key = "village_id" if other == Side.VILLAGE else "enterprise_id"
    ids = list(campaign.participants.filter(side=other).values_list(key, flat=True))
    model: type[Village] | type[Enterprise] = Village if other == Side.VILLAGE else Enterprise
    code_field = "code" if model is Village else "uscc"
    current: dict[int, int] = {}
    for preference in participant.preferences.all():
        partner_id = preference.village_id or preference.enterprise_id
        if partner_id is not None:
            current[partner_id] = preference.rank
    matching = model.objects.filter(pk__in=ids).select_related("township")
    if q:
        matching = matching.filter(Q(name__icontains=q) | Q(**{f"{code_field}__icontains": q}))
    if township is not None:
        matching = matching.filter(township=township)
    if industry and model is Enterprise:
        matching = matching.filter(industry=industry)
    reader = FitReader(campaign)
    suggestions = suggested_partners(participant=participant, k=SUGGESTED, model=reader.model)
    suggested_rank = {s["id"]: i + 1 for i, s in enumerate(suggestions)}
    own = participant.enterprise_id or participant.village_id
    rows: list[Row] = []
    for partner in matching:
        pair = (own, partner.pk) if other == Side.VILLAGE else (partner.pk, own)
        fit = reader.fit(*pair)
        if max_km is not None and (fit is None or fit.km is None or fit.km > max_km):
            continue
        rows.append(
            Row(
                id=partner.pk,
                name=partner.name,
                code=getattr(partner, code_field) or "",
                township=partner.township.name,
                industry=partner.get_industry_display() if isinstance(partner, Enterprise) else "",
                rank=current.get(partner.pk),
                suggested=suggested_rank.get(partner.pk),
                fit=fit,
            )
        )
    rows.sort(key=lambda r: (r.rank or 10_000, r.suggested or 10_000, -(r.fit.total if r.fit else 0), r.name))
    shown_ids = {r.id for r in rows}
    ranked = [r for r in rows if r.rank is not None]
    unranked = [r for r in rows if r.rank is None][: max(0, MAX_SHOWN - len(ranked))]
    hidden = sorted(((pid, rank) for pid, rank in current.items() if pid not in shown_ids), key=lambda x: x[1])
    return Ranking(rows=ranked + unranked, hidden=hidden, matching=len(rows), partners=len(ids))


# Who enters rankings on others' behalf, and so follows who has not ranked yet.
STAFF_RANKING_ROLES = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF})


def staff_ranks(user: Any) -> bool:
    """Whether ``user`` holds a hat that ranks on others' behalf (no query: hats are cached)."""
    return any(hat.role in STAFF_RANKING_ROLES for hat in hats(user))


@dataclass
class Progress:
    ranked: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.ranked / self.total) if self.total else 0


def ranking_progress(campaign: Any, user: Any) -> Progress:
    """How many of the participants ``user`` may rank for have ranked (one query)."""
    counts = restrict(campaign.participants.all(), user, "rank").aggregate(
        total=Count("pk"), ranked=Count("pk", filter=Q(ranked_at__isnull=False))
    )
    return Progress(ranked=counts["ranked"], total=counts["total"])


def not_ranked(campaign: Any, user: Any) -> QuerySet[Participant]:
    """The participants ``user`` may rank for that have not ranked yet."""
    pending: QuerySet[Participant] = restrict(campaign.participants.filter(ranked_at__isnull=True), user, "rank")
    return pending.select_related("enterprise", "village", "township").order_by("township__code", "side", "pk")
