"""The whole pairing lifecycle in Chromium: campaign → rankings → matching → review →
approval → letter → liaison's activity and report → dashboard."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tongxin.core.tests.test_browser import browser_type_launch_args  # noqa: F401  (Chromium set-up)
from tongxin.pairing.models import Campaign, Pair
from tongxin.testing.factories import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _advance(page: Any) -> None:
    """The campaign page's "next stage", then the confirmation that names it."""
    page.click("[data-testid=advance]")
    page.click("[data-testid=confirm-advance]")


def _ok(page: Any) -> None:
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").all_inner_texts()


def test_pairing_journey(page: Any, live_server: Any, transactional_db: Any) -> None:
    """County opens a campaign, both sides rank, the county runs the matching, the township
    reviews, the county approves and issues the letter, the liaison logs an activity and
    files a report, and the dashboard counts it."""
    world = build_world()
    base = live_server.url

    _login(page, base, "admin1")
    page.goto(f"{base}/pairing/campaigns/add/")
    page.select_option("#id_county", str(world.county.pk))
    page.fill("#id_name", "2026年村企共建")
    page.fill("#id_year", "2026")
    page.fill("#id_start", "2026-01-01")
    page.fill("#id_end", "2027-12-31")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r".*/pairing/campaigns/\d+/$"))
    campaign = Campaign.objects.get(name="2026年村企共建")
    _advance(page)
    _ok(page)
    campaign.refresh_from_db()
    assert campaign.stage == "selection"

    for username, partner in (("ent1", world.village), ("vil1", world.enterprise)):
        _login(page, base, username)
        page.goto(f"{base}{campaign.get_absolute_url()}")
        page.click("[data-testid=rank-links] a")
        page.fill(f"input[name=rank-{partner.pk}]", "1")
        page.click("[data-testid=save-ranking]")
        _ok(page)

    _login(page, base, "admin1")
    page.goto(f"{base}{campaign.get_absolute_url()}")
    _advance(page)  # → matching
    _ok(page)
    _login(page, base, "staff1")
    page.goto(f"{base}{campaign.get_absolute_url()}")
    page.click("[data-testid=run-matching]")
    page.wait_for_url(re.compile(r".*/pairing/runs/\d+/$"))
    assert "东溪村" in page.locator("[data-testid=proposals]").inner_text()
    page.goto(f"{base}{campaign.get_absolute_url()}")
    _advance(page)  # → review
    _ok(page)

    pair = Pair.objects.get(campaign=campaign)
    _login(page, base, "town1")
    page.goto(f"{base}/pairing/campaigns/{campaign.pk}/review/")
    page.click(f"[data-testid=proposal-{pair.pk}] [data-testid=township-approve]")
    _ok(page)

    _login(page, base, "admin1")
    page.goto(f"{base}/pairing/campaigns/{campaign.pk}/review/")
    page.click(f"[data-testid=proposal-{pair.pk}] [data-testid=county-approve]")
    _ok(page)
    page.goto(f"{base}{pair.get_absolute_url()}")
    page.click("[data-testid=issue-letter]")
    _ok(page)
    href = page.get_attribute("[data-testid=letter-pdf]", "href")
    pdf = page.request.get(f"{base}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    page.goto(f"{base}{campaign.get_absolute_url()}")
    _advance(page)  # → approved
    _advance(page)  # → running
    _ok(page)
    page.goto(f"{base}/pairing/campaigns/{campaign.pk}/appoint/")
    page.select_option("#id_liaison", str(world.users["liaison"].pk))
    page.select_option("#id_pairs", str(pair.pk))
    page.fill("#id_term_start", "2026-01-01")
    page.fill("#id_term_end", "2027-12-31")
    page.click("[data-testid=appoint]")
    _ok(page)

    _login(page, base, "liaison1")
    page.goto(f"{base}{pair.get_absolute_url()}")
    page.click("[data-testid=log-activity]")
    page.select_option("#id_head", "party")
    page.fill("#id_date", "2026-10-15")
    page.fill("#id_title", "联合主题党日")
    page.click("form button[type=submit]")
    _ok(page)
    page.goto(f"{base}{pair.get_absolute_url()}")
    page.click("[data-testid=file-report-2026-10]")
    page.fill("#id_jobs", "5")
    page.fill("#id_narrative", "十月：新增就业5人")
    page.click("[data-testid=submit-report]")
    _ok(page)

    _login(page, base, "admin1")
    page.goto(f"{base}/pairing/campaigns/{campaign.pk}/dashboard/?period=2026-10")
    rows = page.locator("[data-testid=reporting-table] tbody tr").all_inner_texts()
    assert any("分水镇" in row and "\t1\t1\t" in row for row in rows), rows
    assert page.locator("[data-testid=chart-heads] canvas").count() == 1
