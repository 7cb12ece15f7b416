"""Explanations: reason codes, the facts behind them and their English rendering."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongxin.matching import MatchingInputError, Problem, Reason, blocking_pairs, solve

from .helpers import Instance, instances

# Enterprises propose. 0 华夏农业, 1 金山茶业, 2 绿源物流; villages 0 柳树村, 1 桃花村.
ENTERPRISES = ["华夏农业", "金山茶业", "绿源物流"]
VILLAGES = ["柳树村", "桃花村"]
E_PREFS = [[0, 1], [0, 1], [0]]
V_PREFS = [[1, 2, 0], [1, 0]]
E_CAP = [1, 1, 1]
V_CAP = [2, 1]


def _name(noun: str, index: int) -> str:
    return ENTERPRISES[index] if noun == "enterprise" else VILLAGES[index]


def test_village_full_with_enterprises_it_ranks_higher() -> None:
    """ "Why not the village I ranked first?": the village holds 2 enterprises it ranks higher."""
    result = solve(E_PREFS, V_PREFS, E_CAP, V_CAP)
    assert result.pairs == [(0, 1), (1, 0), (2, 0)]
    why = result.explain(0, 0)
    assert why.reason is Reason.RECEIVER_FULL
    assert why.receiver_side.preferred_partners == (1, 2)
    assert why.proposer_side.rank_of_other == 0
    assert why.text("enterprise", "village", _name) == (
        "Village 柳树村 holds 2 enterprises it ranks higher than enterprise 华夏农业: 金山茶业, 绿源物流."
    )


def test_enterprise_full_with_villages_it_ranks_higher() -> None:
    """An enterprise matched with its first choice is full for villages it ranks lower."""
    result = solve(E_PREFS, V_PREFS, E_CAP, V_CAP)
    why = result.explain(1, 1)
    assert why.reason is Reason.PROPOSER_FULL  # 桃花村 would take 金山茶业 over 华夏农业
    assert why.proposer_side.preferred_partners == (0,)
    assert why.receiver_side.would_accept
    assert why.text("enterprise", "village", _name) == (
        "Enterprise 金山茶业 is full with 1 village it ranks higher than village 桃花村: 柳树村."
    )
    both = solve([[0, 1], [1]], [[0], [1, 0]], [1, 1], [1, 1]).explain(0, 1)
    assert both.reason is Reason.BOTH_FULL
    assert both.text() == (
        "Receiver 1 holds 1 proposer it ranks higher than proposer 0: 1. "
        "Proposer 0 is full with 1 receiver it ranks higher than receiver 1: 0."
    )
    only = solve([[0, 1]], [[0], [0]], [1], [1, 1]).explain(0, 1)
    assert only.reason is Reason.PROPOSER_FULL
    assert only.text() == "Proposer 0 is full with 1 receiver it ranks higher than receiver 1: 0."


def test_matched_and_not_acceptable_reasons() -> None:
    """Matched pairs report ranks; one-sided and unlisted pairs are 'not mutually acceptable'."""
    result = solve(E_PREFS, V_PREFS, E_CAP, V_CAP)
    matched = result.explain(0, 1)
    assert matched.matched and matched.reason is Reason.MATCHED
    assert matched.text("enterprise", "village", _name) == (
        "Enterprise 华夏农业 and village 桃花村 are matched: village 桃花村 is no. 2 on enterprise "
        "华夏农业's list and enterprise 华夏农业 is no. 2 on village 桃花村's list."
    )
    one_sided = solve([[0]], [[]], [1], [1]).explain(0, 0)
    assert one_sided.reason is Reason.NOT_MUTUALLY_ACCEPTABLE
    assert one_sided.text() == "Not mutually acceptable: receiver 0 does not list proposer 0."
    other_way = solve([[]], [[0]], [1], [1]).explain(0, 0)
    assert other_way.text() == "Not mutually acceptable: proposer 0 does not list receiver 0."
    neither = solve([[]], [[]], [1], [1]).explain(0, 0)
    assert neither.text() == "Not mutually acceptable: neither proposer 0 nor receiver 0 lists the other."


def test_no_capacity_reason() -> None:
    """A pair with a zero-capacity side is explained by the missing places."""
    why = solve([[0]], [[0]], [1], [0]).explain(0, 0)
    assert why.reason is Reason.NO_CAPACITY
    assert why.text() == "Receiver 0 has no places (capacity 0)."
    both = solve([[0]], [[0]], [0], [0]).explain(0, 0)
    assert both.text() == "Proposer 0 and receiver 0 have no places (capacity 0)."


def test_override_explanations_show_the_blocking_pair() -> None:
    """For a manual override, the blocking pair is explained; unacceptable matches are flagged."""
    problem = Problem(E_PREFS, V_PREFS, E_CAP, V_CAP)
    override = [(0, 0), (1, 1), (2, 0)]
    assert problem.blocking_pairs(override) == [(1, 0)]
    why = problem.explain(1, 0, override)
    assert why.reason is Reason.BLOCKING_PAIR
    assert why.text("enterprise", "village", _name) == (
        "Enterprise 金山茶业 and village 柳树村 block this matching: each would rather be matched with "
        "the other (enterprise 金山茶业 ranks village 柳树村 above its partner 桃花村; village 柳树村 "
        "ranks enterprise 金山茶业 above its partner 华夏农业)."
    )
    flagged = Problem([[0]], [[]], [1], [1]).explain(0, 0, [(0, 0)])
    assert flagged.reason is Reason.MATCHED_NOT_ACCEPTABLE and flagged.matched
    assert flagged.text() == (
        "Proposer 0 and receiver 0 are matched, but not mutually acceptable: receiver 0 does not list proposer 0."
    )
    free = Problem([[0]], [[0]], [1], [1]).explain(0, 0, [])
    assert free.reason is Reason.BLOCKING_PAIR
    assert "proposer 0 has a free place; receiver 0 has a free place" in free.text()


def test_explain_rejects_unknown_agents() -> None:
    """Explaining an index out of range raises MatchingInputError."""
    result = solve([[0]], [[0]], [1], [1])
    with pytest.raises(MatchingInputError, match=r"proposer\[3\]: no such proposer"):
        result.explain(3, 0)
    with pytest.raises(MatchingInputError, match=r"receiver\[-1\]"):
        result.explain(0, -1)


@settings(max_examples=200, deadline=None)
@given(instances(max_proposers=6, max_receivers=6, max_capacity=3))
def test_every_pair_of_the_result_has_a_consistent_explanation(inst: Instance) -> None:
    """For the engine's matching, each pair's reason agrees with the matching and is never 'blocking'.

    Unmatched acceptable pairs with places are always explained by a side
    that is full with partners it ranks higher, and those partners are real.
    """
    result = solve(*inst.args)
    matched = set(result.pairs)
    acceptable = set(inst.acceptable())
    for i in range(len(inst.proposer_prefs)):
        for j in range(len(inst.receiver_prefs)):
            why = result.explain(i, j)
            assert why.matched == ((i, j) in matched)
            if (i, j) in matched:
                assert why.reason is Reason.MATCHED
            elif (i, j) not in acceptable:
                assert why.reason is Reason.NOT_MUTUALLY_ACCEPTABLE
            elif inst.proposer_capacity[i] == 0 or inst.receiver_capacity[j] == 0:
                assert why.reason is Reason.NO_CAPACITY
            else:
                assert why.reason in (Reason.PROPOSER_FULL, Reason.RECEIVER_FULL, Reason.BOTH_FULL)
                if why.reason is not Reason.PROPOSER_FULL:
                    held = why.receiver_side.preferred_partners
                    assert len(held) == inst.receiver_capacity[j]
                    assert set(held) == set(result.partners_of_receiver(j))
                if why.reason is not Reason.RECEIVER_FULL:
                    assert len(why.proposer_side.preferred_partners) == inst.proposer_capacity[i]
            assert why.text()


@settings(max_examples=200, deadline=None)
@given(instances(max_proposers=5, max_receivers=5, max_capacity=2), st.data())
def test_blocking_reason_iff_blocking_pair(inst: Instance, data: st.DataObject) -> None:
    """In any matching of acceptable pairs, a pair is explained as blocking exactly when it blocks."""
    acceptable = inst.acceptable()
    pairs = sorted(data.draw(st.lists(st.sampled_from(acceptable), unique=True))) if acceptable else []
    problem = Problem(*inst.args)
    blocking = set(blocking_pairs(*inst.args, pairs))
    for i, j in acceptable:
        why = problem.explain(i, j, pairs)
        assert (why.reason is Reason.BLOCKING_PAIR) == ((i, j) in blocking)
