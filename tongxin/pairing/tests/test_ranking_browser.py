"""The ranking page in Chromium: dragging a row reorders the ranks; a phone's width needs
no sideways scroll."""

from __future__ import annotations

from typing import Any

import pytest

from tongxin.accounts.choices import Role
from tongxin.core.tests.test_browser import browser_type_launch_args  # noqa: F401  (Chromium set-up)
from tongxin.pairing import services
from tongxin.pairing.choices import Stage
from tongxin.testing.factories import PASSWORD, build_world
from tongxin.testing.pairing import campaign_for, participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drag_reorders_and_the_page_fits_a_phone(page: Any, live_server: Any, transactional_db: Any) -> None:
    """Two partners ranked 1 and 2 by typing; dragging the second above the first makes it
    no. 1, and saving stores that order. At 390 px the page's content fits the width (the
    table scrolls in its own box)."""
    world = build_world()
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=world.users[Role.COUNTY_ADMIN], to=Stage.SELECTION)
    part = participant(campaign, world.enterprise)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "staff1")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"{base}/pairing/campaigns/{campaign.pk}/rank/{part.pk}/")
    rows = page.locator("[data-testid=rank-row]")
    first, second = rows.nth(0), rows.nth(1)
    first_id, second_id = first.get_attribute("data-id"), second.get_attribute("data-id")
    first.locator("input").fill("1")
    second.locator("input").fill("2")
    second.drag_to(first, target_position={"x": 10, "y": 2})
    assert page.locator(f"[name=rank-{second_id}]").input_value() == "1"
    assert page.locator(f"[name=rank-{first_id}]").input_value() == "2"
    page.click("[data-testid=save-ranking]")
    page.wait_for_load_state()
    part.refresh_from_db()
    assert part.ranking == [int(str(second_id)), int(str(first_id))]

    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    # The page's own content: nothing reaches past the screen's edge except inside the
    # table's own scroll box (the site header is the base template's).
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('.page-wrapper *'))"
        ".filter(e => !e.closest('.table-responsive') && e.getBoundingClientRect().right > 390)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert wide == []
