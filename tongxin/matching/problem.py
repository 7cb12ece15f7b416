"""The index-based core: validated markets, ``solve`` and the stability check.

Conventions (these are the guarantees the rest of the package relies on):

* Agents are numbered ``0..n-1`` on each side. ``proposer_prefs[i]`` lists the
  receivers proposer ``i`` finds acceptable, best first; ``receiver_prefs[j]``
  likewise. Lists are strict (no duplicates) and may be incomplete.
* A pair ``(i, j)`` is *acceptable* only when ``i`` lists ``j`` **and** ``j``
  lists ``i``. Entries whose partner does not list back are *one-sided*: they
  are dropped before matching and counted in
  :attr:`Problem.dropped_proposer_entries` / :attr:`Problem.dropped_receiver_entries`.
* Preferences over sets of partners are *responsive*: an agent with capacity
  ``q`` prefers a set of partners according to its ranking of the members,
  and would drop its worst partner for a better one.
* A matching is a set of acceptable pairs in which no agent has more partners
  than its capacity. A pair ``(i, j)`` *blocks* a matching when it is
  acceptable, not matched, and each of ``i`` and ``j`` has a positive
  capacity and either has a free place or ranks the other above its worst
  current partner (a partner it does not list counts as worst of all). A
  matching is (pairwise) *stable* when it uses only acceptable pairs,
  respects capacities and no pair blocks it.
"""

from __future__ import annotations

import array
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from . import _engine
from ._arrays import (
    EMPTY,
    IntArray,
    Lists,
    check_lengths,
    stable_argsort_bounded,
    to_capacities,
    to_lists,
)
from .errors import InputProblem, MatchingInputError

if TYPE_CHECKING:
    from .explain import Explanation

Pair = tuple[int, int]


class Problem:
    """A validated two-sided market in index form.

    Building it converts and checks the input (vectorised) and finds the
    mutually acceptable pairs; :meth:`solve` then runs deferred acceptance.
    Build one ``Problem`` when you need several operations on the same market
    (solving, checking overrides, explaining).

    Raises :class:`~tongxin.matching.errors.MatchingInputError` (a
    ``ValueError``) naming the side, the index and the problem for: lists and
    capacities of different lengths, a non-integer or negative capacity, a
    non-integer or out-of-range list entry, and a partner listed twice.
    """

    def __init__(
        self,
        proposer_prefs: Sequence[Sequence[int]],
        receiver_prefs: Sequence[Sequence[int]],
        proposer_capacity: Sequence[int],
        receiver_capacity: Sequence[int],
    ) -> None:
        check_lengths(proposer_prefs, proposer_capacity, "proposer")
        check_lengths(receiver_prefs, receiver_capacity, "receiver")
        p_cap = to_capacities(proposer_capacity, "proposer")
        r_cap = to_capacities(receiver_capacity, "receiver")
        n_p, n_r = len(proposer_prefs), len(receiver_prefs)
        _check_size(n_p, n_r)
        p_lists = to_lists(proposer_prefs, "proposer", "receiver", n_r)
        r_lists = to_lists(receiver_prefs, "receiver", "proposer", n_p)
        self._init(p_lists, r_lists, p_cap, r_cap)

    @classmethod
    def from_flat(
        cls,
        proposer_lists: Lists,
        receiver_lists: Lists,
        proposer_capacity: Sequence[int],
        receiver_capacity: Sequence[int],
    ) -> Problem:
        """Build from already flattened lists whose entries are known to be in range.

        Capacities are validated and duplicates rejected as in the constructor.
        """
        if proposer_lists.n != len(proposer_capacity) or receiver_lists.n != len(receiver_capacity):
            raise ValueError("one capacity per list is required")
        p_cap = to_capacities(proposer_capacity, "proposer")
        r_cap = to_capacities(receiver_capacity, "receiver")
        return cls._from_arrays(proposer_lists, receiver_lists, p_cap, r_cap)

    @classmethod
    def _from_arrays(cls, p_lists: Lists, r_lists: Lists, p_cap: IntArray, r_cap: IntArray) -> Problem:
        self = cls.__new__(cls)
        self._init(p_lists, r_lists, p_cap, r_cap)
        return self

    def _init(self, p_lists: Lists, r_lists: Lists, p_cap: IntArray, r_cap: IntArray) -> None:
        _check_size(p_lists.n, r_lists.n)
        self.proposer_lists = p_lists
        self.receiver_lists = r_lists
        self.proposer_capacity = p_cap
        self.receiver_capacity = r_cap
        self.n_proposers = p_lists.n
        self.n_receivers = r_lists.n
        self._join()

    def _join(self) -> None:
        """Find the mutually acceptable pairs and reject duplicate entries.

        Entries of both sides are keyed ``proposer * n_receivers + receiver``.
        The receiver side is put in key order by a radix sort on the proposer
        index (stable, so receivers stay ascending within a proposer). The
        proposer side is already grouped by proposer, so a run-aware stable
        sort of the concatenation of both merges them cheaply. In the merged
        order, a key seen twice on one side is a duplicate entry and a key
        seen on both sides is an acceptable pair.
        """
        n_p, n_r = self.n_proposers, self.n_receivers
        p, r = self.proposer_lists, self.receiver_lists
        self.receiver_of = r.owners()
        r_order = stable_argsort_bounded(r.flat, n_p)
        per_proposer = np.bincount(r.flat, minlength=n_p)
        r_sorted = np.repeat(np.arange(n_p, dtype=np.int64) * n_r, per_proposer)
        r_sorted += self.receiver_of[r_order]
        self._r_sorted, self._r_order = r_sorted, r_order

        n_pe = int(p.flat.size)
        keys = np.concatenate((self._proposer_keys(), r_sorted))
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        same = np.flatnonzero(keys[1:] == keys[:-1])
        first_from_p = order[same] < n_pe
        second_from_p = order[same + 1] < n_pe
        for dup in (same[first_from_p & second_from_p], same[~first_from_p & ~second_from_p]):
            if dup.size:
                key = int(keys[dup[0]])
                on_p = bool(order[dup[0]] < n_pe)
                owner, partner = (key // n_r, key % n_r) if on_p else (key % n_r, key // n_r)
                _duplicate_error(p if on_p else r, "proposer" if on_p else "receiver", owner, partner)
        mutual = same[first_from_p & ~second_from_p]
        ppos = order[mutual]
        rpos = r_order[order[mutual + 1] - n_pe]
        # Back to proposer order (proposer-major, each list best first).
        rpos_by_p = np.full(n_pe, -1, dtype=np.int64)
        rpos_by_p[ppos] = rpos
        is_mutual = rpos_by_p >= 0
        self.edge_ppos = np.flatnonzero(is_mutual)
        self.edge_rpos = rpos_by_p[is_mutual]
        self.edge_offsets = np.searchsorted(self.edge_ppos, p.offsets).astype(np.int64, copy=False)
        n_edges = int(self.edge_ppos.size)
        self.dropped_proposer_entries = n_pe - n_edges
        self.dropped_receiver_entries = int(r.flat.size) - n_edges

    def _proposer_keys(self) -> IntArray:
        p = self.proposer_lists
        keys: IntArray = p.owners() * self.n_receivers + p.flat
        return keys

    @cached_property
    def _p_index(self) -> tuple[IntArray, IntArray]:
        """Proposer entries' keys in sorted order, and their positions (for rank look-ups)."""
        keys = self._proposer_keys()
        order = np.argsort(keys, kind="stable").astype(np.int64, copy=False)
        return keys[order], order

    @property
    def _p_sorted(self) -> IntArray:
        return self._p_index[0]

    @property
    def _p_order(self) -> IntArray:
        return self._p_index[1]

    # ----------------------------------------------------------------- queries

    @property
    def n_acceptable_pairs(self) -> int:
        """Number of mutually acceptable pairs."""
        return int(self.edge_ppos.size)

    def proposer_list(self, i: int) -> list[int]:
        """Proposer ``i``'s list as given (including one-sided entries)."""
        return self.proposer_lists.row(i)

    def receiver_list(self, j: int) -> list[int]:
        """Receiver ``j``'s list as given (including one-sided entries)."""
        return self.receiver_lists.row(j)

    def acceptable_pairs(self) -> list[Pair]:
        """All mutually acceptable pairs, sorted."""
        p, r = self._edge_agents()
        order = np.lexsort((r, p))
        return list(zip(p[order].tolist(), r[order].tolist(), strict=True))

    def one_sided_entries(self) -> tuple[list[Pair], list[Pair]]:
        """The dropped entries: ``(proposer i lists j, receiver j lists i)`` pairs
        that the other side does not list back, each as ``(proposer, receiver)``."""
        p, r = self.proposer_lists, self.receiver_lists
        mutual_p = np.zeros(p.flat.size, dtype=np.bool_)
        mutual_p[self.edge_ppos] = True
        mutual_r = np.zeros(r.flat.size, dtype=np.bool_)
        mutual_r[self.edge_rpos] = True
        lone_p = np.flatnonzero(~mutual_p)
        lone_r = np.flatnonzero(~mutual_r)
        by_proposer = sorted(zip(p.owners()[lone_p].tolist(), p.flat[lone_p].tolist(), strict=True))
        by_receiver = sorted(zip(r.flat[lone_r].tolist(), self.receiver_of[lone_r].tolist(), strict=True))
        return by_proposer, by_receiver

    def _edge_agents(self) -> tuple[IntArray, IntArray]:
        p_of_edge = np.repeat(np.arange(self.n_proposers, dtype=np.int64), np.diff(self.edge_offsets))
        return p_of_edge, self.receiver_of[self.edge_rpos]

    def rank_of_receiver(self, proposer: int, receiver: int) -> int | None:
        """0-based position of ``receiver`` in ``proposer``'s list, or ``None``."""
        return _position(
            self._p_sorted,
            self._p_order,
            self.proposer_lists,
            proposer,
            proposer * self.n_receivers + receiver,
        )

    def rank_of_proposer(self, receiver: int, proposer: int) -> int | None:
        """0-based position of ``proposer`` in ``receiver``'s list, or ``None``."""
        return _position(
            self._r_sorted,
            self._r_order,
            self.receiver_lists,
            receiver,
            proposer * self.n_receivers + receiver,
        )

    # ----------------------------------------------------------------- solving

    def solve(self) -> MatchResult:
        """The proposer-optimal stable matching (deferred acceptance).

        Guarantees: the result uses only mutually acceptable pairs, respects
        every capacity, has no blocking pair, and every proposer weakly
        prefers it to any other stable matching (every receiver weakly
        prefers any other stable matching to it). It is therefore unique and
        does not depend on the order of agents or of proposals.
        """
        out = _engine.run(
            self.edge_rpos,
            self.edge_offsets,
            self.proposer_capacity,
            self.receiver_capacity,
            self.receiver_of,
            self.receiver_lists.flat,
        )
        n_r = self.n_receivers
        keys = self.receiver_lists.flat[out.held] * n_r + self.receiver_of[out.held]
        keys.sort()
        proposers = keys // n_r if n_r else keys
        receivers = keys - proposers * n_r
        return MatchResult(self, proposers, receivers, out.rounds, out.proposals)

    def transposed(self) -> Problem:
        """The same market with the roles of proposers and receivers exchanged."""
        return Problem._from_arrays(
            self.receiver_lists,
            self.proposer_lists,
            self.receiver_capacity,
            self.proposer_capacity,
        )

    # ---------------------------------------------------------------- checking

    def check(self, pairs: Iterable[Pair]) -> StabilityReport:
        """Check any matching (e.g. one with manual overrides) against this market.

        Reports pairs that are not mutually acceptable, agents over capacity and
        blocking pairs. Raises ``MatchingInputError`` for an out-of-range index
        or a pair listed twice.
        """
        from .stability import check_matching

        return check_matching(self, _pairs_to_arrays(pairs, self))

    def blocking_pairs(self, pairs: Iterable[Pair]) -> list[Pair]:
        """The pairs that block the given matching, sorted."""
        return self.check(pairs).blocking_pairs

    def is_stable(self, pairs: Iterable[Pair]) -> bool:
        """True when the matching is individually rational, within capacity and has no blocking pair."""
        return self.check(pairs).is_stable

    def explain(self, proposer: int, receiver: int, pairs: Iterable[Pair]) -> Explanation:
        """Why ``proposer`` and ``receiver`` are, or are not, matched in ``pairs``."""
        from .explain import MatchingView, explain_pair

        p, r = _pairs_to_arrays(pairs, self)
        return explain_pair(self, MatchingView(self, p, r), proposer, receiver)


@dataclass(frozen=True, slots=True)
class StabilityReport:
    """Result of checking a matching: every way in which it is not stable.

    All lists are sorted. ``blocking_pairs`` are ``(proposer, receiver)``
    pairs; ``unacceptable_pairs`` are matched pairs that are not mutually
    acceptable; the ``over_capacity`` lists hold agents with more partners
    than their capacity.
    """

    blocking_pairs: list[Pair]
    unacceptable_pairs: list[Pair]
    over_capacity_proposers: list[int]
    over_capacity_receivers: list[int]

    @property
    def is_stable(self) -> bool:
        """No blocking pair, no unacceptable pair, nobody over capacity."""
        return not (
            self.blocking_pairs
            or self.unacceptable_pairs
            or self.over_capacity_proposers
            or self.over_capacity_receivers
        )


class MatchResult:
    """The proposer-optimal stable matching of a :class:`Problem`.

    ``pairs`` is the sorted list of ``(proposer, receiver)`` pairs. ``rounds``
    and ``proposals`` describe the run (simultaneous-proposal rounds and the
    number of proposals made).
    """

    def __init__(
        self,
        problem: Problem,
        proposers: IntArray,
        receivers: IntArray,
        rounds: int,
        proposals: int,
    ) -> None:
        self.problem = problem
        self._proposers = proposers
        self._receivers = receivers
        self.rounds = rounds
        self.proposals = proposals

    @cached_property
    def pairs(self) -> list[Pair]:
        """The matched ``(proposer, receiver)`` pairs, sorted (built on first access)."""
        return list(zip(self._proposers.tolist(), self._receivers.tolist(), strict=True))

    def __repr__(self) -> str:
        return (
            f"MatchResult({self._proposers.size} pairs, {self.problem.n_proposers} "
            f"proposers, {self.problem.n_receivers} receivers)"
        )

    @property
    def dropped_proposer_entries(self) -> int:
        """Entries in proposers' lists whose receiver does not list them back."""
        return self.problem.dropped_proposer_entries

    @property
    def dropped_receiver_entries(self) -> int:
        """Entries in receivers' lists whose proposer does not list them back."""
        return self.problem.dropped_receiver_entries

    @cached_property
    def _view(self) -> MatchingView:
        from .explain import MatchingView

        return MatchingView(self.problem, self._proposers, self._receivers)

    def partners_of_proposer(self, proposer: int) -> list[int]:
        """Receivers matched to ``proposer``, in the proposer's order of preference."""
        return self._view.proposer_partners(proposer)

    def partners_of_receiver(self, receiver: int) -> list[int]:
        """Proposers matched to ``receiver``, in the receiver's order of preference."""
        return self._view.receiver_partners(receiver)

    def explain(self, proposer: int, receiver: int) -> Explanation:
        """Why ``proposer`` and ``receiver`` are, or are not, matched."""
        from .explain import explain_pair

        return explain_pair(self.problem, self._view, proposer, receiver)

    def check(self) -> StabilityReport:
        """Re-check this matching (always stable; useful as a self-test)."""
        from .stability import check_matching

        return check_matching(self.problem, (self._proposers, self._receivers))


if TYPE_CHECKING:
    from .explain import MatchingView


def solve(
    proposer_prefs: Sequence[Sequence[int]],
    receiver_prefs: Sequence[Sequence[int]],
    proposer_capacity: Sequence[int],
    receiver_capacity: Sequence[int],
) -> MatchResult:
    """Compute the proposer-optimal stable matching of a many-to-many market.

    ``proposer_prefs[i]`` lists the receivers proposer ``i`` accepts, best
    first; ``receiver_prefs[j]`` lists the proposers receiver ``j`` accepts;
    capacities are the maximum numbers of partners (``>= 0``). A pair can be
    matched only when both list each other; one-sided entries are dropped and
    counted in the result.

    The result is the proposer-optimal pairwise-stable matching under
    responsive preferences (deferred acceptance, Gale and Shapley 1962; Roth
    1984): it respects capacities and acceptability, has no blocking pair,
    and each proposer weakly prefers it to every other stable matching. It is
    unique, so the output is deterministic. ``result.pairs`` is the sorted
    list of ``(proposer, receiver)`` pairs. Swap the arguments to let the
    other side propose. One-to-one and many-to-one markets are the special
    cases with capacities 1.

    Raises :class:`~tongxin.matching.errors.MatchingInputError` (a
    ``ValueError``) naming the side, index and problem on bad input.
    """
    return Problem(proposer_prefs, receiver_prefs, proposer_capacity, receiver_capacity).solve()


def blocking_pairs(
    proposer_prefs: Sequence[Sequence[int]],
    receiver_prefs: Sequence[Sequence[int]],
    proposer_capacity: Sequence[int],
    receiver_capacity: Sequence[int],
    pairs: Iterable[Pair],
) -> list[Pair]:
    """The ``(proposer, receiver)`` pairs that block ``pairs``, sorted.

    A pair blocks when it is mutually acceptable, not matched, and both sides
    have a free place or rank each other above their worst current partner.
    Use :func:`is_stable` (or :meth:`Problem.check`) to also catch matched
    pairs that are not acceptable and agents over capacity.
    """
    problem = Problem(proposer_prefs, receiver_prefs, proposer_capacity, receiver_capacity)
    return problem.blocking_pairs(pairs)


def is_stable(
    proposer_prefs: Sequence[Sequence[int]],
    receiver_prefs: Sequence[Sequence[int]],
    proposer_capacity: Sequence[int],
    receiver_capacity: Sequence[int],
    pairs: Iterable[Pair],
) -> bool:
    """True when ``pairs`` is a stable matching of the market.

    That is: every pair is mutually acceptable, nobody exceeds its capacity
    and no pair blocks it.
    """
    problem = Problem(proposer_prefs, receiver_prefs, proposer_capacity, receiver_capacity)
    return problem.is_stable(pairs)


# ------------------------------------------------------------------ helpers


def _check_size(n_p: int, n_r: int) -> None:
    """Pair keys ``proposer * n_receivers + receiver`` must fit in int64."""
    if n_p * n_r >= 2**62:
        raise MatchingInputError(
            "receiver_prefs",
            None,
            InputProblem.BAD_VALUE,
            f"{n_p} proposers x {n_r} receivers is too large a market",
        )


def _position(sorted_keys: IntArray, order: IntArray, lists: Lists, owner: int, key: int) -> int | None:
    k = int(np.searchsorted(sorted_keys, key))
    if k < sorted_keys.size and int(sorted_keys[k]) == key:
        return int(order[k]) - int(lists.offsets[owner])
    return None


def _duplicate_error(lists: Lists, side: str, owner: int, value: int) -> None:
    other = "receiver" if side == "proposer" else "proposer"
    positions = [k for k, x in enumerate(lists.row(owner)) if x == value]
    raise MatchingInputError(
        f"{side}_prefs",
        owner,
        InputProblem.DUPLICATE,
        f"{other} {value} is listed more than once (entries {', '.join(map(str, positions))}); lists must be strict",
        value=value,
    )


def _pairs_to_arrays(pairs: Iterable[Pair], problem: Problem) -> tuple[IntArray, IntArray]:
    """Validate a matching given as ``(proposer, receiver)`` pairs; return sorted arrays."""
    items = pairs if isinstance(pairs, list) else list(pairs)
    buf = array.array("q")
    try:
        buf.extend(chain.from_iterable(items))
        ok = len(buf) == 2 * len(items) and all(len(item) == 2 for item in items)
    except (TypeError, OverflowError):
        ok = False
    if not ok:
        for k, item in enumerate(items):
            try:
                a, b = item
                operator.index(a)
                operator.index(b)
            except (TypeError, ValueError):
                raise MatchingInputError(
                    "pairs",
                    k,
                    InputProblem.BAD_VALUE,
                    f"{item!r} is not a (proposer index, receiver index) pair",
                    value=item,
                ) from None
        raise MatchingInputError(  # pragma: no cover - 64-bit overflow
            "pairs", None, InputProblem.BAD_VALUE, "indices do not fit in 64 bits"
        )
    flat = np.frombuffer(buf, dtype=np.int64) if len(buf) else EMPTY
    prop, recv = flat[0::2], flat[1::2]
    bad = np.flatnonzero((prop < 0) | (prop >= problem.n_proposers) | (recv < 0) | (recv >= problem.n_receivers))
    if bad.size:
        k = int(bad[0])
        raise MatchingInputError(
            "pairs",
            k,
            InputProblem.OUT_OF_RANGE,
            f"{items[k]!r} is out of range (there are {problem.n_proposers} "
            f"proposers and {problem.n_receivers} receivers)",
            value=items[k],
        )
    n_r = problem.n_receivers
    keys = prop * n_r + recv
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    dup = np.flatnonzero(keys[1:] == keys[:-1])
    if dup.size:
        k = int(order[int(dup[0]) + 1])
        raise MatchingInputError(
            "pairs",
            k,
            InputProblem.DUPLICATE,
            f"pair {items[k]!r} is listed more than once",
            value=items[k],
        )
    p_sorted = keys // n_r if n_r else keys
    return p_sorted, keys - p_sorted * n_r
