"""Round-based, NumPy-vectorised deferred acceptance (many-to-many, responsive).

In every round *all* proposers with a free place and an untried entry propose
at once, each to as many of its next receivers as it has free places. Every
receiver then keeps the best proposals among those it already holds and the
new ones, up to its capacity, and rejects the rest. Rejected proposers get
their place back and take part in the next round.

This is the simultaneous-proposal variant of Gale and Shapley's algorithm.
The proposer-optimal pairwise-stable matching does not depend on the order
in which proposals are made (Gale and Shapley 1962; Roth and Sotomayor 1990,
ch. 2 and 5), so the result equals that of the one-proposal-at-a-time
algorithm in :mod:`tongxin.matching.reference`; the tests check this.

Receivers are identified with positions in the receivers' flattened
preference lists: position ``R_off[j] + k`` is "receiver ``j``'s ``k``-th
choice". Sorting such positions orders proposals by receiver and, within a
receiver, best first, so one sort per round replaces all per-receiver work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._arrays import EMPTY, IntArray, segment_ranges


@dataclass(frozen=True, slots=True)
class EngineOutput:
    """The held proposals at the end (positions in the receivers' flat lists) and statistics."""

    held: IntArray
    rounds: int
    proposals: int


def run(
    edge_rpos: IntArray,
    edge_offsets: IntArray,
    proposer_capacity: IntArray,
    receiver_capacity: IntArray,
    receiver_of: IntArray,
    proposer_of: IntArray,
) -> EngineOutput:
    """Run deferred acceptance.

    ``edge_rpos[edge_offsets[i]:edge_offsets[i + 1]]`` is proposer ``i``'s list
    of mutually acceptable receivers, best first, each given as the position
    of ``i`` in that receiver's flat list. ``receiver_of[pos]`` and
    ``proposer_of[pos]`` decode such a position.
    """
    n_receivers = receiver_capacity.size
    ptr = edge_offsets[:-1].copy()
    end = edge_offsets[1:]
    free = proposer_capacity.copy()

    # Slots: receiver j can hold at most min(capacity, mutual entries) proposals.
    mutual = np.bincount(receiver_of[edge_rpos], minlength=n_receivers)
    slots = np.minimum(receiver_capacity, mutual)
    hold_start = np.zeros(n_receivers, dtype=np.int64)
    np.cumsum(slots[:-1], out=hold_start[1:])
    hold = np.zeros(int(slots.sum()), dtype=np.int64)
    held_count = np.zeros(n_receivers, dtype=np.int64)

    active = np.flatnonzero((free > 0) & (ptr < end))
    mark = np.zeros(ptr.size, dtype=np.bool_)
    rounds = 0
    proposals = 0
    while active.size:
        rounds += 1
        a_ptr = ptr[active]
        count = np.minimum(free[active], end[active] - a_ptr)
        ptr[active] = a_ptr + count
        free[active] -= count
        new = edge_rpos[segment_ranges(a_ptr, count)]
        proposals += new.size
        new.sort()
        receiver = receiver_of[new]
        first = np.empty(new.size, dtype=np.bool_)
        first[0] = True
        np.not_equal(receiver[1:], receiver[:-1], out=first[1:])
        touched = receiver[first]
        old_count = held_count[touched]
        if old_count.any():
            # Held proposals of the touched receivers, already sorted: merge.
            old = hold[segment_ranges(hold_start[touched], old_count)]
            keys = np.concatenate((old, new))
            keys.sort(kind="stable")  # two sorted runs: a linear merge
            receiver = receiver_of[keys]
            first = np.empty(keys.size, dtype=np.bool_)
            first[0] = True
            np.not_equal(receiver[1:], receiver[:-1], out=first[1:])
        else:
            keys = new
        group_start = np.flatnonzero(first)
        group_size = np.diff(group_start, append=keys.size)
        rank_in_group = np.arange(keys.size, dtype=np.int64)
        rank_in_group -= np.repeat(group_start, group_size)
        capacity = receiver_capacity[touched]
        keep = rank_in_group < np.repeat(capacity, group_size)
        kept_receiver = receiver[keep]
        hold[hold_start[kept_receiver] + rank_in_group[keep]] = keys[keep]
        held_count[touched] = np.minimum(group_size, capacity)
        rejected = keys[~keep]
        if not rejected.size:
            break
        loser = proposer_of[rejected]
        np.add.at(free, loser, 1)
        # Distinct losers with entries left, in index order (a mask beats np.unique here).
        mark[loser] = True
        loser = np.flatnonzero(mark)
        mark[loser] = False
        active = loser[ptr[loser] < end[loser]]
    held = hold[segment_ranges(hold_start, held_count)] if hold.size else EMPTY
    return EngineOutput(held=held, rounds=rounds, proposals=proposals)
