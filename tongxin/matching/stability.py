"""Vectorised stability check of an arbitrary matching (e.g. with manual overrides)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._arrays import BoolArray, IntArray

if TYPE_CHECKING:
    from .problem import Problem, StabilityReport

_UNLISTED = np.int64(2**62)  # rank of a partner missing from a list: worse than any listed one


def check_matching(problem: Problem, matching: tuple[IntArray, IntArray]) -> StabilityReport:
    """Check the matching ``(proposers, receivers)`` (validated, sorted by pair) against ``problem``.

    Runs in time linear in the number of acceptable pairs plus a sort of the
    matching, so checking a national-scale override is fast.
    """
    from .problem import StabilityReport

    mp, mr = matching
    n_p, n_r = problem.n_proposers, problem.n_receivers
    p_lists, r_lists = problem.proposer_lists, problem.receiver_lists
    keys = mp * n_r + mr

    p_rank = _ranks(keys, problem._p_sorted, problem._p_order, p_lists.offsets[mp])
    r_rank = _ranks(keys, problem._r_sorted, problem._r_order, r_lists.offsets[mr])
    # A partner the agent does not list counts as its worst partner of all.
    acceptable: BoolArray = (p_rank < _UNLISTED) & (r_rank < _UNLISTED)

    count_p = np.bincount(mp, minlength=n_p)
    count_r = np.bincount(mr, minlength=n_r)
    worst_p = np.full(n_p, -1, dtype=np.int64)
    worst_r = np.full(n_r, -1, dtype=np.int64)
    np.maximum.at(worst_p, mp, p_rank)
    np.maximum.at(worst_r, mr, r_rank)

    e_p, e_r = problem._edge_agents()
    e_p_rank = problem.edge_ppos - p_lists.offsets[e_p]
    e_r_rank = problem.edge_rpos - r_lists.offsets[e_r]
    e_keys = e_p * n_r + e_r
    matched = _member(e_keys, keys)
    cap_p = problem.proposer_capacity[e_p]
    cap_r = problem.receiver_capacity[e_r]
    # An agent with capacity 0 takes nobody; otherwise it wants a partner when
    # it has a free place or ranks the partner above its worst current one.
    p_wants = (cap_p > 0) & ((count_p[e_p] < cap_p) | (e_p_rank < worst_p[e_p]))
    r_wants = (cap_r > 0) & ((count_r[e_r] < cap_r) | (e_r_rank < worst_r[e_r]))
    blocking = np.sort(e_keys[~matched & p_wants & r_wants])

    return StabilityReport(
        blocking_pairs=_decode(blocking, n_r),
        unacceptable_pairs=_decode(keys[~acceptable], n_r),
        over_capacity_proposers=np.flatnonzero(count_p > problem.proposer_capacity).tolist(),
        over_capacity_receivers=np.flatnonzero(count_r > problem.receiver_capacity).tolist(),
    )


def _ranks(keys: IntArray, sorted_keys: IntArray, order: IntArray, row_start: IntArray) -> IntArray:
    """Position of each pair's partner in the owner's list, or ``_UNLISTED``."""
    ranks = np.full(keys.size, _UNLISTED, dtype=np.int64)
    if not keys.size or not sorted_keys.size:
        return ranks
    idx = np.searchsorted(sorted_keys, keys)
    np.minimum(idx, sorted_keys.size - 1, out=idx)
    hit = sorted_keys[idx] == keys
    ranks[hit] = order[idx[hit]] - row_start[hit]
    return ranks


def _member(values: IntArray, sorted_set: IntArray) -> BoolArray:
    """``values[k] in sorted_set`` for every ``k``."""
    if not sorted_set.size:
        return np.zeros(values.size, dtype=np.bool_)
    idx = np.searchsorted(sorted_set, values)
    np.minimum(idx, sorted_set.size - 1, out=idx)
    found: BoolArray = sorted_set[idx] == values
    return found


def _decode(keys: IntArray, n_r: int) -> list[tuple[int, int]]:
    if not keys.size:
        return []
    p = keys // n_r
    return list(zip(p.tolist(), (keys - p * n_r).tolist(), strict=True))
