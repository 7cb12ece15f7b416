"""Two-way selection: rankings, fit-score suggestions and the matching run."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.accounts.choices import Role
from tongxin.accounts.roles import hats
from tongxin.core.scope import require
from tongxin.matching import Market, Proposing
from tongxin.matching.fit import Enterprise as FitEnterprise
from tongxin.matching.fit import FitModel
from tongxin.matching.fit import Village as FitVillage
from tongxin.pairing.choices import EventKind, Origin, PairStatus, Side, Stage
from tongxin.pairing.models import Campaign, MatchRun, Pair, Participant, Preference
from tongxin.pairing.services.campaigns import event, require_stage, require_version
from tongxin.pairing.services.errors import PairingError


def _is_own(user: Any, participant: Participant) -> bool:
    """Whether the user is a contact of the participating enterprise or village."""
    return any(
        (hat.role == Role.ENTERPRISE_CONTACT and participant.enterprise_id == hat.enterprise_id)
        or (hat.role == Role.VILLAGE_CONTACT and participant.village_id == hat.village_id)
        for hat in hats(user)
        if participant.enterprise_id is not None or participant.village_id is not None
    )


@transaction.atomic
def preferences_set(
    *,
    participant: Participant,
    user: Any,
    partners: Sequence[int],
    capacity: int | None = None,
    version: int | None = None,
) -> Participant:
    """Replace ``participant``'s ranking with ``partners`` (ids of the other side, best first).

    The contact of the enterprise or village ranks for it (and may say how many partners
    it can take, ``capacity``); county or township staff may enter it on their behalf,
    which is recorded as such. Pages and the API pass the ``version`` the ranking was
    read at: a ranking changed meanwhile by someone else is not overwritten (409).
    """
    participant = Participant.objects.select_for_update().select_related("campaign").get(pk=participant.pk)
    require(user, participant, "rank")
    require_version(participant, version)
    require_stage(participant.campaign, Stage.SELECTION)
    if len(set(partners)) != len(partners):
        raise PairingError(_("A partner can be ranked only once."), "duplicate")
    other = Side.VILLAGE if participant.side == Side.ENTERPRISE else Side.ENTERPRISE
    key = "village_id" if other == Side.VILLAGE else "enterprise_id"
    allowed = set(
        Participant.objects.filter(
            campaign=participant.campaign, side=other, **{f"{key}__in": list(partners)}
        ).values_list(key, flat=True)
    )
    unknown = [p for p in partners if p not in allowed]
    if unknown:
        raise PairingError(_("Not a participant of this campaign: %(ids)s") % {"ids": unknown[:5]}, "unknown")
    participant.preferences.all().delete()
    Preference.objects.bulk_create(
        [Preference(participant=participant, rank=rank, **{key: partner}) for rank, partner in enumerate(partners, 1)]
    )
    if capacity is not None:
        if not 0 <= capacity <= 20:
            raise PairingError(_("A capacity is between 0 and 20."), "capacity")
        participant.capacity = capacity
    participant.ranking = list(partners)
    participant.ranked_at = timezone.now()
    participant.ranked_by = user
    participant.on_behalf = not _is_own(user, participant)
    participant.save()
    return participant


def build_fit_model(campaign: Campaign) -> FitModel:
    """The fit model over the campaign's participants (villages and enterprises by id)."""
    villages = []
    enterprises = []
    parts = campaign.participants.select_related("village", "enterprise").prefetch_related(
        "village__needs", "village__advantages", "enterprise__offers"
    )
    for part in parts:
        if part.village is not None:
            v = part.village
            villages.append(
                FitVillage(
                    id=v.pk,
                    lat=float(v.latitude or 0),
                    lon=float(v.longitude or 0),
                    needs=frozenset(c.pk for c in v.needs.all()),
                    advantages=frozenset(c.pk for c in v.advantages.all()),
                    capacity=part.capacity,
                )
            )
        elif part.enterprise is not None:
            e = part.enterprise
            enterprises.append(
                FitEnterprise(
                    id=e.pk,
                    lat=float(e.latitude or 0),
                    lon=float(e.longitude or 0),
                    offers=frozenset(c.pk for c in e.offers.all()),
                    industry=e.industry,
                    capacity=part.capacity,
                )
            )
    return FitModel(villages, enterprises)


def suggested_partners(*, participant: Participant, k: int = 10, model: FitModel | None = None) -> list[dict[str, Any]]:
    """The ``k`` best-fitting partners for ``participant``, with the score broken down."""
    model = model or build_fit_model(participant.campaign)
    if participant.side == Side.VILLAGE:
        top = model.top_enterprises(k, 50.0, 800.0)
        row = participant.village_id
    else:
        top = model.top_villages(k, 50.0, 800.0)
        row = participant.enterprise_id
    try:
        candidates = top.candidates(row)
    except KeyError:
        return []
    return [{"id": c.id, "score": c.score} for c in candidates]


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    """Inputs of a run, by id: capacities and rankings of both sides."""
    capacity: dict[str, dict[str, int]] = {"enterprise": {}, "village": {}}
    for part in campaign.participants.all():
        if part.enterprise_id is not None:
            capacity["enterprise"][str(part.enterprise_id)] = part.capacity
        else:
            capacity["village"][str(part.village_id)] = part.capacity
    prefs: dict[str, dict[str, list[int]]] = {"enterprise": defaultdict(list), "village": defaultdict(list)}
    rows = Preference.objects.filter(participant__campaign=campaign).order_by("participant", "rank")
    for row in rows.values(
        "participant__side", "participant__enterprise_id", "participant__village_id", "enterprise_id", "village_id"
    ):
        if row["participant__side"] == Side.ENTERPRISE:
            prefs["enterprise"][str(row["participant__enterprise_id"])].append(row["village_id"])
        else:
            prefs["village"][str(row["participant__village_id"])].append(row["enterprise_id"])
    return {"capacity": capacity, "preferences": {k: dict(v) for k, v in prefs.items()}}


def market_from_inputs(inputs: dict[str, Any]) -> Market[int, int]:
    """Rebuild the engine's market from a run's stored inputs (reproducible runs)."""
    e_cap = {int(k): v for k, v in inputs["capacity"]["enterprise"].items()}
    v_cap = {int(k): v for k, v in inputs["capacity"]["village"].items()}
    e_prefs = {int(k): v for k, v in inputs["preferences"]["enterprise"].items()}
    v_prefs = {int(k): v for k, v in inputs["preferences"]["village"].items()}
    return Market(e_prefs, v_prefs, e_cap, v_cap)


def explanation_data(explanation: Any) -> dict[str, Any]:
    """A stored, translatable form of an engine explanation."""
    return {
        "reason": str(explanation.reason),
        "text": explanation.text(),
        "enterprise_rank": explanation.enterprise_side.rank_of_other,
        "village_rank": explanation.village_side.rank_of_other,
        "village_prefers": list(explanation.village_side.preferred_partners),
        "enterprise_prefers": list(explanation.enterprise_side.preferred_partners),
    }


@transaction.atomic
def match_run_create(*, campaign: Campaign, user: Any, proposing: str | None = None) -> MatchRun:
    """Run the stable matching on the current rankings, store the run and its proposals.

    Nothing is deleted: an unreviewed proposal of an earlier run that this run proposes
    again is carried over to this run, one it no longer proposes is marked superseded
    (and a superseded one proposed again comes back); reviewed ones and county
    overrides are kept as they are.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(user, campaign, "match")
    require_stage(campaign, Stage.MATCHING)
    side = proposing or campaign.proposing
    inputs = _snapshot(campaign)
    started = time.perf_counter()
    market = market_from_inputs(inputs)
    result = market.solve(Proposing.ENTERPRISES if side == Side.ENTERPRISE else Proposing.VILLAGES)
    duration = int((time.perf_counter() - started) * 1000)
    pairs = sorted(result.pairs)
    run = MatchRun(
        campaign=campaign,
        proposing=side,
        inputs=inputs,
        duration_ms=duration,
        run_by=user,
        result={
            "pairs": [list(p) for p in pairs],
            "unmatched_enterprises": result.unmatched_enterprises(),
            "unmatched_villages": result.unmatched_villages(),
            "dropped_enterprise_entries": result.dropped_enterprise_entries,
            "dropped_village_entries": result.dropped_village_entries,
        },
    )
    run.save()
    wanted = set(pairs)
    open_ = (PairStatus.PROPOSED, PairStatus.SUPERSEDED)
    earlier = {
        (p.enterprise_id, p.village_id): p
        for p in campaign.pairs.filter(status__in=open_, origin=Origin.MATCHED).select_for_update()
    }
    for key, stale in earlier.items():
        if key not in wanted and stale.status == PairStatus.PROPOSED:
            stale.status = PairStatus.SUPERSEDED
            stale.save()
            event(campaign=campaign, kind=EventKind.SUPERSEDED, actor=user, pair=stale, run=run.pk)
    kept = set(campaign.pairs.values_list("enterprise_id", "village_id")) - set(earlier)
    model = build_fit_model(campaign)
    for enterprise_id, village_id in pairs:
        if (enterprise_id, village_id) in kept:
            continue
        fit = model.score(village_id, enterprise_id)
        pair = earlier.get((enterprise_id, village_id)) or Pair(
            campaign=campaign, enterprise_id=enterprise_id, village_id=village_id
        )
        pair.status = PairStatus.PROPOSED
        pair.match_run = run
        pair.proposed_by = user
        pair.fit_score = round(fit.score.total, 4)
        pair.fit_parts = _fit_parts(fit)
        pair.explanation = explanation_data(result.explain(enterprise_id, village_id))
        pair.full_clean(exclude=["township"])  # set from the village on save
        pair.save()
        event(campaign=campaign, kind=EventKind.PROPOSED, actor=user, pair=pair, run=run.pk)
    event(campaign=campaign, kind=EventKind.MATCH_RUN, actor=user, run=run.pk, pairs=len(pairs))
    return run


def _fit_parts(fit: Any) -> dict[str, Any]:
    score = fit.score
    return {
        "need": round(score.need, 4),
        "advantage": round(score.advantage, 4),
        "distance": round(score.distance, 4),
        "capacity": round(score.capacity, 4),
        "distance_km": round(score.distance_km, 1),
        "needs_met": sorted(fit.needs_met),
        "advantages_complemented": sorted(fit.advantages_complemented),
    }
