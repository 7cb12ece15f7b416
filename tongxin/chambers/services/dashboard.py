"""The chambers' dashboard: the tables behind its charts, each counted over the rows the
reader may view (or export), one or two queries a table whatever the number of rows.

Membership by chamber, industry and township; new and leaving members by month and the
yearly retention; this year's dues collection by chamber; activity participation by kind;
cases by kind and status; service levels by kind (acknowledged and resolved on time, the
working days a finished case took)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from tongxin.chambers.choices import ACTIVE_STATUSES, ActivityKind, CaseKind, CaseStatus, MemberStatus
from tongxin.chambers.models import ActivitySignup, Dues, MemberActivity, Membership, RightsCase
from tongxin.chambers.workdays import official_calendar, working_days_between
from tongxin.core.scope import VIEW, restrict
from tongxin.enterprises.choices import Industry

COUNT, MONEY, PERCENT = "#,##0", "#,##0.00", "0.0"
LEFT = (MemberStatus.RESIGNED, MemberStatus.EXPELLED, MemberStatus.LAPSED)


@dataclass(frozen=True)
class Col:
    key: str
    label: Any
    number_format: str | None = None
    chart: bool = False  # drawn as a series


@dataclass
class Table:
    key: str
    title: Any
    columns: list[Col]
    rows: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "bar"

    @property
    def cells(self) -> list[list[Any]]:
        """The rows as lists of values in the columns' order (the page's table, the export)."""
        return [[row.get(c.key) for c in self.columns] for row in self.rows]

    def chart(self) -> dict[str, Any]:
        return {
            "x": self.columns[0].key,
            "type": self.kind,
            "series": [{"key": c.key, "name": str(c.label)} for c in self.columns if c.chart],
            "rows": [{k: _plain(v) for k, v in row.items()} for row in self.rows],
        }


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _rate(part: Any, whole: Any) -> float | None:
    return round(100 * float(part) / float(whole), 1) if whole else None


def _members(user: Any, action: str) -> Any:
    return restrict(Membership.objects.all(), user, action).order_by()


def by_chamber(user: Any, action: str = VIEW) -> Table:
    counts = _members(user, action).values("chamber__name", "status").annotate(n=Count("pk"))
    rows: dict[str, dict[str, Any]] = {}
    for row in counts:
        entry = rows.setdefault(row["chamber__name"], {"chamber": row["chamber__name"], "total": 0})
        entry[row["status"]] = row["n"]
        entry["total"] += row["n"]
    columns = [Col("chamber", _("chamber of commerce"))]
    columns += [Col(s.value, s.label, COUNT, chart=s in ACTIVE_STATUSES) for s in MemberStatus]
    columns.append(Col("total", _("total"), COUNT))
    table = Table("chambers", _("Members by chamber"), columns)
    table.rows = [{c.key: row.get(c.key, 0) for c in columns} for _name, row in sorted(rows.items())]
    return table


def by_industry(user: Any, action: str = VIEW) -> Table:
    counts = (
        _members(user, action)
        .filter(status__in=ACTIVE_STATUSES, enterprise__isnull=False)
        .values("enterprise__industry")
        .annotate(n=Count("pk"))
        .order_by("enterprise__industry")
    )
    labels = dict(Industry.choices)
    table = Table(
        "industries",
        _("Members by industry"),
        [Col("industry", _("industry")), Col("members", _("members"), COUNT, chart=True)],
    )
    table.rows = [{"industry": str(labels.get(r["enterprise__industry"], "")), "members": r["n"]} for r in counts]
    return table


def by_township(user: Any, action: str = VIEW) -> Table:
    counts = (
        _members(user, action)
        .filter(status__in=ACTIVE_STATUSES, enterprise__isnull=False)
        .values("enterprise__township__name", "enterprise__township__code")
        .annotate(n=Count("pk"))
        .order_by("enterprise__township__code")
    )
    table = Table(
        "townships",
        _("Member enterprises by township"),
        [Col("township", _("township")), Col("members", _("members"), COUNT, chart=True)],
    )
    table.rows = [{"township": r["enterprise__township__name"], "members": r["n"]} for r in counts]
    return table


def growth(user: Any, today: date, action: str = VIEW, months: int = 24) -> Table:
    """New members (joined) and members leaving (resigned, expelled, lapsed) by month."""
    first = date(today.year - (1 if months <= 12 else 2), today.month, 1)
    members = _members(user, action)
    joined = dict(
        members.filter(joined_on__gte=first)
        .annotate(m=TruncMonth("joined_on"))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    left = dict(
        members.filter(status__in=LEFT, status_since__gte=first)
        .annotate(m=TruncMonth("status_since"))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    table = Table(
        "growth",
        _("New and leaving members by month"),
        [
            Col("month", _("month")),
            Col("joined", _("new members"), COUNT, chart=True),
            Col("left", _("members leaving"), COUNT, chart=True),
        ],
        kind="line",
    )
    month = first
    while month <= today:
        table.rows.append({"month": f"{month:%Y-%m}", "joined": joined.get(month, 0), "left": left.get(month, 0)})
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return table


def retention(user: Any, today: date, action: str = VIEW, years: int = 3) -> Table:
    """Per year: members at its start, how many of them were still members at its end
    (a member who left is dated by their status since)."""
    members = _members(user, action).filter(joined_on__isnull=False)
    counts = {}
    for year in range(today.year - years + 1, today.year + 1):
        start, end = date(year, 1, 1), date(year, 12, 31)
        present = Q(joined_on__lt=start) & ~Q(status__in=LEFT, status_since__lt=start)
        stayed = present & ~Q(status__in=LEFT, status_since__lte=end)
        counts[f"s{year}"] = Count("pk", filter=present)
        counts[f"k{year}"] = Count("pk", filter=stayed)
    found = members.aggregate(**counts)
    table = Table(
        "retention",
        _("Retention by year"),
        [
            Col("year", _("year")),
            Col("at_start", _("members at the start of the year"), COUNT),
            Col("stayed", _("still members at its end"), COUNT),
            Col("rate", _("retention %"), PERCENT, chart=True),
        ],
        kind="line",
    )
    for year in range(today.year - years + 1, today.year + 1):
        at_start, stayed = found[f"s{year}"], found[f"k{year}"]
        table.rows.append({"year": str(year), "at_start": at_start, "stayed": stayed, "rate": _rate(stayed, at_start)})
    return table


def dues_collection(user: Any, today: date, action: str = VIEW) -> Table:
    rows = (
        restrict(Dues.objects.filter(year=today.year), user, action)
        .order_by()
        .values("membership__chamber__name")
        .annotate(
            due=Sum("amount"),
            paid=Sum("amount", filter=Q(paid_on__isnull=False)),
            members=Count("pk"),
            paying=Count("pk", filter=Q(paid_on__isnull=False)),
        )
        .order_by("membership__chamber__name")
    )
    table = Table(
        "dues",
        _("Dues collection this year"),
        [
            Col("chamber", _("chamber of commerce")),
            Col("members", _("members billed"), COUNT),
            Col("paying", _("members paid"), COUNT),
            Col("due", _("due (yuan)"), MONEY),
            Col("paid", _("paid (yuan)"), MONEY),
            Col("rate", _("collection rate %"), PERCENT, chart=True),
        ],
    )
    for r in rows:
        paid = r["paid"] or Decimal(0)
        table.rows.append(
            {
                "chamber": r["membership__chamber__name"],
                "members": r["members"],
                "paying": r["paying"],
                "due": r["due"],
                "paid": paid,
                "rate": _rate(paid, r["due"]),
            }
        )
    return table


def participation(user: Any, action: str = VIEW) -> Table:
    activities = restrict(MemberActivity.objects.all(), user, action).order_by()
    held = dict(activities.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    signups = (
        ActivitySignup.objects.filter(activity__in=activities.values("pk"))
        .order_by()
        .values("activity__kind")
        .annotate(n=Count("pk"), came=Count("pk", filter=Q(attended=True)), rating=Avg("rating"))
    )
    by_kind: dict[str, dict[str, Any]] = {r["activity__kind"]: dict(r) for r in signups}
    table = Table(
        "participation",
        _("Activity participation by kind"),
        [
            Col("kind", _("kind of activity")),
            Col("activities", _("activities"), COUNT),
            Col("signups", _("sign-ups"), COUNT, chart=True),
            Col("attended", _("attended"), COUNT, chart=True),
            Col("rating", _("average rating"), "0.0"),
        ],
    )
    for kind in ActivityKind:
        row: dict[str, Any] = by_kind.get(kind.value, {})
        if held.get(kind.value) or row:
            rating = row.get("rating")
            table.rows.append(
                {
                    "kind": str(kind.label),
                    "activities": held.get(kind.value, 0),
                    "signups": row.get("n", 0),
                    "attended": row.get("came", 0),
                    "rating": round(rating, 1) if rating is not None else None,
                }
            )
    return table


def _cases(user: Any, action: str) -> Any:
    return restrict(RightsCase.objects.all(), user, action).order_by()


def cases_by_kind(user: Any, action: str = VIEW) -> Table:
    counts = _cases(user, action).values("kind", "status").annotate(n=Count("pk"))
    grid: dict[str, dict[str, int]] = defaultdict(dict)
    for row in counts:
        grid[row["kind"]][row["status"]] = row["n"]
    columns = [Col("kind", _("kind of case"))]
    columns += [Col(s.value, s.label, COUNT, chart=True) for s in CaseStatus]
    columns.append(Col("total", _("total"), COUNT))
    table = Table("cases", _("Cases by kind and status"), columns)
    for kind in CaseKind:
        if kind.value in grid:
            row = {"kind": str(kind.label), **{s.value: grid[kind.value].get(s.value, 0) for s in CaseStatus}}
            row["total"] = sum(grid[kind.value].values())
            table.rows.append(row)
    return table


def service_levels(user: Any, today: date, action: str = VIEW) -> Table:
    """Per kind: cases, acknowledged on time, finished on time, working days to finish."""
    calendar = official_calendar()
    rows = _cases(user, action).values_list(
        "kind", "received_on", "acknowledge_due", "acknowledged_on", "resolve_due", "finished_on"
    )
    stats: dict[str, dict[str, int]] = defaultdict(
        lambda: {"n": 0, "ack": 0, "ack_n": 0, "fin": 0, "fin_n": 0, "done": 0, "days": 0}
    )
    for kind, received, ack_due, acked, resolve_due, finished in rows:
        entry = stats[kind]
        entry["n"] += 1
        if acked is not None or ack_due < today:  # acknowledged, or late already
            entry["ack_n"] += 1
            entry["ack"] += acked is not None and acked <= ack_due
        if finished is not None or resolve_due < today:
            entry["fin_n"] += 1
            entry["fin"] += finished is not None and finished <= resolve_due
        if finished is not None:
            entry["done"] += 1
            entry["days"] += working_days_between(received, finished, calendar)
    table = Table(
        "sla",
        _("Service levels by kind of case"),
        [
            Col("kind", _("kind of case")),
            Col("cases", _("cases"), COUNT),
            Col("acknowledged_on_time", _("acknowledged on time %"), PERCENT, chart=True),
            Col("resolved_on_time", _("resolved on time %"), PERCENT, chart=True),
            Col("days_to_resolve", _("average working days to resolve"), "0.0"),
        ],
    )
    for kind in CaseKind:
        if kind.value not in stats:
            continue
        entry = stats[kind.value]
        table.rows.append(
            {
                "kind": str(kind.label),
                "cases": entry["n"],
                "acknowledged_on_time": _rate(entry["ack"], entry["ack_n"]),
                "resolved_on_time": _rate(entry["fin"], entry["fin_n"]),
                "days_to_resolve": round(entry["days"] / entry["done"], 1) if entry["done"] else None,
            }
        )
    return table


def tables(user: Any, today: date, action: str = VIEW) -> dict[str, Table]:
    found = [
        by_chamber(user, action),
        by_industry(user, action),
        by_township(user, action),
        growth(user, today, action),
        retention(user, today, action),
        dues_collection(user, today, action),
        participation(user, action),
        cases_by_kind(user, action),
        service_levels(user, today, action),
    ]
    return {table.key: table for table in found}
