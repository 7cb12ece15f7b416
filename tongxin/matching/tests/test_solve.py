"""Examples and input validation of :func:`tongxin.matching.solve`."""

from __future__ import annotations

import numpy as np
import pytest

from tongxin.matching import InputProblem, MatchingInputError, Problem, solve
from tongxin.matching.reference import deferred_acceptance


def test_one_to_one_textbook_example() -> None:
    """Gale-Shapley's classic 3x3 example: proposers get their optimal stable partners."""
    men = [[0, 1, 2], [1, 0, 2], [0, 1, 2]]
    women = [[1, 0, 2], [0, 1, 2], [0, 1, 2]]
    result = solve(men, women, [1, 1, 1], [1, 1, 1])
    assert result.pairs == [(0, 0), (1, 1), (2, 2)]
    swapped = solve(women, men, [1, 1, 1], [1, 1, 1])
    assert sorted((j, i) for i, j in swapped.pairs) == [(0, 1), (1, 0), (2, 2)]


def test_many_to_many_with_capacities() -> None:
    """Capacities on both sides are respected and the proposer-optimal result is produced."""
    proposer_prefs = [[0, 1, 2], [0, 1], [0, 2]]
    receiver_prefs = [[2, 1, 0], [0, 1], [2, 0]]
    result = solve(proposer_prefs, receiver_prefs, [2, 1, 2], [2, 1, 1])
    # Round 1: receiver 0 gets proposers 0, 1, 2 and keeps 2 and 1; round 2:
    # proposer 0 tries receiver 2, which keeps proposer 2.
    assert result.pairs == [(0, 1), (1, 0), (2, 0), (2, 2)]
    assert result.pairs == deferred_acceptance(proposer_prefs, receiver_prefs, [2, 1, 2], [2, 1, 1])


def test_pairs_are_sorted_python_ints() -> None:
    """``result.pairs`` is a sorted list of tuples of plain ints."""
    result = solve([[1, 0], [0]], [[1, 0], [0]], [2, 1], [2, 1])
    assert result.pairs == sorted(result.pairs)
    assert all(type(x) is int for pair in result.pairs for x in pair)


def test_one_sided_entries_are_dropped_and_counted() -> None:
    """An entry not listed back is never matched and is counted per side."""
    result = solve([[0, 1], [1]], [[1], [0]], [1, 1], [1, 1])
    # Proposer 0 lists receiver 0, which does not list it; proposer 1 lists
    # receiver 1, which does not list it; receiver 0 lists proposer 1, not back.
    assert result.pairs == [(0, 1)]
    assert result.dropped_proposer_entries == 2
    assert result.dropped_receiver_entries == 1
    assert result.problem.one_sided_entries() == ([(0, 0), (1, 1)], [(1, 0)])


def test_zero_capacities_and_empty_market() -> None:
    """Agents with capacity 0 get nobody; empty markets give empty results."""
    assert solve([[0]], [[0]], [0], [1]).pairs == []
    assert solve([[0]], [[0]], [1], [0]).pairs == []
    assert solve([], [], [], []).pairs == []
    assert solve([[]], [], [3], []).pairs == []
    assert solve([], [[]], [], [2]).pairs == []


def test_accepts_tuples_ranges_and_numpy_integers() -> None:
    """Any sequences of integers work, including tuples, ranges and NumPy integers."""
    result = solve(
        ((0, 1), range(2)),
        [np.array([1, 0]), [np.int32(0), np.int64(1)]],  # type: ignore[list-item]
        (1, 1),
        [np.int64(1), 1],  # type: ignore[list-item]
    )
    # Both propose to receiver 0, which prefers proposer 1; proposer 0 moves on.
    assert result.pairs == [(0, 1), (1, 0)]


def test_result_is_independent_of_agent_numbering() -> None:
    """Renumbering receivers permutes the result and nothing else (determinism)."""
    p = [[0, 1, 2], [2, 1], [1, 0, 2], [0, 2]]
    r = [[3, 0, 1, 2], [1, 2, 0], [0, 1, 3, 2]]
    base = solve(p, r, [1, 2, 1, 2], [2, 1, 2])
    perm = [2, 0, 1]  # receiver j becomes perm[j]
    r2: list[list[int]] = [[] for _ in r]
    for j, lst in enumerate(r):
        r2[perm[j]] = lst
    cap2 = [0, 0, 0]
    for j, c in enumerate([2, 1, 2]):
        cap2[perm[j]] = c
    other = solve([[perm[j] for j in lst] for lst in p], r2, [1, 2, 1, 2], cap2)
    assert sorted((i, perm[j]) for i, j in base.pairs) == other.pairs


def test_result_helpers_and_stats() -> None:
    """Partners come back in each agent's order of preference; stats are reported."""
    result = solve([[2, 0, 1]], [[0], [0], [0]], [3], [1, 1, 1])
    assert result.partners_of_proposer(0) == [2, 0, 1]
    assert result.partners_of_receiver(1) == [0]
    assert result.rounds == 1 and result.proposals == 3
    assert result.check().is_stable
    assert "3 pairs" in repr(result)


@pytest.mark.parametrize(
    ("args", "field", "index", "problem", "fragment"),
    [
        (
            ([[0]], [[0]], [1, 1], [1]),
            "proposer_capacity",
            None,
            InputProblem.LENGTH_MISMATCH,
            "proposer_prefs has 1 lists but proposer_capacity has 2",
        ),
        (
            ([[0]], [[0]], [1], []),
            "receiver_capacity",
            None,
            InputProblem.LENGTH_MISMATCH,
            "receiver_prefs has 1 lists",
        ),
        (([[0]], [[0]], [-1], [1]), "proposer_capacity", 0, InputProblem.NEGATIVE_CAPACITY, "negative"),
        (([[0]], [[0]], [1], [1.5]), "receiver_capacity", 0, InputProblem.NOT_AN_INTEGER, "not an integer"),
        (
            ([[0], [1, 3]], [[0], [1]], [1, 1], [1, 1]),
            "proposer_prefs",
            1,
            InputProblem.OUT_OF_RANGE,
            "entry 1 is receiver 3, which is out of range",
        ),
        (([[0]], [[0], [-1]], [1], [1, 1]), "receiver_prefs", 1, InputProblem.OUT_OF_RANGE, "proposer -1"),
        (
            ([[0], [1, 0, 1]], [[0, 1], [1]], [1, 1], [1, 1]),
            "proposer_prefs",
            1,
            InputProblem.DUPLICATE,
            "receiver 1 is listed more than once (entries 0, 2)",
        ),
        (
            ([[0], [0]], [[1, 0, 1]], [1, 1], [1]),
            "receiver_prefs",
            0,
            InputProblem.DUPLICATE,
            "proposer 1 is listed more than once (entries 0, 2)",
        ),
        (([[0.0]], [[0]], [1], [1]), "proposer_prefs", 0, InputProblem.NOT_AN_INTEGER, "entry 0 is 0.0"),
        (([(0, "1")], [[0], [0]], [1], [1, 1]), "proposer_prefs", 0, InputProblem.NOT_AN_INTEGER, "entry 1 is '1'"),
        (([5], [[0]], [1], [1]), "proposer_prefs", 0, InputProblem.BAD_VALUE, "expected a sequence"),
        (([[2**70]], [[0]], [1], [1]), "proposer_prefs", 0, InputProblem.OUT_OF_RANGE, "out of range"),
    ],
)
def test_bad_input_raises_one_clear_value_error(
    args: tuple[object, object, object, object],
    field: str,
    index: int | None,
    problem: InputProblem,
    fragment: str,
) -> None:
    """Each kind of bad input raises a ValueError naming the side, the index and the problem."""
    with pytest.raises(ValueError) as info:
        solve(*args)  # type: ignore[arg-type]
    error = info.value
    assert isinstance(error, MatchingInputError)
    assert (error.field, error.index, error.problem) == (field, index, problem)
    assert fragment in str(error)
    assert str(error).startswith(field if index is None else f"{field}[{index}]")


def test_problem_queries() -> None:
    """A Problem exposes ranks, lists and the acceptable pairs; transposing swaps roles."""
    problem = Problem([[1, 0], [0]], [[0, 1], [1]], [1, 1], [1, 1])
    assert problem.rank_of_receiver(0, 0) == 1
    assert problem.rank_of_receiver(1, 1) is None
    assert problem.rank_of_proposer(0, 1) == 1
    assert problem.acceptable_pairs() == [(0, 0), (1, 0)]
    assert problem.n_acceptable_pairs == 2
    assert problem.proposer_list(0) == [1, 0]
    assert problem.receiver_list(1) == [1]
    swapped = problem.transposed()
    assert swapped.acceptable_pairs() == [(0, 0), (0, 1)]
    assert swapped.solve().pairs == [(0, 0)]
