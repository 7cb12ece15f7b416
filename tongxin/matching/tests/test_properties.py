"""Property tests on random markets: the guarantees stated in ``solve``'s docstring."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tongxin.matching import Problem, solve
from tongxin.matching.reference import deferred_acceptance

from .helpers import (
    Instance,
    all_stable_matchings,
    blocking_pairs_plain,
    instances,
    partners,
    weakly_preferred_by_all,
)

FAST = settings(max_examples=200, deadline=None)
TINY = settings(max_examples=150, deadline=None)


@FAST
@given(instances(max_proposers=8, max_receivers=8, max_capacity=3))
def test_result_respects_capacities_and_acceptability(inst: Instance) -> None:
    """Every matched pair lists each other and nobody exceeds its capacity."""
    pairs = solve(*inst.args).pairs
    acceptable = set(inst.acceptable())
    assert all(pair in acceptable for pair in pairs)
    assert len(set(pairs)) == len(pairs)
    for side, caps in ((0, inst.proposer_capacity), (1, inst.receiver_capacity)):
        for got, cap in zip(partners(pairs, len(caps), side), caps, strict=True):
            assert len(got) <= cap


@FAST
@given(instances(max_proposers=8, max_receivers=8, max_capacity=3))
def test_result_has_no_blocking_pair(inst: Instance) -> None:
    """No acceptable unmatched pair would both rather be together (checked by definition)."""
    result = solve(*inst.args)
    assert blocking_pairs_plain(inst, result.pairs) == []
    assert result.check().is_stable


@FAST
@given(instances(max_proposers=10, max_receivers=10, max_capacity=4))
def test_vectorised_engine_equals_sequential_reference(inst: Instance) -> None:
    """The round-based NumPy engine gives exactly the one-at-a-time textbook result."""
    assert solve(*inst.args).pairs == deferred_acceptance(*inst.args)


@TINY
@given(instances(max_proposers=4, max_receivers=4, max_capacity=2))
def test_equals_brute_force_proposer_optimum(inst: Instance) -> None:
    """Among all stable matchings (enumerated), the result is the one every proposer likes best.

    Each proposer weakly prefers its partners in the result to those in any
    other stable matching (it would choose them from the union), and each
    receiver weakly prefers any other stable matching.
    """
    stable = all_stable_matchings(inst)
    pairs = solve(*inst.args).pairs
    assert pairs in stable
    for other in stable:
        assert weakly_preferred_by_all(inst, pairs, other, side=0)
        assert weakly_preferred_by_all(inst, other, pairs, side=1)


@TINY
@given(instances(max_proposers=4, max_receivers=4, max_capacity=2))
def test_exchanging_roles_gives_the_receivers_optimum(inst: Instance) -> None:
    """Letting the receivers propose yields the stable matching every receiver likes best."""
    stable = all_stable_matchings(inst)
    swapped = solve(*inst.swapped().args).pairs
    pairs = sorted((i, j) for j, i in swapped)
    assert pairs in stable
    for other in stable:
        assert weakly_preferred_by_all(inst, pairs, other, side=1)
    # The same through Problem.transposed().
    assert Problem(*inst.args).transposed().solve().pairs == swapped


@TINY
@given(instances(max_proposers=4, max_receivers=4, max_capacity=2))
def test_all_stable_matchings_match_the_same_agents(inst: Instance) -> None:
    """Every agent has the same number of partners in every stable matching ("rural hospitals").

    Checked against all stable matchings (enumerated), so the choice of the
    proposing side changes who gets whom, never how many each gets.
    """
    ours = solve(*inst.args).pairs
    for side, n in ((0, len(inst.proposer_prefs)), (1, len(inst.receiver_prefs))):
        counts = [len(s) for s in partners(ours, n, side)]
        for other in all_stable_matchings(inst):
            assert [len(s) for s in partners(other, n, side)] == counts


@FAST
@given(instances(max_proposers=7, max_receivers=7, max_capacity=3), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_agent_order(inst: Instance, rnd: random.Random) -> None:
    """Renumbering both sides only renames the result: it is unique and deterministic."""
    n_p, n_r = len(inst.proposer_prefs), len(inst.receiver_prefs)
    pp = list(range(n_p))
    rp = list(range(n_r))
    rnd.shuffle(pp)
    rnd.shuffle(rp)
    p_prefs: list[list[int]] = [[] for _ in range(n_p)]
    p_cap = [0] * n_p
    for i in range(n_p):
        p_prefs[pp[i]] = [rp[j] for j in inst.proposer_prefs[i]]
        p_cap[pp[i]] = inst.proposer_capacity[i]
    r_prefs: list[list[int]] = [[] for _ in range(n_r)]
    r_cap = [0] * n_r
    for j in range(n_r):
        r_prefs[rp[j]] = [pp[i] for i in inst.receiver_prefs[j]]
        r_cap[rp[j]] = inst.receiver_capacity[j]
    renamed = solve(p_prefs, r_prefs, p_cap, r_cap).pairs
    assert sorted((pp[i], rp[j]) for i, j in solve(*inst.args).pairs) == renamed


@settings(max_examples=40, deadline=None)
@given(
    st.integers(50, 400),
    st.integers(50, 400),
    st.integers(1, 25),
    st.integers(0, 2**32 - 1),
)
def test_larger_random_markets_equal_reference(n_p: int, n_r: int, k: int, seed: int) -> None:
    """On larger markets with many rounds, the engine still equals the sequential algorithm."""
    rnd = random.Random(seed)
    p_prefs = [rnd.sample(range(n_r), min(k, n_r)) for _ in range(n_p)]
    r_prefs = [rnd.sample(range(n_p), min(3 * k, n_p)) for _ in range(n_r)]
    p_cap = [rnd.randint(0, 5) for _ in range(n_p)]
    r_cap = [rnd.randint(0, 3) for _ in range(n_r)]
    args = (p_prefs, r_prefs, p_cap, r_cap)
    result = solve(*args)
    assert result.pairs == deferred_acceptance(*args)
    swapped = (r_prefs, p_prefs, r_cap, p_cap)
    assert solve(*swapped).pairs == deferred_acceptance(*swapped)
