"""Cross-check against the PyPI ``matching`` package (hospital-resident, many-to-one)."""

from __future__ import annotations

import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident  # type: ignore[import-untyped, unused-ignore]

from tongxin.matching import solve

from .helpers import Instance, instances


def _theirs(inst: Instance, optimal: str) -> list[tuple[int, int]]:
    """Solve with ``matching``: proposers are residents (capacity 1), receivers hospitals."""
    residents = {f"r{i}": [f"h{j}" for j in prefs] for i, prefs in enumerate(inst.proposer_prefs)}
    hospitals = {f"h{j}": [f"r{i}" for i in prefs] for j, prefs in enumerate(inst.receiver_prefs)}
    capacities = {f"h{j}": c for j, c in enumerate(inst.receiver_capacity)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities, clean=True)
        matching = game.solve(optimal=optimal)
    return sorted((int(r.name[1:]), int(h.name[1:])) for h, matched in matching.items() for r in matched)


def _many_to_one(inst: Instance) -> Instance:
    return Instance(
        inst.proposer_prefs,
        inst.receiver_prefs,
        [1] * len(inst.proposer_prefs),
        [max(1, c) for c in inst.receiver_capacity],
    )


@settings(max_examples=150, deadline=None)
@given(instances(max_proposers=9, max_receivers=5, max_capacity=3))
def test_resident_optimal_equals_matching_package(inst: Instance) -> None:
    """With residents (capacity 1) proposing, the result is identical to ``matching``'s."""
    inst = _many_to_one(inst)
    assert solve(*inst.args).pairs == _theirs(inst, "resident")


@settings(max_examples=150, deadline=None)
@given(instances(max_proposers=9, max_receivers=5, max_capacity=3))
def test_hospital_optimal_equals_matching_package(inst: Instance) -> None:
    """With hospitals proposing (roles exchanged), the result is identical to ``matching``'s."""
    inst = _many_to_one(inst)
    ours = solve(*inst.swapped().args).pairs
    assert sorted((i, j) for j, i in ours) == _theirs(inst, "hospital")


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_realistic_many_to_one_market_equals_matching_package(seed: int) -> None:
    """On a generated market with geography (villages of capacity 1), both agree."""
    from bench.matching_instances import make_market

    market = make_market(300, seed=seed, k=8, village_capacity=(1.0,))
    inst = Instance(market.village_prefs, market.enterprise_prefs, market.village_capacity, market.enterprise_capacity)
    assert solve(*inst.args).pairs == _theirs(inst, "resident")
