"""Dashboards roll up at each level: a province or prefecture sees its counties."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.testing import factories
from tongxin.testing.factories import World


def _home(user: object) -> dict:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.context


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PROVINCE_STAFF, Role.PREFECTURE_STAFF])
def test_supervisor_home_rolls_up_by_county(world: World, role: str) -> None:
    """Province and prefecture staff get one row per county of their node, with its
    villages and enterprises; a county of another province never appears."""
    sibling = factories.county("330127", "淳安县")
    township = factories.township(sibling, 101, "千岛湖镇")
    factories.village(township, 201)
    factories.village(township, 202)
    context = _home(world.users[role])
    rows = {row["code"]: row for row in context["rollup"]}
    assert set(rows) == {"330122", "330127"}
    assert rows["330127"]["villages"] == 2 and rows["330122"]["villages"] == 2
    assert rows["330122"]["enterprises"] == 2 and rows["330127"]["enterprises"] == 0


@pytest.mark.django_db
def test_county_home_has_no_county_table(world: World) -> None:
    """County staff see their townships, not a table of counties."""
    context = _home(world.users[Role.COUNTY_STAFF])
    assert context["rollup"] is None and not context["supervises"]
