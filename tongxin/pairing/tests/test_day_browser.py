"""At 390 px wide in Chromium: the report form with its figures and overdue warning, the
late list, the activity form with several photos, and the dashboard's charts (one unit
per axis, the map) — none scrolls sideways."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tongxin.core.tests.test_browser import browser_type_launch_args  # noqa: F401  (Chromium set-up)
from tongxin.pairing.models import Activity
from tongxin.pairing.tests.test_journey import _login
from tongxin.testing.factories import build_world
from tongxin.testing.pairing import build_pairing_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


def _png(path: Path) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_days_pages_at_390_px(page: Any, live_server: Any, transactional_db: Any, tmp_path: Path) -> None:
    """The liaison's report form, activity form and the county's late list and dashboard
    fit a 390 px screen; the dashboard draws three value axes for the indicators (万元,
    项, 人) and the map's bubbles on the townships' coordinates."""
    from tongxin.core.models import Capability
    from tongxin.core.vocabulary import sync_vocabulary

    sync_vocabulary(Capability)
    pworld = build_pairing_world(build_world())
    for township, lat, lng in ((pworld.world.township, "29.8", "119.5"), (pworld.world.township_b, "29.9", "119.7")):
        township.latitude, township.longitude = Decimal(lat), Decimal(lng)
        township.save()
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})

    _login(page, base, "liaison1")
    page.goto(f"{base}/pairing/pairs/{pworld.pair.pk}/reports/2026-02-01/")
    assert page.locator("[data-testid=report-overdue]").is_visible()
    assert page.locator("[data-testid=report-figures] tr[data-figure=jobs]").is_visible()
    assert page.evaluate(NO_SIDEWAYS)

    page.goto(f"{base}/pairing/activities/add/?pair={pworld.pair.pk}")
    assert page.evaluate(NO_SIDEWAYS)
    page.select_option("#id_head", "party")
    page.fill("#id_title", "手机上记录的活动")
    page.fill("#id_amount", "0")
    page.set_input_files("#id_photos", [_png(tmp_path / "a.png"), _png(tmp_path / "b.png")])
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/pairing/activities/*/")
    assert Activity.objects.get(title="手机上记录的活动").photos.count() == 2

    _login(page, base, "staff1")
    page.goto(f"{base}/pairing/campaigns/{pworld.campaign.pk}/late/?township={pworld.world.township.pk}")
    assert page.locator("[data-testid=late-table]").is_visible()
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"
    )
    assert page.evaluate(NO_SIDEWAYS), wide

    page.goto(f"{base}/pairing/campaigns/{pworld.campaign.pk}/dashboard/?period=2026-01")
    page.wait_for_function("echarts.getInstanceByDom(document.getElementById('chart-map')) !== undefined")
    assert page.evaluate(NO_SIDEWAYS)
    axes = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-indicators')).getOption().yAxis.map(a => a.name)"
    )
    assert len(axes) == 3 and len(set(axes)) == 3
    trend = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-trend')).getOption().yAxis.map(a => a.name)"
    )
    assert sorted(trend) == sorted(axes)
    points = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-map')).getOption().series[0].data.map(d => d.name)"
    )
    assert sorted(points) == sorted([pworld.world.township.name, pworld.world.township_b.name])
