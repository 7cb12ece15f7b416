"""Numbers behind the pairing dashboard; every function takes the caller's scoped rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from tongxin.pairing.choices import PAIR_STATUSES, ActivityHead, Mode, ReportStatus
from tongxin.pairing.models import Campaign, PairPlan, Report
from tongxin.pairing.services.reports import periods, reporting_summary

INDICATORS = ("investment", "projects", "jobs", "farmer_income", "collective_income")


def indicator_labels() -> dict[str, str]:
    return {
        "investment": _("Investment (10,000 yuan)"),
        "projects": _("Projects"),
        "jobs": _("Jobs for villagers"),
        "farmer_income": _("Farmers' income increase (10,000 yuan)"),
        "collective_income": _("Collective income increase (10,000 yuan)"),
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


def reporting_over_periods(campaign: Campaign, pairs: Any, today: date) -> list[dict[str, Any]]:
    """County-total completeness and timeliness per period (periods already due)."""
    rows = []
    for period in periods(campaign, until=today):
        total = reporting_summary(campaign=campaign, period=period, pairs=pairs)[-1]
        rows.append(
            {
                "period": period.strftime("%Y-%m"),
                "expected": total.expected,
                "submitted": total.submitted,
                "on_time": total.on_time,
                "completeness": total.completeness,
                "timeliness": total.timeliness,
            }
        )
    return rows


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
                "liaison": "、".join(str(a.liaison) for a in pair.appointments.all()),
                "investment": float(sum((r.investment for r in own), Decimal(0))),
                "projects": sum(r.projects for r in own),
                "jobs": sum(r.jobs for r in own),
                "income": float(sum((r.farmer_income + r.collective_income for r in own), Decimal(0))),
                "reports_on_time": sum(1 for r in own if r.on_time),
            }
        )
    return rows
