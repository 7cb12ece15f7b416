"""Tests of the demo county generator: determinism, ranges and valid identifiers."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tongxin.core import identifiers as ids
from tongxin.demo import names
from tongxin.demo.generator import (
    ADVANTAGE_CODES,
    DEMO_MOBILE_PREFIX,
    INDUSTRY_SECTIONS,
    NEED_CODES,
    SIZES,
    SURVEY_KINDS,
    DemoCounty,
    EnterpriseFigures,
    VillageFigures,
    build_demo_county,
)

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def demo() -> DemoCounty:
    return build_demo_county()


def digest(county: DemoCounty) -> str:
    return hashlib.sha256(repr(county).encode()).hexdigest()


def test_same_seed_gives_equal_output() -> None:
    """Two runs with the same seed produce equal data; another seed produces different data."""
    assert build_demo_county(7) == build_demo_county(7)
    assert build_demo_county() == build_demo_county(2027)
    assert build_demo_county(7) != build_demo_county(8)


def test_output_does_not_depend_on_hash_seed_or_global_random() -> None:
    """The output is equal across processes with different PYTHONHASHSEED and ignores random.seed()."""
    import random

    random.seed(1)
    expected = digest(build_demo_county())
    random.seed(2)
    assert digest(build_demo_county()) == expected
    script = (
        "import hashlib; from tongxin.demo.generator import build_demo_county; "
        "print(hashlib.sha256(repr(build_demo_county()).encode()).hexdigest())"
    )
    for hash_seed in ("1", "987"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == expected


def test_runs_well_under_a_second() -> None:
    """Building the whole county takes well under one second."""
    start = time.perf_counter()
    build_demo_county(11)
    assert time.perf_counter() - start < 1.0


def test_vocabularies_are_the_agreed_codes() -> None:
    """NEED_CODES and ADVANTAGE_CODES are exactly the controlled vocabularies, in order."""
    assert NEED_CODES == [
        "industry", "agri_processing", "marketing", "ecommerce", "tourism", "infrastructure",
        "employment", "skills_training", "capital", "technology", "education", "health",
        "elderly_care", "culture", "environment", "party_building", "logistics", "collective_economy",
    ]  # fmt: skip
    assert ADVANTAGE_CODES == [
        "farmland", "forest", "water", "specialty_crops", "livestock", "scenery",
        "heritage", "transport", "labour", "location", "ecology", "handicraft",
    ]  # fmt: skip
    assert set(names.NEED_PHRASES) == set(NEED_CODES)
    assert set(names.ADVANTAGE_PHRASES) == set(ADVANTAGE_CODES)
    related = {code for _, codes in names.VILLAGE_INDUSTRIES for code in codes}
    assert related <= set(ADVANTAGE_CODES)


def test_county_is_marked_demo_and_valid(demo: DemoCounty) -> None:
    """The county is clearly demo data, has a structurally valid code and lies in mainland China."""
    county = demo.county
    assert "演示" in county.name and county.is_demo and "虚构" in county.notice
    assert ids.validate_county_code(county.code6) == county.code6
    assert county.province_code6 == county.code6[:2] + "0000"
    assert ids.MAINLAND_PROVINCES[county.code6[:2]] == county.province_name
    assert 18 < county.lat < 54 and 73 < county.lon < 135


def test_counts_are_in_range(demo: DemoCounty) -> None:
    """About 15 townships, 250 villages (≈16 per township), 600 enterprises and 1–3 surveys each."""
    assert 12 <= len(demo.townships) <= 18
    assert 200 <= len(demo.villages) <= 300
    assert 500 <= len(demo.enterprises) <= 700
    per_township = Counter(v.township_code12 for v in demo.villages)
    assert all(8 <= n <= 25 for n in per_township.values())
    per_subject = Counter((s.subject, s.subject_code) for s in demo.surveys)
    assert set(per_subject) == {("village", v.code12) for v in demo.villages} | {
        ("enterprise", e.uscc) for e in demo.enterprises
    }
    assert all(1 <= n <= 3 for n in per_subject.values())


def test_townships_are_valid_children_of_the_county(demo: DemoCounty) -> None:
    """Township codes validate with the county as parent and mix streets, towns and townships."""
    for township in demo.townships:
        code = ids.validate_division_code(township.code12, level="township", parent=demo.county.code6)
        assert township.county_code6 == demo.county.code6
        assert township.kind == ids.township_kind(code)
        suffix = {"street": "街道", "town": "镇", "township": "乡"}[township.kind]
        assert township.name.endswith(suffix)
        assert abs(township.lat - demo.county.lat) < 0.4 and abs(township.lon - demo.county.lon) < 0.4
    assert {t.kind for t in demo.townships} == {"street", "town", "township"}
    assert len({t.code12 for t in demo.townships}) == len(demo.townships)
    assert len({t.name for t in demo.townships}) == len(demo.townships)


def test_village_codes_are_valid_unique_and_pairable(demo: DemoCounty) -> None:
    """Village codes validate under their township, are unique, never 498/598, mostly villagers' committees."""
    townships = {t.code12: t for t in demo.townships}
    for village in demo.villages:
        code = ids.validate_division_code(village.code12, level="village", parent=village.township_code12)
        assert code[:9] == village.township_code12[:9] and village.township_code12 in townships
        assert village.kind == ids.village_kind(code)
        assert village.kind in ("village", "community")
        assert code[9:] not in ("498", "598") and not ids.is_virtual_village_code(code)
        assert ids.is_pairable_village_code(code) == (village.kind == "village")
    assert len({v.code12 for v in demo.villages}) == len(demo.villages)
    assert len({v.name for v in demo.villages}) == len(demo.villages)
    kinds = Counter(v.kind for v in demo.villages)
    assert kinds["village"] > 0.75 * len(demo.villages) and kinds["community"] >= 5


def test_village_profiles_are_in_range(demo: DemoCounty) -> None:
    """Population, households, income, area, party figures and vocabularies stay in the agreed ranges."""
    townships = {t.code12: t for t in demo.townships}
    for v in demo.villages:
        assert 300 <= v.population <= 4000
        assert v.population / 3.6 <= v.households <= v.population / 2.8
        assert 0 < v.area_km2 < 25 and v.area_km2.as_tuple().exponent == -2
        assert 12_000 <= v.per_capita_income_yuan <= 32_000
        assert 20_000 <= v.collective_income_yuan <= 800_000
        assert 10 <= v.party_members <= 120
        assert 2 <= len(v.needs) <= 4 and len(set(v.needs)) == len(v.needs) and set(v.needs) <= set(NEED_CODES)
        assert 1 <= len(v.advantages) <= 3 and set(v.advantages) <= set(ADVANTAGE_CODES)
        assert len(set(v.advantages)) == len(v.advantages)
        assert v.industries and all(part for part in v.industries.split("、"))
        assert ids.validate_mobile(v.party_secretary_mobile) == v.party_secretary_mobile
        assert 2 <= len(v.party_secretary) <= 3 and v.party_notes
        township = townships[v.township_code12]
        assert abs(v.lat - township.lat) < 0.06 and abs(v.lon - township.lon) < 0.06


def test_urban_rural_codes(demo: DemoCounty) -> None:
    """Every urban–rural code is one of the seven; communities are urban, villages mostly 210/220."""
    for v in demo.villages:
        assert ids.validate_urban_rural_code(v.urban_rural_code) == v.urban_rural_code
        if v.kind == "community":
            assert v.urban_rural_code in ("111", "112", "121")
    rural = [v for v in demo.villages if v.kind == "village"]
    assert sum(v.urban_rural_code in ("210", "220") for v in rural) > 0.7 * len(rural)


def test_street_townships_have_higher_incomes(demo: DemoCounty) -> None:
    """Township effects: villages under streets earn more per head than those under townships (乡)."""
    kind_of = {t.code12: t.kind for t in demo.townships}

    def mean_income(kind: str) -> float:
        values = [v.per_capita_income_yuan for v in demo.villages if kind_of[v.township_code12] == kind]
        return sum(values) / len(values)

    assert mean_income("street") > mean_income("town") > mean_income("township")


def test_enterprise_credit_codes_are_valid(demo: DemoCounty) -> None:
    """Every USCC validates, is unique, is registered in the demo county and has a fitting type."""
    usccs = [e.uscc for e in demo.enterprises]
    assert len(set(usccs)) == len(usccs)
    for e in demo.enterprises:
        info = ids.describe_uscc(e.uscc)
        assert info.code == e.uscc and info.division_code == demo.county.code6
        assert (info.authority_code, info.entity_type_code) in {("9", "1"), ("9", "2"), ("9", "3")}
        if info.entity_type_code == "3":
            assert e.name.endswith("专业合作社") and e.industry_section == "A"
        if info.entity_type_code == "1":
            assert e.name.endswith("有限公司")
        if info.entity_type_code == "2":
            assert e.size == "micro"
    types = Counter(e.uscc[:2] for e in demo.enterprises)
    assert types["91"] > types["92"] > types["93"] > 0


def test_enterprise_profiles_are_consistent(demo: DemoCounty) -> None:
    """Sections, sizes, employees, revenue, offers, contacts and locations are consistent."""
    townships = {t.code12: t for t in demo.townships}
    staff = {"micro": (1, 19), "small": (20, 299), "medium": (300, 999), "large": (1000, 3000)}
    for e in demo.enterprises:
        assert e.industry_section in INDUSTRY_SECTIONS and e.industry_section not in "ST"
        assert e.size in SIZES
        low, high = staff[e.size]
        assert low <= e.employees <= high
        assert e.revenue_10k_yuan > 0 and e.revenue_10k_yuan.as_tuple().exponent == -1
        assert 1 <= len(e.offers) <= 4 and set(e.offers) <= set(NEED_CODES)
        assert len(set(e.offers)) == len(e.offers)
        assert ids.validate_mobile(e.contact_mobile) == e.contact_mobile
        assert 2 <= len(e.contact_name) <= 3
        assert demo.county.short_name in e.name, "enterprise names carry the demo county's name"
        township = townships[e.township_code12]
        assert township.name in e.address
        assert abs(e.lat - township.lat) < 0.03 and abs(e.lon - township.lon) < 0.03
        assert e.main_business
    assert len({e.name for e in demo.enterprises}) == len(demo.enterprises)


def test_larger_enterprises_more_often_have_party_organisations(demo: DemoCounty) -> None:
    """has_party_org is more frequent for larger sizes."""
    rate = {}
    for size in SIZES:
        group = [e for e in demo.enterprises if e.size == size]
        rate[size] = sum(e.has_party_org for e in group) / len(group)
    assert rate["micro"] < rate["small"] < rate["medium"] <= rate["large"]


def test_offers_follow_the_industry(demo: DemoCounty) -> None:
    """Offers correlate with the industry section: construction offers infrastructure, etc."""

    def share(section: str, code: str) -> float:
        group = [e for e in demo.enterprises if e.industry_section == section]
        return sum(code in e.offers for e in group) / len(group)

    overall = {code: sum(code in e.offers for e in demo.enterprises) / len(demo.enterprises) for code in NEED_CODES}
    assert share("E", "infrastructure") > 2 * overall["infrastructure"]
    assert share("H", "tourism") > 2 * overall["tourism"]
    assert share("C", "employment") > overall["employment"]
    assert share("F", "marketing") > overall["marketing"]


def test_all_mobiles_are_valid_unique_demo_numbers(demo: DemoCounty) -> None:
    """Every mobile passes validate_mobile, is unique and lies in the demo block."""
    mobiles = [v.party_secretary_mobile for v in demo.villages] + [e.contact_mobile for e in demo.enterprises]
    assert len(set(mobiles)) == len(mobiles)
    for mobile in mobiles:
        assert ids.validate_mobile(mobile) == mobile and mobile.startswith(DEMO_MOBILE_PREFIX)


def test_surveys_have_a_dated_history(demo: DemoCounty) -> None:
    """Surveys fall in 2024-01..2026-10, have two surveyors, findings and figures of the right kind."""
    villages = {v.code12: v for v in demo.villages}
    enterprises = {e.uscc: e for e in demo.enterprises}
    assert [s.date for s in demo.surveys] == sorted(s.date for s in demo.surveys)
    for s in demo.surveys:
        assert date(2024, 1, 1) <= s.date <= date(2026, 10, 31) <= demo.as_of
        assert s.kind in SURVEY_KINDS
        assert len(s.surveyors) == 2 and s.surveyors[0] != s.surveyors[1]
        assert s.findings.endswith("。") and "{" not in s.findings
        json.dumps(s.figures.as_dict())
        if s.subject == "village":
            village = villages[s.subject_code]
            assert isinstance(s.figures, VillageFigures)
            assert s.township_code12 == village.township_code12
            assert s.figures.per_capita_income_yuan <= village.per_capita_income_yuan
            assert s.figures.collective_income_yuan <= village.collective_income_yuan
            assert 10 <= s.figures.party_members <= village.party_members
        else:
            enterprise = enterprises[s.subject_code]
            assert isinstance(s.figures, EnterpriseFigures)
            assert s.township_code12 == enterprise.township_code12
            assert s.figures.revenue_10k_yuan > 0 and s.figures.employees >= 1
            assert s.figures.has_party_org <= enterprise.has_party_org
    assert {s.kind for s in demo.surveys} == set(SURVEY_KINDS)


def test_earlier_surveys_show_lower_incomes(demo: DemoCounty) -> None:
    """Within one village, an earlier survey records a per-capita income no higher than a later one."""
    history: dict[str, list[int]] = {}
    for s in demo.surveys:
        if isinstance(s.figures, VillageFigures):
            history.setdefault(s.subject_code, []).append(s.figures.per_capita_income_yuan)
    assert any(len(values) > 1 for values in history.values())
    for values in history.values():
        assert values == sorted(values)


def test_person_names_come_from_the_tables(demo: DemoCounty) -> None:
    """Person names are a common surname plus one or two given-name characters."""
    surnames = {s for s, _ in names.SURNAMES}
    people = [v.party_secretary for v in demo.villages] + [e.contact_name for e in demo.enterprises]
    people += [name for s in demo.surveys for name in s.surveyors]
    for person in people:
        assert person[0] in surnames
        assert 1 <= len(person) - 1 <= 2 and all(c in names.GIVEN_NAME_CHARS for c in person[1:])


def _field_names(obj: object) -> set[str]:
    found: set[str] = set()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            found.add(f.name)
            found |= _field_names(getattr(obj, f.name))
    elif isinstance(obj, tuple):
        for item in obj[:5]:
            found |= _field_names(item)
    return found


def test_no_ethnicity_or_religion_anywhere(demo: DemoCounty) -> None:
    """No field is about ethnicity or religion, and no generated text mentions them."""
    fields = _field_names(demo)
    assert "surveys" in fields and "party_secretary" in fields  # the walk reached nested records
    assert not [f for f in fields if "ethnic" in f or "religio" in f or "nation" in f]
    text = repr(demo)
    for word in ("民族", "宗教", "寺", "教堂", "清真"):
        assert word not in text


@pytest.mark.parametrize("seed", [0, 1, 99, 31337])
def test_other_seeds_also_give_valid_data(seed: int) -> None:
    """Any seed yields counts in range and codes that pass the validators, under their parents."""
    other = build_demo_county(seed)
    assert 200 <= len(other.villages) <= 300 and 500 <= len(other.enterprises) <= 700
    for township in other.townships:
        ids.validate_division_code(township.code12, level="township", parent=other.county.code6)
    for village in other.villages:
        ids.validate_division_code(village.code12, level="village", parent=village.township_code12)
    for enterprise in other.enterprises:
        assert ids.validate_uscc(enterprise.uscc) == enterprise.uscc
        assert ids.validate_mobile(enterprise.contact_mobile) == enterprise.contact_mobile
    assert len({v.code12 for v in other.villages}) == len(other.villages)
    assert len({e.uscc for e in other.enterprises}) == len(other.enterprises)
