"""``blocking_pairs`` / ``is_stable`` / ``Problem.check`` on arbitrary matchings (manual overrides)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongxin.matching import InputProblem, MatchingInputError, Problem, blocking_pairs, is_stable, solve

from .helpers import Instance, blocking_pairs_plain, instances, is_stable_plain

# Enterprises 0..2 propose to villages 0..2 (one each).
ENTERPRISES = [[0, 1, 2], [0, 2], [1, 0]]
VILLAGES = [[1, 0, 2], [2, 0], [0, 1]]
CAPS = ([1, 1, 1], [1, 1, 1])


def test_manual_override_creates_a_blocking_pair() -> None:
    """Moving one enterprise to another village is shown to create a blocking pair."""
    result = solve(ENTERPRISES, VILLAGES, *CAPS)
    assert is_stable(ENTERPRISES, VILLAGES, *CAPS, result.pairs)
    assert blocking_pairs(ENTERPRISES, VILLAGES, *CAPS, result.pairs) == []
    assert result.pairs == [(0, 2), (1, 0), (2, 1)]
    # The county swaps the villages of enterprises 0 and 1. Enterprise 1
    # prefers village 0 to village 2, and village 0 prefers enterprise 1 to
    # enterprise 0: they block the override.
    override = [(0, 0), (1, 2), (2, 1)]
    found = blocking_pairs(ENTERPRISES, VILLAGES, *CAPS, override)
    assert found == [(1, 0)]
    assert found == blocking_pairs_plain(Instance(ENTERPRISES, VILLAGES, *CAPS), override)
    assert not is_stable(ENTERPRISES, VILLAGES, *CAPS, override)


def test_report_lists_unacceptable_pairs_and_over_capacity_agents() -> None:
    """A check reports matched pairs that are not mutually acceptable and agents over capacity."""
    problem = Problem([[0], [0]], [[0, 1], []], [1, 1], [1, 1])
    report = problem.check([(0, 0), (1, 0), (1, 1)])
    assert report.unacceptable_pairs == [(1, 1)]
    assert report.over_capacity_receivers == [0]
    assert report.over_capacity_proposers == [1]
    assert not report.is_stable
    assert problem.check([(0, 0)]).is_stable


def test_bad_matchings_are_rejected_with_the_pair_index() -> None:
    """Out-of-range, malformed or repeated pairs raise a clear ValueError."""
    problem = Problem([[0]], [[0]], [1], [1])
    with pytest.raises(MatchingInputError, match=r"pairs\[1\]: \(0, 5\) is out of range") as info:
        problem.check([(0, 0), (0, 5)])
    assert info.value.problem is InputProblem.OUT_OF_RANGE
    with pytest.raises(MatchingInputError, match=r"pairs\[1\]: pair \(0, 0\) is listed more than once"):
        problem.check([(0, 0), (0, 0)])
    with pytest.raises(MatchingInputError, match=r"pairs\[0\]: .* is not a \(proposer index, receiver index\)"):
        problem.check([(0, 0.5)])  # type: ignore[list-item]
    with pytest.raises(MatchingInputError, match=r"pairs\[0\]"):
        problem.check([(0, 0, 0)])  # type: ignore[list-item]


@st.composite
def instances_with_matchings(draw: st.DrawFn) -> tuple[Instance, list[tuple[int, int]]]:
    """A random market and a random set of pairs (acceptable or not, any capacities)."""
    inst = draw(instances(max_proposers=6, max_receivers=6, max_capacity=3))
    all_pairs = [(i, j) for i in range(len(inst.proposer_prefs)) for j in range(len(inst.receiver_prefs))]
    acceptable = inst.acceptable()
    mostly_acceptable = st.lists(st.sampled_from(acceptable), unique=True) if acceptable else st.just([])
    anything = st.lists(st.sampled_from(all_pairs), unique=True) if all_pairs else st.just([])
    pairs = draw(st.one_of(mostly_acceptable, anything))
    return inst, sorted(pairs)


@settings(max_examples=200, deadline=None)
@given(instances_with_matchings())
def test_vectorised_check_equals_the_definition(case: tuple[Instance, list[tuple[int, int]]]) -> None:
    """For any set of pairs, the blocking pairs and stability verdict agree with the definition."""
    inst, pairs = case
    assert blocking_pairs(*inst.args, pairs) == blocking_pairs_plain(inst, pairs)
    assert is_stable(*inst.args, pairs) == is_stable_plain(inst, pairs)


@settings(max_examples=200, deadline=None)
@given(instances(max_proposers=6, max_receivers=6, max_capacity=3), st.data())
def test_removing_a_matched_pair_from_a_stable_matching_makes_it_block(inst: Instance, data: st.DataObject) -> None:
    """Dropping any pair of the engine's matching makes that pair a blocking pair."""
    pairs = solve(*inst.args).pairs
    if not pairs:
        return
    dropped = data.draw(st.sampled_from(pairs))
    assert dropped in blocking_pairs(*inst.args, [p for p in pairs if p != dropped])
