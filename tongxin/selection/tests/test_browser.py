"""Browser journey (Chromium, Playwright) on a 390 px phone: a voter proves their number
(the page solves the proof of work itself), verifies the code and votes."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import override_settings

from tongxin.core.tests.test_browser import browser_type_launch_args  # noqa: F401  (Chromium fixture)
from tongxin.selection import sms
from tongxin.selection.models import Vote
from tongxin.testing.factories import build_world
from tongxin.testing.selection import voting_selection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def vote_live(live_server: Any, transactional_db: Any) -> Any:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world = build_world()
    sms.OUTBOX.clear()
    with override_settings(SELECTION_CODE_SENDER="tongxin.selection.sms.MemorySender", SELECTION_POW_MAX_NUMBER=3000):
        yield voting_selection(world.county, world.township, places=2, candidates=3)


def test_a_phone_voter_proves_the_number_and_votes(page: Any, live_server: Any, vote_live: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(60_000)
    base = live_server.url
    page.goto(f"{base}/selection/public/{vote_live.selection.pk}/")
    page.fill("input[name=phone]", "13912345678")
    page.click("[data-testid=code-request] button[type=submit]")
    page.wait_for_selector("[data-testid=code-verify]")
    assert len(sms.OUTBOX) == 1
    page.fill("input[name=code]", sms.OUTBOX[0].code)
    page.click("[data-testid=code-verify] button[type=submit]")
    page.wait_for_selector("[data-testid=votes-left]")
    page.locator("[data-testid=vote]").first.click()
    page.wait_for_selector("[data-testid=voted]")
    assert Vote.objects.count() == 1
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
