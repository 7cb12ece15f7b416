"""In Chromium at 390 px: the structure page draws its charts (serving and reserve side by
side for every dimension, the bodies, the years) and nothing scrolls sideways."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tongxin.core.tests.test_browser import browser_type_launch_args  # noqa: F401  (Chromium set-up)
from tongxin.pairing.tests.test_journey import _login
from tongxin.testing import cadres
from tongxin.testing.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_structure_charts_at_390_px(page: Any, live_server: Any, transactional_db: Any) -> None:
    world = build_world()
    for n in range(6):
        p = cadres.person(world.county, affiliation="cdl" if n % 2 else "js", status="reserve" if n % 3 else "serving")
        cadres.stage(p, "found", date(2025, 1, 1))
    cadres.post(cadres.body(world.county, township=world.township), cadres.person(world.county))
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, base, world.users["cadre_officer"].username)
    page.goto(f"{base}/cadres/structure/")
    page.wait_for_function("echarts.getInstanceByDom(document.getElementById('chart-years')) !== undefined")
    for key in ("affiliation", "age", "gender", "education", "field", "rank", "bodies"):
        series = page.evaluate(
            f"echarts.getInstanceByDom(document.getElementById('chart-{key}')).getOption().series.length"
        )
        assert series == 2, key
    reserve = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-affiliation')).getOption().series[1].data"
    )
    assert sum(reserve) == 4
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
