"""The review queue in Chromium: its actions are never cut off on a 1440 px screen, and on
a 390 px phone the page does not scroll sideways and the actions stay on screen."""

from __future__ import annotations

from typing import Any

import pytest

from tongxin.accounts.choices import Role
from tongxin.core.tests.test_browser import browser_type_launch_args  # noqa: F401  (Chromium set-up)
from tongxin.pairing import services
from tongxin.pairing.models import Pair
from tongxin.testing import factories
from tongxin.testing.factories import PASSWORD, build_world
from tongxin.testing.pairing import campaign_for, run_to_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _campaign_in_review() -> Any:
    """Four proposals with long names in township A, two of them approved by the township:
    the county administrator gets every kind of button."""
    world = build_world()
    admin, staff = world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF]
    parties = [(world.enterprise, world.village)]
    for i in range(3):
        village = factories.village(world.township, 210 + i, f"分水镇富春江畔第{i + 1}经济合作社股份村")
        enterprise = factories.enterprise(world.township, f"桐庐富春江智能制造与现代农业发展集团有限公司{i + 1}")
        factories.survey(village)
        factories.survey(enterprise)
        parties.append((enterprise, village))
    campaign = campaign_for(world.county, "2026年度县域村企结对共建行动")
    run_to_review(campaign, parties, admin, staff)
    town = world.users[Role.TOWNSHIP_STAFF]
    for pair in Pair.objects.filter(campaign=campaign).order_by("pk")[:2]:
        services.pair_township_approve(pair=pair, user=town)
    return campaign


def _outside(page: Any, selector: str, width: int) -> list[str]:
    """The elements matching ``selector`` not wholly inside 0..width (after scrolling each into view)."""
    cut = []
    for handle in page.query_selector_all(selector):
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        assert box is not None
        if box["x"] < 0 or box["x"] + box["width"] > width:
            cut.append(f"{handle.inner_text()!r} at {box}")
    return cut


def test_review_actions_stay_inside_the_screen(page: Any, live_server: Any, transactional_db: Any) -> None:
    """At 1440×900 every action button of every row is inside the viewport; at 390 px
    the page has no sideways scroll and the buttons are still inside the screen; nor do
    the campaign page, the stage confirmation and the pair page with its review buttons."""
    campaign = _campaign_in_review()
    base = live_server.url
    page.set_viewport_size({"width": 1440, "height": 900})
    _login(page, base, "admin1")
    page.goto(f"{base}/pairing/campaigns/{campaign.pk}/review/")
    buttons = "[data-testid=review-table] [data-testid=row-actions] button, [data-testid=row-actions] summary"
    assert page.locator("[data-testid=county-approve]").count() == 2
    assert page.locator("[data-testid=township-approve]").count() == 2
    assert page.locator(buttons).count() >= 12
    assert _outside(page, buttons, 1440) == []
    page.click("[data-testid=review-table] [data-testid=reject] >> nth=0")  # the reason opens in place
    assert _outside(page, "[data-testid=reject-submit] >> nth=0", 1440) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/pairing/campaigns/{campaign.pk}/review/")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
        .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    assert _outside(page, buttons, 390) == []
    pair = Pair.objects.filter(campaign=campaign).order_by("pk").first()
    assert pair is not None
    for path in (campaign.get_absolute_url(), f"/pairing/campaigns/{campaign.pk}/advance/", pair.get_absolute_url()):
        page.goto(f"{base}{path}")
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
            .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (path, wide)
    assert _outside(page, "[data-testid=review-actions] button", 390) == []
