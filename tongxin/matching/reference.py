"""A plain, sequential deferred-acceptance implementation, for cross-checking.

This is the textbook algorithm, one proposal at a time, in pure Python and
with no validation. It is deliberately simple so that it is easy to trust;
the tests check the vectorised engine against it, and the benchmark reports
it as the "straightforward pure-Python" baseline.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence


def deferred_acceptance(
    proposer_prefs: Sequence[Sequence[int]],
    receiver_prefs: Sequence[Sequence[int]],
    proposer_capacity: Sequence[int],
    receiver_capacity: Sequence[int],
) -> list[tuple[int, int]]:
    """Proposer-optimal stable matching of a many-to-many market, as sorted ``(proposer, receiver)`` pairs.

    Same semantics as :func:`tongxin.matching.solve` (only mutually listed
    pairs are acceptable; responsive preferences), for valid input only.
    """
    rank = [{p: k for k, p in enumerate(prefs)} for prefs in receiver_prefs]
    lists = [[j for j in prefs if i in rank[j]] for i, prefs in enumerate(proposer_prefs)]
    next_choice = [0] * len(lists)
    free = list(proposer_capacity)
    # held[j]: heap of (-rank, proposer), so the worst held proposer is on top.
    held: list[list[tuple[int, int]]] = [[] for _ in receiver_prefs]
    waiting = [i for i in range(len(lists)) if free[i] > 0 and lists[i]]
    while waiting:
        i = waiting.pop()
        prefs = lists[i]
        while free[i] > 0 and next_choice[i] < len(prefs):
            j = prefs[next_choice[i]]
            next_choice[i] += 1
            cap = receiver_capacity[j]
            entry = (-rank[j][i], i)
            if len(held[j]) < cap:
                heapq.heappush(held[j], entry)
                free[i] -= 1
            elif cap > 0 and entry > held[j][0]:
                _, loser = heapq.heapreplace(held[j], entry)
                free[i] -= 1
                free[loser] += 1
                waiting.append(loser)
    return sorted((i, j) for j, heap in enumerate(held) for _, i in heap)
