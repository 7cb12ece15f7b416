"""Hypothesis strategies, a brute-force enumerator and plain-Python checks for the tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

Pair = tuple[int, int]


@dataclass(frozen=True)
class Instance:
    """A market in index form."""

    proposer_prefs: list[list[int]]
    receiver_prefs: list[list[int]]
    proposer_capacity: list[int]
    receiver_capacity: list[int]

    @property
    def args(
        self,
    ) -> tuple[list[list[int]], list[list[int]], list[int], list[int]]:
        return (
            self.proposer_prefs,
            self.receiver_prefs,
            self.proposer_capacity,
            self.receiver_capacity,
        )

    def swapped(self) -> Instance:
        """Roles exchanged."""
        return Instance(
            self.receiver_prefs,
            self.proposer_prefs,
            self.receiver_capacity,
            self.proposer_capacity,
        )

    def acceptable(self) -> list[Pair]:
        """Mutually acceptable pairs, sorted."""
        return sorted(
            (i, j) for i, prefs in enumerate(self.proposer_prefs) for j in prefs if i in self.receiver_prefs[j]
        )


@st.composite
def instances(
    draw: st.DrawFn,
    max_proposers: int = 6,
    max_receivers: int = 6,
    max_capacity: int = 3,
    min_agents: int = 0,
) -> Instance:
    """Random markets: random sizes, random partial strict lists, capacities 0..max."""
    n_p = draw(st.integers(min_agents, max_proposers))
    n_r = draw(st.integers(min_agents, max_receivers))

    def lists(n: int, n_other: int) -> list[list[int]]:
        return [
            draw(
                st.permutations(range(n_other)).flatmap(
                    lambda perm: st.integers(0, len(perm)).map(lambda k: list(perm[:k]))
                )
            )
            for _ in range(n)
        ]

    p_prefs = lists(n_p, n_r)
    r_prefs = lists(n_r, n_p)
    p_cap = draw(st.lists(st.integers(0, max_capacity), min_size=n_p, max_size=n_p))
    r_cap = draw(st.lists(st.integers(0, max_capacity), min_size=n_r, max_size=n_r))
    return Instance(p_prefs, r_prefs, p_cap, r_cap)


def partners(pairs: Sequence[Pair], n: int, side: int) -> list[set[int]]:
    """Partner sets of every agent of one side (0 = proposers, 1 = receivers)."""
    out: list[set[int]] = [set() for _ in range(n)]
    for pair in pairs:
        out[pair[side]].add(pair[1 - side])
    return out


def blocking_pairs_plain(inst: Instance, pairs: Sequence[Pair]) -> list[Pair]:
    """Blocking pairs by the definition, pair by pair, in plain Python."""
    matched = set(pairs)
    mine = partners(pairs, len(inst.proposer_prefs), 0)
    theirs = partners(pairs, len(inst.receiver_prefs), 1)

    def wants(prefs: list[int], cap: int, current: set[int], other: int) -> bool:
        if cap == 0:
            return False
        if len(current) < cap:
            return True
        rank = {x: k for k, x in enumerate(prefs)}
        worst = max((rank.get(x, len(prefs) + 1) for x in current), default=-1)
        return rank[other] < worst

    return sorted(
        (i, j)
        for i, j in inst.acceptable()
        if (i, j) not in matched
        and wants(inst.proposer_prefs[i], inst.proposer_capacity[i], mine[i], j)
        and wants(inst.receiver_prefs[j], inst.receiver_capacity[j], theirs[j], i)
    )


def is_stable_plain(inst: Instance, pairs: Sequence[Pair]) -> bool:
    """Acceptable, within capacities and without blocking pair, by definition."""
    acceptable = set(inst.acceptable())
    if any(pair not in acceptable for pair in pairs):
        return False
    for side, caps in ((0, inst.proposer_capacity), (1, inst.receiver_capacity)):
        if any(len(s) > c for s, c in zip(partners(pairs, len(caps), side), caps, strict=True)):
            return False
    return not blocking_pairs_plain(inst, pairs)


def all_stable_matchings(inst: Instance) -> list[list[Pair]]:
    """Every stable matching, by enumerating all capacity-feasible sets of acceptable pairs."""
    edges = inst.acceptable()
    p_left = list(inst.proposer_capacity)
    r_left = list(inst.receiver_capacity)
    chosen: list[Pair] = []
    found: list[list[Pair]] = []

    def extend(k: int) -> None:
        if k == len(edges):
            if not blocking_pairs_plain(inst, chosen):
                found.append(sorted(chosen))
            return
        extend(k + 1)
        i, j = edges[k]
        if p_left[i] and r_left[j]:
            p_left[i] -= 1
            r_left[j] -= 1
            chosen.append((i, j))
            extend(k + 1)
            chosen.pop()
            p_left[i] += 1
            r_left[j] += 1

    extend(0)
    return found


def choice(prefs: list[int], cap: int, offered: set[int]) -> set[int]:
    """Responsive choice: the ``cap`` best of ``offered`` (all listed)."""
    rank = {x: k for k, x in enumerate(prefs)}
    return set(sorted(offered, key=rank.__getitem__)[:cap])


def weakly_preferred_by_all(inst: Instance, better: Sequence[Pair], other: Sequence[Pair], side: int) -> bool:
    """Every agent of ``side`` chooses its ``better`` partners out of both matchings' partners.

    That is, each agent weakly prefers ``better`` to ``other`` under responsive preferences.
    """
    prefs = inst.proposer_prefs if side == 0 else inst.receiver_prefs
    caps = inst.proposer_capacity if side == 0 else inst.receiver_capacity
    mine = partners(better, len(prefs), side)
    theirs = partners(other, len(prefs), side)
    return all(choice(prefs[a], caps[a], mine[a] | theirs[a]) == mine[a] for a in range(len(prefs)))
