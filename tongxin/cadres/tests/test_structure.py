"""Structure statistics: hand-computed counts, a fixed number of queries, the page with its
charts and the Excel, and nobody but the cadre officer sees them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.cadres.choices import Affiliation
from tongxin.cadres.models import AccessLog, PostHistory
from tongxin.cadres.services.structure import QUERIES, Structure, age_band, structure_for
from tongxin.testing import cadres
from tongxin.testing.factories import World
from tongxin.testing.sheets import exported_sheet, table_rows

TODAY = date(2026, 11, 30)


@pytest.fixture
def files(world: World) -> dict[str, Any]:
    """Four files of county 1 (two serving, one reserve, one left) with known fields and
    posts held; one file of county 2 that must never be counted."""
    c = world.county
    a = cadres.person(c, "甲", gender="female", birth_date=date(1990, 6, 15), education="master",
                      affiliation="cdl", rank="section", expertise="法律", resident_id=None)  # fmt: skip
    b = cadres.person(c, "乙", birth_date=date(1970, 1, 1), affiliation="non_party", expertise="法律")
    r = cadres.person(c, "丙", status="reserve", birth_date=date(1995, 3, 3), affiliation="cdl", expertise="教育")
    gone = cadres.person(c, "丁", status="left", birth_date=date(1960, 5, 5), expertise="")
    cadres.person(world.county2, "戊", affiliation="js")
    # Posts held (each person has one from 2020 on, open); b held an earlier one 2015–2019,
    # the one who left stopped in 2022.
    PostHistory.objects.create(person=b, work_unit="乡镇", post="科员", start=date(2015, 3, 1), end=date(2019, 12, 31))
    held = PostHistory.objects.get(person=gone)
    held.end = date(2022, 6, 30)
    held.save()
    cadres.stage(r, "found", date(2024, 1, 1))
    cadres.stage(r, "pool", date(2025, 5, 1))
    team = cadres.body(c, township=world.township)
    cadres.post(team, a)
    cadres.post(team, other_holder="张三")
    cadres.post(cadres.body(c, kind="government"), b, role="deputy")
    return {"a": a, "b": b, "r": r, "gone": gone}


def _row(structure: Structure, dimension: str, key: str) -> dict[str, int]:
    (row,) = [r for r in structure.dimensions[dimension] if r.key == key]
    return row.counts


@pytest.mark.django_db
def test_counts_by_every_dimension_are_hand_computed(world: World, files: dict[str, Any]) -> None:
    """Counted per status, only the officer's county; ages by birth year."""
    s = structure_for(user=world.users[Role.CADRE_OFFICER], today=TODAY)
    assert s.totals == {"serving": 2, "reserve": 1, "retired": 0, "left": 1}
    assert _row(s, "affiliation", "cdl") == {"serving": 1, "reserve": 1}
    assert _row(s, "affiliation", "non_party") == {"serving": 1, "left": 1}
    assert _row(s, "affiliation", "js") == {}  # county 2's file is not counted
    assert _row(s, "gender", "female") == {"serving": 1}
    assert _row(s, "education", "master") == {"serving": 1}
    assert _row(s, "rank", "section") == {"serving": 1}
    assert _row(s, "field", "法律") == {"serving": 2}
    assert _row(s, "field", "__none__") == {"left": 1}
    # 2026 − 1990 = 36, − 1970 = 56, − 1995 = 31, − 1960 = 66
    assert _row(s, "age", "36-40") == {"serving": 1}
    assert _row(s, "age", "56-") == {"serving": 1, "left": 1}
    assert _row(s, "age", "-35") == {"reserve": 1}
    assert (age_band(35), age_band(36), age_band(60)) == ("-35", "36-40", "56-")
    assert s.share("affiliation", "cdl", "serving") == 50.0
    bodies = {b.kind: (b.posts, b.non_party, b.people) for b in s.bodies}
    assert bodies == {"government": (1, 1, 1), "township_team": (2, 1, 1)}
    years = {y.year: (y.serving, y.pool_entries) for y in s.years}
    assert years[2017] == (1, 0)  # b's earlier post
    assert years[2019] == (1, 0)
    assert years[2020] == (4, 0)  # everyone from 2020 on
    assert years[2023] == (3, 0)  # the one who left stopped in 2022
    assert years[2025] == (3, 1)  # the reserve person entered the pool
    assert len(s.years) == 10 and s.years[-1].year == 2026


@pytest.mark.django_db
def test_a_fixed_number_of_queries(world: World, files: dict[str, Any]) -> None:
    """More files, posts and bodies cost no more queries: grouped counts, never a loop."""
    officer = world.users[Role.CADRE_OFFICER]
    structure_for(user=officer, today=TODAY)  # the officer's hats are read once, then kept
    with CaptureQueriesContext(connection) as few:
        structure_for(user=officer, today=TODAY)
    for n in range(15):
        p = cadres.person(world.county, expertise=f"领域{n}", status="reserve" if n % 2 else "serving")
        cadres.stage(p, "found", date(2020 + n % 6, 1, 1))
        cadres.post(cadres.body(world.county), p)
    with CaptureQueriesContext(connection) as many:
        s = structure_for(user=officer, today=TODAY)
    assert len(few.captured_queries) == len(many.captured_queries) == QUERIES
    fields = [r.key for r in s.dimensions["field"]]
    assert "__other__" in fields and len(fields) <= 14


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.django_db
def test_page_draws_charts_and_exports_excel(world: World, files: dict[str, Any]) -> None:
    """The officer's page embeds the chart data (serving and reserve per category) and the
    vendored ECharts; the Excel holds every dimension; no name appears; nothing is a read
    of a file (no access-log row)."""
    client = _client(world, Role.CADRE_OFFICER)
    page = client.get(reverse("cadres:structure"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "vendor/echarts/echarts.min.js" in html and "js/cadres-structure.js" in html
    data = page.context["charts"]
    json.dumps(data)  # JSON-ready
    assert set(data["dimensions"]) == {"affiliation", "age", "gender", "education", "field", "rank"}
    affiliation = data["dimensions"]["affiliation"]
    cdl = list(Affiliation.values).index("cdl")
    assert affiliation["series"]["reserve"][cdl] == 1
    for name in ("甲", "乙", "丙", "丁", "戊"):
        assert f">{name}<" not in html
    export = client.get(reverse("cadres:structure_export"))
    assert export.status_code == 200
    rows = table_rows(exported_sheet(export.content))
    cells = [[str(c) for c in row] for row in rows]
    assert any("法律" in row and "2" in row for row in cells)
    assert any("2025" in row for row in cells)
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_nobody_else_sees_the_structure(world: World, files: dict[str, Any]) -> None:
    """Every other role — township staff included, who keep their numbers-only page of
    their township's bodies — gets 404 for the page and the Excel."""
    for role in Role:
        if role == Role.CADRE_OFFICER:
            continue
        client = _client(world, role)
        assert client.get(reverse("cadres:structure")).status_code == 404, role
        assert client.get(reverse("cadres:structure_export")).status_code == 404, role
        if role == Role.TOWNSHIP_STAFF:
            assert client.get(reverse("cadres:body_counts")).status_code == 200
