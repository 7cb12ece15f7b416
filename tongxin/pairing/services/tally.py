"""Reporting numbers per (campaign, township, period): counted, kept and refreshed.

:func:`count_cells` counts expected, submitted and on-time reports from the pairs and
reports themselves (two queries whatever the size), by the definitions of
:func:`tongxin.pairing.services.reports.reporting_summary`. The same counts are kept in
:class:`~tongxin.pairing.models.ReportingTally` for the province's view over every county
and period (see docs/scale.md for the measurements behind it):

* :func:`refresh_township` recounts one township of one campaign (all its periods, or
  some) under a row lock on the township, so two transactions refreshing the same cells
  one after the other both count what the first committed;
* the ``pre_save``/``post_save``/``post_delete`` handlers below call it, in the writing
  transaction, whenever a report, a pair or a campaign changes in a way that moves the
  numbers — from services, pages, the API, imports and the admin alike. Writes that bypass
  ``save()`` (``QuerySet.update``, bulk inserts) only touch proposals, whose numbers are
  zero, or are bulk loads, which call :func:`rebuild` at the end.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Case, Count, DateField, Expression, F, Func, Q, QuerySet, Value, When
from django.db.models.signals import post_delete, post_save, pre_save
from django.db.models.sql.compiler import SQLCompiler

from tongxin.pairing.choices import PAIR_STATUSES, Frequency
from tongxin.pairing.models import Campaign, Pair, Report, ReportingTally
from tongxin.pairing.services.reports import DONE, period_bounds, periods

__all__ = ["Cells", "connect", "count_cells", "rebuild", "refresh_township"]

#: (campaign id, township id, period) → [expected, submitted, on time]
Cells = dict[tuple[int, int, date], list[int]]
BATCH = 2000


class _PeriodEnd(Func):
    """The last day of the period starting on ``period`` that lasts ``months`` months."""

    output_field = DateField()

    def __init__(self, period: Any, months: Any) -> None:
        super().__init__(period, months)

    def _parts(self, compiler: SQLCompiler) -> tuple[str, str, list[Any]]:
        period, months = self.get_source_expressions()
        period_sql, period_params = compiler.compile(period)
        months_sql, months_params = compiler.compile(months)
        return period_sql, months_sql, [*period_params, *months_params]

    def as_sql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        period_sql, months_sql, params = self._parts(compiler)
        return f"date({period_sql}, '+' || ({months_sql}) || ' months', '-1 day')", params

    def as_postgresql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        period_sql, months_sql, params = self._parts(compiler)
        return f"(({period_sql}) + make_interval(months => ({months_sql})) - interval '1 day')::date", params


class _AddDays(Func):
    """A date plus a whole number of days."""

    output_field = DateField()

    def __init__(self, day: Any, days: Any) -> None:
        super().__init__(day, days)

    def _parts(self, compiler: SQLCompiler) -> tuple[str, str, list[Any]]:
        day, days = self.get_source_expressions()
        day_sql, day_params = compiler.compile(day)
        days_sql, days_params = compiler.compile(days)
        return day_sql, days_sql, [*day_params, *days_params]

    def as_sql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        day_sql, days_sql, params = self._parts(compiler)
        return f"date({day_sql}, '+' || ({days_sql}) || ' days')", params

    def as_postgresql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        day_sql, days_sql, params = self._parts(compiler)
        return f"(({day_sql}) + ({days_sql})::integer)", params


def _months() -> Expression:
    """Months per period of the report's campaign."""
    return Case(When(pair__campaign__report_frequency=Frequency.QUARTERLY, then=Value(3)), default=Value(1))


def count_cells(pairs: QuerySet[Pair], campaigns: Iterable[Campaign], *, only: date | None = None) -> Cells:
    """Expected, submitted and on-time reports per (campaign, township, period) of
    ``pairs`` (any Pair queryset, e.g. a user's scoped one), for every period of each of
    ``campaigns`` (or the period ``only``). Two queries.

    Expected: approved or closed pairs whose start date is set and who are active during
    the period (started by its last day, not ended before its first). Submitted: their
    reports of that period submitted or accepted. On time: of those, submitted (in local
    time) on or before the period's last day plus the campaign's ``report_due_days``.
    """
    chosen = {campaign.pk: campaign for campaign in campaigns}
    cells: Cells = defaultdict(lambda: [0, 0, 0])
    if not chosen:
        return cells
    active = pairs.filter(campaign__in=list(chosen), status__in=PAIR_STATUSES)
    own_periods = {pk: periods(campaign) for pk, campaign in chosen.items()}
    bounds = {pk: [period_bounds(chosen[pk], p) for p in own] for pk, own in own_periods.items()}
    spans = (
        active.filter(start_date__isnull=False)
        .values_list("campaign_id", "township_id", "start_date", "end_date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for campaign_id, township_id, start, end, n in spans:
        own, limits = own_periods[campaign_id], bounds[campaign_id]
        first = bisect_left([last for _first, last, _due in limits], start)  # first period ending on/after start
        stop = len(own) if end is None else bisect_right([p for p, _last, _due in limits], end)
        for i in range(first, stop):
            if only is None or own[i] == only:
                cells[(campaign_id, township_id, own[i])][0] += n
    reports = Report.objects.filter(pair__in=active, status__in=DONE)
    if only is not None:
        reports = reports.filter(period=only)
    done = (
        reports.alias(period_end=_PeriodEnd(F("period"), _months()))
        .filter(pair__start_date__lte=F("period_end"))
        .filter(Q(pair__end_date__isnull=True) | Q(pair__end_date__gte=F("period")))
        .values_list("pair__campaign_id", "pair__township_id", "period")
        .annotate(
            submitted=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(submitted_at__date__lte=_AddDays(F("period_end"), F("pair__campaign__report_due_days"))),
            ),
        )
        .order_by()
    )
    for campaign_id, township_id, period, submitted, on_time in done:
        cell = cells[(campaign_id, township_id, period)]
        cell[1] += submitted
        cell[2] += on_time
    return cells


def _write(cells: Cells) -> None:
    rows = [
        ReportingTally(campaign_id=c, township_id=t, period=p, expected=e, submitted=s, on_time=o)
        for (c, t, p), (e, s, o) in cells.items()
    ]
    ReportingTally.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["campaign", "township", "period"],
        update_fields=["expected", "submitted", "on_time"],
    )


def refresh_township(campaign: Campaign, township_id: int, period: date | None = None) -> None:
    """Recount the cells of one township of ``campaign`` (only ``period``'s if given).

    Call inside the transaction that changed the pairs or reports: the township row is
    locked first (PostgreSQL ``FOR NO KEY UPDATE``; SQLite writes one at a time anyway),
    so a concurrent refresh of the same township waits and then counts what this one
    committed.
    """
    from tongxin.regions.models import Township

    no_key = connection.features.has_select_for_no_key_update
    list(Township.objects.select_for_update(no_key=no_key).filter(pk=township_id).values_list("pk"))
    pairs = Pair.objects.filter(campaign=campaign, township_id=township_id)
    cells = count_cells(pairs, [campaign], only=period)
    wanted = [period] if period is not None else periods(campaign)
    for day in wanted:
        cells[(campaign.pk, township_id, day)]  # zero rows too: a cell that emptied is rewritten
    stale = ReportingTally.objects.filter(campaign=campaign, township_id=township_id)
    if period is None:
        stale.exclude(period__in=wanted).delete()
    _write(cells)


def rebuild(campaigns: QuerySet[Campaign] | None = None) -> int:
    """Recount every cell of ``campaigns`` (all campaigns by default) from scratch; for
    bulk loads and repairs. Returns the number of cells written."""
    chosen = list(campaigns if campaigns is not None else Campaign.objects.all())
    ReportingTally.objects.filter(campaign__in=[c.pk for c in chosen]).delete()
    cells = count_cells(Pair.objects.all(), chosen)
    _write(cells)
    return len(cells)


# --------------------------------------------------------------------------- keeping it

_REPORT_FIELDS = ("pair_id", "period", "status", "submitted_at")
_PAIR_FIELDS = ("campaign_id", "township_id", "status", "start_date", "end_date")
_CAMPAIGN_FIELDS = ("start", "end", "report_frequency", "report_due_days")
_MISSING = object()


def _before(instance: Any, fields: tuple[str, ...]) -> dict[str, Any] | None:
    """The values of ``fields`` as loaded from the database (None: not loaded from it)."""
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None or instance._state.adding:
        return None
    return {name: loaded.get(name, _MISSING) for name in fields}


def _changed(instance: Any, fields: tuple[str, ...]) -> bool:
    before = getattr(instance, "_tally_before", None)
    return before is None or any(before[name] != getattr(instance, name) for name in fields)


def _remember(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    fields = {Report: _REPORT_FIELDS, Pair: _PAIR_FIELDS, Campaign: _CAMPAIGN_FIELDS}[sender]
    instance._tally_before = _before(instance, fields)


def _counted(status: Any) -> bool:
    """Whether a pair of this status is counted (a status not loaded might be)."""
    return status is _MISSING or status in PAIR_STATUSES


def _on_report(sender: Any, instance: Report, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _changed(instance, _REPORT_FIELDS):
        return
    before = getattr(instance, "_tally_before", None) or {}
    if instance.status not in DONE and before.get("status") not in (*DONE, _MISSING):
        return  # a draft or returned report stays uncounted
    pair = Pair.objects.select_related("campaign").only("campaign", "township_id", "status").get(pk=instance.pair_id)
    if not _counted(pair.status):
        return
    same_period = before.get("period", instance.period) == instance.period
    refresh_township(pair.campaign, pair.township_id, instance.period if same_period else None)


def _on_report_deleted(sender: Any, instance: Report, **kwargs: Any) -> None:
    if instance.status in DONE:
        pair = Pair.objects.select_related("campaign").get(pk=instance.pair_id)
        refresh_township(pair.campaign, pair.township_id, instance.period)


def _on_pair(sender: Any, instance: Pair, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _changed(instance, _PAIR_FIELDS):
        return
    before = getattr(instance, "_tally_before", None) or {}
    if not (_counted(instance.status) or _counted(before.get("status"))):
        return  # a proposal: never counted
    campaign = Campaign.objects.get(pk=instance.campaign_id)
    refresh_township(campaign, instance.township_id)
    old = before.get("township_id", instance.township_id)
    if old not in (instance.township_id, _MISSING):
        refresh_township(campaign, old)


def _on_campaign(sender: Any, instance: Campaign, raw: bool = False, created: bool = False, **kwargs: Any) -> None:
    if raw or created or getattr(instance, "_tally_before", None) is None or not _changed(instance, _CAMPAIGN_FIELDS):
        return
    rebuild(Campaign.objects.filter(pk=instance.pk))


def connect() -> None:
    """Connect the handlers (the pairing app does, once, when it is ready)."""
    for model, handler in ((Report, _on_report), (Pair, _on_pair), (Campaign, _on_campaign)):
        pre_save.connect(_remember, sender=model, dispatch_uid=f"tally-before-{model._meta.label}")
        post_save.connect(handler, sender=model, dispatch_uid=f"tally-{model._meta.label}")
    post_delete.connect(_on_report_deleted, sender=Report, dispatch_uid="tally-report-deleted")
