"""The id-keyed layer: enterprises and villages with any hashable ids.

This is the layer the web application uses. It converts ids to indices,
chooses which side proposes, and converts results, reports and explanations
back to ids. Agents are the keys of the capacity mappings, in their
iteration order (which is also the order of ``pairs`` in results). A missing
preference-list entry means an empty list.

Example::

    result = match(
        enterprise_prefs={"Huaxia Agri": ["Liushu", "Taohua"], "Jinshan Tea": ["Liushu"]},
        village_prefs={"Liushu": ["Jinshan Tea", "Huaxia Agri"], "Taohua": ["Huaxia Agri"]},
        enterprise_capacity={"Huaxia Agri": 2, "Jinshan Tea": 1},
        village_capacity={"Liushu": 1, "Taohua": 1},
        proposing="enterprises",
    )
    result.pairs  # [("Huaxia Agri", "Taohua"), ("Jinshan Tea", "Liushu")]
    result.explain("Huaxia Agri", "Liushu").text()
    # 'Village Liushu holds 1 enterprise it ranks higher than enterprise Huaxia Agri: Jinshan Tea.'
"""

from __future__ import annotations

import array
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from itertools import chain
from typing import Generic, TypeVar

import numpy as np

from ._arrays import IntArray, Lists
from .errors import InputProblem, MatchingInputError, UnknownIdError
from .explain import (
    MatchingView,
    Party,
    Reason,
    SideFacts,
    explain_pair,
    render,
)
from .problem import MatchResult, Problem

E = TypeVar("E", bound=Hashable)
V = TypeVar("V", bound=Hashable)
A = TypeVar("A", bound=Hashable)
B = TypeVar("B", bound=Hashable)


class Proposing(StrEnum):
    """Which side proposes; the result is that side's optimal stable matching."""

    ENTERPRISES = "enterprises"
    VILLAGES = "villages"


class MarketReason(StrEnum):
    """Why an (enterprise, village) pair is or is not matched."""

    MATCHED = "matched"
    MATCHED_NOT_ACCEPTABLE = "matched_not_acceptable"
    NOT_MUTUALLY_ACCEPTABLE = "not_mutually_acceptable"
    NO_CAPACITY = "no_capacity"
    ENTERPRISE_FULL = "enterprise_full_with_preferred"
    VILLAGE_FULL = "village_full_with_preferred"
    BOTH_FULL = "both_full_with_preferred"
    BLOCKING_PAIR = "blocking_pair"


_FROM_CORE = {
    Reason.MATCHED: (MarketReason.MATCHED, "matched"),
    Reason.MATCHED_NOT_ACCEPTABLE: (
        MarketReason.MATCHED_NOT_ACCEPTABLE,
        "matched_not_acceptable",
    ),
    Reason.NOT_MUTUALLY_ACCEPTABLE: (
        MarketReason.NOT_MUTUALLY_ACCEPTABLE,
        "not_mutually_acceptable",
    ),
    Reason.NO_CAPACITY: (MarketReason.NO_CAPACITY, "no_capacity"),
    Reason.PROPOSER_FULL: (MarketReason.ENTERPRISE_FULL, "first_full"),
    Reason.RECEIVER_FULL: (MarketReason.VILLAGE_FULL, "second_full"),
    Reason.BOTH_FULL: (MarketReason.BOTH_FULL, "both_full"),
    Reason.BLOCKING_PAIR: (MarketReason.BLOCKING_PAIR, "blocking_pair"),
}
_KIND = dict(_FROM_CORE.values())


@dataclass(frozen=True, slots=True)
class MarketExplanation(Generic[E, V]):
    """Why ``enterprise`` and ``village`` are, or are not, matched.

    ``reason`` is a stable code to translate; ``enterprise_side`` and
    ``village_side`` hold the facts (ranks 0-based, partners best first,
    partners ranked above the other party). :meth:`text` renders English.
    """

    enterprise: E
    village: V
    reason: MarketReason
    enterprise_side: SideFacts[V]
    village_side: SideFacts[E]

    @property
    def matched(self) -> bool:
        """The pair is in the matching."""
        return self.reason in (MarketReason.MATCHED, MarketReason.MATCHED_NOT_ACCEPTABLE)

    def text(
        self,
        enterprise_name: Callable[[E], str] = str,
        village_name: Callable[[V], str] = str,
    ) -> str:
        """English rendering, e.g. "Village Liushu holds 2 enterprises it ranks higher than enterprise C: A, B."."""
        return render(
            _KIND[self.reason],
            Party("enterprise", enterprise_name(self.enterprise), self.enterprise_side.map(village_name)),
            Party("village", village_name(self.village), self.village_side.map(enterprise_name)),
        )


@dataclass(frozen=True, slots=True)
class MarketReport(Generic[E, V]):
    """Every way in which a matching of the market is not stable (see :class:`~tongxin.matching.StabilityReport`)."""

    blocking_pairs: list[tuple[E, V]]
    unacceptable_pairs: list[tuple[E, V]]
    over_capacity_enterprises: list[E]
    over_capacity_villages: list[V]

    @property
    def is_stable(self) -> bool:
        """No blocking pair, no unacceptable pair, nobody over capacity."""
        return not (
            self.blocking_pairs
            or self.unacceptable_pairs
            or self.over_capacity_enterprises
            or self.over_capacity_villages
        )


class Market(Generic[E, V]):
    """A validated enterprise-village market keyed by ids.

    Raises :class:`~tongxin.matching.errors.MatchingInputError` naming the
    side, the id and the problem: an id in a list or a preference mapping that
    is not a key of the other side's (or own) capacity mapping, a partner
    listed twice, a non-integer or negative capacity.
    """

    def __init__(
        self,
        enterprise_prefs: Mapping[E, Sequence[V]],
        village_prefs: Mapping[V, Sequence[E]],
        enterprise_capacity: Mapping[E, int],
        village_capacity: Mapping[V, int],
    ) -> None:
        self.enterprises: list[E] = list(enterprise_capacity)
        self.villages: list[V] = list(village_capacity)
        self._e_index = {e: k for k, e in enumerate(self.enterprises)}
        self._v_index = {v: k for k, v in enumerate(self.villages)}
        e_lists = _index_lists(
            enterprise_prefs,
            self.enterprises,
            self._e_index,
            self._v_index,
            "enterprise",
            "village",
        )
        v_lists = _index_lists(
            village_prefs,
            self.villages,
            self._v_index,
            self._e_index,
            "village",
            "enterprise",
        )
        try:
            self.problem = Problem.from_flat(
                e_lists,
                v_lists,
                list(enterprise_capacity.values()),
                list(village_capacity.values()),
            )
        except MatchingInputError as error:
            raise self._translate(error) from None

    def _translate(self, error: MatchingInputError) -> MatchingInputError:
        """The core's index-based error, restated with ids and enterprise/village names."""
        side, _, what = error.field.partition("_")
        own, other = ("enterprise", "village") if side == "proposer" else ("village", "enterprise")
        own_ids: Sequence[Hashable] = self.enterprises if own == "enterprise" else self.villages
        other_ids: Sequence[Hashable] = self.villages if own == "enterprise" else self.enterprises
        index = own_ids[error.index] if isinstance(error.index, int) else error.index
        value = error.value
        detail = error.detail
        if error.problem is InputProblem.DUPLICATE and isinstance(value, int):
            value = other_ids[value]
            detail = f"{other} {value!r} is listed more than once; lists must be strict"
        elif error.problem is InputProblem.NEGATIVE_CAPACITY:
            detail = f"capacity {value} is negative; capacities must be >= 0"
        return MatchingInputError(f"{own}_{what}", index, error.problem, detail, value)

    # ---------------------------------------------------------------- solving

    @cached_property
    def _village_problem(self) -> Problem:
        return self.problem.transposed()

    def solve(self, proposing: Proposing | str = Proposing.ENTERPRISES) -> MarketResult[E, V]:
        """The stable matching that is optimal for the proposing side."""
        side = Proposing(proposing)
        if side is Proposing.ENTERPRISES:
            core = self.problem.solve()
            e_idx, v_idx = core._proposers, core._receivers
        else:
            core = self._village_problem.solve()
            keys = core._receivers * len(self.villages) + core._proposers
            keys.sort()
            n_v = max(len(self.villages), 1)
            e_idx = keys // n_v
            v_idx = keys - e_idx * n_v
        return MarketResult(self, side, core, e_idx, v_idx)

    # --------------------------------------------------------------- checking

    def _pairs(self, pairs: Iterable[tuple[E, V]]) -> list[tuple[int, int]]:
        out = []
        for k, item in enumerate(pairs):
            try:
                e, v = item
            except (TypeError, ValueError):
                raise MatchingInputError(
                    "pairs",
                    k,
                    InputProblem.BAD_VALUE,
                    f"{item!r} is not an (enterprise, village) pair",
                    value=item,
                ) from None
            if e not in self._e_index:
                raise UnknownIdError(
                    "pairs",
                    k,
                    f"enterprise {e!r} is not in the market",
                    value=e,
                )
            if v not in self._v_index:
                raise UnknownIdError(
                    "pairs",
                    k,
                    f"village {v!r} is not in the market",
                    value=v,
                )
            out.append((self._e_index[e], self._v_index[v]))
        return out

    def check(self, pairs: Iterable[tuple[E, V]]) -> MarketReport[E, V]:
        """Check any matching of this market, e.g. the engine's result with a manual override."""
        report = self.problem.check(self._pairs(pairs))
        ents, vils = self.enterprises, self.villages
        return MarketReport(
            blocking_pairs=[(ents[e], vils[v]) for e, v in report.blocking_pairs],
            unacceptable_pairs=[(ents[e], vils[v]) for e, v in report.unacceptable_pairs],
            over_capacity_enterprises=[ents[e] for e in report.over_capacity_proposers],
            over_capacity_villages=[vils[v] for v in report.over_capacity_receivers],
        )

    def blocking_pairs(self, pairs: Iterable[tuple[E, V]]) -> list[tuple[E, V]]:
        """``(enterprise, village)`` pairs that block the matching, in market order."""
        return self.check(pairs).blocking_pairs

    def is_stable(self, pairs: Iterable[tuple[E, V]]) -> bool:
        """True when the matching is acceptable, within capacity and has no blocking pair."""
        return self.check(pairs).is_stable

    def explain(self, enterprise: E, village: V, pairs: Iterable[tuple[E, V]]) -> MarketExplanation[E, V]:
        """Why ``enterprise`` and ``village`` are, or are not, matched in ``pairs``."""
        idx = sorted(self._pairs(pairs))
        e_arr = np.array([e for e, _ in idx], dtype=np.int64)
        v_arr = np.array([v for _, v in idx], dtype=np.int64)
        return self._explain(MatchingView(self.problem, e_arr, v_arr), enterprise, village)

    def _explain(self, view: MatchingView, enterprise: E, village: V) -> MarketExplanation[E, V]:
        e = self._lookup(self._e_index, enterprise, "enterprise")
        v = self._lookup(self._v_index, village, "village")
        core = explain_pair(self.problem, view, e, v)
        reason, _ = _FROM_CORE[core.reason]
        ents, vils = self.enterprises, self.villages
        return MarketExplanation(
            enterprise,
            village,
            reason,
            core.proposer_side.map(vils.__getitem__),
            core.receiver_side.map(ents.__getitem__),
        )

    @staticmethod
    def _lookup(index: Mapping[A, int], key: A, noun: str) -> int:
        try:
            return index[key]
        except (KeyError, TypeError):
            raise UnknownIdError(noun, key, f"no such {noun}", value=key) from None


class MarketResult(Generic[E, V]):
    """A stable matching of a :class:`Market`, optimal for the proposing side.

    ``pairs`` lists ``(enterprise, village)`` pairs ordered by the enterprises'
    and villages' order in the market.
    """

    def __init__(
        self,
        market: Market[E, V],
        proposing: Proposing,
        core: MatchResult,
        enterprise_idx: IntArray,
        village_idx: IntArray,
    ) -> None:
        self.market = market
        self.proposing = proposing
        self.rounds = core.rounds
        self.proposals = core.proposals
        ents, vils = market.enterprises, market.villages
        self.pairs: list[tuple[E, V]] = [
            (ents[e], vils[v]) for e, v in zip(enterprise_idx.tolist(), village_idx.tolist(), strict=True)
        ]
        self._view = MatchingView(market.problem, enterprise_idx, village_idx)

    def __repr__(self) -> str:
        return f"MarketResult({len(self.pairs)} pairs, {self.proposing.value} proposing)"

    @property
    def dropped_enterprise_entries(self) -> int:
        """Entries in enterprises' lists whose village does not list them back."""
        return self.market.problem.dropped_proposer_entries

    @property
    def dropped_village_entries(self) -> int:
        """Entries in villages' lists whose enterprise does not list them back."""
        return self.market.problem.dropped_receiver_entries

    def villages_of(self, enterprise: E) -> list[V]:
        """The enterprise's villages, in its order of preference."""
        e = Market._lookup(self.market._e_index, enterprise, "enterprise")
        return [self.market.villages[v] for v in self._view.proposer_partners(e)]

    def enterprises_of(self, village: V) -> list[E]:
        """The village's enterprises, in its order of preference."""
        v = Market._lookup(self.market._v_index, village, "village")
        return [self.market.enterprises[e] for e in self._view.receiver_partners(v)]

    def unmatched_enterprises(self) -> list[E]:
        """Enterprises with places but no village."""
        offsets = self._view._p_offsets
        return [
            e
            for k, e in enumerate(self.market.enterprises)
            if offsets[k] == offsets[k + 1] and self.market.problem.proposer_capacity[k] > 0
        ]

    def unmatched_villages(self) -> list[V]:
        """Villages with places but no enterprise."""
        offsets = self._view._r_offsets
        return [
            v
            for k, v in enumerate(self.market.villages)
            if offsets[k] == offsets[k + 1] and self.market.problem.receiver_capacity[k] > 0
        ]

    def explain(self, enterprise: E, village: V) -> MarketExplanation[E, V]:
        """Why ``enterprise`` and ``village`` are, or are not, matched."""
        return self.market._explain(self._view, enterprise, village)

    def explain_enterprise(self, enterprise: E) -> list[MarketExplanation[E, V]]:
        """One explanation per village on the enterprise's list, in its order.

        Answers "why not the village I ranked first?".
        """
        e = Market._lookup(self.market._e_index, enterprise, "enterprise")
        vils = self.market.villages
        return [self.explain(enterprise, vils[v]) for v in self.market.problem.proposer_list(e)]

    def explain_village(self, village: V) -> list[MarketExplanation[E, V]]:
        """One explanation per enterprise on the village's list, in its order."""
        v = Market._lookup(self.market._v_index, village, "village")
        ents = self.market.enterprises
        return [self.explain(ents[e], village) for e in self.market.problem.receiver_list(v)]

    def check(self, pairs: Iterable[tuple[E, V]] | None = None) -> MarketReport[E, V]:
        """Check ``pairs`` (default: this result, e.g. after editing it) for stability."""
        return self.market.check(self.pairs if pairs is None else pairs)


def match(
    enterprise_prefs: Mapping[E, Sequence[V]],
    village_prefs: Mapping[V, Sequence[E]],
    enterprise_capacity: Mapping[E, int],
    village_capacity: Mapping[V, int],
    proposing: Proposing | str = Proposing.ENTERPRISES,
) -> MarketResult[E, V]:
    """Stable matching of enterprises and villages keyed by ids.

    ``proposing="enterprises"`` gives the enterprise-optimal stable matching,
    ``"villages"`` the village-optimal one; see :func:`tongxin.matching.solve`
    for the guarantees. Only pairs that list each other can be matched.
    """
    market = Market(enterprise_prefs, village_prefs, enterprise_capacity, village_capacity)
    return market.solve(proposing)


def _index_lists(
    prefs: Mapping[A, Sequence[B]],
    owners: Sequence[A],
    own_index: Mapping[A, int],
    other_index: Mapping[B, int],
    own: str,
    other: str,
) -> Lists:
    """Convert id-keyed lists to flat index arrays, naming the first bad entry.

    Integer ids (e.g. database keys) are mapped by a vectorised binary search,
    other ids through one dictionary look-up per entry; either way the whole
    side is flattened at once.
    """
    field = f"{own}_prefs"
    for owner in prefs:
        if owner not in own_index:
            raise UnknownIdError(
                field,
                owner,
                f"{own} {owner!r} has a preference list but is not in {own}_capacity",
                value=owner,
            )
    empty: Sequence[B] = ()
    seqs = [prefs.get(owner, empty) for owner in owners]
    try:
        if any(isinstance(seq, (str, bytes)) for seq in seqs):
            raise TypeError
        lengths = np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs))
        offsets = np.zeros(len(seqs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        flat = _map_ids(seqs, int(offsets[-1]), other_index)
    except (KeyError, TypeError, ValueError, OverflowError):
        _raise_first_bad_entry(seqs, owners, other_index, field, other)
        raise  # pragma: no cover - _raise_first_bad_entry always raises here
    return Lists(flat, offsets)


def _map_ids(seqs: list[Sequence[B]], total: int, index: Mapping[B, int]) -> IntArray:
    """Indices of all ids in ``seqs``, flattened; raises KeyError/TypeError on an unknown id."""
    ids = list(index)
    if ids and all(type(x) is int for x in ids):
        buf = array.array("q")
        try:
            for seq in seqs:
                buf.fromlist(seq) if isinstance(seq, list) else buf.extend(seq)  # type: ignore[arg-type]
        except (TypeError, OverflowError):
            pass  # not all plain integers: use the dictionary below
        else:
            wanted = np.frombuffer(buf, dtype=np.int64) if total else np.zeros(0, np.int64)
            keys = np.fromiter(ids, dtype=np.int64, count=len(ids))
            values = np.fromiter(index.values(), dtype=np.int64, count=len(ids))
            low, high = int(keys.min()), int(keys.max())
            if high - low < 8 * len(ids) + 1024:  # dense keys (e.g. database ids): a table
                table = np.full(high - low + 1, -1, dtype=np.int64)
                table[keys - low] = values
                inside = (wanted >= low) & (wanted <= high)
                if not inside.all():
                    raise KeyError("unknown id")
                found: IntArray = table[wanted - low]
                if found.size and int(found.min()) < 0:
                    raise KeyError("unknown id")
                return found
            order = np.argsort(keys, kind="stable")
            pos = np.searchsorted(keys[order], wanted)
            np.minimum(pos, len(ids) - 1, out=pos)
            if not np.array_equal(keys[order][pos], wanted):
                raise KeyError("unknown id")
            found = values[order][pos]
            return found
    flat: IntArray = np.fromiter(map(index.__getitem__, chain.from_iterable(seqs)), dtype=np.int64, count=total)
    return flat


def _raise_first_bad_entry(
    seqs: list[Sequence[B]], owners: Sequence[A], other_index: Mapping[B, int], field: str, other: str
) -> None:
    for owner, seq in zip(owners, seqs, strict=True):
        if isinstance(seq, (str, bytes)) or not isinstance(seq, Iterable):
            raise MatchingInputError(
                field,
                owner,
                InputProblem.BAD_VALUE,
                f"expected a sequence of {other} ids, got {type(seq).__name__}",
            )
        for x in seq:
            if _missing(other_index, x):
                raise UnknownIdError(
                    field,
                    owner,
                    f"{other} {x!r} is not a known {other} (not in {other}_capacity)",
                    value=x,
                )


def _missing(index: Mapping[B, int], key: object) -> bool:
    try:
        return key not in index
    except TypeError:  # unhashable
        return True
