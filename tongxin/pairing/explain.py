"""Translated explanations of the matching engine's answers ("why (not) this pair?")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tongxin.enterprises.models import Enterprise
from tongxin.pairing.models import Campaign
from tongxin.regions.models import Village


def _names(model: Any, ids: list[int]) -> str:
    objects = model.objects.in_bulk(ids)
    return "、".join(str(objects[i]) for i in ids if i in objects)


def explanation_text(data: dict[str, Any]) -> str:
    """A sentence in the user's language from a stored explanation (see ``explanation_data``)."""
    reason = data.get("reason", "")
    e_rank, v_rank = data.get("enterprise_rank"), data.get("village_rank")
    if reason == "matched":
        return _(
            "Mutual choice: the enterprise ranks the village no. %(e)s, the village ranks the enterprise no. %(v)s; "
            "no other enterprise and village would both rather be together."
        ) % {"e": (e_rank or 0) + 1, "v": (v_rank or 0) + 1}
    if reason == "matched_not_acceptable":
        return _("Paired by hand although they did not both rank each other.")
    if reason == "not_mutually_acceptable":
        return _("Not mutually acceptable: they did not both rank each other.")
    if reason == "no_capacity":
        return _("One of them has no places in this campaign.")
    village_prefers = data.get("village_prefers", [])
    enterprise_prefers = data.get("enterprise_prefers", [])
    parts = []
    if reason in ("village_full_with_preferred", "both_full_with_preferred"):
        parts.append(
            ngettext(
                "The village holds %(n)d enterprise it ranks higher: %(names)s.",
                "The village holds %(n)d enterprises it ranks higher: %(names)s.",
                len(village_prefers),
            )
            % {"n": len(village_prefers), "names": _names(Enterprise, village_prefers)}
        )
    if reason in ("enterprise_full_with_preferred", "both_full_with_preferred"):
        parts.append(
            _("The enterprise is full with villages it ranks higher: %(names)s.")
            % {"names": _names(Village, enterprise_prefers)}
        )
    if reason == "blocking_pair":
        parts.append(_("Both would rather be together: this is a blocking pair created by a change by hand."))
    return " ".join(parts) or data.get("text", "")


def explain_pair(campaign: Campaign, enterprise_id: int, village_id: int) -> dict[str, Any] | None:
    """Explain any (enterprise, village) of the campaign against its current pairs and latest run."""
    from tongxin.pairing.services.review import ACTIVE
    from tongxin.pairing.services.selection import explanation_data, market_from_inputs

    run = campaign.match_runs.order_by("-created").first()
    if run is None:
        return None
    market = market_from_inputs(run.inputs)
    known_e, known_v = set(market.enterprises), set(market.villages)
    if enterprise_id not in known_e or village_id not in known_v:
        return None
    pairs = [
        (e, v)
        for e, v in campaign.pairs.filter(status__in=ACTIVE).values_list("enterprise_id", "village_id")
        if e in known_e and v in known_v
    ]
    return explanation_data(market.explain(enterprise_id, village_id, pairs))
