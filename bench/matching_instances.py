"""Realistic synthetic enterprise-village markets for the matching benchmark.

Geography: 31 provinces (approximate centroids, spreads and weights; the
east has relatively more enterprises), about 2,850 counties at national
scale (fewer, proportionally, for smaller markets), villages scattered
around county seats and enterprises concentrated near them.

Preferences are local: an agent's candidate pool is everything in its own
county and its nearest neighbouring counties, and it ranks candidates by a
random utility ``-distance / 15 km + q(v, e) + Gumbel noise``, keeping the
best ``k``. ``q`` is a pair quality shared by both sides (how well the two
fit, Gumbel distributed); the noise is private. So nearby and well-fitting
partners are likelier and ranked higher on both sides, yet lists differ
between neighbours, and many entries are one-sided (not listed back).

Capacities: villages 1-3 (50/30/20 %), enterprises 1-5 (30/25/20/15/10 %).
Everything is reproducible from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from tongxin.matching.fit import Enterprise, Village

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# name, latitude, longitude, spread (degrees), village weight, enterprise weight
PROVINCES: tuple[tuple[str, float, float, float, float, float], ...] = (
    ("Beijing", 40.1, 116.4, 0.35, 0.3, 2.5),
    ("Tianjin", 39.2, 117.3, 0.3, 0.3, 1.5),
    ("Hebei", 38.6, 115.6, 1.4, 6.0, 4.5),
    ("Shanxi", 37.6, 112.3, 1.3, 3.5, 2.0),
    ("Inner Mongolia", 42.3, 113.5, 3.0, 1.8, 1.2),
    ("Liaoning", 41.4, 122.7, 1.2, 2.2, 2.5),
    ("Jilin", 43.6, 126.1, 1.2, 1.7, 1.0),
    ("Heilongjiang", 46.8, 127.4, 1.8, 2.0, 1.2),
    ("Shanghai", 31.2, 121.4, 0.25, 0.2, 3.0),
    ("Jiangsu", 32.9, 119.5, 1.1, 3.5, 8.0),
    ("Zhejiang", 29.2, 120.2, 0.9, 3.0, 8.0),
    ("Anhui", 31.9, 117.2, 1.1, 4.5, 3.5),
    ("Fujian", 26.1, 118.0, 0.9, 2.5, 4.0),
    ("Jiangxi", 27.6, 115.7, 1.1, 3.0, 2.5),
    ("Shandong", 36.4, 118.2, 1.2, 6.5, 7.0),
    ("Henan", 33.9, 113.6, 1.2, 8.0, 5.0),
    ("Hubei", 30.9, 112.3, 1.3, 4.5, 3.5),
    ("Hunan", 27.6, 111.7, 1.2, 4.5, 3.0),
    ("Guangdong", 23.3, 113.5, 1.2, 3.5, 9.0),
    ("Guangxi", 23.7, 108.8, 1.4, 3.0, 2.0),
    ("Hainan", 19.2, 109.8, 0.45, 0.6, 0.6),
    ("Chongqing", 29.9, 107.6, 0.7, 1.5, 2.0),
    ("Sichuan", 30.4, 104.2, 1.6, 8.0, 4.0),
    ("Guizhou", 26.8, 106.8, 1.1, 3.0, 1.8),
    ("Yunnan", 24.9, 101.6, 1.6, 3.0, 2.0),
    ("Tibet", 30.5, 90.0, 2.5, 1.0, 0.3),
    ("Shaanxi", 34.6, 108.9, 1.4, 3.5, 2.5),
    ("Gansu", 36.3, 103.9, 2.0, 3.0, 1.0),
    ("Qinghai", 36.2, 98.0, 2.0, 0.8, 0.3),
    ("Ningxia", 37.4, 106.2, 0.6, 0.5, 0.4),
    ("Xinjiang", 42.5, 85.5, 3.5, 2.0, 1.0),
)

NATIONAL_VILLAGES = 127_000
NATIONAL_ENTERPRISES = 110_000
NATIONAL_COUNTIES = 2_850
EARTH_RADIUS_KM = 6371.0088


@dataclass
class Geography:
    """Where agents are: coordinates, county and province of every village and enterprise."""

    village_lat: FloatArray
    village_lon: FloatArray
    village_county: IntArray
    enterprise_lat: FloatArray
    enterprise_lon: FloatArray
    enterprise_county: IntArray
    county_province: IntArray
    county_lat: FloatArray
    county_lon: FloatArray


@dataclass
class MarketInstance:
    """A market in index form: villages ``0..n_v-1``, enterprises ``0..n_e-1``."""

    geography: Geography
    village_prefs: list[list[int]]
    enterprise_prefs: list[list[int]]
    village_capacity: list[int]
    enterprise_capacity: list[int]
    meta: dict[str, float] = field(default_factory=dict)

    @property
    def n_villages(self) -> int:
        return len(self.village_prefs)

    @property
    def n_enterprises(self) -> int:
        return len(self.enterprise_prefs)


def _unit(lat: FloatArray, lon: FloatArray) -> FloatArray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)), axis=-1)


def make_geography(n_villages: int, n_enterprises: int, rng: np.random.Generator) -> Geography:
    """Provinces, counties and agent coordinates for a market of the given size."""
    n_counties = max(3, round(NATIONAL_COUNTIES * n_villages / NATIONAL_VILLAGES))
    table = PROVINCES
    p_lat = np.array([p[1] for p in table])
    p_lon = np.array([p[2] for p in table])
    p_spread = np.array([p[3] for p in table])
    w_v = np.array([p[4] for p in table])
    w_e = np.array([p[5] for p in table])
    county_province = rng.choice(len(table), size=n_counties, p=w_v / w_v.sum())
    county_lat = p_lat[county_province] + rng.normal(0, 1, n_counties) * p_spread[county_province]
    county_lon = p_lon[county_province] + rng.normal(0, 1, n_counties) * p_spread[county_province] / np.cos(
        np.radians(county_lat)
    )
    # Counties differ in size; enterprises cluster in richer (eastern, urban) counties.
    size = rng.lognormal(0.0, 0.5, n_counties)
    richness = (w_e / w_v)[county_province] * rng.lognormal(0.0, 0.8, n_counties)
    v_county = rng.choice(n_counties, size=n_villages, p=size / size.sum())
    e_weight = size * richness
    e_county = rng.choice(n_counties, size=n_enterprises, p=e_weight / e_weight.sum())
    v_lat = county_lat[v_county] + rng.normal(0, 0.15, n_villages)
    v_lon = county_lon[v_county] + rng.normal(0, 0.15, n_villages) / np.cos(np.radians(v_lat))
    e_lat = county_lat[e_county] + rng.normal(0, 0.07, n_enterprises)
    e_lon = county_lon[e_county] + rng.normal(0, 0.07, n_enterprises) / np.cos(np.radians(e_lat))
    return Geography(
        village_lat=v_lat,
        village_lon=v_lon,
        village_county=v_county.astype(np.int64),
        enterprise_lat=e_lat,
        enterprise_lon=e_lon,
        enterprise_county=e_county.astype(np.int64),
        county_province=county_province.astype(np.int64),
        county_lat=county_lat,
        county_lon=county_lon,
    )


def _nearest_counties(geo: Geography, m: int) -> IntArray:
    """The ``m`` nearest other counties of every county (by seat distance)."""
    u = _unit(geo.county_lat, geo.county_lon)
    n = u.shape[0]
    m = min(m, n - 1)
    out = np.empty((n, m), dtype=np.int64)
    for start in range(0, n, 1024):
        d = -(u[start : start + 1024] @ u.T)
        rows = np.arange(d.shape[0])
        d[rows, start + rows] = np.inf
        part = np.argpartition(d, m, axis=1)[:, :m]
        order = np.argsort(np.take_along_axis(d, part, axis=1), axis=1)
        out[start : start + d.shape[0]] = np.take_along_axis(part, order, axis=1)
    return out


def _pair_quality(village: IntArray, enterprise: IntArray) -> FloatArray:
    """A Gumbel-distributed quality of each (village, enterprise) pair, the same from both sides.

    A splitmix64-style hash of the pair, so it needs no n_v x n_e table.
    """
    with np.errstate(over="ignore"):
        z = village.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + enterprise.astype(np.uint64) * np.uint64(
            0xD6E8FEB86659FD93
        )
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    u = ((z >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
    return -np.log(-np.log(u))


def _local_prefs(
    own_is_village: bool,
    own_county: IntArray,
    own_xyz: FloatArray,
    other_county: IntArray,
    other_xyz: FloatArray,
    neighbours: IntArray,
    k: int,
    rng: np.random.Generator,
    scale_km: float = 15.0,
) -> list[list[int]]:
    """Top-``k`` lists by random utility over the own and neighbouring counties' agents."""
    n_counties = neighbours.shape[0]
    other_order = np.argsort(other_county, kind="stable")
    other_start = np.searchsorted(other_county[other_order], np.arange(n_counties + 1))
    own_order = np.argsort(own_county, kind="stable")
    own_start = np.searchsorted(own_county[own_order], np.arange(n_counties + 1))
    prefs: list[list[int]] = [[] for _ in range(own_county.size)]
    for c in range(n_counties):
        rows = own_order[own_start[c] : own_start[c + 1]]
        if not rows.size:
            continue
        pool = np.concatenate([other_order[other_start[x] : other_start[x + 1]] for x in (c, *neighbours[c])])
        if not pool.size:
            continue
        chord = np.clip(2.0 - 2.0 * (own_xyz[rows] @ other_xyz[pool].T), 0.0, 4.0)
        dist = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(chord) / 2.0)
        if own_is_village:
            quality = _pair_quality(rows[:, None], pool[None, :])
        else:
            quality = _pair_quality(pool[None, :], rows[:, None])
        utility = -dist / scale_km + quality + rng.gumbel(size=dist.shape)
        kk = min(k, pool.size)
        if kk < pool.size:
            top = np.argpartition(-utility, kk - 1, axis=1)[:, :kk]
        else:
            top = np.broadcast_to(np.arange(pool.size), (rows.size, pool.size))
        order = np.argsort(-np.take_along_axis(utility, top, axis=1), axis=1)
        chosen = pool[np.take_along_axis(top, order, axis=1)]
        for r, lst in zip(rows.tolist(), chosen.tolist(), strict=True):
            prefs[r] = lst
    return prefs


def make_market(
    n_villages: int,
    n_enterprises: int | None = None,
    *,
    k: int = 20,
    seed: int = 0,
    neighbour_counties: int = 3,
    village_capacity: tuple[float, ...] = (0.5, 0.3, 0.2),
    enterprise_capacity: tuple[float, ...] = (0.3, 0.25, 0.2, 0.15, 0.1),
) -> MarketInstance:
    """A realistic market: ``n_villages`` villages, by default ``110/127`` as many enterprises.

    Capacity distributions give the probabilities of capacities ``1, 2, ...``;
    pass ``(1.0,)`` for unit capacities (a many-to-one market).
    """
    if n_enterprises is None:
        n_enterprises = round(n_villages * NATIONAL_ENTERPRISES / NATIONAL_VILLAGES)
    rng = np.random.default_rng(seed)
    geo = make_geography(n_villages, n_enterprises, rng)
    neighbours = _nearest_counties(geo, neighbour_counties)
    v_xyz = _unit(geo.village_lat, geo.village_lon)
    e_xyz = _unit(geo.enterprise_lat, geo.enterprise_lon)
    v_prefs = _local_prefs(True, geo.village_county, v_xyz, geo.enterprise_county, e_xyz, neighbours, k, rng)
    e_prefs = _local_prefs(False, geo.enterprise_county, e_xyz, geo.village_county, v_xyz, neighbours, k, rng)
    v_cap = 1 + rng.choice(len(village_capacity), size=n_villages, p=village_capacity)
    e_cap = 1 + rng.choice(len(enterprise_capacity), size=n_enterprises, p=enterprise_capacity)
    return MarketInstance(
        geography=geo,
        village_prefs=v_prefs,
        enterprise_prefs=e_prefs,
        village_capacity=v_cap.tolist(),
        enterprise_capacity=e_cap.tolist(),
    )


# Need/offer vocabulary (a village's weak links; what an enterprise brings)
# with relative frequencies among village needs.
NEED_TAGS: tuple[tuple[str, float], ...] = (
    ("sales-channels", 9.0),
    ("e-commerce", 6.0),
    ("cold-chain", 4.0),
    ("processing", 6.0),
    ("logistics", 4.0),
    ("capital", 8.0),
    ("technology", 6.0),
    ("training", 6.0),
    ("jobs", 8.0),
    ("infrastructure", 6.0),
    ("tourism-operation", 3.0),
    ("branding", 4.0),
    ("healthcare", 2.0),
    ("education", 2.0),
    ("elderly-care", 2.0),
    ("clean-energy", 1.5),
)
# Advantages (the fit module's default vocabulary) with relative frequencies.
ADVANTAGE_FREQ: tuple[tuple[str, float], ...] = (
    ("farmland", 8.0),
    ("forest", 4.0),
    ("grassland", 1.5),
    ("water", 3.0),
    ("specialty-produce", 8.0),
    ("livestock", 4.0),
    ("minerals", 1.0),
    ("renewable-energy", 1.5),
    ("land", 4.0),
    ("labour", 6.0),
    ("transport", 2.0),
    ("scenery", 3.0),
    ("heritage", 2.0),
    ("ecology", 2.0),
)
# GB/T 4754 sections of participating private enterprises (relative).
INDUSTRY_FREQ: tuple[tuple[str, float], ...] = (
    ("A", 14.0),
    ("B", 1.0),
    ("C", 28.0),
    ("D", 1.5),
    ("E", 8.0),
    ("F", 14.0),
    ("G", 4.0),
    ("H", 5.0),
    ("I", 5.0),
    ("J", 1.0),
    ("K", 3.0),
    ("L", 5.0),
    ("M", 3.0),
    ("N", 1.5),
    ("O", 1.5),
    ("P", 1.0),
    ("Q", 1.0),
    ("R", 2.0),
    ("S", 0.3),
    ("T", 0.2),
)


def _tag_sets(
    rng: np.random.Generator,
    vocabulary: tuple[tuple[str, float], ...],
    n: int,
    low: int,
    high: int,
) -> list[frozenset[str]]:
    names = [t for t, _ in vocabulary]
    weight = np.array([w for _, w in vocabulary])
    p = weight / weight.sum()
    sizes = rng.integers(low, high + 1, n)
    picks = rng.choice(len(names), size=(n, high), p=p)
    return [frozenset(names[x] for x in row[:size]) for row, size in zip(picks.tolist(), sizes.tolist(), strict=True)]


def make_fit_agents(
    n_villages: int, n_enterprises: int | None = None, *, seed: int = 0
) -> tuple[list[Village], list[Enterprise]]:
    """Villages and enterprises (``tongxin.matching.fit`` objects) on the realistic geography."""
    if n_enterprises is None:
        n_enterprises = round(n_villages * NATIONAL_ENTERPRISES / NATIONAL_VILLAGES)
    rng = np.random.default_rng(seed)
    geo = make_geography(n_villages, n_enterprises, rng)
    needs = _tag_sets(rng, NEED_TAGS, n_villages, 1, 4)
    advantages = _tag_sets(rng, ADVANTAGE_FREQ, n_villages, 1, 3)
    offers = _tag_sets(rng, NEED_TAGS, n_enterprises, 1, 4)
    sections = [s for s, _ in INDUSTRY_FREQ]
    sw = np.array([w for _, w in INDUSTRY_FREQ])
    industry = rng.choice(len(sections), size=n_enterprises, p=sw / sw.sum()).tolist()
    v_cap = (1 + rng.choice(3, size=n_villages, p=(0.5, 0.3, 0.2))).tolist()
    e_cap = (1 + rng.choice(5, size=n_enterprises, p=(0.3, 0.25, 0.2, 0.15, 0.1))).tolist()
    villages = [
        Village(f"V{k}", lat, lon, needs[k], advantages[k], v_cap[k])
        for k, (lat, lon) in enumerate(zip(geo.village_lat.tolist(), geo.village_lon.tolist(), strict=True))
    ]
    enterprises = [
        Enterprise(f"E{k}", lat, lon, offers[k], sections[industry[k]], e_cap[k])
        for k, (lat, lon) in enumerate(zip(geo.enterprise_lat.tolist(), geo.enterprise_lon.tolist(), strict=True))
    ]
    return villages, enterprises
