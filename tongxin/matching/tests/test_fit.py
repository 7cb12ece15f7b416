"""Fit scoring, the grid candidate search and suggested preference lists."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongxin.matching import MatchingInputError
from tongxin.matching.fit import (
    DEFAULT_INDUSTRY_ADVANTAGES,
    SECTIONS,
    Enterprise,
    FitModel,
    FitWeights,
    Village,
    suggest_preferences,
    top_candidates,
)
from tongxin.matching.geo import Grid, great_circle_km, km_of_chord_squared, unit_vectors

NEEDS = ["sales-channels", "cold-chain", "capital", "training", "jobs", "e-commerce", "roads"]
ADVANTAGES = ["tea", "farmland", "scenery", "labour", "specialty-produce", "forest"]


def test_default_mapping_covers_every_gbt_4754_section() -> None:
    """The default industry mapping has an entry for each GB/T 4754 section A-T."""
    assert list(SECTIONS) == list("ABCDEFGHIJKLMNOPQRST")
    assert set(DEFAULT_INDUSTRY_ADVANTAGES) == set(SECTIONS)


def test_great_circle_distance() -> None:
    """Distances match the haversine formula (Beijing-Shanghai is about 1,067 km)."""
    assert great_circle_km(39.9042, 116.4074, 31.2304, 121.4737) == pytest.approx(1067.3, abs=1.0)
    assert great_circle_km(10, 179.9, 10, -179.9) == pytest.approx(21.9, abs=0.1)
    assert great_circle_km(45, 30, 45, 30) == 0.0


def test_score_parts_add_up_and_follow_the_definition() -> None:
    """Each part is its weight times need coverage, advantage overlap, proximity and capacity."""
    village = Village("v", 30.0, 110.0, frozenset({"capital", "cold-chain"}), frozenset({"tea", "scenery"}), 2)
    enterprise = Enterprise("e", 30.0, 110.5, frozenset({"capital", "jobs"}), "A", 5)
    weights = FitWeights(
        need=0.4, advantage=0.3, distance=0.2, capacity=0.1, distance_scale_km=40, capacity_saturation=4
    )
    model = FitModel([village], [enterprise], weights, {"A": {"tea", "forest", "farmland"}})
    fit = model.score("v", "e")
    km = great_circle_km(30.0, 110.0, 30.0, 110.5)
    assert fit.score.distance_km == pytest.approx(km)
    assert fit.score.need == pytest.approx(0.4 * 1 / 2)
    assert fit.score.advantage == pytest.approx(0.3 * 1 / 2)  # {tea} of min(2, 3)
    assert fit.score.distance == pytest.approx(0.2 * math.exp(-km / 40))
    assert fit.score.capacity == pytest.approx(0.1 * 2 / 4)
    parts = fit.score.need + fit.score.advantage + fit.score.distance + fit.score.capacity
    assert fit.score.total == pytest.approx(parts)
    assert fit.needs_met == {"capital"}
    assert fit.advantages_complemented == {"tea"}


def test_bad_fit_input_is_rejected() -> None:
    """Duplicate ids, bad industries, coordinates and capacities raise MatchingInputError."""
    v = Village("v", 30, 110)
    with pytest.raises(MatchingInputError, match=r"villages\['v'\]: id 'v' is used twice"):
        FitModel([v, v], [])
    with pytest.raises(MatchingInputError, match=r"enterprises\['e'\]: industry 'Z' is not a GB/T 4754"):
        FitModel([v], [Enterprise("e", 30, 110, industry="Z")])
    with pytest.raises(MatchingInputError, match=r"villages\['w'\]: coordinates \(95, 10\)"):
        FitModel([Village("w", 95, 10)], [])
    with pytest.raises(MatchingInputError, match=r"enterprises\['e'\]: capacity -1"):
        FitModel([v], [Enterprise("e", 30, 110, capacity=-1)])
    with pytest.raises(MatchingInputError, match=r"industry_advantages\['AB'\]"):
        FitModel([v], [], industry_advantages={"AB": {"tea"}})
    with pytest.raises(MatchingInputError, match=r"village\['x'\]: no such village"):
        FitModel([v], [Enterprise("e", 30, 110)]).score("x", "e")
    with pytest.raises(MatchingInputError, match=r"villages\['w'\]: needs must be a set of tag strings"):
        FitModel([Village("w", 30, 110, needs="roads")], [])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="k must be"):
        FitModel([v], []).top_enterprises(k=0)
    with pytest.raises(ValueError, match="distance_scale_km"):
        FitWeights(distance_scale_km=0)


def _agents(seed: int, n_v: int, n_e: int, spread: float) -> tuple[list[Village], list[Enterprise]]:
    rnd = random.Random(seed)
    sections = list(SECTIONS)

    def point() -> tuple[float, float]:
        return 30 + rnd.uniform(-spread, spread), 110 + rnd.uniform(-spread, spread)

    villages = [
        Village(
            f"v{k}",
            *point(),
            needs=frozenset(rnd.sample(NEEDS, rnd.randint(0, 3))),
            advantages=frozenset(rnd.sample(ADVANTAGES, rnd.randint(0, 2))),
            capacity=rnd.randint(0, 3),
        )
        for k in range(n_v)
    ]
    enterprises = [
        Enterprise(
            f"e{k}",
            *point(),
            offers=frozenset(rnd.sample(NEEDS, rnd.randint(0, 3))),
            industry=rnd.choice(sections),
            capacity=rnd.randint(0, 5),
        )
        for k in range(n_e)
    ]
    return villages, enterprises


def _brute_force(model: FitModel, village_rows: bool, row: int, radius: float | None, k: int) -> list[int]:
    n_v, n_e = len(model.villages), len(model.enterprises)
    if village_rows:
        cols = np.arange(n_e)
        total, *_, km = model._scores(np.full(n_e, row), cols)
        caps = np.array([e.capacity for e in model.enterprises])
    else:
        cols = np.arange(n_v)
        total, *_, km = model._scores(cols, np.full(n_v, row))
        caps = np.array([v.capacity for v in model.villages])
    ok = caps > 0
    if radius is not None:
        ok &= km <= radius
    cols = cols[ok]
    order = np.lexsort((cols, -total[ok]))
    best: list[int] = cols[order][:k].tolist()
    return best


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(1, 80),
    st.integers(1, 80),
    st.sampled_from([0.3, 1.5, 6.0]),
    st.integers(1, 8),
    st.booleans(),
)
def test_top_k_is_exact_within_the_searched_radius(
    seed: int, n_v: int, n_e: int, spread: float, k: int, village_rows: bool
) -> None:
    """Each row's candidates are exactly the k best partners within the radius it searched.

    Compared against scoring all pairs; rows flagged ``exact`` also equal the
    top k over all partners, at any distance.
    """
    villages, enterprises = _agents(seed, n_v, n_e, spread)
    model = FitModel(villages, enterprises)
    top = (
        model.top_enterprises(k, radius_km=20, max_radius_km=160)
        if village_rows
        else model.top_villages(k, radius_km=20, max_radius_km=160)
    )
    rows: list[Village] | list[Enterprise] = villages if village_rows else enterprises
    for r in range(len(rows)):
        agent = rows[r]
        got = top.index[r, : top.count[r]].tolist()
        if agent.capacity == 0:
            assert got == []
            continue
        assert got == _brute_force(model, village_rows, r, float(top.radius_km[r]), k)
        if top.count[r] < k:
            assert top.radius_km[r] == 160
        if top.exact[r]:
            assert got == _brute_force(model, village_rows, r, None, k)
        assert np.all(np.diff(top.total[r, : top.count[r]]) <= 0)


def test_scores_are_symmetric_and_candidates_carry_parts() -> None:
    """A pair has the same score in the village's and the enterprise's candidate lists."""
    villages, enterprises = _agents(7, 60, 50, 1.0)
    model = FitModel(villages, enterprises)
    by_village = model.top_enterprises(5)
    by_enterprise = model.top_villages(5)
    seen = 0
    for v in villages:
        for cand in by_village.candidates(v.id):
            for back in by_enterprise.candidates(cand.id):
                if back.id == v.id:
                    assert back.score == cand.score
                    seen += 1
            s = cand.score
            assert s.total == pytest.approx(s.need + s.advantage + s.distance + s.capacity)
            assert model.score(v.id, cand.id).score.total == pytest.approx(s.total)
    assert seen > 0
    assert by_village.ids(villages[0].id) == [c.id for c in by_village.candidates(villages[0].id)]
    with pytest.raises(MatchingInputError):
        by_village.ids("nobody")


def test_sparse_villages_search_further() -> None:
    """A remote village with no enterprise nearby gets candidates from a doubled radius."""
    villages = [Village("near", 30.0, 110.0, capacity=1), Village("remote", 40.0, 80.0, capacity=1)]
    enterprises = [Enterprise(f"e{k}", 30.0 + k * 0.01, 110.0) for k in range(3)] + [Enterprise("far", 41.0, 80.0)]
    top = top_candidates(villages, enterprises, k=1, radius_km=50, max_radius_km=3200)
    assert top.ids("near") == ["e0"] and top.ids("remote") == ["far"]
    assert top.radius_km.tolist() == [50.0, 200.0]  # "far" is 111 km away: 50 -> 100 -> 200
    two = top_candidates(villages, enterprises, k=2, radius_km=50, max_radius_km=3200)
    assert two.ids("near") == ["e0", "e1"]
    assert two.ids("remote") == ["far", "e0"]  # e0-e2 are ~2,900 km away and tie: input order
    assert two.radius_km.tolist() == [50.0, 3200.0]
    capped = top_candidates(villages, enterprises, k=2, radius_km=50, max_radius_km=400)
    assert capped.ids("remote") == ["far"] and capped.count.tolist() == [2, 1]
    by_enterprise = top_candidates(villages, enterprises, k=2, for_side="enterprises")
    assert by_enterprise.ids("far") == ["remote"] and by_enterprise.ids("e0") == ["near"]
    with pytest.raises(ValueError, match="for_side"):
        top_candidates(villages, enterprises, for_side="counties")


def test_suggestions_feed_the_matching() -> None:
    """Suggested lists are ordered by score; reciprocal lists make every pair mutually acceptable."""
    villages, enterprises = _agents(3, 80, 60, 0.8)
    plain = suggest_preferences(villages, enterprises, k=4)
    assert plain.village_prefs == plain.village_candidates.as_preferences()
    result = plain.match()
    assert result.check().is_stable
    both = suggest_preferences(villages, enterprises, k=4, reciprocal=True)
    result = both.match(proposing="villages")
    assert result.dropped_enterprise_entries == 0 and result.dropped_village_entries == 0
    model = FitModel(villages, enterprises)
    for vid, prefs in both.village_prefs.items():
        assert set(plain.village_prefs[vid]) <= set(prefs)
        scores = [model.score(vid, e).score.total for e in prefs]
        assert scores == sorted(scores, reverse=True)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-89.9, 89.9), st.floats(-180, 180)), min_size=1, max_size=60),
    st.tuples(st.floats(-89.9, 89.9), st.floats(-180, 180)),
    st.floats(5, 3000),
)
def test_grid_finds_every_point_within_the_radius(
    points: list[tuple[float, float]], query: tuple[float, float], radius: float
) -> None:
    """The grid neighbourhood contains all points within the radius, even across the date line and poles."""
    xyz = unit_vectors([p[0] for p in points], [p[1] for p in points])
    q = unit_vectors([query[0]], [query[1]])
    grid = Grid(xyz, radius / 2)
    found = set(grid.near(int(grid.codes(q)[0]), grid.reach(radius)).tolist())
    km = km_of_chord_squared(np.sum((xyz - q) ** 2, axis=1))
    assert {k for k in range(len(points)) if km[k] <= radius} <= found
