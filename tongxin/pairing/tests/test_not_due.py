"""A period whose due date has not passed is "not due yet" — never 0 % — everywhere."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.pairing import services
from tongxin.pairing.models import Pair, ReportingTally
from tongxin.pairing.services.dashboard import reporting_matrix, reporting_over_periods
from tongxin.pairing.services.tally import count_cells
from tongxin.testing.pairing import PairingWorld

JANUARY = date(2026, 1, 1)  # due 10 February 2026


@pytest.mark.django_db
def test_summary_has_no_rates_before_the_due_date(pworld: PairingWorld) -> None:
    """January's summary on 5 February (due the 10th) counts the expected pairs but gives
    no rates; on 11 February the same numbers give 0 %."""
    pairs = Pair.objects.all()
    before = services.reporting_summary(campaign=pworld.campaign, period=JANUARY, pairs=pairs, today=date(2026, 2, 5))
    total = before[-1]
    assert total.expected == 2 and total.submitted == 0
    assert total.not_due and (total.completeness, total.timeliness) == (None, None)
    assert total.as_dict()["not_due"] is True
    on_due_day = services.reporting_summary(
        campaign=pworld.campaign, period=JANUARY, pairs=pairs, today=date(2026, 2, 10)
    )[-1]
    assert on_due_day.not_due  # reports filed on the due date are still on time
    after = services.reporting_summary(campaign=pworld.campaign, period=JANUARY, pairs=pairs, today=date(2026, 2, 11))
    assert not after[-1].not_due and (after[-1].completeness, after[-1].timeliness) == (0.0, 0.0)


@pytest.mark.django_db
def test_rates_over_periods_and_the_matrix_mark_periods_not_due(pworld: PairingWorld) -> None:
    """Over periods (dashboard) and in the province matrix, the periods not yet due have
    no rates while the kept counts stay exact (the tally equals a fresh count)."""
    staff = pworld.world.users[Role.COUNTY_STAFF]
    today = date(2026, 3, 5)  # January due (10 Feb), February not (10 Mar), March running
    rates = {row["period"]: row for row in reporting_over_periods(pworld.campaign, Pair.objects.all(), today)}
    assert rates["2026-01"]["not_due"] is False and rates["2026-01"]["completeness"] == 0.0
    for key in ("2026-02", "2026-03"):
        assert rates[key]["not_due"] is True and rates[key]["completeness"] is None
        assert rates[key]["expected"] == 2
    (row,) = [r for r in reporting_matrix(staff, today) if r.campaign == pworld.campaign]
    cells = {cell.period: cell for cell in row.cells}
    assert cells[JANUARY].completeness == 0.0 and not cells[JANUARY].not_due
    assert cells[date(2026, 2, 1)].not_due and cells[date(2026, 2, 1)].timeliness is None
    kept = {
        (t.township_id, t.period): [t.expected, t.submitted, t.on_time]
        for t in ReportingTally.objects.filter(campaign=pworld.campaign)
    }
    fresh = {(t, p): counts for (_c, t, p), counts in count_cells(Pair.objects.all(), [pworld.campaign]).items()}
    assert kept == fresh


@pytest.mark.django_db
def test_page_and_api_show_not_due_for_the_running_period(pworld: PairingWorld) -> None:
    """The dashboard's table says "not due yet" for the current month and the API gives
    null rates with ``not_due``; a period long due shows its percentages."""
    current = timezone.localdate().replace(day=1)
    if current > pworld.campaign.end:
        pytest.skip("the test campaign has ended")
    key = current.strftime("%Y-%m")
    client = Client()
    client.force_login(pworld.world.users[Role.COUNTY_STAFF])
    page = client.get(reverse("pairing:campaign_dashboard", args=[pworld.campaign.pk]), {"period": key})
    assert page.status_code == 200 and 'data-testid="not-due"' in page.content.decode()
    old = client.get(reverse("pairing:campaign_dashboard", args=[pworld.campaign.pk]), {"period": "2026-01"})
    assert 'data-testid="not-due"' not in old.content.decode() and "0.0 %" in old.content.decode()
    api = APIClient()
    api.force_authenticate(pworld.world.users[Role.COUNTY_STAFF])
    body = api.get(reverse("api-reporting"), {"campaign": pworld.campaign.pk, "period": key}).json()
    assert all(row["not_due"] and row["completeness"] is None for row in body["rows"])
    export = client.get(
        reverse("pairing:campaign_dashboard_export", args=[pworld.campaign.pk, "reporting"]), {"period": key}
    )
    assert export.status_code == 200
