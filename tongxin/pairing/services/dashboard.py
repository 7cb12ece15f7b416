"""Numbers behind the pairing dashboard; every function takes the caller's scoped rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tongxin.core.formatting import join_list
from tongxin.core.units import PERSONS
from tongxin.pairing.choices import PAIR_STATUSES, ActivityHead, Mode, ReportStatus
from tongxin.pairing.models import Campaign, Pair, PairPlan, Report, ReportingTally
from tongxin.pairing.services.reports import is_due, periods, rate

INDICATORS = ("investment", "projects", "jobs", "farmer_income", "collective_income")


def indicator_labels() -> dict[str, str]:
    return {
        "investment": _("Investment (10,000 yuan)"),
        "projects": _("Projects"),
        "jobs": _("Jobs for villagers"),
        "farmer_income": _("Farmers' income increase (10,000 yuan)"),
        "collective_income": _("Collective income increase (10,000 yuan)"),
    }


def indicator_units() -> dict[str, str]:
    """The unit of each indicator: 万元, 项, 人 — never two on one axis."""
    yuan = pgettext("unit", "10,000 yuan")
    return {
        "investment": yuan,
        "projects": pgettext("unit", "items"),
        "jobs": str(PERSONS),
        "farmer_income": yuan,
        "collective_income": yuan,
    }


def coverage(campaign: Campaign, participants: Any, pairs: Any) -> list[dict[str, Any]]:
    """Villages paired / villages taking part, by township."""
    villages = (
        participants.filter(campaign=campaign, village__isnull=False)
        .values("township__name", "township__code")
        .annotate(total=Count("pk"))
        .order_by("township__code")
    )
    paired = dict(
        pairs.filter(campaign=campaign, status__in=PAIR_STATUSES)
        .values("township__name")
        .annotate(n=Count("village", distinct=True))
        .values_list("township__name", "n")
    )
    rows = []
    for row in villages:
        name = row["township__name"]
        done = paired.get(name, 0)
        rows.append(
            {
                "township": name,
                "villages": row["total"],
                "paired": done,
                "coverage": round(100 * done / row["total"], 1) if row["total"] else None,
            }
        )
    return rows


def by_mode(campaign: Campaign, pairs: Any) -> list[dict[str, Any]]:
    labels = dict(Mode.choices)
    rows = (
        PairPlan.objects.filter(pair__in=pairs.filter(campaign=campaign, status__in=PAIR_STATUSES))
        .values("mode")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return [{"mode": str(labels.get(r["mode"], r["mode"])), "pairs": r["n"]} for r in rows]


def indicators_vs_targets(campaign: Campaign, pairs: Any) -> list[dict[str, Any]]:
    scoped = pairs.filter(campaign=campaign, status__in=PAIR_STATUSES)
    targets = PairPlan.objects.filter(pair__in=scoped).aggregate(**{k: Sum(k) for k in INDICATORS})
    actual = Report.objects.filter(
        pair__in=scoped, status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    ).aggregate(**{k: Sum(k) for k in INDICATORS})
    labels = indicator_labels()
    rows = []
    for key in INDICATORS:
        target = targets[key] or Decimal(0)
        done = actual[key] or Decimal(0)
        rows.append(
            {
                "indicator": labels[key],
                "target": float(target),
                "actual": float(done),
                "progress": round(100 * float(done) / float(target), 1) if target else None,
            }
        )
    return rows


def indicator_trend(campaign: Campaign, pairs: Any, today: date) -> list[dict[str, Any]]:
    """Cumulative indicator totals after each period."""
    scoped = pairs.filter(campaign=campaign, status__in=PAIR_STATUSES)
    per_period = {
        r["period"]: r
        for r in Report.objects.filter(pair__in=scoped, status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED))
        .values("period")
        .annotate(**{k: Sum(k) for k in INDICATORS})
    }
    running = dict.fromkeys(INDICATORS, 0.0)
    rows = []
    for period in periods(campaign, until=today):
        values = per_period.get(period, {})
        for key in INDICATORS:
            running[key] += float(values.get(key) or 0)
        rows.append({"period": period.strftime("%Y-%m"), **{k: round(v, 1) for k, v in running.items()}})
    return rows


def reporting_over_periods(campaign: Campaign, pairs: Any, today: date, user: Any = None) -> list[dict[str, Any]]:
    """County-total completeness and timeliness per period (periods up to ``today``).

    With ``user`` (whose scoped pairs ``pairs`` are) and a user who sees whole townships,
    read from the pre-aggregated tally (as :func:`reporting_matrix`); otherwise counted
    from ``pairs`` and their reports."""
    if user is not None and _tally_path(user):
        rows = reporting_matrix(user, today, Campaign.objects.filter(pk=campaign.pk))
        cells = rows[0].cells if rows else _live_cells(campaign, pairs, today)
    else:
        cells = _live_cells(campaign, pairs, today)
    return [
        {
            "period": cell.period.strftime("%Y-%m"),
            "expected": cell.expected,
            "submitted": cell.submitted,
            "on_time": cell.on_time,
            "completeness": cell.completeness,
            "timeliness": cell.timeliness,
            "not_due": cell.not_due,
        }
        for cell in cells
    ]


@dataclass(frozen=True)
class ReportingCell:
    """Reporting of one campaign for one period, by the definitions of
    :func:`tongxin.pairing.services.reports.reporting_summary` (its total row)."""

    period: date
    expected: int
    submitted: int
    on_time: int
    #: The period's due date has not passed: its rates are None ("not due yet"), not 0 %.
    not_due: bool = False

    @property
    def completeness(self) -> float | None:
        return rate(self.submitted, self.expected, self.not_due)

    @property
    def timeliness(self) -> float | None:
        return rate(self.on_time, self.expected, self.not_due)


@dataclass(frozen=True)
class CampaignReporting:
    """One campaign's reporting over its periods (one row of the province matrix)."""

    campaign: Campaign
    cells: list[ReportingCell]


def _tally_path(user: Any) -> bool:
    """Whether every hat through which ``user`` sees pairs sees whole townships, so that
    the pre-aggregated cells in their scope hold exactly the numbers of their pairs."""
    from tongxin.accounts.roles import hats
    from tongxin.core.scope import VIEW, policy_of

    if getattr(user, "is_superuser", False):
        return True
    pair_permissions = policy_of(Pair)[1]
    tally_permissions = policy_of(ReportingTally)[1]
    return all(tally_permissions.allows(h.role, VIEW) for h in hats(user) if pair_permissions.allows(h.role, VIEW))


def reporting_matrix(user: Any, today: date, campaigns: Any = None) -> list[CampaignReporting]:
    """Completeness and timeliness of every campaign ``user`` sees (or of ``campaigns``,
    a Campaign queryset) for each of its periods up to ``today``: the province's view of
    all its counties over all periods.

    The numbers are those of the total row of
    :func:`~tongxin.pairing.services.reports.reporting_summary` for each (campaign,
    period), over the pairs the user sees. For people who see whole townships they are
    read from the pre-aggregated :class:`~tongxin.pairing.models.ReportingTally` (three
    queries, a few thousand rows for a province); for the others (liaison officers,
    contacts: a handful of pairs) they are counted from their pairs and reports.
    """
    from tongxin.core.scope import VIEW, restrict
    from tongxin.pairing.services.tally import count_cells

    scoped = restrict(campaigns if campaigns is not None else Campaign.objects.all(), user, VIEW)
    chosen = list(scoped.select_related("county").order_by("county__code", "start", "pk"))
    if not chosen:
        return []
    totals: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0, 0])
    if _tally_path(user):
        cells = (
            restrict(ReportingTally.objects.filter(campaign__in=[c.pk for c in chosen], period__lte=today), user, VIEW)
            .values_list("campaign_id", "period")
            .annotate(Sum("expected"), Sum("submitted"), Sum("on_time"))
            .order_by()
        )
        for campaign_id, period, expected, submitted, on_time in cells:
            totals[(campaign_id, period)] = [expected, submitted, on_time]
    else:
        for (campaign_id, _township, period), counts in count_cells(
            restrict(Pair.objects.all(), user, VIEW), chosen
        ).items():
            total = totals[(campaign_id, period)]
            for i, value in enumerate(counts):
                total[i] += value
    result = []
    for campaign in chosen:
        cells_ = [
            _cell(campaign, period, totals.get((campaign.pk, period)), today)
            for period in periods(campaign, until=today)
        ]
        result.append(CampaignReporting(campaign, cells_))
    return result


def _live_cells(campaign: Campaign, pairs: Any, today: date) -> list[ReportingCell]:
    """One campaign's cells counted from the (scoped) pairs and their reports."""
    from tongxin.pairing.services.tally import count_cells

    totals: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (_campaign, _township, period), counts in count_cells(pairs, [campaign]).items():
        for i, value in enumerate(counts):
            totals[period][i] += value
    return [_cell(campaign, period, totals.get(period), today) for period in periods(campaign, until=today)]


def _cell(campaign: Campaign, period: date, counts: list[int] | None, today: date) -> ReportingCell:
    """The cell of ``period`` from its [expected, submitted, on time] (None: all zero)."""
    expected, submitted, on_time = counts or (0, 0, 0)
    return ReportingCell(period, expected, submitted, on_time, not_due=not is_due(campaign, period, today))


def pairs_by_township(campaign: Campaign, pairs: Any) -> list[dict[str, Any]]:
    """Approved (or closed) pairs of the campaign per township with the township's stored
    coordinates — the map: a township cadre's scoped pairs give their township only. One
    query; a township without coordinates has None for both (listed, not drawn)."""
    rows = (
        pairs.filter(campaign=campaign, status__in=PAIR_STATUSES)
        .values("township__name", "township__code", "township__latitude", "township__longitude")
        .annotate(n=Count("pk"))
        .order_by("township__code")
    )
    return [
        {
            "township": row["township__name"],
            "longitude": float(row["township__longitude"]) if row["township__longitude"] is not None else None,
            "latitude": float(row["township__latitude"]) if row["township__latitude"] is not None else None,
            "pairs": row["n"],
        }
        for row in rows
    ]


def activities_by_head(campaign: Campaign, activities: Any) -> list[dict[str, Any]]:
    labels = dict(ActivityHead.choices)
    rows = (
        activities.filter(pair__campaign=campaign)
        .values("head")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by("head")
    )
    return [{"head": str(labels[r["head"]]), "activities": r["n"], "amount": float(r["amount"] or 0)} for r in rows]


def pair_ledger(campaign: Campaign, pairs: Any, today: date) -> list[dict[str, Any]]:
    """The ledger counties file upward: one row per pair."""
    scoped = (
        pairs.filter(campaign=campaign, status__in=PAIR_STATUSES)
        .select_related("enterprise", "village", "township")
        .prefetch_related("appointments__liaison")
    )
    done = {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}
    reports: dict[int, list[Report]] = {}
    for report in Report.objects.filter(pair__in=scoped).only(
        "pair_id", "status", "submitted_at", "due_date", *INDICATORS
    ):
        reports.setdefault(report.pair_id, []).append(report)
    rows = []
    for pair in scoped:
        own = [r for r in reports.get(pair.pk, []) if r.status in done]
        rows.append(
            {
                "enterprise": pair.enterprise.name,
                "village": pair.village.name,
                "township": pair.township.name,
                "start_date": pair.start_date,
                "liaison": join_list(a.liaison for a in pair.appointments.all()),
                "investment": float(sum((r.investment for r in own), Decimal(0))),
                "projects": sum(r.projects for r in own),
                "jobs": sum(r.jobs for r in own),
                "income": float(sum((r.farmer_income + r.collective_income for r in own), Decimal(0))),
                "reports_on_time": sum(1 for r in own if r.on_time),
            }
        )
    return rows
