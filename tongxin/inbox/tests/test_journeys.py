"""A day's work per role in Chromium, each started from the inbox on the home page:
the township reviews its proposals in bulk and the county approves them in bulk; an
enterprise ranks its partners with search and drag; a liaison
officer files the period's report on a 390 px phone; the county chases late reports (催报).
No page of a phone journey scrolls sideways."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tongxin.accounts.choices import Role
from tongxin.core.tests.test_browser import browser_type_launch_args, sign_in  # noqa: F401  (Chromium set-up)
from tongxin.inbox.models import ReportChase
from tongxin.pairing import services
from tongxin.pairing.choices import PairStatus, ReportStatus, Stage
from tongxin.pairing.models import Report
from tongxin.testing.factories import build_world
from tongxin.testing.pairing import build_pairing_world, campaign_for, participant, run_to_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


def _from_inbox(page: Any, base: str, username: str, item: str) -> None:
    """Sign in, land on the home page and follow the inbox item ``item``."""
    sign_in(page, base, username)
    link = page.locator(f"[data-testid=inbox-item-{item}]").first
    assert link.is_visible(), page.locator("[data-testid=inbox]").inner_text()
    link.click()
    page.wait_for_load_state()


def _ok(page: Any) -> None:
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").all_inner_texts()


def test_township_and_county_review_in_bulk_from_the_inbox(page: Any, live_server: Any, transactional_db: Any) -> None:
    """Township A's cadre opens "proposals to review", selects all and approves; the county
    administrator opens "proposals to approve", selects all and approves."""
    world = build_world()
    campaign = campaign_for(world.county, "2027村企共建")
    run_to_review(
        campaign,
        [(world.enterprise, world.village), (world.enterprise_b, world.village_b)],
        world.users[Role.COUNTY_ADMIN],
        world.users[Role.COUNTY_STAFF],
    )
    proposal = campaign.pairs.get(village=world.village)
    base = live_server.url

    _from_inbox(page, base, world.users[Role.TOWNSHIP_STAFF].username, "review")
    assert re.search(r"/pairing/campaigns/\d+/review/", page.url)
    page.check("[data-select-all=review-bulk]")
    page.click("[data-testid=bulk-review]")
    _ok(page)
    proposal.refresh_from_db()
    assert proposal.status == PairStatus.TOWNSHIP_APPROVED

    _from_inbox(page, base, world.users[Role.COUNTY_ADMIN].username, "approve")
    page.check("[data-select-all=review-bulk]")
    page.click("[data-testid=bulk-approve]")
    _ok(page)
    proposal.refresh_from_db()
    assert proposal.status == PairStatus.APPROVED
    # Township B's proposal was never the township A cadre's to review.
    assert campaign.pairs.get(village=world.village_b).status == PairStatus.PROPOSED


def test_liaison_files_on_a_phone_and_county_chases_late_reports(
    page: Any, live_server: Any, transactional_db: Any
) -> None:
    """At 390 px the liaison officer goes from the inbox to their pairs, files and submits
    the report the pair's card asks for; the county staff go from "overdue reports" to the late
    list and call for the missing reports of a township."""
    pworld = build_pairing_world(build_world())
    world = pworld.world
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})

    # The liaison's inbox counts the reports waiting (overdue ones, by today's date) and
    # leads to their pairs, made for a phone.
    sign_in(page, base, world.users[Role.LIAISON].username)
    assert page.locator("[data-testid^=inbox-item-]").count() >= 1 and page.evaluate(NO_SIDEWAYS)
    page.click("[data-testid=inbox-my-pairs]")
    page.wait_for_load_state()
    assert "/pairing/mine/" in page.url and page.evaluate(NO_SIDEWAYS)
    card = page.locator(f"[data-testid=pair-{pworld.pair.pk}]")
    card.locator("[data-testid=report-action]").click()
    page.wait_for_load_state()
    assert page.evaluate(NO_SIDEWAYS)
    page.fill("#id_jobs", "3")
    page.fill("#id_narrative", "本月新增就业3人")
    page.click("[data-testid=submit-report]")
    _ok(page)
    filed = Report.objects.filter(pair=pworld.pair, narrative="本月新增就业3人").get()
    assert filed.status == ReportStatus.SUBMITTED

    page.set_viewport_size({"width": 1280, "height": 900})
    _from_inbox(page, base, world.users[Role.COUNTY_STAFF].username, "overdue")
    assert re.search(r"/pairing/campaigns/\d+/late/", page.url)
    chase = page.locator("[data-testid=chase]")
    chase.locator(f"input[name=townships][value='{world.township.pk}']").check()
    page.click("[data-testid=chase-submit]")
    _ok(page)
    assert ReportChase.objects.filter(campaign=pworld.campaign, township=world.township).count() == 1


def test_enterprise_ranks_with_search_and_drag_from_the_inbox(
    page: Any, live_server: Any, transactional_db: Any
) -> None:
    """The enterprise's contact opens "rankings to submit", finds a village by searching
    and ranks it first, then drags the other village above it and saves: the stored
    ranking follows the drag."""
    world = build_world()
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=world.users[Role.COUNTY_ADMIN], to=Stage.SELECTION)
    part = participant(campaign, world.enterprise)
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    _from_inbox(page, base, world.users[Role.ENTERPRISE_CONTACT].username, "rank")
    ranking_url = page.url.split("?")[0]
    assert ranking_url.endswith(f"/rank/{part.pk}/")
    assert page.locator("[data-testid=on-behalf]").count() == 0  # the contact ranks for themselves
    page.fill("[data-testid=rank-filters] input[name=q]", world.village.name)
    page.locator("[data-testid=rank-filters] button[type=submit], [data-testid=rank-filters] button").first.click()
    page.wait_for_load_state()
    rows = page.locator("[data-testid=rank-row]")
    assert rows.count() >= 1 and world.village.name in rows.first.inner_text()
    page.fill(f"input[name=rank-{world.village.pk}]", "1")
    page.click("[data-testid=save-ranking]")
    _ok(page)
    part.refresh_from_db()
    assert part.ranking[0] == world.village.pk

    page.goto(ranking_url)
    first = page.locator(f"[data-testid=rank-row][data-id='{world.village.pk}']")
    other = page.locator(f"[data-testid=rank-row][data-id='{world.village_b.pk}']")
    other.locator("input").fill("2")
    other.drag_to(first, target_position={"x": 10, "y": 2})
    assert page.locator(f"[name=rank-{world.village_b.pk}]").input_value() == "1"
    page.click("[data-testid=save-ranking]")
    _ok(page)
    part.refresh_from_db()
    assert part.ranking[:2] == [world.village_b.pk, world.village.pk]
