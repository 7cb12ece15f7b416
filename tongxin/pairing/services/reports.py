"""Progress reports per pair and period, and how complete and timely they are.

Completeness and timeliness follow DHIS2's reporting-rate definitions:
expected = pairs active in the period; completeness = submitted / expected;
timeliness = submitted on or before the due date / expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.scope import ADD, CHANGE, VIEW, allowed, require, restrict
from tongxin.pairing.choices import PAIR_STATUSES, EventKind, Frequency, ReportStatus
from tongxin.pairing.models import Campaign, Pair, Report
from tongxin.pairing.models.running import RUNNING_PAIR_STATUS, RUNNING_STAGES, running_pair_q
from tongxin.pairing.services import notices
from tongxin.pairing.services.campaigns import Verdict, event, require_version
from tongxin.pairing.services.errors import PairingError

INDICATORS = ("investment", "projects", "jobs", "farmer_income", "collective_income", "narrative")
DONE = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
# Accepted or returned only from here, and never by whoever created or submitted it.
REVIEWABLE = ReportStatus.SUBMITTED


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return date(year, month % 12 + 1, 1)


def period_bounds(campaign: Campaign, period: date) -> tuple[date, date, date]:
    """(first day, last day, due date) of the period starting on ``period``."""
    months = 3 if campaign.report_frequency == Frequency.QUARTERLY else 1
    start = period.replace(day=1)
    end = _add_months(start, months) - timedelta(days=1)
    return start, end, end + timedelta(days=campaign.report_due_days)


def periods(campaign: Campaign, *, until: date | None = None) -> list[date]:
    """The first days of the campaign's reporting periods (up to ``until`` if given)."""
    months = 3 if campaign.report_frequency == Frequency.QUARTERLY else 1
    first = campaign.start.replace(day=1)
    if months == 3:
        first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    last = min(campaign.end, until) if until else campaign.end
    result = []
    current = first
    while current <= last:
        result.append(current)
        current = _add_months(current, months)
    return result


def _check_period(campaign: Campaign, period: date) -> date:
    period = period.replace(day=1)
    if period not in periods(campaign):
        raise PairingError(_("Not a reporting period of this campaign."), "period")
    return period


def _lock_pair(pair: Pair, user: Any) -> Pair:
    locked = Pair.objects.select_for_update().select_related("campaign").get(pk=pair.pk)
    require(user, locked, VIEW)
    if locked.status != RUNNING_PAIR_STATUS:
        raise PairingError(_("Only approved pairs report."), "status")
    if locked.campaign.stage not in RUNNING_STAGES:
        raise PairingError(_("Reports are filed while the campaign is running."), "stage")
    return locked


def _get_or_create(pair: Pair, period: date, user: Any, action: str, version: int | None) -> Report:
    """The report of (pair, period), created if missing, if ``user`` may take ``action``.

    ``version`` is the report's version the user started from (0: there was none yet).
    """
    _start, _end, due = period_bounds(pair.campaign, period)
    report: Report | None = Report.objects.select_for_update().filter(pair=pair, period=period).first()
    if report is not None:
        require(user, report, action)
        require_version(report, version)
        return report
    try:
        with transaction.atomic():
            report = Report(pair=pair, period=period, due_date=due, created_by=user)
            report.save()
    except IntegrityError:  # another request created it a moment ago
        report = Report.objects.select_for_update().get(pair=pair, period=period)
        require(user, report, action)
        require_version(report, version)
        return report
    require(user, report, ADD)
    require(user, report, action)
    return report


def _fill(report: Report, data: dict[str, Any]) -> None:
    for name in INDICATORS:
        if name in data and data[name] is not None:
            setattr(report, name, data[name])


def _report_event(report: Report, user: Any, kind: str, reason: str = "") -> None:
    pair = report.pair
    event(campaign=pair.campaign, kind=kind, actor=user, pair=pair, reason=reason, period=report.period.isoformat())


@transaction.atomic
def report_save(*, pair: Pair, user: Any, period: date, data: dict[str, Any], version: int | None = None) -> Report:
    """Create or update the draft report of ``pair`` for ``period``.

    Pages and the API pass the ``version`` the user started from (0 when there was no
    report yet); a report changed meanwhile is not overwritten (409).
    """
    pair = _lock_pair(pair, user)
    period = _check_period(pair.campaign, period)
    report = _get_or_create(pair, period, user, CHANGE, version)
    if report.status in DONE:
        raise PairingError(_("This report is already submitted."), "submitted")
    _fill(report, data)
    report.full_clean(exclude=["pair"])
    report.save()
    return report


@transaction.atomic
def report_submit(
    *, pair: Pair, user: Any, period: date, data: dict[str, Any] | None = None, version: int | None = None
) -> Report:
    """Submit the report of ``pair`` for ``period`` (one report, even under parallel submits)."""
    pair = _lock_pair(pair, user)
    period = _check_period(pair.campaign, period)
    report = _get_or_create(pair, period, user, "submit", version)
    if report.status in DONE:
        raise PairingError(_("This report is already submitted."), "submitted")
    _fill(report, data or {})
    report.full_clean(exclude=["pair"])
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.save()
    _report_event(report, user, EventKind.REPORT_SUBMITTED)
    notices.report_submitted(report=report, user=user)
    return report


def _review(report: Report, user: Any, action: str) -> Report:
    report = Report.objects.select_for_update().select_related("pair__campaign").get(pk=report.pk)
    require(user, report, action)
    _check_review(report, user)
    return report


def _check_review(report: Report, user: Any) -> None:
    if report.status != REVIEWABLE:
        raise PairingError(_("Only submitted reports can be reviewed."), "status")
    if user.pk in (report.created_by_id, report.submitted_by_id):
        raise PairingError(_("Nobody accepts or returns a report they created or submitted."), "own_entry")


def report_next_step(report: Report) -> str:
    """What the report waits for, in words (where a person has no button to press)."""
    texts: dict[str, str] = {
        ReportStatus.DRAFT: _("A draft: it is reviewed once the pair submits it."),
        ReportStatus.SUBMITTED: _("Waiting for the township or the county to accept it."),
        ReportStatus.RETURNED: _("Returned: the pair corrects it and submits it again."),
        ReportStatus.ACCEPTED: _("Accepted reports are locked."),
    }
    return str(texts.get(report.status, report.get_status_display()))


def can_review_report(user: Any, report: Report, action: str) -> Verdict:
    """Whether ``user`` may accept (``action="accept"``) or return the report now — the
    checks of :func:`report_accept` / :func:`report_return` — and if not, why not."""
    if not allowed(user, report, action):
        return Verdict(False, report_next_step(report))
    try:
        _check_review(report, user)
    except PairingError as exc:
        return Verdict(False, str(exc.message))
    return Verdict(True)


def reviews_waiting(queryset: Any, user: Any, action: str = "accept", *, roles: frozenset[str] | None = None) -> Any:
    """The reports of ``queryset`` that ``user`` may accept (or return) now: the rules of
    :func:`report_accept` and :func:`report_return` for many reports at once."""
    return (
        restrict(queryset, user, action, roles=roles)
        .filter(status=REVIEWABLE)
        .exclude(created_by=user.pk)
        .exclude(submitted_by=user.pk)
    )


def fixes_waiting(queryset: Any, user: Any, *, roles: frozenset[str] | None = None) -> Any:
    """Returned reports of ``queryset`` that ``user`` may correct and submit again (their
    pair still reports: approved, campaign running)."""
    fixable = restrict(queryset, user, "submit", roles=roles)
    return fixable.filter(running_pair_q("pair__"), status=ReportStatus.RETURNED)


@transaction.atomic
def report_accept(*, report: Report, user: Any) -> Report:
    """Accept a submitted report; it is locked from then on."""
    report = _review(report, user, "accept")
    report.status = ReportStatus.ACCEPTED
    report.save()
    _report_event(report, user, EventKind.REPORT_ACCEPTED)
    return report


@transaction.atomic
def report_return(*, report: Report, user: Any, reason: str) -> Report:
    """Return a submitted report with a reason; it can be corrected and submitted again."""
    report = _review(report, user, "return")
    if not (reason or "").strip():
        raise PairingError(_("Give a reason."), "reason")
    report.status = ReportStatus.RETURNED
    report.return_reason = reason.strip()
    report.save()
    _report_event(report, user, EventKind.REPORT_RETURNED, reason.strip())
    notices.report_returned(report=report, user=user, reason=report.return_reason)
    return report


@dataclass(frozen=True)
class ReportingRow:
    """Reporting of one township (or the county total) for one period."""

    label: str
    expected: int
    submitted: int
    on_time: int
    #: The period's due date has not passed yet: its rates are not figures yet (None, "—").
    not_due: bool = False

    @property
    def completeness(self) -> float | None:
        return rate(self.submitted, self.expected, self.not_due)

    @property
    def timeliness(self) -> float | None:
        return rate(self.on_time, self.expected, self.not_due)

    def as_dict(self) -> dict[str, Any]:
        return {
            "township": self.label,
            "expected": self.expected,
            "submitted": self.submitted,
            "on_time": self.on_time,
            "completeness": self.completeness,
            "timeliness": self.timeliness,
            "not_due": self.not_due,
        }


def rate(part: int, expected: int, not_due: bool = False) -> float | None:
    """``part`` / ``expected`` in % (one decimal); None when nothing is expected or the
    period is not due yet (a report not yet due is not a missing one: never 0 %)."""
    if not_due or not expected:
        return None
    return round(100 * part / expected, 1)


def is_due(campaign: Campaign, period: date, today: date) -> bool:
    """Whether the due date of ``period`` has passed on ``today`` (as the late list counts)."""
    return period_bounds(campaign, period)[2] < today


def expected_q(campaign: Campaign, period: date) -> Q:
    """Pairs expected to report for ``period``: of the campaign, approved (or since closed)
    and active during the period (started on or before its last day, not ended before its
    first)."""
    start, end, _due = period_bounds(campaign, period)
    return Q(campaign=campaign.pk, status__in=PAIR_STATUSES, start_date__lte=end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )


def missing_q(campaign: Campaign, period: date, *, also: tuple[str, ...] = ()) -> Q:
    """Pairs expected to report for ``period`` whose report is not submitted (nor accepted,
    nor in a status of ``also``)."""
    done = Report.objects.filter(pair=OuterRef("pk"), period=period.replace(day=1), status__in=(*DONE, *also))
    return expected_q(campaign, period) & Q(~Exists(done))


def active_pairs(pairs: Any, campaign: Campaign, period: date) -> Any:
    """Pairs expected to report for ``period``: approved and active during it."""
    return pairs.filter(expected_q(campaign, period))


def overdue_periods(campaign: Campaign, today: date) -> list[tuple[date, date]]:
    """(period, due date) of every period of the campaign whose due date has passed."""
    result = []
    for period in periods(campaign, until=today):
        _start, _end, due = period_bounds(campaign, period)
        if due < today:
            result.append((period, due))
    return result


def current_periods(campaign: Campaign, today: date) -> list[tuple[date, date]]:
    """(period, due date) of the period being reported now: over, and not yet due."""
    result = []
    for period in periods(campaign, until=today):
        _start, end, due = period_bounds(campaign, period)
        if end < today <= due:
            result.append((period, due))
    return result


def reporting_summary(*, campaign: Campaign, period: date, pairs: Any, today: date | None = None) -> list[ReportingRow]:
    """Expected, submitted and on-time reports per township for one period, then the total.

    ``pairs`` is the caller's scoped Pair queryset, so a township sees its own row. A
    period whose due date has not passed on ``today`` (default: the local date) has its
    rows marked ``not_due``: counts, but no rates. Two
    queries: the expected pairs, then their reports of the period by pair number (the
    unique index on pair and period answers it without touching other reports).
    """
    period = period.replace(day=1)
    _start, _end, due = period_bounds(campaign, period)
    not_due = not is_due(campaign, period, today or timezone.localdate())
    # Only the pairs' numbers and township names: whole pair rows (with their fit and
    # explanation data) for a county's thousands of pairs cost more than the counting.
    expected = list(
        active_pairs(pairs, campaign, period).order_by("township__code", "pk").values_list("pk", "township__name")
    )
    reports = dict(
        Report.objects.filter(pair_id__in=[pk for pk, _name in expected], period=period, status__in=DONE).values_list(
            "pair_id", "submitted_at"
        )
    )
    local = timezone.get_current_timezone()
    rows: dict[str, list[int]] = {}
    for pk, township in expected:
        row = rows.setdefault(township, [0, 0, 0])
        row[0] += 1
        if pk in reports:
            row[1] += 1
            submitted_at = reports[pk]
            if submitted_at is not None and submitted_at.astimezone(local).date() <= due:
                row[2] += 1
    result = [
        ReportingRow(name, expected, submitted, on_time, not_due)
        for name, (expected, submitted, on_time) in rows.items()
    ]
    total = ReportingRow(
        _("County total"),
        sum(r.expected for r in result),
        sum(r.submitted for r in result),
        sum(r.on_time for r in result),
        not_due=not_due,
    )
    return [*result, total]


def late_and_missing(
    *, campaign: Campaign, pairs: Any, today: date, period: date | None = None
) -> list[dict[str, Any]]:
    """Reports past their due date that are missing, or were submitted late: by period,
    then in the pairs' order; each row has the pair, the period, its due date, the state
    ("missing" or "late") and the report's id (None when there is none). Only ``period``'s
    if given. Two queries however many periods and pairs: the campaign's approved pairs
    in scope, then their reports of the periods already due."""
    due_periods = []
    for one, due in overdue_periods(campaign, today):
        if period is not None and one != period:
            continue
        start, end, _due = period_bounds(campaign, one)
        due_periods.append((one, start, end, due))
    if not due_periods:
        return []
    # Only what a row shows (names, dates): not the pairs' fit and explanation data.
    candidates = list(
        pairs.filter(campaign=campaign, status__in=PAIR_STATUSES, start_date__isnull=False)
        .select_related("enterprise", "village", "township")
        .only("id", "start_date", "end_date", "enterprise__name", "village__name", "township__name", "township__code")
    )
    # Whether each report came in by the end of its period's due day (local time) is
    # decided by the database: loading a county's thousands of submission times into
    # Python costs more than the rest of the page.
    local = timezone.get_current_timezone()
    # (A report marked done without a submission time is not late, as before.)
    on_time = Q(submitted_at__isnull=True)
    for one, _start, _end, due in due_periods:
        deadline = datetime.combine(due + timedelta(days=1), time.min, tzinfo=local)
        on_time |= Q(period=one, submitted_at__lt=deadline)
    reports = {
        (pair_id, one): (pk, status, in_time)
        for pk, pair_id, one, status, in_time in Report.objects.filter(
            pair_id__in=[p.pk for p in candidates], period__in=[one for one, *_rest in due_periods]
        )
        .annotate(in_time=ExpressionWrapper(on_time, output_field=BooleanField()))
        .values_list("pk", "pair_id", "period", "status", "in_time")
    }
    rows: list[dict[str, Any]] = []
    for one, start, end, due in due_periods:
        for pair in candidates:
            if pair.start_date > end or (pair.end_date is not None and pair.end_date < start):
                continue  # not expected to report for this period (as ``active_pairs``)
            report_id, status, in_time = reports.get((pair.pk, one), (None, None, None))
            row = {"pair": pair, "period": one, "due": due, "report_id": report_id}
            if status not in DONE:
                rows.append({**row, "state": "missing"})
            elif not in_time:
                rows.append({**row, "state": "late"})
    return rows


#: The indicators a report counts, with the kind of unit each is measured in.
FIGURES = (
    ("investment", "money"),
    ("projects", "items"),
    ("jobs", "persons"),
    ("farmer_income", "money"),
    ("collective_income", "money"),
)


@dataclass(frozen=True)
class Figure:
    """One indicator on the report form: the plan's target, the previous period's
    figure, this period's, and the total so far (earlier periods submitted or accepted,
    plus this period's figure)."""

    name: str
    unit: str
    target: Any
    previous: Any
    current: Any
    total: Any

    @property
    def progress(self) -> float | None:
        """The total so far as a share of the target, in % (None without a target)."""
        if not self.target:
            return None
        return round(100 * float(self.total) / float(self.target), 1)


def report_figures(*, pair: Pair, period: date, user: Any, current: Report | None = None) -> list[Figure]:
    """The figures the report form of ``pair`` for ``period`` shows next to its fields,
    from what ``user`` may view: the plan's targets, the last period's figures, this
    period's (``current``, the report being edited, or the stored one) and the cumulative
    total against the target. Two queries."""
    from tongxin.pairing.models import PairPlan

    plan = restrict(PairPlan.objects.filter(pair=pair), user, VIEW).first()
    earlier = list(
        restrict(Report.objects.filter(pair=pair, period__lt=period, status__in=DONE), user, VIEW).order_by("-period")
    )
    own = [p for p in periods(pair.campaign, until=period) if p < period]
    previous = next((r for r in earlier if own and r.period == own[-1]), None)
    figures = []
    for name, unit in FIGURES:
        now = getattr(current, name) if current is not None else None
        done = sum((getattr(r, name) for r in earlier), 0)
        figures.append(
            Figure(
                name=name,
                unit=unit,
                target=getattr(plan, name) if plan is not None else None,
                previous=getattr(previous, name) if previous is not None else None,
                current=now,
                total=done + (now or 0),
            )
        )
    return figures


def report_overdue(*, campaign: Campaign, period: date, report: Report | None, today: date) -> bool:
    """Whether the report of ``period`` is overdue: its due date has passed on ``today``
    and it is not submitted (nor accepted)."""
    return is_due(campaign, period, today) and (report is None or report.status not in DONE)
