"""Workflows of platform 4 (non-party intellectuals serve development): a village's
service request is matched to volunteers by field and distance with the fit scoring of
:mod:`tongxin.matching.fit`, a volunteer is proposed, then their acceptance recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import VIEW, require, restrict
from tongxin.matching import fit
from tongxin.platforms.choices import RequestStatus
from tongxin.platforms.models import Intellectual, ServiceRequest
from tongxin.platforms.models.intellectuals import ACCEPT, MATCH

#: Field first, then distance: a volunteer of the field asked for always outranks one of
#: another field (0.7 > 0.3), among those of the field the nearer ranks higher.
WEIGHTS = fit.FitWeights(need=0.7, advantage=0.0, distance=0.3, capacity=0.0, distance_scale_km=30.0)
#: The industry section the engine asks of the offering side (M: research and technical services).
SECTION = "M"


@dataclass(frozen=True)
class Suggestion:
    """A volunteer ranked for a request, with the engine's score and its parts."""

    intellectual: Intellectual
    score: fit.FitScore
    field_matches: bool


def _place(*nodes: Any) -> tuple[float, float] | None:
    """The first of ``nodes`` with coordinates."""
    for node in nodes:
        if node is not None and node.latitude is not None and node.longitude is not None:
            return float(node.latitude), float(node.longitude)
    return None


def candidates(*, user: Any, request: ServiceRequest, k: int = 5) -> list[Suggestion]:
    """The ``k`` best volunteers of the request's county for ``request``, by the fit
    engine: the request's kind as the village's need, each volunteer's field as their
    offer, the distance from where they are based to the village. Those the user may not
    view are never scored."""
    require(user, request, MATCH)
    village = request.village
    township = village.township
    county = township.county
    here = _place(village, township, county) or (0.0, 0.0)
    volunteers = list(
        restrict(Intellectual.objects.all(), user, VIEW)
        .filter(person__county=county, volunteer=True)
        .select_related("person", "township")
    )
    if not volunteers:
        return []
    agents = [
        fit.Enterprise(
            id=v.pk,
            lat=(_place(v.township, county) or here)[0],
            lon=(_place(v.township, county) or here)[1],
            offers=frozenset({v.field}),
            industry=SECTION,
        )
        for v in volunteers
    ]
    asking = fit.Village(id=request.pk, lat=here[0], lon=here[1], needs=frozenset({request.kind}))
    model = fit.FitModel([asking], agents, WEIGHTS, industry_advantages={})
    scored = [(model.score(request.pk, v.pk).score, v) for v in volunteers]
    scored.sort(key=lambda pair: (-pair[0].total, pair[1].pk))
    return [Suggestion(v, score, v.field == request.kind) for score, v in scored[:k]]


@transaction.atomic
def request_match(*, user: Any, request: ServiceRequest, intellectual: Intellectual) -> ServiceRequest:
    """Propose ``intellectual`` for ``request`` (open, or re-proposed before acceptance):
    a volunteer of the request's county whom the user may view; the engine's score is
    kept with the proposal."""
    require(user, request, MATCH)
    request = ServiceRequest.objects.select_for_update().select_related("village__township").get(pk=request.pk)
    if request.status == RequestStatus.ACCEPTED:
        raise WorkflowError(_("This request is already accepted."), "status")
    ranked = {s.intellectual.pk: s for s in candidates(user=user, request=request, k=10_000)}
    chosen = ranked.get(intellectual.pk)
    if chosen is None:
        raise WorkflowError(_("Choose a volunteer of the village's county."), "volunteer")
    request.volunteer = chosen.intellectual
    request.score = round(chosen.score.total, 4)
    request.status = RequestStatus.MATCHED
    request.save(update_fields=["volunteer", "score", "status"])  # change-logged
    return request


@transaction.atomic
def request_accept(*, user: Any, request: ServiceRequest, on: date) -> ServiceRequest:
    """Record that the proposed volunteer accepted the request."""
    require(user, request, ACCEPT)
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.MATCHED:
        raise WorkflowError(_("Propose a volunteer before recording an acceptance."), "status")
    request.status = RequestStatus.ACCEPTED
    request.accepted_on = on
    request.save(update_fields=["status", "accepted_on"])
    return request
