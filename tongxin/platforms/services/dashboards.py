"""The tables behind each platform's dashboard charts, from the rows a person may view
(or export). Each table is a list of plain dicts; the page draws a chart of it and
offers it as Excel. A few grouped queries per table, never one per row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from tongxin.core import units
from tongxin.core.scope import restrict
from tongxin.platforms import pipeline
from tongxin.platforms.choices import (
    IMPLEMENTED_STATES,
    AnswerState,
    CharityKind,
    EventKind,
    LeadStage,
    OrganisationKind,
    Origin,
    ProjectStatus,
    RequestStatus,
    ServiceField,
)
from tongxin.platforms.models import (
    CharityActivity,
    CharityEvent,
    CountrysideActivity,
    InnovationProject,
    InvestmentLead,
    Organisation,
    Proposal,
    ResearchReport,
    ResearchTopic,
    ServiceRequest,
    Talent,
)
from tongxin.platforms.services.investment import histories
from tongxin.platforms.services.research import overdue_q, unanswered_q, with_progress


@dataclass(frozen=True)
class Series:
    key: str
    label: Any
    number_format: str | None = units.COUNT


@dataclass(frozen=True)
class Table:
    """One chart's data: the category column, the value columns and the chart kind."""

    key: str
    title: Any
    category: Series
    series: tuple[Series, ...]
    rows: list[dict[str, Any]]
    kind: str = "bar"  # bar, pie (first series), line

    def chart(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "x": self.category.key,
            "series": [{"key": s.key, "label": str(s.label)} for s in self.series],
            "rows": self.rows,
        }


@dataclass(frozen=True)
class Board:
    """A platform's dashboard: its title, the model whose view right opens it and whose
    export right downloads its tables, and the function computing its tables."""

    key: str
    title: Any
    model: type
    tables: Callable[[Any, str, date], list[Table]]


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


# --- platform 1: research and proposals ------------------------------------------------


def research_tables(user: Any, action: str, today: date) -> list[Table]:
    proposals = restrict(Proposal.objects.all(), user, action).order_by()
    topics = restrict(ResearchTopic.objects.all(), user, action).order_by()
    reports = restrict(ResearchReport.objects.all(), user, action).order_by()
    states = _labels(AnswerState.choices)
    counts = proposals.aggregate(
        waiting=Count("pk", filter=unanswered_q() & ~overdue_q(today)),
        overdue=Count("pk", filter=overdue_q(today)),
        **{state: Count("pk", filter=Q(answer_state=state)) for state in AnswerState.values},
    )
    by_state = [{"state": label, "proposals": counts[state]} for state, label in states.items()]
    by_state += [
        {"state": str(_("Awaiting an answer")), "proposals": counts["waiting"]},
        {"state": str(_("Answer overdue")), "proposals": counts["overdue"]},
    ]
    departments = [
        {
            "department": row["department"],
            "submitted": row["submitted"],
            "answered": row["answered"],
            "adopted": row["adopted"],
            "overdue": row["overdue"],
        }
        for row in proposals.values("department")
        .annotate(
            submitted=Count("pk"),
            answered=Count("pk", filter=~unanswered_q()),
            adopted=Count("pk", filter=Q(answer_state__in=IMPLEMENTED_STATES)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
        .order_by("-submitted", "department")
    ]
    years: dict[int, dict[str, Any]] = {}
    for row in topics.values("year").annotate(n=Count("pk")):
        years.setdefault(row["year"], {"year": row["year"], "topics": 0, "reports": 0, "proposals": 0})["topics"] = row[
            "n"
        ]
    for row in reports.annotate(y=ExtractYear("date")).values("y").annotate(n=Count("pk")):
        years.setdefault(row["y"], {"year": row["y"], "topics": 0, "reports": 0, "proposals": 0})["reports"] = row["n"]
    for row in proposals.annotate(y=ExtractYear("submitted_on")).values("y").annotate(n=Count("pk")):
        years.setdefault(row["y"], {"year": row["y"], "topics": 0, "reports": 0, "proposals": 0})["proposals"] = row[
            "n"
        ]
    per_department: dict[str, list[int]] = {}
    # The progress is an annotation the type checker does not know of.
    implemented: Any = with_progress(proposals.filter(answer_state__in=IMPLEMENTED_STATES))
    for department, done in implemented.values_list("department", "progress_done"):
        per_department.setdefault(department, []).append(done or 0)
    progress = [
        {"department": name, "proposals": len(values), "progress": round(sum(values) / len(values), 1)}
        for name, values in sorted(per_department.items())
    ]
    return [
        Table(
            "states",
            _("Proposals by answer"),
            Series("state", _("answer"), None),
            (Series("proposals", _("proposals")),),
            by_state,
            kind="pie",
        ),
        Table(
            "departments",
            _("Proposals by department"),
            Series("department", _("department"), None),
            (
                Series("submitted", _("submitted")),
                Series("answered", _("answered")),
                Series("adopted", _("adopted or partly adopted")),
                Series("overdue", _("answer overdue")),
            ),
            departments,
        ),
        Table(
            "years",
            _("Topics, reports and proposals by year"),
            Series("year", _("year"), None),
            (Series("topics", _("topics")), Series("reports", _("reports")), Series("proposals", _("proposals"))),
            [years[y] for y in sorted(years)],
            kind="line",
        ),
        Table(
            "progress",
            _("Implementation progress by department"),
            Series("department", _("department"), None),
            (
                Series("proposals", _("adopted or partly adopted")),
                Series("progress", _("average progress %"), units.PERCENT),
            ),
            progress,
        ),
    ]


# --- platform 2: organisations serving society -------------------------------------------


def charity_tables(user: Any, action: str, today: date) -> list[Table]:
    activities = restrict(CharityActivity.objects.all(), user, action).order_by()
    events = restrict(CharityEvent.objects.all(), user, action).order_by()
    organisations = restrict(Organisation.objects.all(), user, action).order_by()
    kinds = _labels(CharityKind.choices)
    by_kind = [
        {
            "kind": kinds.get(row["kind"], row["kind"]),
            "activities": row["n"],
            "amount": row["amount"] or 0,
            "beneficiaries": row["people"] or 0,
        }
        for row in activities.values("kind")
        .annotate(n=Count("pk"), amount=Sum("amount"), people=Sum("beneficiaries"))
        .order_by("kind")
    ]
    org_kinds = _labels(OrganisationKind.choices)
    given = {
        row["organisation__kind"]: row
        for row in activities.values("organisation__kind").annotate(n=Count("pk"), amount=Sum("amount"))
    }
    by_type = [
        {
            "type": org_kinds.get(row["kind"], row["kind"]),
            "organisations": row["n"],
            "activities": given.get(row["kind"], {}).get("n", 0),
            "amount": given.get(row["kind"], {}).get("amount") or 0,
        }
        for row in organisations.values("kind").annotate(n=Count("pk")).order_by("kind")
    ]
    months = [
        {"month": f"{row['y']}-{row['m']:02d}", "activities": row["n"], "amount": row["amount"] or 0}
        for row in activities.annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("y", "m")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by("y", "m")
    ]
    event_kinds = _labels(EventKind.choices)
    by_event = [
        {"kind": event_kinds.get(row["kind"], row["kind"]), "events": row["n"], "attendance": row["people"] or 0}
        for row in events.values("kind").annotate(n=Count("pk"), people=Sum("attendance")).order_by("kind")
    ]
    return [
        Table(
            "kinds",
            _("Charity activities by kind"),
            Series("kind", _("kind"), None),
            (
                Series("activities", _("activities")),
                Series("amount", _("amount (yuan)"), units.MONEY),
                Series("beneficiaries", _("beneficiaries")),
            ),
            by_kind,
        ),
        Table(
            "types",
            _("By type of organisation"),
            Series("type", _("type"), None),
            (
                Series("organisations", _("organisations")),
                Series("activities", _("activities")),
                Series("amount", _("amount (yuan)"), units.MONEY),
            ),
            by_type,
        ),
        Table(
            "months",
            _("Charity activities by month"),
            Series("month", _("month"), None),
            (Series("activities", _("activities")), Series("amount", _("amount (yuan)"), units.MONEY)),
            months,
            kind="line",
        ),
        Table(
            "events",
            _("Temple fairs and publicity sessions"),
            Series("kind", _("kind"), None),
            (Series("events", _("events")), Series("attendance", _("attendance"))),
            by_event,
        ),
    ]


# --- platform 3: investment and talent -------------------------------------------------------


def investment_tables(user: Any, action: str, today: date) -> list[Table]:
    leads = restrict(InvestmentLead.objects.all(), user, action).order_by()
    found = histories(leads)
    keys = list(leads.values_list("pk", "origin", "association__name"))
    stages = _labels(LeadStage.choices)
    funnel_rows = [
        {"stage": stages[row.stage], "projects": row.reached, "conversion": row.conversion or 0}
        for row in pipeline.funnel(found.values())
    ]
    origins = _labels(Origin.choices)

    def grouped(index: int, labels: dict[str, str] | None) -> list[dict[str, Any]]:
        groups: dict[str, list[list[str]]] = {}
        for key in keys:
            name = labels.get(key[index], key[index]) if labels is not None else key[index]
            groups.setdefault(name, []).append(found.get(key[0], []))
        return [
            {
                "group": row.group,
                "projects": row.projects,
                "signed": row.signed,
                "landed": row.landed,
                "lost": row.lost,
                "landed_rate": row.landed_rate or 0,
            }
            for row in pipeline.conversion(dict(sorted(groups.items())))
        ]

    currencies = [
        {
            "currency": row["currency"],
            "projects": row["n"],
            "planned": row["planned"] or 0,
            "actual": row["actual"] or 0,
        }
        for row in leads.values("currency")
        .annotate(n=Count("pk"), planned=Sum("planned_investment"), actual=Sum("actual_investment"))
        .order_by("currency")
    ]
    talents = [
        {"association": row["association__name"], "talents": row["n"]}
        for row in restrict(Talent.objects.all(), user, action)
        .order_by()
        .values("association__name")
        .annotate(n=Count("pk"))
        .order_by("association__name")
    ]
    conversion_series = (
        Series("projects", _("projects")),
        Series("signed", _("signed")),
        Series("landed", _("landed")),
        Series("lost", _("lost")),
        Series("landed_rate", _("landed %"), units.PERCENT),
    )
    return [
        Table(
            "funnel",
            _("Project funnel"),
            Series("stage", _("stage"), None),
            (
                Series("projects", _("projects that reached it")),
                Series("conversion", _("share of all %"), units.PERCENT),
            ),
            funnel_rows,
        ),
        Table(
            "origins",
            _("Conversion by origin"),
            Series("group", _("origin"), None),
            conversion_series,
            grouped(1, origins),
        ),
        Table(
            "associations",
            _("Conversion by association"),
            Series("group", _("association"), None),
            conversion_series,
            grouped(2, None),
        ),
        Table(
            "currencies",
            _("Investment by currency (10,000)"),
            Series("currency", _("currency"), None),
            (
                Series("projects", _("projects")),
                Series("planned", _("planned"), units.MONEY),
                Series("actual", _("actual"), units.MONEY),
            ),
            currencies,
        ),
        Table(
            "talents",
            _("Talents introduced by association"),
            Series("association", _("association"), None),
            (Series("talents", _("talents")),),
            talents,
        ),
    ]


# --- platform 4: intellectuals serve development ---------------------------------------------


def intellectual_tables(user: Any, action: str, today: date) -> list[Table]:
    activities = restrict(CountrysideActivity.objects.all(), user, action).order_by()
    requests = restrict(ServiceRequest.objects.all(), user, action).order_by()
    projects = restrict(InnovationProject.objects.all(), user, action).order_by()
    kinds = _labels(ServiceField.choices)
    served = dict(activities.values("kind").annotate(n=Count("villages", distinct=True)).values_list("kind", "n"))
    by_kind = [
        {
            "kind": kinds.get(row["kind"], row["kind"]),
            "activities": row["n"],
            "beneficiaries": row["people"] or 0,
            "villages": served.get(row["kind"], 0),
        }
        for row in activities.values("kind").annotate(n=Count("pk"), people=Sum("beneficiaries")).order_by("kind")
    ]
    months = [
        {"month": f"{row['y']}-{row['m']:02d}", "activities": row["n"], "beneficiaries": row["people"] or 0}
        for row in activities.annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("y", "m")
        .annotate(n=Count("pk"), people=Sum("beneficiaries"))
        .order_by("y", "m")
    ]
    statuses = _labels(RequestStatus.choices)
    by_status = [
        {"status": statuses.get(row["status"], row["status"]), "requests": row["n"]}
        for row in requests.values("status").annotate(n=Count("pk")).order_by("status")
    ]
    project_statuses = _labels(ProjectStatus.choices)
    innovation = [
        {
            "status": project_statuses.get(row["status"], row["status"]),
            "projects": row["n"],
            "patents": row["patents"] or 0,
            "products": row["products"] or 0,
            "output": row["output"] or 0,
        }
        for row in projects.values("status")
        .annotate(n=Count("pk"), patents=Sum("patents"), products=Sum("new_products"), output=Sum("output_value"))
        .order_by("status")
    ]
    return [
        Table(
            "kinds",
            _("Countryside activities by kind"),
            Series("kind", _("kind"), None),
            (
                Series("activities", _("activities")),
                Series("beneficiaries", _("beneficiaries")),
                Series("villages", _("villages served")),
            ),
            by_kind,
        ),
        Table(
            "months",
            _("Countryside activities by month"),
            Series("month", _("month"), None),
            (Series("activities", _("activities")), Series("beneficiaries", _("beneficiaries"))),
            months,
            kind="line",
        ),
        Table(
            "requests",
            _("Village requests by status"),
            Series("status", _("status"), None),
            (Series("requests", _("requests")),),
            by_status,
            kind="pie",
        ),
        Table(
            "innovation",
            _("Innovation projects"),
            Series("status", _("status"), None),
            (
                Series("projects", _("projects")),
                Series("patents", _("patents")),
                Series("products", _("new products")),
                Series("output", _("new output value (10,000 yuan)"), units.MONEY),
            ),
            innovation,
        ),
    ]


BOARDS = {
    "research": Board("research", _("Research and proposals"), Proposal, research_tables),
    "charity": Board("charity", _("Organisations serving society"), CharityActivity, charity_tables),
    "investment": Board("investment", _("Investment and talent"), InvestmentLead, investment_tables),
    "intellectuals": Board(
        "intellectuals", _("Intellectuals serve development"), CountrysideActivity, intellectual_tables
    ),
}
