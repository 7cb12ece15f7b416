"""The id-keyed layer: ``match`` / ``Market`` with enterprise and village ids."""

from __future__ import annotations

from collections.abc import Hashable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongxin.matching import (
    InputProblem,
    Market,
    MarketReason,
    MatchingInputError,
    Proposing,
    UnknownIdError,
    match,
    solve,
)

from .helpers import Instance, instances

ENTERPRISE_PREFS = {
    "华夏农业": ["柳树村", "桃花村", "石门村"],
    "金山茶业": ["柳树村", "桃花村"],
    "绿源物流": ["柳树村", "石门村"],
}
VILLAGE_PREFS = {
    "柳树村": ["金山茶业", "绿源物流", "华夏农业"],
    "桃花村": ["华夏农业", "金山茶业"],
    "石门村": ["华夏农业"],
}
ENTERPRISE_CAPACITY = {"华夏农业": 2, "金山茶业": 1, "绿源物流": 1}
VILLAGE_CAPACITY = {"柳树村": 2, "桃花村": 1, "石门村": 1}


def _market() -> Market[str, str]:
    return Market(ENTERPRISE_PREFS, VILLAGE_PREFS, ENTERPRISE_CAPACITY, VILLAGE_CAPACITY)


def test_enterprises_proposing_example() -> None:
    """The worked example of docs/matching.md: pairs keyed by ids, in market order."""
    result = match(ENTERPRISE_PREFS, VILLAGE_PREFS, ENTERPRISE_CAPACITY, VILLAGE_CAPACITY)
    assert result.proposing is Proposing.ENTERPRISES
    assert result.pairs == [
        ("华夏农业", "桃花村"),
        ("华夏农业", "石门村"),
        ("金山茶业", "柳树村"),
        ("绿源物流", "柳树村"),
    ]
    assert result.villages_of("华夏农业") == ["桃花村", "石门村"]
    assert result.enterprises_of("柳树村") == ["金山茶业", "绿源物流"]
    assert result.unmatched_enterprises() == [] and result.unmatched_villages() == []
    # "Why not the village I ranked first?"
    first = result.explain_enterprise("华夏农业")[0]
    assert first.village == "柳树村" and first.reason is MarketReason.VILLAGE_FULL
    assert (
        first.text()
        == "Village 柳树村 holds 2 enterprises it ranks higher than enterprise 华夏农业: 金山茶业, 绿源物流."
    )
    assert [e.reason for e in result.explain_village("桃花村")] == [MarketReason.MATCHED, MarketReason.BOTH_FULL]


def test_either_side_can_propose() -> None:
    """Villages proposing gives the village-optimal matching (here the same unique stable matching)."""
    market = _market()
    by_enterprises = market.solve("enterprises")
    by_villages = market.solve(Proposing.VILLAGES)
    assert by_villages.proposing is Proposing.VILLAGES
    assert by_villages.pairs == by_enterprises.pairs
    assert market.is_stable(by_villages.pairs)
    assert "enterprises proposing" in repr(by_enterprises)


def test_sides_get_their_own_optimum() -> None:
    """With opposed preferences each proposing side gets its first choices."""
    e_prefs = {"A": ["x", "y"], "B": ["y", "x"]}
    v_prefs = {"x": ["B", "A"], "y": ["A", "B"]}
    caps_e, caps_v = {"A": 1, "B": 1}, {"x": 1, "y": 1}
    assert match(e_prefs, v_prefs, caps_e, caps_v, "enterprises").pairs == [("A", "x"), ("B", "y")]
    assert match(e_prefs, v_prefs, caps_e, caps_v, "villages").pairs == [("A", "y"), ("B", "x")]


def test_one_sided_entries_counted_and_missing_lists_are_empty() -> None:
    """One-sided entries are counted per side; agents without a list simply list nobody."""
    result = match({"A": ["x", "y"]}, {"x": ["A"], "z": ["A"]}, {"A": 1, "B": 1}, {"x": 1, "y": 1, "z": 1})
    assert result.pairs == [("A", "x")]
    assert result.dropped_enterprise_entries == 1  # A lists y, y does not list A
    assert result.dropped_village_entries == 1  # z lists A, A does not list z
    assert result.unmatched_enterprises() == ["B"]
    assert result.unmatched_villages() == ["y", "z"]
    why = result.explain("A", "z")
    assert why.reason is MarketReason.NOT_MUTUALLY_ACCEPTABLE
    assert why.text() == "Not mutually acceptable: enterprise A does not list village z."


def test_override_check_names_the_blocking_pair() -> None:
    """A county's manual override is checked and the blocking pair is named by ids."""
    result = _market().solve()
    # The county gives 柳树村's place of 绿源物流 to 华夏农业 (instead of 石门村).
    override = [("华夏农业", "柳树村"), ("华夏农业", "桃花村"), ("金山茶业", "柳树村")]
    report = result.check(override)
    assert report.blocking_pairs == [("绿源物流", "柳树村")]
    assert not report.is_stable and result.check().is_stable
    assert _market().blocking_pairs(override) == [("绿源物流", "柳树村")]
    assert not _market().is_stable(override)
    why = _market().explain("绿源物流", "柳树村", override)
    assert why.reason is MarketReason.BLOCKING_PAIR
    assert why.text() == (
        "Enterprise 绿源物流 and village 柳树村 block this matching: each would rather be matched with the other "
        "(enterprise 绿源物流 has a free place; village 柳树村 ranks enterprise 绿源物流 above its partner 华夏农业)."
    )
    bad = _market().check([("华夏农业", "石门村"), ("金山茶业", "石门村"), ("绿源物流", "桃花村")])
    assert bad.unacceptable_pairs == [("金山茶业", "石门村"), ("绿源物流", "桃花村")]
    assert bad.over_capacity_villages == ["石门村"] and bad.over_capacity_enterprises == []


def test_explanations_can_use_display_names() -> None:
    """``text`` accepts functions that turn ids into display names."""
    result = match({1: [10]}, {10: [1]}, {1: 1}, {10: 1})
    names = {1: "Huaxia Agriculture", 10: "Liushu Village"}
    assert result.explain(1, 10).text(names.__getitem__, names.__getitem__) == (
        "Enterprise Huaxia Agriculture and village Liushu Village are matched: village Liushu Village is no. 1 "
        "on enterprise Huaxia Agriculture's list and enterprise Huaxia Agriculture is no. 1 on village "
        "Liushu Village's list."
    )


@pytest.mark.parametrize(
    ("kwargs", "field", "index", "problem", "fragment"),
    [
        (
            {"enterprise_prefs": {"A": ["q"]}},
            "enterprise_prefs",
            "A",
            InputProblem.UNKNOWN_ID,
            "village 'q' is not a known village",
        ),
        (
            {"village_prefs": {"x": ["A", "Q"]}},
            "village_prefs",
            "x",
            InputProblem.UNKNOWN_ID,
            "enterprise 'Q' is not a known enterprise",
        ),
        (
            {"enterprise_prefs": {"Z": ["x"]}},
            "enterprise_prefs",
            "Z",
            InputProblem.UNKNOWN_ID,
            "not in enterprise_capacity",
        ),
        (
            {"enterprise_prefs": {"A": ["x", "y", "x"]}},
            "enterprise_prefs",
            "A",
            InputProblem.DUPLICATE,
            "village 'x' is listed more than once",
        ),
        (
            {"village_prefs": {"y": ["B", "B"]}},
            "village_prefs",
            "y",
            InputProblem.DUPLICATE,
            "enterprise 'B' is listed more than once",
        ),
        (
            {"enterprise_capacity": {"A": 1, "B": -2}},
            "enterprise_capacity",
            "B",
            InputProblem.NEGATIVE_CAPACITY,
            "capacity -2 is negative",
        ),
        (
            {"village_capacity": {"x": 1, "y": "2"}},
            "village_capacity",
            "y",
            InputProblem.NOT_AN_INTEGER,
            "not an integer",
        ),
        (
            {"enterprise_prefs": {"A": "xy"}},
            "enterprise_prefs",
            "A",
            InputProblem.BAD_VALUE,
            "expected a sequence of village ids",
        ),
    ],
)
def test_bad_input_names_side_id_and_problem(
    kwargs: dict[str, object], field: str, index: str, problem: InputProblem, fragment: str
) -> None:
    """Bad id-keyed input raises one MatchingInputError naming the side, the id and the problem."""
    args: dict[str, object] = {
        "enterprise_prefs": {"A": ["x"], "B": ["y"]},
        "village_prefs": {"x": ["A"], "y": ["B"]},
        "enterprise_capacity": {"A": 1, "B": 1},
        "village_capacity": {"x": 1, "y": 1},
    }
    args.update(kwargs)
    with pytest.raises(MatchingInputError) as info:
        match(**args)  # type: ignore[arg-type]
    error = info.value
    assert (error.field, error.index, error.problem) == (field, index, problem)
    assert fragment in str(error)
    assert str(error).startswith(f"{field}[{index!r}]")


def test_integer_ids_are_checked_like_any_other() -> None:
    """Integer ids take a vectorised path, with the same errors and the same int/float equivalence as dicts."""
    floats: dict[int, list[float]] = {1: [10, 20.0]}
    village_prefs: dict[float, list[int]] = {10: [1], 20: [1]}
    village_capacity: dict[float, int] = {10: 1, 20: 1}
    assert match(floats, village_prefs, {1: 2}, village_capacity).pairs == [(1, 10), (1, 20)]
    assert match({1: (10,)}, {10: [1]}, {1: 1}, {10: 1}).pairs == [(1, 10)]
    for bad in (30, 5, "10", None):
        with pytest.raises(MatchingInputError, match=rf"enterprise_prefs\[1\]: village {bad!r} is not a known village"):
            match({1: [10, bad]}, {10: [1]}, {1: 2}, {10: 1})  # type: ignore[misc]
    sparse = {0: 1, 10**12: 1}
    with pytest.raises(MatchingInputError, match=r"village 5 is not a known village"):
        match({1: [0, 5]}, {0: [1]}, {1: 2}, sparse)


def test_unknown_ids_in_queries() -> None:
    """Asking about an unknown enterprise or village raises UnknownIdError, a ValueError and a KeyError."""
    result = _market().solve()
    with pytest.raises(KeyError) as info:
        result.enterprises_of("nowhere")
    assert isinstance(info.value, UnknownIdError) and isinstance(info.value, ValueError)
    assert str(info.value) == "village['nowhere']: no such village"
    assert info.value.problem is InputProblem.UNKNOWN_ID
    with pytest.raises(MatchingInputError, match=r"enterprise\['nobody'\]: no such enterprise"):
        result.villages_of("nobody")
    with pytest.raises(MatchingInputError, match=r"village\['nowhere'\]"):
        result.explain("华夏农业", "nowhere")
    with pytest.raises(MatchingInputError, match=r"pairs\[0\]: village 'nowhere' is not in the market"):
        result.check([("华夏农业", "nowhere")])
    with pytest.raises(MatchingInputError, match=r"pairs\[0\]: enterprise 'x' is not in the market"):
        result.check([("x", "柳树村")])
    with pytest.raises(MatchingInputError, match=r"pairs\[0\]: 'abc' is not an \(enterprise, village\) pair"):
        result.check(["abc"])  # type: ignore[list-item]


@settings(max_examples=150, deadline=None)
@given(instances(max_proposers=6, max_receivers=6, max_capacity=3), st.sampled_from(["mixed", "dense", "sparse"]))
def test_id_layer_equals_index_core_for_both_proposing_sides(inst: Instance, style: str) -> None:
    """With any ids (tuples and strings, dense or sparse integers), ``match`` gives the index core's result."""
    n_e, n_v = len(inst.proposer_prefs), len(inst.receiver_prefs)
    e_ids: list[Hashable]
    v_ids: list[Hashable]
    if style == "mixed":
        e_ids = [("enterprise", i) for i in range(n_e)]
        v_ids = [f"V{j:03d}" for j in range(n_v)]
    elif style == "dense":  # database keys; the two sides' ranges overlap
        e_ids = [1000 + 2 * i for i in range(n_e)]
        v_ids = [1003 - j for j in range(n_v)]
    else:
        e_ids = [-(10**12) + 7 * i**3 for i in range(n_e)]
        v_ids = [10**15 * j for j in range(n_v)]
    e_prefs = {e_ids[i]: [v_ids[j] for j in lst] for i, lst in enumerate(inst.proposer_prefs)}
    v_prefs = {v_ids[j]: [e_ids[i] for i in lst] for j, lst in enumerate(inst.receiver_prefs)}
    e_cap = dict(zip(e_ids, inst.proposer_capacity, strict=True))
    v_cap = dict(zip(v_ids, inst.receiver_capacity, strict=True))
    market = Market(e_prefs, v_prefs, e_cap, v_cap)
    ours = market.solve(Proposing.ENTERPRISES).pairs
    assert ours == [(e_ids[i], v_ids[j]) for i, j in solve(*inst.args).pairs]
    theirs = market.solve(Proposing.VILLAGES).pairs
    assert theirs == [(e_ids[i], v_ids[j]) for i, j in sorted((i, j) for j, i in solve(*inst.swapped().args).pairs)]


DOC_ENTERPRISES = {
    "华夏农业": ["柳树村", "桃花村", "石门村"],
    "金山茶业": ["石门村", "桃花村"],
    "绿源物流": ["柳树村", "石门村", "桃花村"],
    "青山旅游": ["柳树村", "桃花村"],
}
DOC_VILLAGES = {
    "柳树村": ["华夏农业", "青山旅游", "绿源物流"],
    "桃花村": ["青山旅游", "绿源物流", "华夏农业"],
    "石门村": ["青山旅游", "华夏农业", "绿源物流"],
}
DOC_E_CAP = {"华夏农业": 2, "金山茶业": 1, "绿源物流": 1, "青山旅游": 1}
DOC_V_CAP = {"柳树村": 2, "桃花村": 1, "石门村": 1}


def test_docs_worked_example() -> None:
    """The worked example in docs/matching.md gives exactly the results printed there."""
    market = Market(DOC_ENTERPRISES, DOC_VILLAGES, DOC_E_CAP, DOC_V_CAP)
    result = market.solve("enterprises")
    assert result.pairs == [
        ("华夏农业", "柳树村"),
        ("华夏农业", "桃花村"),
        ("绿源物流", "石门村"),
        ("青山旅游", "柳树村"),
    ]
    assert (result.dropped_enterprise_entries, result.dropped_village_entries) == (2, 1)
    assert result.unmatched_enterprises() == ["金山茶业"]
    assert result.explain("绿源物流", "柳树村").text() == (
        "Village 柳树村 holds 2 enterprises it ranks higher than enterprise 绿源物流: 华夏农业, 青山旅游."
    )
    assert result.explain("华夏农业", "石门村").text() == (
        "Enterprise 华夏农业 is full with 2 villages it ranks higher than village 石门村: 柳树村, 桃花村."
    )
    assert result.explain("金山茶业", "石门村").text() == (
        "Not mutually acceptable: village 石门村 does not list enterprise 金山茶业."
    )
    by_villages = market.solve("villages")
    assert by_villages.pairs == [
        ("华夏农业", "柳树村"),
        ("华夏农业", "石门村"),
        ("绿源物流", "桃花村"),
        ("青山旅游", "柳树村"),
    ]
    assert market.is_stable(by_villages.pairs)
    override = [("华夏农业", "柳树村"), ("华夏农业", "石门村"), ("绿源物流", "柳树村"), ("青山旅游", "桃花村")]
    assert market.check(override).blocking_pairs == [("青山旅游", "柳树村")]
    assert market.explain("青山旅游", "柳树村", override).text() == (
        "Enterprise 青山旅游 and village 柳树村 block this matching: each would rather be matched with the other "
        "(enterprise 青山旅游 ranks village 柳树村 above its partner 桃花村; village 柳树村 ranks enterprise 青山旅游 "
        "above its partner 绿源物流)."
    )
