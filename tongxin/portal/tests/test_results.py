"""Results of the pairing: public aggregates from the live pairing data, no personal data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.accounts.models import User
from tongxin.pairing.choices import ReportStatus
from tongxin.pairing.models import Activity, Report
from tongxin.portal.choices import Column
from tongxin.portal.results import pairing_results
from tongxin.regions.models import Village
from tongxin.testing.pairing import PairingWorld
from tongxin.testing.portal import published


@pytest.fixture
def figures(pworld: PairingWorld) -> PairingWorld:
    """Accepted reports with figures (a submitted one does not count yet), named people around."""
    Report.objects.filter(pk=pworld.report.pk).update(
        status=ReportStatus.ACCEPTED, investment=Decimal("12.5"), jobs=7, farmer_income=Decimal("3.0")
    )
    Report.objects.filter(pk=pworld.report_b.pk).update(status=ReportStatus.SUBMITTED, jobs=100)
    Activity.objects.filter(pk=pworld.activity.pk).update(participants="王大明、李小红", confirmed_by_village=True)
    Village.objects.filter(pk=pworld.world.village.pk).update(party_secretary="赵书记名")
    return pworld


@pytest.mark.django_db
def test_results_count_the_live_pairing_data(figures: PairingWorld) -> None:
    results = {r.campaign_id: r for r in pairing_results()}
    mine = results[figures.campaign.pk]
    assert mine.total.pairs == 2 and mine.total.villages == 2 and mine.total.enterprises == 2
    assert mine.total.investment == Decimal("12.5") and mine.total.jobs == 7  # accepted reports only
    assert mine.total.activities == 2 and mine.total.confirmed == 1
    rows = {row.name: row.figures for row in mine.townships}
    assert rows["分水镇"].jobs == 7 and rows["横村镇"].jobs == 0
    assert results[figures.campaign2.pk].total.pairs == 1


@pytest.mark.django_db
def test_results_page_is_public_and_names_no_person(figures: PairingWorld) -> None:
    story = published(
        figures.world.county, title="创业故事一", column=Column.STORIES, enterprise=figures.world.enterprise
    )
    response = Client().get(reverse("portal:results"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "分水镇" in page and "12.5" in page and story.title in page
    people = [u.full_name for u in User.objects.exclude(full_name="")] + [u.username for u in User.objects.all()]
    people += ["王大明", "李小红", "赵书记名", "张三"]
    people += [figures.world.enterprise.contact_name] if figures.world.enterprise.contact_name else []
    for name in people:
        assert name not in page, name
    assert "一月进展" not in page  # no report narrative
