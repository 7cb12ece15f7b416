"""The dashboard's map of pairs by township (scoped) and one unit per axis."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.core.scope import VIEW, restrict
from tongxin.pairing.models import Pair
from tongxin.pairing.services.dashboard import indicator_units, pairs_by_township
from tongxin.testing.pairing import PairingWorld
from tongxin.testing.sheets import table_rows


def _place(pworld: PairingWorld) -> None:
    world = pworld.world
    for township, (lat, lng) in ((world.township, ("29.8", "119.5")), (world.township_b, ("29.9", "119.7"))):
        township.latitude, township.longitude = Decimal(lat), Decimal(lng)
        township.save()


@pytest.mark.django_db
def test_map_data_is_scoped(pworld: PairingWorld) -> None:
    """County staff see both townships with their coordinates and pair counts; a
    township cadre sees only their own township; a township without coordinates is
    listed without a place."""
    _place(pworld)
    world = pworld.world
    county = pairs_by_township(pworld.campaign, restrict(Pair.objects.all(), world.users[Role.COUNTY_STAFF], VIEW))
    assert [(r["township"], r["pairs"], r["latitude"], r["longitude"]) for r in county] == [
        (world.township.name, 1, 29.8, 119.5),
        (world.township_b.name, 1, 29.9, 119.7),
    ]
    own = pairs_by_township(pworld.campaign, restrict(Pair.objects.all(), world.users[Role.TOWNSHIP_STAFF], VIEW))
    assert [r["township"] for r in own] == [world.township.name]
    world.township_b.latitude = world.township_b.longitude = None
    world.township_b.save()
    unplaced = pairs_by_township(pworld.campaign, Pair.objects.all())
    assert unplaced[1]["latitude"] is None and unplaced[1]["pairs"] == 1


@pytest.mark.django_db
def test_dashboard_page_carries_the_map_and_its_table(pworld: PairingWorld) -> None:
    """The page embeds the map's data (only the cadre's township) with a table for
    screen readers; each indicator has exactly one unit; another county's staff get 404."""
    _place(pworld)
    world = pworld.world
    client = Client()
    client.force_login(world.users[Role.TOWNSHIP_STAFF])
    url = reverse("pairing:campaign_dashboard", args=[pworld.campaign.pk])
    page = client.get(url, {"period": "2026-01"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="chart-map"' in html and 'data-testid="map-table"' in html
    charts = json.loads(page.context["charts_json"])
    assert [r["township"] for r in charts["map"]] == [world.township.name]
    assert world.township_b.name not in html.split('data-testid="map-table"')[1].split("</table>")[0]
    units = json.loads(page.context["units_json"])
    assert set(units) == set(json.loads(page.context["labels_json"]))
    assert len(set(units.values())) == 3  # 万元, 项, 人: three axes, never shared
    assert units == indicator_units()
    outsider = Client()
    outsider.force_login(User.objects.get(username="admin2"))
    assert outsider.get(url).status_code == 404
    export = client.get(reverse("pairing:campaign_dashboard_export", args=[pworld.campaign.pk, "map"]))
    header, *rows = table_rows(load_workbook(io.BytesIO(export.content)).active)
    assert [row[0] for row in rows] == [world.township.name] and len(header) == 4
