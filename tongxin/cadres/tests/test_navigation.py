"""The cadre pages beyond the ledgers are in the menu bar of the cadre officers only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.testing.factories import World

PAGES = ("cadres:compliance", "cadres:structure", "cadres:training_hours", "cadres:not_trained", "cadres:friends")


@pytest.mark.django_db
def test_the_cadre_pages_are_in_the_officers_menu_only(world: World) -> None:
    officer = Client()
    officer.force_login(world.users[Role.CADRE_OFFICER])
    html = officer.get(reverse("core:home")).content.decode()
    for name in PAGES:
        url = reverse(name)
        assert f'href="{url}" data-testid="nav-page"' in html, name
        assert officer.get(url).status_code == 200, name
    for role in (Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.PROVINCE_STAFF):
        other = Client()
        other.force_login(world.users[role])
        html = other.get(reverse("core:home")).content.decode()
        assert not any(f'href="{reverse(name)}"' in html for name in PAGES), role
