"""Tongxin's matching engine: two-way selection of enterprises and villages.

A pure, typed Python package (NumPy, no Django). The selection half of
"two-way selection combined with organisational examination and approval" is
a two-sided matching market: enterprises rank villages, villages rank
enterprises, and both may take several partners.

* :func:`solve` -- deferred acceptance on index-based preference lists; the
  proposer-optimal pairwise-stable matching of a many-to-many market with
  capacities on both sides (unique, deterministic).
* :func:`blocking_pairs`, :func:`is_stable`, :class:`Problem` -- check any
  matching, e.g. one with a county's manual override.
* :meth:`MatchResult.explain` -- why a pair is or is not matched.
* :func:`match` / :class:`Market` -- the same keyed by enterprise and village
  ids, choosing which side proposes.
* :mod:`tongxin.matching.fit` -- fit scores, top-k candidates and suggested
  preference lists from village needs/advantages and enterprise offers.

See ``docs/matching.md`` for the algorithm, its guarantees and benchmarks.
"""

from .errors import InputProblem, MatchingInputError, UnknownIdError
from .explain import Explanation, Reason, SideFacts
from .market import (
    Market,
    MarketExplanation,
    MarketReason,
    MarketReport,
    MarketResult,
    Proposing,
    match,
)
from .problem import (
    MatchResult,
    Problem,
    StabilityReport,
    blocking_pairs,
    is_stable,
    solve,
)

__all__ = [
    "Explanation",
    "InputProblem",
    "Market",
    "MarketExplanation",
    "MarketReason",
    "MarketReport",
    "MarketResult",
    "MatchResult",
    "MatchingInputError",
    "Problem",
    "Proposing",
    "Reason",
    "SideFacts",
    "StabilityReport",
    "UnknownIdError",
    "blocking_pairs",
    "is_stable",
    "match",
    "solve",
]
