"""Translated explanations of the matching engine's answers ("why (not) this pair?").

An explanation tells how each side ranked the other. A person learns only the rankings
they may know: those of the participants they may view (a contact: their own
organisation's; staff: those of their area), and, as a party of the pair asked about,
their own position in the other side's ranking — never how a village ranked other
enterprises or an enterprise other villages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tongxin.core.formatting import join_list
from tongxin.core.scope import VIEW, restrict
from tongxin.enterprises.models import Enterprise
from tongxin.pairing.models import Campaign, Participant
from tongxin.regions.models import Village

RANKS = ("enterprise_rank", "village_rank")


class RankingsKnown:
    """Which participants' rankings in one campaign ``user`` may know (one query, lazily).

    ``enterprises`` and ``villages`` (ids), when given, limit the question to them (a page
    of explanations), instead of loading every participant the user may view.
    """

    def __init__(
        self,
        user: Any,
        campaign_id: int,
        enterprises: Iterable[int | None] | None = None,
        villages: Iterable[int | None] | None = None,
    ) -> None:
        self.user = user
        self.campaign_id = campaign_id
        self._among: tuple[set[int], set[int]] | None = None
        if enterprises is not None or villages is not None:
            self._among = ({e for e in enterprises or () if e}, {v for v in villages or () if v})
        self._known: tuple[set[int], set[int]] | None = None

    def _sets(self) -> tuple[set[int], set[int]]:
        if self._known is None:
            participants = Participant.objects.filter(campaign_id=self.campaign_id)
            if self._among is not None:
                participants = participants.filter(
                    Q(enterprise_id__in=self._among[0]) | Q(village_id__in=self._among[1])
                )
            rows = restrict(participants, self.user, VIEW).values_list("enterprise_id", "village_id")
            enterprises = {e for e, _v in rows if e is not None}
            villages = {v for _e, v in rows if v is not None}
            self._known = (enterprises, villages)
        return self._known

    def of(self, enterprise_id: int, village_id: int) -> tuple[bool, bool]:
        """(may know the enterprise's ranking, may know the village's ranking)."""
        enterprises, villages = self._sets()
        return enterprise_id in enterprises, village_id in villages

    def redact(self, data: dict[str, Any], enterprise_id: int, village_id: int) -> dict[str, Any]:
        return redact(data, *self.of(enterprise_id, village_id))

    def text(self, data: dict[str, Any], enterprise_id: int, village_id: int, names: Names | None = None) -> str:
        return explanation_text(self.redact(data, enterprise_id, village_id), names) if data else ""


def redact(data: dict[str, Any], knows_enterprise: bool, knows_village: bool) -> dict[str, Any]:
    """The explanation without what the reader may not know.

    The lists of partners a side prefers are that side's ranking; the two ranks of the
    pair are each party's position in the other's ranking, known to both parties.
    """
    result = dict(data)
    if not knows_enterprise:
        result.pop("enterprise_prefers", None)
    if not knows_village:
        result.pop("village_prefers", None)
    if not (knows_enterprise or knows_village):
        for key in RANKS:
            result.pop(key, None)
    if result != data:
        result.pop("text", None)  # the engine's own text names everything
    return result


class Names:
    """Names of the enterprises and villages that explanations list, loaded in two queries
    for a whole page of explanations instead of one query per explanation."""

    def __init__(self, explanations: Any = ()) -> None:
        enterprises: set[int] = set()
        villages: set[int] = set()
        for data in explanations:
            enterprises.update(data.get("village_prefers") or ())
            villages.update(data.get("enterprise_prefers") or ())
        self._known: dict[Any, dict[int, str]] = {
            Enterprise: dict(Enterprise.objects.filter(pk__in=enterprises).values_list("pk", "name")),
            Village: dict(Village.objects.filter(pk__in=villages).values_list("pk", "name")),
        }

    def join(self, model: Any, ids: list[int]) -> str:
        known = self._known[model]
        missing = [i for i in ids if i not in known]
        if missing:
            known.update(model.objects.filter(pk__in=missing).values_list("pk", "name"))
        return join_list(known[i] for i in ids if i in known)


def explanation_text(data: dict[str, Any], names: Names | None = None) -> str:
    """A sentence in the user's language from a stored explanation (see ``explanation_data``).

    ``names`` (see :class:`Names`) saves a query per explanation on pages listing many.
    """
    names = names or Names()
    reason = data.get("reason", "")
    e_rank, v_rank = data.get("enterprise_rank"), data.get("village_rank")
    if reason == "matched":
        if not set(RANKS) & set(data):  # redacted: the reader is neither party nor staff
            return _("Mutual choice: no other enterprise and village would both rather be together.")
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
    village_prefers = data.get("village_prefers")
    enterprise_prefers = data.get("enterprise_prefers")
    parts = []
    if reason in ("village_full_with_preferred", "both_full_with_preferred"):
        if village_prefers is None:  # redacted: the village's ranking of other enterprises
            parts.append(_("The village's places are taken by enterprises it ranks higher."))
        else:
            parts.append(
                ngettext(
                    "The village holds %(n)d enterprise it ranks higher: %(names)s.",
                    "The village holds %(n)d enterprises it ranks higher: %(names)s.",
                    len(village_prefers),
                )
                % {"n": len(village_prefers), "names": names.join(Enterprise, village_prefers)}
            )
    if reason in ("enterprise_full_with_preferred", "both_full_with_preferred"):
        if enterprise_prefers is None:
            parts.append(_("The enterprise's places are taken by villages it ranks higher."))
        else:
            parts.append(
                _("The enterprise is full with villages it ranks higher: %(names)s.")
                % {"names": names.join(Village, enterprise_prefers)}
            )
    if reason == "blocking_pair":
        parts.append(_("Both would rather be together: this is a blocking pair created by a change by hand."))
    return " ".join(parts) or data.get("text", "")


def explain_pair(campaign: Campaign, enterprise_id: int, village_id: int) -> dict[str, Any] | None:
    """Explain any (enterprise, village) of the campaign against its current pairs and latest run."""
    from tongxin.pairing.services.review import ACTIVE
    from tongxin.pairing.services.selection import explanation_data, latest_run, market_from_inputs

    run = latest_run(campaign)
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


@dataclass
class Candidate:
    """One (enterprise, village) of the side-by-side comparison on the "why" page.

    ``enterprise_rank`` / ``village_rank``: 1-based position of the other in each one's
    ranking (0: not ranked), ``None`` where the reader may not know it.
    """

    label: str
    enterprise: Any
    village: Any
    pair: Any  # the pair, when there is one the reader may view
    enterprise_rank: int | None
    village_rank: int | None
    fit: Any  # tongxin.pairing.ranking.Fit, or None


def compare_candidates(campaign: Campaign, user: Any, enterprise: Any, village: Any) -> list[Candidate]:
    """The pair asked about beside the current partners of each of its two parties (those
    pairs the reader may view), each with the rank on each side (as far as the reader may
    know it), the fit score's parts and the distance. Reads the latest run's rankings."""
    from tongxin.pairing.models import Pair
    from tongxin.pairing.ranking import FitReader
    from tongxin.pairing.services.review import ACTIVE
    from tongxin.pairing.services.selection import latest_run

    run = latest_run(campaign)
    preferences = (run.inputs.get("preferences", {}) if run is not None else {}) or {}
    e_lists = preferences.get("enterprise", {})
    v_lists = preferences.get("village", {})
    partners = (
        restrict(Pair.objects.filter(campaign=campaign, status__in=ACTIVE), user, VIEW)
        .filter(Q(enterprise_id=enterprise.pk) | Q(village_id=village.pk))
        .select_related("enterprise", "village")
        .order_by("pk")
    )
    asked = next((p for p in partners if p.enterprise_id == enterprise.pk and p.village_id == village.pk), None)
    rows: list[tuple[str, Any, Any, Any]] = [(_("This pair"), enterprise, village, asked)]
    for pair in partners:
        if pair is asked:
            continue
        if pair.enterprise_id == enterprise.pk:
            rows.append((_("The enterprise's partner"), pair.enterprise, pair.village, pair))
        else:
            rows.append((_("The village's partner"), pair.enterprise, pair.village, pair))
    known = RankingsKnown(user, campaign.pk, [e.pk for _l, e, _v, _p in rows], [v.pk for _l, _e, v, _p in rows])
    reader = FitReader(campaign)

    def position(lists: dict[str, Any], owner: int, other: int) -> int:
        ranking = lists.get(str(owner)) or []
        return ranking.index(other) + 1 if other in ranking else 0

    candidates = []
    for label, e, v, pair in rows:
        ranks = known.redact(
            {"enterprise_rank": position(e_lists, e.pk, v.pk), "village_rank": position(v_lists, v.pk, e.pk)},
            e.pk,
            v.pk,
        )
        candidates.append(
            Candidate(
                label=str(label),
                enterprise=e,
                village=v,
                pair=pair,
                enterprise_rank=ranks.get("enterprise_rank"),
                village_rank=ranks.get("village_rank"),
                fit=reader.fit(e.pk, v.pk),
            )
        )
    return candidates
