"""Results of the pairing, for the public: aggregates only.

Read from the live data of the pairing app — approved (or closed) pairs, their accepted
progress reports and their activities — per campaign and township. Only counts and sums
leave here, with the names of places (county, township); never a person, a village's or
an enterprise's contact, a report's narrative or an activity's participants.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from tongxin.pairing.choices import PAIR_STATUSES, ReportStatus, Stage
from tongxin.pairing.models import Activity, Campaign, Pair, Report

#: Campaigns whose pairs are public: approved by the county, running or done.
PUBLIC_STAGES = (Stage.APPROVED, Stage.RUNNING, Stage.CLOSED)
FIGURES = ("investment", "projects", "jobs", "farmer_income", "collective_income")


@dataclass
class Figures:
    """What a set of pairs achieved (sums over accepted reports, counts of activities)."""

    villages: int = 0
    enterprises: int = 0
    pairs: int = 0
    investment: Decimal = Decimal(0)
    projects: int = 0
    jobs: int = 0
    farmer_income: Decimal = Decimal(0)
    collective_income: Decimal = Decimal(0)
    activities: int = 0
    confirmed: int = 0

    def add(self, other: Figures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class TownshipResult:
    name: str
    figures: Figures


@dataclass
class CampaignResult:
    campaign_id: int
    name: str
    county: str
    county_id: int
    stage: str
    total: Figures = field(default_factory=Figures)
    townships: list[TownshipResult] = field(default_factory=list)


def pairing_results() -> list[CampaignResult]:
    """Every public campaign, newest first, with its figures per township and in total
    (four queries, and one per campaign for its distinct villages and enterprises,
    whatever the number of pairs)."""
    campaigns = list(
        Campaign.objects.filter(stage__in=PUBLIC_STAGES)
        .select_related("county")
        .order_by("-year", "county__code", "pk")
    )
    if not campaigns:
        return []
    ids = [c.pk for c in campaigns]
    rows: dict[tuple[int, int], Figures] = defaultdict(Figures)
    names: dict[int, str] = {}
    for row in (
        Pair.objects.filter(campaign_id__in=ids, status__in=PAIR_STATUSES)
        .values("campaign_id", "township_id", "township__name")
        .order_by()
        .annotate(
            pairs=Count("pk"),
            villages=Count("village_id", distinct=True),
            enterprises=Count("enterprise_id", distinct=True),
        )
    ):
        names[row["township_id"]] = row["township__name"]
        cell = rows[(row["campaign_id"], row["township_id"])]
        cell.pairs, cell.villages, cell.enterprises = row["pairs"], row["villages"], row["enterprises"]
    reports = Report.objects.filter(
        pair__campaign_id__in=ids, pair__status__in=PAIR_STATUSES, status=ReportStatus.ACCEPTED
    )
    for row in (
        reports.values("pair__campaign_id", "pair__township_id")
        .order_by()
        .annotate(**{name: Sum(name) for name in FIGURES})
    ):
        cell = rows[(row["pair__campaign_id"], row["pair__township_id"])]
        for name in FIGURES:
            setattr(cell, name, row[name] or 0)
    activities = Activity.objects.filter(pair__campaign_id__in=ids, pair__status__in=PAIR_STATUSES)
    for row in (
        activities.values("pair__campaign_id", "pair__township_id")
        .order_by()
        .annotate(n=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_by_village=True)))
    ):
        cell = rows[(row["pair__campaign_id"], row["pair__township_id"])]
        cell.activities, cell.confirmed = row["n"], row["confirmed"]
    results = []
    for campaign in campaigns:
        result = CampaignResult(
            campaign.pk, campaign.name, campaign.county.name, campaign.county_id, campaign.get_stage_display()
        )
        # Distinct villages and enterprises of the whole campaign (one may pair in two townships).
        totals: dict[str, Any] = Pair.objects.filter(campaign=campaign, status__in=PAIR_STATUSES).aggregate(
            villages=Count("village_id", distinct=True), enterprises=Count("enterprise_id", distinct=True)
        )
        for (campaign_id, township_id), figures in sorted(rows.items(), key=lambda item: names.get(item[0][1], "")):
            if campaign_id == campaign.pk and figures.pairs:
                result.townships.append(TownshipResult(names[township_id], figures))
                result.total.add(figures)
        result.total.villages, result.total.enterprises = totals["villages"], totals["enterprises"]
        if result.townships:
            results.append(result)
    return results
