"""A filer's own pairs, one card each: what to do about this period's report, when the
next report is due and what happened last. Read only (the writes are ``report_save`` and
``report_submit``).

"My pairs" are the approved pairs the person sees through the hats of the roles that file
reports for a pair — a liaison officer's own appointments, an enterprise contact's own
enterprise — never through a township or county hat they also hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.scope import VIEW, restrict
from tongxin.pairing.choices import PairStatus, ReportStatus, Stage
from tongxin.pairing.models import Activity, Pair, Report
from tongxin.pairing.models.running import RUNNING_STAGES
from tongxin.pairing.services.reports import period_bounds, periods

# The roles whose hats make a pair "mine": the ones that file its reports.
FILER_ROLES = frozenset({Role.LIAISON, Role.ENTERPRISE_CONTACT})
# Campaigns whose pairs are shown: approved (plans, letters) and running (reports).
SHOWN_STAGES = (Stage.APPROVED, Stage.RUNNING)
TO_FILE = "to_file"


class CardState:
    """This period's report as the filer sees it (a report's status, or none yet)."""

    TO_FILE = TO_FILE
    DRAFT = ReportStatus.DRAFT.value
    SUBMITTED = ReportStatus.SUBMITTED.value
    RETURNED = ReportStatus.RETURNED.value
    ACCEPTED = ReportStatus.ACCEPTED.value
    NONE = "none"  # nothing to report yet (the pair started after the period)

    LABELS: dict[str, Any] = {
        TO_FILE: _("To file"),
        DRAFT: ReportStatus.DRAFT.label,
        SUBMITTED: ReportStatus.SUBMITTED.label,
        RETURNED: ReportStatus.RETURNED.label,
        ACCEPTED: ReportStatus.ACCEPTED.label,
        NONE: _("Nothing due yet"),
    }
    COLOURS = {
        TO_FILE: "orange",
        DRAFT: "yellow",
        SUBMITTED: "blue",
        RETURNED: "red",
        ACCEPTED: "green",
        NONE: "secondary",
    }
    # Filter values of the page (``?report=``): "to file" is every report still to send.
    FILTERS: dict[str, tuple[str, ...]] = {
        TO_FILE: (TO_FILE, DRAFT),
        RETURNED: (RETURNED,),
        SUBMITTED: (SUBMITTED,),
        ACCEPTED: (ACCEPTED,),
    }
    FILTER_LABELS: dict[str, Any] = {
        TO_FILE: _("To file"),
        RETURNED: _("Returned"),
        SUBMITTED: _("Submitted"),
        ACCEPTED: _("Accepted"),
    }


@dataclass(frozen=True)
class PairCard:
    """One pair on the filer's page."""

    pair: Pair
    period: date | None  # the period being reported now (the last one over), if any
    due: date | None  # its due date
    state: str
    report_id: int | None
    next_due: date | None  # the next due date from today on
    action_url: str  # where one tap files, fixes or reads the report ("" if nothing to do)
    action_label: Any
    overdue: bool  # past its due date and not sent yet

    @property
    def state_label(self) -> Any:
        return CardState.LABELS[self.state]

    @property
    def colour(self) -> str:
        return CardState.COLOURS[self.state]


def my_pairs(user: Any) -> Any:
    """The approved pairs of campaigns approved or running that ``user`` sees through a
    filer's hat, with the latest activity's id, date and title (one query)."""
    latest = Activity.objects.filter(pair=OuterRef("pk")).order_by("-date", "-pk")
    return (
        restrict(Pair.objects.all(), user, VIEW, roles=FILER_ROLES)
        .filter(status=PairStatus.APPROVED, campaign__stage__in=SHOWN_STAGES)
        .select_related("campaign", "village", "enterprise", "township")
        .only(
            "id",
            "start_date",
            "end_date",
            "campaign__id",
            "campaign__name",
            "campaign__stage",
            "campaign__start",
            "campaign__end",
            "campaign__report_frequency",
            "campaign__report_due_days",
            "village__id",
            "village__name",
            "enterprise__id",
            "enterprise__name",
            "township__id",
            "township__name",
        )
        .annotate(
            last_activity_id=Subquery(latest.values("pk")[:1]),
            last_activity_date=Subquery(latest.values("date")[:1]),
            last_activity_title=Subquery(latest.values("title")[:1]),
        )
        .order_by("campaign__start", "campaign_id", "village__name", "pk")
    )


def _reporting(campaign: Any, today: date) -> tuple[date | None, date | None, date | None]:
    """(period being reported now, its due date, the next due date from today on)."""
    current: tuple[date | None, date | None] = (None, None)
    next_due = None
    for period in periods(campaign):
        _start, end, due = period_bounds(campaign, period)
        if end < today:
            current = (period, due)
        if due >= today and next_due is None:
            next_due = due
    return current[0], current[1], next_due


def pair_cards(pairs: list[Pair], today: date) -> list[PairCard]:
    """The cards of ``pairs`` (from :func:`my_pairs`): one more query for their reports of
    the periods being reported now."""
    reporting: dict[int, tuple[date | None, date | None, date | None]] = {}
    for pair in pairs:
        if pair.campaign_id not in reporting:
            reporting[pair.campaign_id] = _reporting(pair.campaign, today)
    wanted = {p for p, _due, _next in reporting.values() if p is not None}
    reports: dict[tuple[int, date], tuple[int, str]] = {}
    if wanted:
        rows = Report.objects.filter(pair__in=[p.pk for p in pairs], period__in=wanted).values_list(
            "pk", "pair_id", "period", "status"
        )
        reports = {(pair_id, period): (pk, status) for pk, pair_id, period, status in rows}
    cards = []
    for pair in pairs:
        period, due, next_due = reporting[pair.campaign_id]
        if period is not None and pair.start_date and period_bounds(pair.campaign, period)[1] < pair.start_date:
            period = due = None  # the pair started after that period: nothing to report for it
        report_id, status = reports.get((pair.pk, period), (None, None)) if period else (None, None)
        state = (status or TO_FILE) if period else CardState.NONE
        running = pair.campaign.stage in RUNNING_STAGES
        url, label = "", cast(Any, "")
        if period and running and state in (TO_FILE, CardState.DRAFT, CardState.RETURNED):
            url = reverse("pairing:pair_report", args=[pair.pk, period.isoformat()])
            label = {
                TO_FILE: _("File the report"),
                CardState.DRAFT: _("Finish and submit"),
                CardState.RETURNED: _("Fix and submit"),
            }[state]
        elif report_id is not None:
            url, label = reverse("pairing:report_detail", args=[report_id]), _("Open the report")
        overdue = due is not None and due < today and state in (TO_FILE, CardState.DRAFT, CardState.RETURNED)
        cards.append(PairCard(pair, period, due, state, report_id, next_due, url, label, overdue))
    return cards
