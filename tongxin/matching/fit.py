"""Fit scoring: which enterprises suit which villages, and suggested preference lists.

The article asks for a "scientific analysis of weak links and development
advantages". Here a village brings *needs* (its weak links, e.g.
``"cold-chain"``, ``"sales-channels"``) and *advantages* (e.g. ``"tea"``,
``"scenery"``); an enterprise brings *offers* (in the same vocabulary as
needs) and an *industry* (a GB/T 4754 section letter ``A``-``T``) that
complements some advantages. Tags are opaque strings: only equality matters.

Score of a (village, enterprise) pair, each part in ``[0, 1]`` and weighted
by :class:`FitWeights` (defaults sum to 1, so the total is in ``[0, 1]``):

* ``need`` -- share of the village's needs that the enterprise offers;
* ``advantage`` -- overlap of the village's advantages with those the
  enterprise's industry complements, relative to the smaller of the two sets;
* ``distance`` -- ``exp(-d / distance_scale_km)`` for great-circle distance ``d``;
* ``capacity`` -- ``min(village capacity, enterprise capacity, S) / S`` with
  ``S = capacity_saturation``: pairs where both sides can take several
  partners are more robust (a full side is what blocks most pairings).

The reported parts are the *weighted* contributions, so they add up to the
total.

Candidate search (sub-quadratic). Scoring all pairs nationally (about
127,000 x 110,000) is out of the question. Partners are bucketed in a 3-D
grid over unit vectors (:mod:`tongxin.matching.geo`) and each agent is scored
only against partners within ``radius_km`` (default 50 km). An agent with
fewer than ``k`` partners within that radius is searched again with the
radius doubled, up to ``max_radius_km`` (default 800 km). Within the radius
the result is exact: the ``k`` best-scoring partners, ties broken by input
order.

**What it may miss**: a partner beyond the searched radius whose needs and
advantages match so much better that it would outscore a nearer candidate,
e.g. an east-coast enterprise whose offers fit a western village perfectly
(east-west cooperation pairs). Such pairs must come from staff or the
organisational channel, or from a larger ``radius_km``. Every result row
carries ``radius_km`` (what was searched) and ``exact``: true where the
k-th score beats anything a partner beyond the radius could reach, which
proves the row equals the national top-k.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from ._arrays import BoolArray, IntArray
from .errors import InputProblem, MatchingInputError, UnknownIdError
from .geo import FloatArray, Grid, km_of_chord_squared, unit_vectors
from .market import MarketResult, Proposing, match

K = TypeVar("K", bound=Hashable)
C = TypeVar("C", bound=Hashable)
U64Array = npt.NDArray[np.uint64]

#: GB/T 4754-2017 sections (门类).
SECTIONS: Mapping[str, str] = MappingProxyType(
    {
        "A": "Agriculture, forestry, animal husbandry and fishery",
        "B": "Mining",
        "C": "Manufacturing",
        "D": "Electricity, heat, gas and water production and supply",
        "E": "Construction",
        "F": "Wholesale and retail trade",
        "G": "Transport, storage and postal services",
        "H": "Accommodation and catering",
        "I": "Information transmission, software and information technology services",
        "J": "Finance",
        "K": "Real estate",
        "L": "Leasing and business services",
        "M": "Scientific research and technical services",
        "N": "Water conservancy, environment and public facilities management",
        "O": "Resident services, repair and other services",
        "P": "Education",
        "Q": "Health and social work",
        "R": "Culture, sports and entertainment",
        "S": "Public administration, social security and social organisations",
        "T": "International organisations",
    }
)

#: Default advantage vocabulary used by :data:`DEFAULT_INDUSTRY_ADVANTAGES`.
ADVANTAGE_TAGS: tuple[str, ...] = (
    "farmland",
    "forest",
    "grassland",
    "water",
    "specialty-produce",
    "livestock",
    "minerals",
    "renewable-energy",
    "land",
    "labour",
    "transport",
    "scenery",
    "heritage",
    "ecology",
)

#: Which village advantages each industry section complements (the default).
DEFAULT_INDUSTRY_ADVANTAGES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "A": frozenset({"farmland", "forest", "grassland", "water", "specialty-produce", "livestock"}),
        "B": frozenset({"minerals", "land"}),
        "C": frozenset({"specialty-produce", "livestock", "labour", "land", "transport"}),
        "D": frozenset({"renewable-energy", "water", "land"}),
        "E": frozenset({"land", "labour"}),
        "F": frozenset({"specialty-produce", "livestock", "transport"}),
        "G": frozenset({"transport", "specialty-produce"}),
        "H": frozenset({"scenery", "heritage", "specialty-produce"}),
        "I": frozenset({"specialty-produce", "labour"}),
        "J": frozenset({"land", "farmland"}),
        "K": frozenset({"land", "scenery"}),
        "L": frozenset({"labour", "specialty-produce", "heritage"}),
        "M": frozenset({"farmland", "specialty-produce", "livestock", "ecology"}),
        "N": frozenset({"water", "ecology", "forest"}),
        "O": frozenset({"labour"}),
        "P": frozenset({"labour", "heritage"}),
        "Q": frozenset({"labour", "ecology"}),
        "R": frozenset({"scenery", "heritage", "ecology"}),
        "S": frozenset({"labour", "heritage"}),
        "T": frozenset(),
    }
)


@dataclass(frozen=True, slots=True)
class Village:
    """A village: where it is, its needs (weak links), advantages and capacity."""

    id: Hashable
    lat: float
    lon: float
    needs: frozenset[str] = frozenset()
    advantages: frozenset[str] = frozenset()
    capacity: int = 1


@dataclass(frozen=True, slots=True)
class Enterprise:
    """An enterprise: where it is, what it offers, its industry section and capacity."""

    id: Hashable
    lat: float
    lon: float
    offers: frozenset[str] = frozenset()
    industry: str = "C"
    capacity: int = 1


@dataclass(frozen=True, slots=True)
class FitWeights:
    """Weights of the score parts and the scales they use."""

    need: float = 0.45
    advantage: float = 0.20
    distance: float = 0.30
    capacity: float = 0.05
    distance_scale_km: float = 50.0
    capacity_saturation: int = 3

    def __post_init__(self) -> None:
        for name in ("need", "advantage", "distance", "capacity"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"FitWeights.{name} must be >= 0")
        if not self.distance_scale_km > 0:
            raise ValueError("FitWeights.distance_scale_km must be > 0")
        if self.capacity_saturation < 1:
            raise ValueError("FitWeights.capacity_saturation must be >= 1")


@dataclass(frozen=True, slots=True)
class FitScore:
    """A pair's score broken into weighted parts (``total`` is their sum)."""

    total: float
    need: float
    advantage: float
    distance: float
    capacity: float
    distance_km: float


@dataclass(frozen=True, slots=True)
class PairFit:
    """The score of one (village, enterprise) pair with the tags behind it."""

    village: Hashable
    enterprise: Hashable
    score: FitScore
    needs_met: frozenset[str]
    advantages_complemented: frozenset[str]


@dataclass(frozen=True, slots=True)
class Candidate(Generic[C]):
    """One suggested partner: its id, 0-based rank and score."""

    id: C
    rank: int
    score: FitScore


@dataclass(frozen=True, slots=True)
class _Side:
    """Array form of one side: positions, capacities and tag bit masks."""

    x: FloatArray
    y: FloatArray
    z: FloatArray
    capacity: IntArray
    cap_part: FloatArray  # min(capacity, S) / S
    need_bits: U64Array  # (n, words): needs (villages) or offers (enterprises)
    adv_bits: U64Array  # (n, words): advantages (villages) or complemented (enterprises)
    inv_needs: FloatArray  # 1 / number of needs (villages), 0 if none
    n_adv: IntArray  # number of advantages / complemented advantages

    @property
    def xyz(self) -> FloatArray:
        return np.stack((self.x, self.y, self.z), axis=-1)


class _Vocabulary:
    def __init__(self) -> None:
        self.bit: dict[str, int] = {}
        self._cache: dict[frozenset[str], int] = {}

    def mask(self, tags: frozenset[str]) -> int:
        found = self._cache.get(tags)
        if found is not None:
            return found
        m = 0
        for tag in tags:
            b = self.bit.get(tag)
            if b is None:
                b = self.bit[tag] = len(self.bit)
            m |= 1 << b
        self._cache[tags] = m
        return m

    def words(self) -> int:
        return max(1, math.ceil(len(self.bit) / 64))


def _bits(masks: list[int], words: int) -> U64Array:
    out = np.zeros((len(masks), words), dtype=np.uint64)
    full = (1 << 64) - 1
    for w in range(words):
        out[:, w] = np.array([(m >> (64 * w)) & full for m in masks], dtype=np.uint64)
    return out


def _popcount(a: U64Array, b: U64Array) -> IntArray:
    """Bits set in ``a & b`` (broadcast over all but the last, word, axis)."""
    counts: IntArray = np.bitwise_count(a[..., 0] & b[..., 0]).astype(np.int64)
    for w in range(1, a.shape[-1]):
        counts += np.bitwise_count(a[..., w] & b[..., w])
    return counts


@dataclass
class TopK(Generic[K, C]):
    """The top-k candidates of every row agent, in array form.

    Row ``r`` (the agent ``row_ids[r]``) has ``count[r]`` candidates;
    ``index[r, :count[r]]`` are their positions in ``col_ids``, best first,
    and the score arrays hold their total and weighted parts (padding is
    ``-1`` / ``nan``). ``radius_km[r]`` is the radius searched and
    ``exact[r]`` is true where the row provably equals the national top-k.
    """

    row_ids: list[K]
    col_ids: list[C]
    index: IntArray
    total: FloatArray
    need: FloatArray
    advantage: FloatArray
    distance: FloatArray
    capacity: FloatArray
    distance_km: FloatArray
    count: IntArray
    radius_km: FloatArray
    exact: BoolArray
    _row_of: dict[K, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._row_of = {rid: r for r, rid in enumerate(self.row_ids)}

    def row(self, row_id: K) -> int:
        """Row number of an agent."""
        try:
            return self._row_of[row_id]
        except KeyError:
            raise UnknownIdError("id", row_id, "no such agent", value=row_id) from None

    def ids(self, row_id: K) -> list[C]:
        """Candidate ids of an agent, best first."""
        r = self.row(row_id)
        return [self.col_ids[c] for c in self.index[r, : self.count[r]].tolist()]

    def candidates(self, row_id: K) -> list[Candidate[C]]:
        """Candidates of an agent with their scores broken into parts, best first."""
        r = self.row(row_id)
        out = []
        for j in range(int(self.count[r])):
            out.append(
                Candidate(
                    id=self.col_ids[int(self.index[r, j])],
                    rank=j,
                    score=FitScore(
                        total=float(self.total[r, j]),
                        need=float(self.need[r, j]),
                        advantage=float(self.advantage[r, j]),
                        distance=float(self.distance[r, j]),
                        capacity=float(self.capacity[r, j]),
                        distance_km=float(self.distance_km[r, j]),
                    ),
                )
            )
        return out

    def as_preferences(self) -> dict[K, list[C]]:
        """Every agent's candidate ids, best first: a suggested preference list."""
        cols = self.col_ids
        return {
            rid: [cols[c] for c in row[:n]]
            for rid, row, n in zip(self.row_ids, self.index.tolist(), self.count.tolist(), strict=True)
        }


@dataclass
class Suggestions(Generic[K, C]):
    """Suggested preference lists for both sides, ready for :func:`~tongxin.matching.match`.

    ``village_prefs`` and ``enterprise_prefs`` map ids to lists of partner ids,
    best first. With ``reciprocal=True`` every list also contains the partners
    that listed the agent, so every suggested pair is mutually acceptable.
    """

    village_prefs: dict[K, list[C]]
    enterprise_prefs: dict[C, list[K]]
    village_capacity: dict[K, int]
    enterprise_capacity: dict[C, int]
    village_candidates: TopK[K, C]
    enterprise_candidates: TopK[C, K]

    def match(self, proposing: Proposing | str = Proposing.ENTERPRISES) -> MarketResult[C, K]:
        """Run the matching on the suggested lists."""
        return match(
            self.enterprise_prefs,
            self.village_prefs,
            self.enterprise_capacity,
            self.village_capacity,
            proposing=proposing,
        )


class FitModel:
    """Villages and enterprises converted once for scoring and candidate search.

    Raises :class:`~tongxin.matching.errors.MatchingInputError` for a
    duplicate id, a coordinate out of range, a negative capacity or an
    industry that is not a GB/T 4754 section letter ``A``-``T``.
    """

    def __init__(
        self,
        villages: Sequence[Village],
        enterprises: Sequence[Enterprise],
        weights: FitWeights | None = None,
        industry_advantages: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.villages = list(villages)
        self.enterprises = list(enterprises)
        self.weights = weights or FitWeights()
        mapping = DEFAULT_INDUSTRY_ADVANTAGES if industry_advantages is None else industry_advantages
        for section in mapping:
            if section not in SECTIONS:
                raise MatchingInputError(
                    "industry_advantages",
                    section,
                    InputProblem.BAD_VALUE,
                    "not a GB/T 4754 section letter A-T",
                    value=section,
                )
        self.industry_advantages: dict[str, frozenset[str]] = {s: frozenset(mapping.get(s, ())) for s in SECTIONS}
        self.village_ids = _ids(self.villages, "villages")
        self.enterprise_ids = _ids(self.enterprises, "enterprises")
        self._v_row = {v: k for k, v in enumerate(self.village_ids)}
        self._e_row = {e: k for k, e in enumerate(self.enterprise_ids)}
        needs = _Vocabulary()
        advantages = _Vocabulary()
        v_need = [needs.mask(_tags(v.needs, "villages", v.id, "needs")) for v in self.villages]
        e_need = [needs.mask(_tags(e.offers, "enterprises", e.id, "offers")) for e in self.enterprises]
        v_adv = [advantages.mask(_tags(v.advantages, "villages", v.id, "advantages")) for v in self.villages]
        for e in self.enterprises:
            if e.industry not in SECTIONS:
                raise MatchingInputError(
                    "enterprises",
                    e.id,
                    InputProblem.BAD_VALUE,
                    f"industry {e.industry!r} is not a GB/T 4754 section letter A-T",
                    value=e.industry,
                )
        section_mask = {s: advantages.mask(tags) for s, tags in self.industry_advantages.items()}
        e_adv = [section_mask[e.industry] for e in self.enterprises]
        s = self.weights.capacity_saturation
        self._v = self._side(self.villages, "villages", v_need, v_adv, needs, advantages, s)
        self._e = self._side(self.enterprises, "enterprises", e_need, e_adv, needs, advantages, s)

    @staticmethod
    def _side(
        agents: Sequence[Village | Enterprise],
        field_name: str,
        need_masks: list[int],
        adv_masks: list[int],
        needs: _Vocabulary,
        advantages: _Vocabulary,
        saturation: int,
    ) -> _Side:
        n = len(agents)
        lat = np.fromiter((a.lat for a in agents), dtype=np.float64, count=n)
        lon = np.fromiter((a.lon for a in agents), dtype=np.float64, count=n)
        bad = np.flatnonzero(~((np.abs(lat) <= 90) & (np.abs(lon) <= 180)))
        if bad.size:
            wrong = agents[int(bad[0])]
            raise MatchingInputError(
                field_name,
                wrong.id,
                InputProblem.OUT_OF_RANGE,
                f"coordinates ({wrong.lat}, {wrong.lon}) are not a latitude/longitude in degrees",
                value=(wrong.lat, wrong.lon),
            )
        caps = np.zeros(n, dtype=np.int64)
        for k, a in enumerate(agents):
            if not isinstance(a.capacity, int) or a.capacity < 0:
                raise MatchingInputError(
                    field_name,
                    a.id,
                    InputProblem.NEGATIVE_CAPACITY,
                    f"capacity {a.capacity!r} is not an integer >= 0",
                    value=a.capacity,
                )
            caps[k] = a.capacity
        xyz = unit_vectors(lat, lon)
        adv_bits = _bits(adv_masks, advantages.words())
        need_bits = _bits(need_masks, needs.words())
        n_needs = _popcount(need_bits, need_bits).astype(np.float64)
        return _Side(
            x=np.ascontiguousarray(xyz[:, 0]),
            y=np.ascontiguousarray(xyz[:, 1]),
            z=np.ascontiguousarray(xyz[:, 2]),
            capacity=caps,
            cap_part=np.minimum(caps, saturation) / saturation,
            need_bits=need_bits,
            adv_bits=adv_bits,
            inv_needs=np.divide(1.0, n_needs, out=np.zeros(n), where=n_needs > 0),
            n_adv=_popcount(adv_bits, adv_bits),
        )

    # ----------------------------------------------------------------- scoring

    def _scores(
        self, v: IntArray, e: IntArray
    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        """Weighted parts, total and distance for index arrays ``v``, ``e`` (broadcast).

        The same element-wise operations, in the same order, whatever the
        shapes, so a pair scores identically from either side.
        """
        w = self.weights
        V, E = self._v, self._e
        dot = V.x[v] * E.x[e] + V.y[v] * E.y[e] + V.z[v] * E.z[e]
        km = km_of_chord_squared(2.0 - 2.0 * dot)
        need = _popcount(V.need_bits[v], E.need_bits[e]) * V.inv_needs[v] * w.need
        smaller = np.maximum(np.minimum(V.n_adv[v], E.n_adv[e]), 1)
        advantage = _popcount(V.adv_bits[v], E.adv_bits[e]) / smaller * w.advantage
        distance = np.exp(km * (-1.0 / w.distance_scale_km)) * w.distance
        capacity = np.minimum(V.cap_part[v], E.cap_part[e]) * w.capacity
        total = need + advantage + distance + capacity
        return total, need, advantage, distance, capacity, km

    def score(self, village: Hashable, enterprise: Hashable) -> PairFit:
        """Score one pair, with the needs met and advantages complemented."""
        vk = self._v_row.get(village)
        ek = self._e_row.get(enterprise)
        if vk is None:
            raise UnknownIdError("village", village, "no such village", value=village)
        if ek is None:
            raise UnknownIdError("enterprise", enterprise, "no such enterprise", value=enterprise)
        parts = self._scores(np.array([vk]), np.array([ek]))
        total, need, advantage, distance, capacity, km = (float(p[0]) for p in parts)
        v, e = self.villages[vk], self.enterprises[ek]
        return PairFit(
            village=village,
            enterprise=enterprise,
            score=FitScore(total, need, advantage, distance, capacity, km),
            needs_met=frozenset(v.needs) & frozenset(e.offers),
            advantages_complemented=frozenset(v.advantages) & self.industry_advantages[e.industry],
        )

    # ---------------------------------------------------------------- top-k

    def top_enterprises(
        self, k: int = 20, radius_km: float = 50.0, max_radius_km: float = 800.0
    ) -> TopK[Hashable, Hashable]:
        """The ``k`` best enterprises for every village (see the module docstring)."""
        return self._top(True, k, radius_km, max_radius_km)

    def top_villages(
        self, k: int = 20, radius_km: float = 50.0, max_radius_km: float = 800.0
    ) -> TopK[Hashable, Hashable]:
        """The ``k`` best villages for every enterprise (see the module docstring)."""
        return self._top(False, k, radius_km, max_radius_km)

    def suggest(
        self,
        k: int = 20,
        radius_km: float = 50.0,
        max_radius_km: float = 800.0,
        reciprocal: bool = False,
    ) -> Suggestions[Hashable, Hashable]:
        """Suggested preference lists: each side's top-``k`` partners by score.

        Without ``reciprocal`` a pair listed by one side only is one-sided and
        will be dropped by the matching (and counted). With ``reciprocal=True``
        each list is extended by the partners that listed the agent, ordered
        by score, so that every suggested pair is mutually acceptable.
        """
        by_village = self.top_enterprises(k, radius_km, max_radius_km)
        by_enterprise = self.top_villages(k, radius_km, max_radius_km)
        if reciprocal:
            v_prefs, e_prefs = self._reciprocal(by_village, by_enterprise)
        else:
            v_prefs = by_village.as_preferences()
            e_prefs = by_enterprise.as_preferences()
        return Suggestions(
            village_prefs=v_prefs,
            enterprise_prefs=e_prefs,
            village_capacity={v.id: v.capacity for v in self.villages},
            enterprise_capacity={e.id: e.capacity for e in self.enterprises},
            village_candidates=by_village,
            enterprise_candidates=by_enterprise,
        )

    def _reciprocal(
        self, by_village: TopK[Hashable, Hashable], by_enterprise: TopK[Hashable, Hashable]
    ) -> tuple[dict[Hashable, list[Hashable]], dict[Hashable, list[Hashable]]]:
        n_e = len(self.enterprises)
        rows_v = np.repeat(np.arange(len(self.villages)), by_village.count)
        cols_v = by_village.index[by_village.index >= 0]
        tot_v = by_village.total[by_village.index >= 0]
        rows_e = np.repeat(np.arange(n_e), by_enterprise.count)
        cols_e = by_enterprise.index[by_enterprise.index >= 0]
        tot_e = by_enterprise.total[by_enterprise.index >= 0]
        v = np.concatenate((rows_v, cols_e))
        e = np.concatenate((cols_v, rows_e))
        total = np.concatenate((tot_v, tot_e))
        _, first = np.unique(v * n_e + e, return_index=True)
        v, e, total = v[first], e[first], total[first]
        vid, eid = self.village_ids, self.enterprise_ids
        v_prefs: dict[Hashable, list[Hashable]] = {x: [] for x in vid}
        for a, b in zip(*(arr.tolist() for arr in _ordered(v, e, total)), strict=True):
            v_prefs[vid[a]].append(eid[b])
        e_prefs: dict[Hashable, list[Hashable]] = {x: [] for x in eid}
        for a, b in zip(*(arr.tolist() for arr in _ordered(e, v, total)), strict=True):
            e_prefs[eid[a]].append(vid[b])
        return v_prefs, e_prefs

    def _top(self, village_rows: bool, k: int, radius_km: float, max_radius_km: float) -> TopK[Hashable, Hashable]:
        if k < 1:
            raise ValueError("k must be >= 1")
        if not 0 < radius_km <= max_radius_km:
            raise ValueError("need 0 < radius_km <= max_radius_km")
        rows, cols = (self._v, self._e) if village_rows else (self._e, self._v)
        n_rows = rows.capacity.size
        out_index = np.full((n_rows, k), -1, dtype=np.int64)
        out_total = np.full((n_rows, k), np.nan)
        parts = [np.full((n_rows, k), np.nan) for _ in range(5)]
        count = np.zeros(n_rows, dtype=np.int64)
        searched = np.zeros(n_rows)
        eligible_cols = np.flatnonzero(cols.capacity > 0)
        pending = np.flatnonzero(rows.capacity > 0)
        row_xyz, col_xyz = rows.xyz, cols.xyz
        radius = radius_km
        while pending.size:
            grid = Grid(col_xyz[eligible_cols], radius / 2.0)
            reach = grid.reach(radius)
            row_grid = Grid(row_xyz[pending], radius / 2.0)
            for code, members in row_grid.groups():
                cand = eligible_cols[grid.near(code, reach)]
                members = pending[members]
                searched[members] = radius
                if not cand.size:
                    continue
                step = max(1, 2_000_000 // cand.size)
                for start in range(0, members.size, step):
                    self._fill(
                        village_rows,
                        members[start : start + step],
                        cand,
                        radius,
                        k,
                        out_index,
                        out_total,
                        parts,
                        count,
                    )
            if radius >= max_radius_km:
                break
            pending = pending[count[pending] < k]
            radius = min(radius * 2.0, max_radius_km)
        exact = self._exact(rows, village_rows, count, out_total, searched, k)
        row_ids, col_ids = (
            (self.village_ids, self.enterprise_ids) if village_rows else (self.enterprise_ids, self.village_ids)
        )
        need, advantage, distance, capacity, km = parts
        return TopK(
            row_ids=row_ids,
            col_ids=col_ids,
            index=out_index,
            total=out_total,
            need=need,
            advantage=advantage,
            distance=distance,
            capacity=capacity,
            distance_km=km,
            count=count,
            radius_km=searched,
            exact=exact,
        )

    def _fill(
        self,
        village_rows: bool,
        members: IntArray,
        cand: IntArray,
        radius_km: float,
        k: int,
        out_index: IntArray,
        out_total: FloatArray,
        parts: list[FloatArray],
        count: IntArray,
    ) -> None:
        """Score ``members`` x ``cand`` and store each member's top ``k`` (ties: lower index)."""
        r = members[:, None]
        c = cand[None, :]
        v, e = (r, c) if village_rows else (c, r)
        total, *_, km = self._scores(v, e)
        total[km > radius_km] = -np.inf
        n_cand = cand.size
        if n_cand > k:
            kth = np.partition(total, n_cand - k, axis=1)[:, n_cand - k : n_cand - k + 1]
            greater = total > kth
            tied = total == kth
            room = k - greater.sum(axis=1, keepdims=True)
            take = greater | (tied & (np.cumsum(tied, axis=1) <= room))
        else:
            take = np.ones(total.shape, dtype=np.bool_)
        take &= total > -np.inf
        row, col = np.nonzero(take)
        score = total[row, col]
        order = np.lexsort((col, -score, row))
        row, col = row[order], col[order]
        counts = np.bincount(row, minlength=members.size)
        starts = np.cumsum(counts) - counts
        rank = np.arange(row.size) - np.repeat(starts, counts)
        target = members[row]
        partner = cand[col]
        out_index[target, rank] = partner
        v2, e2 = (target, partner) if village_rows else (partner, target)
        sel_total, need, advantage, distance, capacity, km2 = self._scores(v2, e2)
        out_total[target, rank] = sel_total
        for arr, values in zip(parts, (need, advantage, distance, capacity, km2), strict=True):
            arr[target, rank] = values
        count[members] = counts

    def _exact(
        self,
        rows: _Side,
        village_rows: bool,
        count: IntArray,
        total: FloatArray,
        searched: FloatArray,
        k: int,
    ) -> BoolArray:
        """Rows whose k-th score beats any partner beyond the searched radius."""
        w = self.weights
        if village_rows:
            need_max = (rows.inv_needs > 0) * w.need
        else:  # an enterprise can meet all of a village's needs if it offers anything
            need_max = (_popcount(rows.need_bits, rows.need_bits) > 0) * w.need
        adv_max = (rows.n_adv > 0) * w.advantage
        bound = need_max + adv_max + rows.cap_part * w.capacity + np.exp(-searched / w.distance_scale_km) * w.distance
        kth = np.where(count >= k, total[:, k - 1], -np.inf)
        exact: BoolArray = kth > bound
        return exact


def _tags(value: Iterable[str], field_name: str, agent: Hashable, what: str) -> frozenset[str]:
    """A tag set; a bare string is refused (it would be read as a set of letters)."""
    if isinstance(value, str) or not all(isinstance(tag, str) for tag in value):
        raise MatchingInputError(
            field_name,
            agent,
            InputProblem.BAD_VALUE,
            f"{what} must be a set of tag strings, got {value!r}",
            value=value,
        )
    return value if isinstance(value, frozenset) else frozenset(value)


def _ordered(owner: IntArray, partner: IntArray, total: FloatArray) -> tuple[IntArray, IntArray]:
    order = np.lexsort((partner, -total, owner))
    return owner[order], partner[order]


def _ids(agents: Sequence[Village | Enterprise], field_name: str) -> list[Hashable]:
    ids = [a.id for a in agents]
    seen: set[Hashable] = set()
    for a in ids:
        if a in seen:
            raise MatchingInputError(field_name, a, InputProblem.DUPLICATE, f"id {a!r} is used twice", value=a)
        seen.add(a)
    return ids


def top_candidates(
    villages: Sequence[Village],
    enterprises: Sequence[Enterprise],
    k: int = 20,
    *,
    for_side: str = "villages",
    radius_km: float = 50.0,
    max_radius_km: float = 800.0,
    weights: FitWeights | None = None,
    industry_advantages: Mapping[str, Iterable[str]] | None = None,
) -> TopK[Hashable, Hashable]:
    """Top-``k`` partners for every village (``for_side="villages"``) or enterprise.

    See the module docstring for the score, the search and what it may miss.
    """
    model = FitModel(villages, enterprises, weights, industry_advantages)
    if for_side == "villages":
        return model.top_enterprises(k, radius_km, max_radius_km)
    if for_side == "enterprises":
        return model.top_villages(k, radius_km, max_radius_km)
    raise ValueError("for_side must be 'villages' or 'enterprises'")


def suggest_preferences(
    villages: Sequence[Village],
    enterprises: Sequence[Enterprise],
    k: int = 20,
    *,
    radius_km: float = 50.0,
    max_radius_km: float = 800.0,
    reciprocal: bool = False,
    weights: FitWeights | None = None,
    industry_advantages: Mapping[str, Iterable[str]] | None = None,
) -> Suggestions[Hashable, Hashable]:
    """Suggested preference lists for both sides (see :meth:`FitModel.suggest`)."""
    model = FitModel(villages, enterprises, weights, industry_advantages)
    return model.suggest(k, radius_km, max_radius_km, reciprocal)
