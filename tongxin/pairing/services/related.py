"""The pairs of one village or enterprise, for its page: the pairs, their liaison officers
and the latest activities — each read through the viewer's own policy for that model, so
a page shows only what its reader may see (a village contact sees their pairs and
activities, not the appointments, which the policy does not show them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Subquery

from tongxin.core.scope import VIEW, restrict
from tongxin.pairing.choices import PAIR_STATUSES
from tongxin.pairing.models import Activity, LiaisonAppointment, Pair

PAIRS_SHOWN = 20
ACTIVITIES_SHOWN = 10


@dataclass(frozen=True)
class RelatedPair:
    """One pair of the organisation, with the liaison officers the viewer may see."""

    pair: Pair
    liaisons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Related:
    """What the page shows about an organisation's pairing work."""

    pairs: list[RelatedPair]
    activities: list[Activity]
    more_pairs: bool


def related_pairs(user: Any, **where: Any) -> Related:
    """The approved (or closed) pairs matching ``where`` (``village=…`` or
    ``enterprise=…``) that ``user`` may view, newest campaign first, each with the liaison
    officers of the appointments the user may view, and the latest activities of those
    pairs the user may view. Three queries, however many pairs, officers and activities."""
    pairs = list(
        restrict(Pair.objects.filter(status__in=PAIR_STATUSES, **where), user, VIEW)
        .select_related("campaign", "village", "enterprise")
        .only("id", "status", "start_date", "campaign__name", "campaign__start", "village__name", "enterprise__name")
        .order_by("-campaign__start", "-campaign_id", "pk")[: PAIRS_SHOWN + 1]
    )
    more = len(pairs) > PAIRS_SHOWN
    pairs = pairs[:PAIRS_SHOWN]
    ids = [p.pk for p in pairs]
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    if ids:
        seen = restrict(LiaisonAppointment.objects.all(), user, VIEW).values("pk")
        through = LiaisonAppointment.pairs.through.objects.filter(
            pair_id__in=ids, liaisonappointment_id__in=Subquery(seen)
        ).select_related("liaisonappointment__liaison")
        for row in through.order_by("pair_id", "liaisonappointment__liaison__full_name", "pk"):
            name = str(row.liaisonappointment.liaison)
            if name not in names[row.pair_id]:
                names[row.pair_id].append(name)
    activities = (
        list(
            restrict(Activity.objects.filter(pair_id__in=ids), user, VIEW)
            .select_related("pair__village", "pair__enterprise")
            .order_by("-date", "-pk")[:ACTIVITIES_SHOWN]
        )
        if ids
        else []
    )
    return Related([RelatedPair(p, names[p.pk]) for p in pairs], activities, more)
