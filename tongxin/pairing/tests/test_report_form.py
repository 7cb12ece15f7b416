"""The report form shows the plan's targets, the last period, this period and the total so
far, and warns when the report is overdue."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.pairing import services
from tongxin.pairing.services.reports import report_figures, report_overdue
from tongxin.testing.pairing import PairingWorld
from tongxin.testing.pending_locale import use_pending_translations

JANUARY, FEBRUARY, MARCH = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def _file(pworld: PairingWorld) -> Any:
    """January submitted (20 万元, 3 jobs), February a draft (5 万元, 2 jobs)."""
    liaison = pworld.world.users[Role.LIAISON]
    services.report_submit(pair=pworld.pair, user=liaison, period=JANUARY, data={"investment": 20, "jobs": 3})
    return services.report_save(pair=pworld.pair, user=liaison, period=FEBRUARY, data={"investment": 5, "jobs": 2})


@pytest.mark.django_db
def test_figures_against_the_plan(pworld: PairingWorld) -> None:
    """Target from the plan (100 万元, 10 jobs), last period's submitted figure, this
    period's draft, and the total so far with its share of the target; a draft of an
    earlier period is not counted in a later period's total."""
    february = _file(pworld)
    liaison = pworld.world.users[Role.LIAISON]
    figures = {f.name: f for f in report_figures(pair=pworld.pair, period=FEBRUARY, user=liaison, current=february)}
    jobs = figures["jobs"]
    assert (jobs.target, jobs.previous, jobs.current, jobs.total, jobs.progress) == (10, 3, 2, 5, 50.0)
    investment = figures["investment"]
    assert (investment.target, investment.previous, investment.total) == (Decimal(100), Decimal(20), Decimal(25))
    assert figures["projects"].progress is None  # no target, no share
    march = {f.name: f for f in report_figures(pair=pworld.pair, period=MARCH, user=liaison)}
    assert march["jobs"].previous is None and march["jobs"].current is None  # February is a draft
    assert march["jobs"].total == 3


@pytest.mark.django_db
def test_overdue_warning(pworld: PairingWorld) -> None:
    """Past its due date and not submitted: overdue; submitted, or not due yet: not."""
    february = _file(pworld)
    campaign = pworld.campaign
    assert report_overdue(campaign=campaign, period=FEBRUARY, report=february, today=date(2026, 3, 11))
    assert not report_overdue(campaign=campaign, period=FEBRUARY, report=february, today=date(2026, 3, 10))
    assert report_overdue(campaign=campaign, period=MARCH, report=None, today=date(2026, 4, 11))
    january = february.pair.reports.get(period=JANUARY)
    assert not report_overdue(campaign=campaign, period=JANUARY, report=january, today=date(2026, 12, 1))


@pytest.mark.django_db
def test_report_page_shows_figures_and_warning(pworld: PairingWorld, django_assert_max_num_queries: Any) -> None:
    """The page carries the figures table and the overdue alert (February 2026 is long
    due); an out-of-scope pair's page is 404."""
    _file(pworld)
    client = Client()
    client.force_login(pworld.world.users[Role.LIAISON])
    url = reverse("pairing:pair_report", args=[pworld.pair.pk, "2026-02-01"])
    with django_assert_max_num_queries(25):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="report-overdue"' in html and 'role="alert"' in html
    row = re.search(r'<tr data-figure="jobs">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r'<td class="text-end">(.*?)</td>', row.group(1), re.S)
    assert [re.sub(r"<.*?>", "", c).strip() for c in cells] == ["10", "3", "2", "5 (50.0 %)"]
    submitted = client.get(reverse("pairing:pair_report", args=[pworld.pair.pk, "2026-01-01"]))
    assert 'data-testid="report-overdue"' not in submitted.content.decode()
    foreign = client.get(reverse("pairing:pair_report", args=[pworld.pair_b.pk, "2026-02-01"]))
    assert foreign.status_code == 404
    with use_pending_translations():
        chinese = client.get(url).content.decode()
    assert "本期报告已逾期：截止日期为2026-03-10" in chinese
    assert "项目数（项）" in chinese and "投资额（万元）" in chinese
