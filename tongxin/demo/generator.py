"""A deterministic generator of a fictional demo county (演示数据).

Pure Python, no Django: ``build_demo_county(seed)`` returns frozen dataclasses that the
Django side maps onto its models. The same seed always gives equal output (one
``random.Random`` instance, no global random state, no iteration over sets).

Everything is fictional and marked as such: the county is "同心示范县（演示）" with a code
that no real county has, enterprise names carry the demo county's name, and every mobile
number lies in the 1349 block (a satellite range, not a public mobile one; it still passes
the pragmatic mobile rule). The codes are *format-valid*: every division code, credit code
and mobile number passes ``tongxin.core.identifiers``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Final, Literal

from tongxin.core.identifiers import (
    USCC_ALPHABET,
    TownshipKind,
    VillageKind,
    make_uscc,
    township_kind,
    validate_county_code,
    village_kind,
)
from tongxin.demo import names

__all__ = [
    "ADVANTAGE_CODES",
    "DEMO_MOBILE_PREFIX",
    "DEMO_NOTICE",
    "INDUSTRY_SECTIONS",
    "NEED_CODES",
    "SIZES",
    "SURVEY_KINDS",
    "County",
    "DemoCounty",
    "Enterprise",
    "EnterpriseFigures",
    "Survey",
    "Township",
    "Village",
    "VillageFigures",
    "build_demo_county",
]

NEED_CODES: Final[list[str]] = [
    "industry", "agri_processing", "marketing", "ecommerce", "tourism", "infrastructure",
    "employment", "skills_training", "capital", "technology", "education", "health",
    "elderly_care", "culture", "environment", "party_building", "logistics", "collective_economy",
]  # fmt: skip
ADVANTAGE_CODES: Final[list[str]] = [
    "farmland", "forest", "water", "specialty_crops", "livestock", "scenery",
    "heritage", "transport", "labour", "location", "ecology", "handicraft",
]  # fmt: skip

Size = Literal["micro", "small", "medium", "large"]
SurveyKind = Literal["discussion", "visit", "questionnaire"]

#: GB/T 4754-2017 sections (the letters of enterprises.choices.Industry).
INDUSTRY_SECTIONS: Final = "ABCDEFGHIJKLMNOPQRST"
SIZES: Final[tuple[Size, ...]] = ("micro", "small", "medium", "large")
SURVEY_KINDS: Final[tuple[SurveyKind, ...]] = ("discussion", "visit", "questionnaire")

DEMO_NOTICE: Final = "本数据为虚构的演示数据，与任何真实地区、单位和个人无关。"
DEMO_MOBILE_PREFIX: Final = "1349"

_COUNTY_CODE: Final = "337021"  # Zhejiang, prefecture 70 (none exists), county 21
_COUNTY_SHORT: Final = "同心示范县"
_CENTRE: Final = (29.62, 119.35)
_SURVEY_START: Final = date(2024, 1, 1)
_AS_OF: Final = date(2026, 10, 31)

_SURNAMES: Final = [surname for surname, _ in names.SURNAMES]
_SURNAME_WEIGHTS: Final = [weight for _, weight in names.SURNAMES]
_INDUSTRY_ADVANTAGES: Final = dict(names.VILLAGE_INDUSTRIES)


# ---------------------------------------------------------------------------
# Output dataclasses
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class County:
    """The demo county, root of the tree. Coordinates in decimal degrees (WGS 84)."""

    code6: str
    name: str
    short_name: str
    province_code6: str
    province_name: str
    lat: Decimal
    lon: Decimal
    notice: str = DEMO_NOTICE
    is_demo: bool = True


@dataclass(frozen=True, slots=True)
class Township:
    """A street (街道), town (镇) or township (乡) of the demo county."""

    code12: str
    name: str
    kind: TownshipKind
    county_code6: str
    lat: Decimal
    lon: Decimal


@dataclass(frozen=True, slots=True)
class Village:
    """An administrative village (村民委员会) or community (社区) with its ledger profile.

    Money in yuan per year, area in km², coordinates in decimal degrees.
    """

    code12: str
    name: str
    township_code12: str
    kind: VillageKind
    urban_rural_code: str
    population: int
    households: int
    area_km2: Decimal
    per_capita_income_yuan: int
    collective_income_yuan: int
    industries: str
    needs: tuple[str, ...]
    advantages: tuple[str, ...]
    lat: Decimal
    lon: Decimal
    party_secretary: str
    party_secretary_mobile: str
    party_members: int
    party_notes: str


@dataclass(frozen=True, slots=True)
class Enterprise:
    """An enterprise, individual business or farmers' co-operative of the demo county.

    ``revenue_10k_yuan`` is annual revenue in units of 10,000 yuan (万元), one decimal.
    """

    uscc: str
    name: str
    township_code12: str
    industry_section: str
    main_business: str
    size: Size
    employees: int
    revenue_10k_yuan: Decimal
    has_party_org: bool
    offers: tuple[str, ...]
    contact_name: str
    contact_mobile: str
    address: str
    lat: Decimal
    lon: Decimal


@dataclass(frozen=True, slots=True)
class VillageFigures:
    """A village's profile figures on the day of a survey (yuan per year)."""

    population: int
    households: int
    per_capita_income_yuan: int
    collective_income_yuan: int
    party_members: int

    def as_dict(self) -> dict[str, int | float | bool]:
        """JSON-ready form (for a JSONField)."""
        return {
            "population": self.population,
            "households": self.households,
            "per_capita_income_yuan": self.per_capita_income_yuan,
            "collective_income_yuan": self.collective_income_yuan,
            "party_members": self.party_members,
        }


@dataclass(frozen=True, slots=True)
class EnterpriseFigures:
    """An enterprise's profile figures on the day of a survey (revenue in 10,000 yuan)."""

    employees: int
    revenue_10k_yuan: Decimal
    has_party_org: bool

    def as_dict(self) -> dict[str, int | float | bool]:
        """JSON-ready form (for a JSONField); the revenue becomes a float with one decimal."""
        return {
            "employees": self.employees,
            "revenue_10k_yuan": float(self.revenue_10k_yuan),
            "has_party_org": self.has_party_org,
        }


@dataclass(frozen=True, slots=True)
class Survey:
    """One survey of a village (``subject_code`` = its code12) or enterprise (its USCC)."""

    subject: Literal["village", "enterprise"]
    subject_code: str
    township_code12: str
    kind: SurveyKind
    date: dt.date
    surveyors: tuple[str, str]
    findings: str
    figures: VillageFigures | EnterpriseFigures


@dataclass(frozen=True, slots=True)
class DemoCounty:
    """The whole demo data set; ``as_of`` is the date the current profiles describe."""

    seed: int
    as_of: date
    county: County
    townships: tuple[Township, ...]
    villages: tuple[Village, ...]
    enterprises: tuple[Enterprise, ...]
    surveys: tuple[Survey, ...]


# ---------------------------------------------------------------------------
# Generation tables
# ---------------------------------------------------------------------------

#: size → (weight, employees range, revenue range in 10,000 yuan)
_SIZE_PROFILES: Final[dict[str, tuple[float, tuple[int, int], tuple[float, float]]]] = {
    "micro": (50, (3, 19), (30, 300)),
    "small": (34, (20, 299), (300, 2000)),
    "medium": (13, (300, 999), (2000, 40000)),
    "large": (3, (1000, 2500), (40000, 120000)),
}
_PARTY_ORG_RATE: Final[dict[str, float]] = {"micro": 0.08, "small": 0.35, "medium": 0.8, "large": 1.0}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _weighted_sample(rng: random.Random, weights: dict[str, float], k: int, order: Sequence[str]) -> tuple[str, ...]:
    """``k`` distinct keys drawn by weight, returned in the order of ``order``."""
    keys = [key for key in order if weights.get(key, 0) > 0]
    values = [weights[key] for key in keys]
    chosen: list[str] = []
    for _ in range(min(k, len(keys))):
        index = rng.choices(range(len(keys)), weights=values)[0]
        chosen.append(keys.pop(index))
        values.pop(index)
    return tuple(key for key in order if key in chosen)


def _degrees(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _stem(township_name: str) -> str:
    for suffix in ("街道", "镇", "乡"):
        if township_name.endswith(suffix):
            return township_name[: -len(suffix)]
    return township_name


@dataclass
class _Context:
    """Mutable state shared while generating (random source and uniqueness sets)."""

    rng: random.Random
    mobiles: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    usccs: set[str] = field(default_factory=set)

    def person(self) -> str:
        surname = self.rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]
        length = 1 if self.rng.random() < 0.25 else 2
        return surname + "".join(self.rng.choice(names.GIVEN_NAME_CHARS) for _ in range(length))

    def mobile(self) -> str:
        while True:
            number = DEMO_MOBILE_PREFIX + f"{self.rng.randrange(10_000_000):07d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def near(self, lat: Decimal, lon: Decimal, spread: float) -> tuple[Decimal, Decimal]:
        return (
            _degrees(float(lat) + self.rng.uniform(-spread, spread)),
            _degrees(float(lon) + self.rng.uniform(-spread, spread) * 1.15),
        )

    def unique_name(self, *candidates: str) -> str | None:
        for candidate in candidates:
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate
        return None


@dataclass(frozen=True, slots=True)
class _TownshipPlan:
    township: Township
    income_factor: float
    specialties: tuple[str, ...]


# ---------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------


def _build_county() -> County:
    return County(
        code6=validate_county_code(_COUNTY_CODE),
        name=f"{_COUNTY_SHORT}（演示）",
        short_name=_COUNTY_SHORT,
        province_code6="330000",
        province_name="浙江省",
        lat=_degrees(_CENTRE[0]),
        lon=_degrees(_CENTRE[1]),
    )


def _build_townships(ctx: _Context, county: County) -> list[_TownshipPlan]:
    rng = ctx.rng
    roster = (
        [(f"{n:03d}", name) for n, name in enumerate(rng.sample(names.STREET_NAMES, 3), start=1)]
        + [(f"{n:03d}", stem + "镇") for n, stem in enumerate(rng.sample(names.TOWN_STEMS, 7), start=101)]
        + [(f"{n:03d}", stem + "乡") for n, stem in enumerate(rng.sample(names.TOWNSHIP_STEMS, 5), start=201)]
    )
    products = list(_INDUSTRY_ADVANTAGES)
    sectors = list(range(12))  # towns and townships spread over 12 compass sectors
    rng.shuffle(sectors)
    plans = []
    for ttt, name in roster:
        code = county.code6 + ttt + "000"
        kind = township_kind(code)
        if kind == "street":
            radius, factor = rng.uniform(0.005, 0.03), rng.uniform(1.18, 1.28)
            angle = rng.uniform(0, 2 * math.pi)
        else:
            if kind == "town":
                radius, factor = rng.uniform(0.07, 0.18), rng.uniform(0.95, 1.10)
            else:
                radius, factor = rng.uniform(0.16, 0.26), rng.uniform(0.80, 0.90)
            angle = (sectors.pop() + rng.uniform(-0.3, 0.3)) * 2 * math.pi / 12
        township = Township(
            code12=code,
            name=name,
            kind=kind,
            county_code6=county.code6,
            lat=_degrees(_CENTRE[0] + radius * math.sin(angle)),
            lon=_degrees(_CENTRE[1] + radius * 1.15 * math.cos(angle)),
        )
        ctx.names.add(name)
        plans.append(_TownshipPlan(township, factor, tuple(rng.sample(products, 2))))
    return plans


def _village_roster(ctx: _Context, plan: _TownshipPlan) -> list[tuple[str, str]]:
    """(VVV, name) pairs: communities 001…, villages 201…."""
    rng, kind = ctx.rng, plan.township.kind
    if kind == "street":
        communities, villages = rng.randint(4, 6), rng.randint(4, 7)
    elif kind == "town":
        communities, villages = rng.randint(1, 2), rng.randint(15, 21)
    else:
        communities, villages = 0, rng.randint(13, 18)
    roster = []
    for number in range(1, communities + 1):
        first = _stem(plan.township.name) + "社区" if kind == "town" and number == 1 else ""
        name = ctx.unique_name(first) if first else None
        while name is None:
            name = ctx.unique_name(rng.choice(names.COMMUNITY_STEMS) + "社区")
        roster.append((f"{number:03d}", name))
    for number in range(201, 201 + villages):
        name = None
        while name is None:
            name = ctx.unique_name(rng.choice(names.VILLAGE_FIRST) + rng.choice(names.VILLAGE_SECOND) + "村")
        roster.append((f"{number:03d}", name))
    return roster


def _urban_rural(rng: random.Random, township: TownshipKind, kind: VillageKind, seat: bool) -> str:
    if kind == "community":
        if township == "street":
            return "111" if rng.random() < 0.7 else "112"
        return "121"
    if township == "street":
        return "112" if rng.random() < 0.6 else "220"
    if seat:
        return "122" if township == "town" else "210"
    return "220"


def _build_village(ctx: _Context, plan: _TownshipPlan, vvv: str, name: str, seat: bool) -> Village:
    rng, township = ctx.rng, plan.township
    code = township.code12[:9] + vvv
    kind = village_kind(code)
    community = kind == "community"
    if community:
        population = int(rng.triangular(1500, 4000, 2800))
        area = rng.uniform(0.3, 2.5)
        industries = rng.sample(names.COMMUNITY_INDUSTRIES, rng.randint(1, 2))
        advantage_weights = {"location": 5.0, "transport": 5.0, "labour": 4.0, "heritage": 1.0}
    else:
        small = township.kind == "township"
        population = int(rng.triangular(300, 3800, 1000 if small else 1500))
        area = rng.triangular(1.5, 18, 7 if small else 4.5)
        product_weights = {word: 6.0 if word in plan.specialties else 1.0 for word in _INDUSTRY_ADVANTAGES}
        count = rng.choices([1, 2, 3], weights=[3, 5, 2])[0]
        industries = list(_weighted_sample(rng, product_weights, count, list(_INDUSTRY_ADVANTAGES)))
        advantage_weights = dict.fromkeys(ADVANTAGE_CODES, 0.5)
        for word in industries:
            for advantage in _INDUSTRY_ADVANTAGES[word]:
                advantage_weights[advantage] += 4
        if seat or township.kind == "street":
            advantage_weights["location"] += 3
            advantage_weights["transport"] += 3
    income = 21_500 * plan.income_factor * (1.1 if community else 1.0) * rng.lognormvariate(0, 0.1)
    collective = rng.lognormvariate(math.log(110_000 * plan.income_factor**2), 0.75)
    need_weights = dict(names.COMMUNITY_NEED_WEIGHTS if community else names.VILLAGE_NEED_WEIGHTS)
    if not community:
        if names.TOURISM_INDUSTRIES.intersection(industries):
            need_weights["tourism"] += 6
        if collective < 80_000:
            need_weights["collective_economy"] += 6
    lat, lon = ctx.near(township.lat, township.lon, 0.012 if community else 0.045)
    party_members = round(_clamp(population * rng.uniform(0.025, 0.045), 10, 120))
    return Village(
        code12=code,
        name=name,
        township_code12=township.code12,
        kind=kind,
        urban_rural_code=_urban_rural(rng, township.kind, kind, seat),
        population=population,
        households=round(population / rng.uniform(2.9, 3.5)),
        area_km2=Decimal(f"{area:.2f}"),
        per_capita_income_yuan=int(round(_clamp(income, 12_000, 32_000), -1)),
        collective_income_yuan=int(round(_clamp(collective, 20_000, 800_000), -2)),
        industries="、".join(industries),
        needs=_weighted_sample(rng, need_weights, rng.randint(2, 4), NEED_CODES),
        advantages=_weighted_sample(rng, advantage_weights, rng.randint(1, 3), ADVANTAGE_CODES),
        lat=lat,
        lon=lon,
        party_secretary=ctx.person(),
        party_secretary_mobile=ctx.mobile(),
        party_members=party_members,
        party_notes=rng.choice(names.PARTY_NOTES).format(committee=rng.choice((3, 5, 5, 7))),
    )


def _uscc(ctx: _Context, authority_type: str, county: County) -> str:
    rng = ctx.rng
    while True:
        if rng.random() < 0.75:
            body = "MA2" + "".join(rng.choice(USCC_ALPHABET) for _ in range(5))
        else:
            body = "".join(rng.choice("0123456789") for _ in range(8))
        code = make_uscc(authority_type, county.code6, body)
        if code not in ctx.usccs:
            ctx.usccs.add(code)
            return code


def _enterprise_identity(
    ctx: _Context, county: County, township: Township
) -> tuple[str, str, str, str, Size, int, float]:
    """(authority_type, name, section, main business, size, employees, revenue in 10k yuan)."""
    rng, stem = ctx.rng, _stem(township.name)
    roll = rng.random()
    if roll < 0.20:  # individual business (个体工商户)
        shop, section, business = rng.choice(names.SHOPS)
        name = None
        while name is None:
            owner = rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]
            name = ctx.unique_name(
                f"{county.short_name}{township.name}{owner}记{shop}",
                f"{county.short_name}{township.name}{rng.choice(names.BRAND_WORDS)}{shop}",
            )
        return "92", name, section, business, "micro", rng.randint(1, 8), _log_uniform(rng, 3, 120)
    if roll < 0.28:  # farmers' specialised co-operative (农民专业合作社)
        product = rng.choice(names.COOP_PRODUCTS)
        name = None
        while name is None:
            name = ctx.unique_name(
                f"{county.short_name}{stem}{product}专业合作社",
                f"{county.short_name}{rng.choice(names.BRAND_WORDS)}{product}专业合作社",
            )
        size: Size = "small" if rng.random() < 0.2 else "micro"
        _, staff, revenue = _SIZE_PROFILES[size]
        employees = rng.randint(staff[0], min(staff[1], 60))
        return "93", name, "A", f"{product}生产与销售", size, employees, _log_uniform(rng, *revenue)
    section = rng.choices(list(names.SECTION_WEIGHTS), weights=list(names.SECTION_WEIGHTS.values()))[0]
    size = rng.choices(SIZES, weights=[profile[0] for profile in _SIZE_PROFILES.values()])[0]
    suffix = "股份有限公司" if size in ("medium", "large") and rng.random() < 0.4 else "有限公司"
    name = None
    while name is None:
        trade, business = rng.choice(names.TRADES[section])
        brand = rng.choice(names.BRAND_WORDS)
        style = rng.random()
        if style < 0.6:
            candidate = f"{county.short_name}{brand}{trade}{suffix}"
        elif style < 0.85:
            candidate = f"{brand}{trade}（{county.short_name}）{suffix}"
        else:
            candidate = f"{county.short_name}{stem}{trade}{suffix}"
        name = ctx.unique_name(candidate)
    _, staff, revenue = _SIZE_PROFILES[size]
    employees = min(staff[1], int(_log_uniform(rng, staff[0], staff[1] + 1)))
    return "91", name, section, business, size, employees, _log_uniform(rng, *revenue)


def _build_enterprise(ctx: _Context, county: County, township: Township, villages: Sequence[Village]) -> Enterprise:
    rng = ctx.rng
    authority_type, name, section, business, size, employees, revenue = _enterprise_identity(ctx, county, township)
    if authority_type == "92":
        party_rate = 0.02
    elif authority_type == "93":
        party_rate = 0.25
    else:
        party_rate = _PARTY_ORG_RATE[size]
    has_party_org = rng.random() < party_rate
    offer_weights = dict.fromkeys(NEED_CODES, 0.1)
    for code, weight in names.SECTION_OFFERS.get(section, {}).items():
        offer_weights[code] += weight
    if has_party_org:
        offer_weights["party_building"] += 2
    if size in ("medium", "large"):
        offer_weights["capital"] += 1.5
    most = {"micro": 2, "small": 3}.get(size, 4)
    least = 2 if size == "large" else 1
    if section in ("A", "C", "H") or authority_type != "91":
        place = rng.choice(villages).name if villages else ""
        address = f"{county.short_name}{township.name}{place}"
    else:
        address = f"{county.short_name}{township.name}{rng.choice(names.ROADS)}{rng.randint(1, 188)}号"
    lat, lon = ctx.near(township.lat, township.lon, 0.02)
    return Enterprise(
        uscc=_uscc(ctx, authority_type, county),
        name=name,
        township_code12=township.code12,
        industry_section=section,
        main_business=business,
        size=size,
        employees=max(1, employees),
        revenue_10k_yuan=max(Decimal("0.1"), Decimal(f"{revenue:.1f}")),
        has_party_org=has_party_org,
        offers=_weighted_sample(rng, offer_weights, rng.randint(least, most), NEED_CODES),
        contact_name=ctx.person(),
        contact_mobile=ctx.mobile(),
        address=address,
        lat=lat,
        lon=lon,
    )


def _survey_dates(rng: random.Random) -> list[date]:
    count = rng.choices([1, 2, 3], weights=[3, 4, 3])[0]
    span = (_AS_OF - _SURVEY_START).days
    return [_SURVEY_START + timedelta(days=offset) for offset in sorted(rng.sample(range(span + 1), count))]


def _years_before(day: date) -> float:
    return (_AS_OF - day).days / 365.25


def _village_surveys(ctx: _Context, village: Village, surveyors: Sequence[str]) -> list[Survey]:
    rng = ctx.rng
    growth, collective_growth = rng.uniform(0.04, 0.08), rng.uniform(0.02, 0.15)
    industry = village.industries.split("、")[0]
    surveys = []
    for day in _survey_dates(rng):
        years = _years_before(day)
        figures = VillageFigures(
            population=round(village.population * (1 + 0.004 * years)),
            households=round(village.households * (1 + 0.003 * years)),
            per_capita_income_yuan=int(round(village.per_capita_income_yuan / (1 + growth) ** years, -1)),
            collective_income_yuan=int(round(village.collective_income_yuan / (1 + collective_growth) ** years, -2)),
            party_members=max(10, village.party_members - int(years * rng.uniform(0, 2.5))),
        )
        findings = rng.choice(names.VILLAGE_FINDINGS).format(
            need=names.NEED_PHRASES[rng.choice(village.needs)],
            industry=industry,
            advantage=names.ADVANTAGE_PHRASES[rng.choice(village.advantages)],
        )
        kind = rng.choices(SURVEY_KINDS, weights=[4, 4, 2])[0]
        pair = rng.sample(list(surveyors), 2)
        surveys.append(
            Survey("village", village.code12, village.township_code12, kind, day, (pair[0], pair[1]), findings, figures)
        )
    return surveys


def _enterprise_surveys(ctx: _Context, enterprise: Enterprise, surveyors: Sequence[str]) -> list[Survey]:
    rng = ctx.rng
    staff_growth, revenue_growth = rng.uniform(-0.03, 0.10), rng.uniform(-0.05, 0.15)
    party_since = _SURVEY_START + timedelta(days=rng.randrange(900)) if rng.random() < 0.2 else _SURVEY_START
    surveys = []
    for day in _survey_dates(rng):
        years = _years_before(day)
        revenue = float(enterprise.revenue_10k_yuan) / (1 + revenue_growth) ** years
        figures = EnterpriseFigures(
            employees=max(1, round(enterprise.employees / (1 + staff_growth) ** years)),
            revenue_10k_yuan=max(Decimal("0.1"), Decimal(f"{revenue:.1f}")),
            has_party_org=enterprise.has_party_org and day >= party_since,
        )
        findings = rng.choice(names.ENTERPRISE_FINDINGS).format(
            offer=names.NEED_PHRASES[rng.choice(enterprise.offers)], business=enterprise.main_business
        )
        kind = rng.choices(SURVEY_KINDS, weights=[15, 50, 35])[0]
        pair = rng.sample(list(surveyors), 2)
        surveys.append(
            Survey(
                "enterprise",
                enterprise.uscc,
                enterprise.township_code12,
                kind,
                day,
                (pair[0], pair[1]),
                findings,
                figures,
            )
        )
    return surveys


def build_demo_county(seed: int = 2027) -> DemoCounty:
    """Generate the fictional demo county; equal seeds give equal output."""
    ctx = _Context(rng=random.Random(seed))
    rng = ctx.rng
    county = _build_county()
    plans = _build_townships(ctx, county)

    villages: list[Village] = []
    villages_by_township: dict[str, list[Village]] = {}
    for plan in plans:
        roster = _village_roster(ctx, plan)
        seat_vvv = next((vvv for vvv, _ in roster if int(vvv) >= 200), "")
        built = [_build_village(ctx, plan, vvv, name, vvv == seat_vvv) for vvv, name in roster]
        villages.extend(built)
        villages_by_township[plan.township.code12] = built

    township_weights = {"street": 2.2, "town": 1.2, "township": 0.6}
    enterprises = [
        _build_enterprise(ctx, county, plan.township, villages_by_township[plan.township.code12])
        for plan in rng.choices(
            plans, weights=[township_weights.get(p.township.kind, 1.0) for p in plans], k=rng.randint(580, 620)
        )
    ]

    surveyors = [ctx.person() for _ in range(10)]
    surveys = [s for village in villages for s in _village_surveys(ctx, village, surveyors)]
    surveys += [s for enterprise in enterprises for s in _enterprise_surveys(ctx, enterprise, surveyors)]
    surveys.sort(key=lambda s: (s.date, s.subject, s.subject_code))

    return DemoCounty(
        seed=seed,
        as_of=_AS_OF,
        county=county,
        townships=tuple(plan.township for plan in plans),
        villages=tuple(villages),
        enterprises=tuple(sorted(enterprises, key=lambda e: (e.township_code12, e.uscc))),
        surveys=tuple(surveys),
    )
