"""The pairing dashboard (ECharts) with an Excel export behind every chart."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tongxin.core.scope import EXPORT, VIEW, allowed, can, get_scoped_or_404, restrict
from tongxin.core.validation import parse_period
from tongxin.core.views.generic import export_response
from tongxin.pairing import exports, services
from tongxin.pairing.forms import LateFilterForm
from tongxin.pairing.models import Activity, Campaign, Pair, Participant
from tongxin.pairing.models.running import RUNNING_STAGES
from tongxin.pairing.services import dashboard as data
from tongxin.pairing.services.reports import overdue_periods


def _tables(
    request: HttpRequest, campaign: Campaign, period: date, action: str = VIEW
) -> dict[str, tuple[Any, list[dict[str, Any]]]]:
    """The tables behind the charts, from the rows the user may ``action`` (view or export)."""
    user = request.user
    pairs = restrict(Pair.objects.all(), user, action)
    participants = restrict(Participant.objects.all(), user, action)
    activities = restrict(Activity.objects.all(), user, action)
    today = timezone.localdate()
    summary = services.reporting_summary(campaign=campaign, period=period, pairs=pairs, today=today)
    reporting = [row.as_dict() for row in summary]
    return {
        "coverage": (gettext_lazy("Coverage by township"), data.coverage(campaign, participants, pairs)),
        "modes": (gettext_lazy("Pairs by cooperation mode"), data.by_mode(campaign, pairs)),
        "indicators": (gettext_lazy("Indicators against targets"), data.indicators_vs_targets(campaign, pairs)),
        "trend": (gettext_lazy("Indicator totals over time"), data.indicator_trend(campaign, pairs, today)),
        "reporting": (gettext_lazy("Reporting by township"), reporting),
        "rates": (
            gettext_lazy("Completeness and timeliness over periods"),
            data.reporting_over_periods(campaign, pairs, today, user),
        ),
        "heads": (gettext_lazy("Activities by four-in-one head"), data.activities_by_head(campaign, activities)),
        "map": (gettext_lazy("Pairs by township (map)"), data.pairs_by_township(campaign, pairs)),
    }


def _default_period(campaign: Campaign) -> date:
    available = services.periods(campaign, until=timezone.localdate())
    return available[-2] if len(available) > 1 else (available[-1] if available else campaign.start.replace(day=1))


def _period(request: HttpRequest, campaign: Campaign) -> date:
    """The period chosen with ``?period=YYYY-MM`` (one of the campaign's), else the last
    complete one. Raises ValidationError with what is wrong."""
    chosen = request.GET.get("period")
    if chosen is None:
        return _default_period(campaign)
    return parse_period(chosen, allowed=services.periods(campaign))


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The charts of one period; an invalid ``?period=`` answers 400 with the message and
    the default period's charts."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    status = 200
    try:
        period = _period(request, campaign)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        period, status = _default_period(campaign), 400
    tables = _tables(request, campaign, period)
    charts = {key: rows for key, (_title, rows) in tables.items()}
    context = {
        "campaign": campaign,
        "period": period,
        "periods": services.periods(campaign, until=timezone.localdate()),
        "tables": tables,
        "charts_json": json.dumps(charts, ensure_ascii=False, default=str),
        "labels_json": json.dumps(data.indicator_labels(), ensure_ascii=False),
        "units_json": json.dumps(data.indicator_units(), ensure_ascii=False),
        "may_export": can(request.user, Pair, EXPORT),
        "filters_line": exports.filters_of(campaign, period),
    }
    return render(request, "pairing/dashboard.html", context, status=status)


def _require_export(request: HttpRequest, pk: int) -> Campaign:
    """The campaign, if the user may export its pair data: 404 out of scope, 403 for
    those who see it but have no export right (contacts, liaison officers)."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    if not can(request.user, Pair, EXPORT):
        raise PermissionDenied
    return campaign


@login_required
def dashboard_export(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    """The table behind one chart as .xlsx."""
    campaign = _require_export(request, pk)
    try:
        period = _period(request, campaign)
    except ValidationError as exc:
        return HttpResponseBadRequest("\n".join(exc.messages), content_type="text/plain; charset=utf-8")
    tables = _tables(request, campaign, period, EXPORT)
    if table not in tables:
        raise Http404
    title, rows = tables[table]
    layout, values, name, fallback = exports.dashboard_export(campaign, period, title, rows)
    return export_response(layout, values, name=name, fallback=fallback)


@login_required
def ledger_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The pair ledger in the layout counties file upward: one row per pair."""
    campaign = _require_export(request, pk)
    pairs = restrict(Pair.objects.all(), request.user, EXPORT)
    rows = data.pair_ledger(campaign, pairs, timezone.localdate())
    layout, values, name, fallback = exports.ledger_export(campaign, rows)
    return export_response(layout, values, name=name, fallback=fallback)


LATE_PAGE_SIZE = 100


def _late_rows(request: HttpRequest, campaign: Campaign, action: str) -> tuple[LateFilterForm, list[dict[str, Any]]]:
    """The late list's filter form and its rows, from the pairs the user may ``action``
    (view or export). Invalid filters are ignored (the form carries the errors)."""
    today = timezone.localdate()
    due = [period for period, _due in overdue_periods(campaign, today)]
    form = LateFilterForm(request.GET or None, campaign=campaign, user=request.user, due=due)
    pairs = restrict(Pair.objects.all(), request.user, action)
    period = None
    if form.is_bound and form.is_valid():
        period = form.cleaned_data["period"]
        if form.cleaned_data["township"] is not None:
            pairs = pairs.filter(township=form.cleaned_data["township"])
    return form, services.late_and_missing(campaign=campaign, pairs=pairs, today=today, period=period)


@login_required
def late(request: HttpRequest, pk: int) -> HttpResponse:
    """Late and missing reports of the campaign, in the user's scope, filtered by period
    and township; an invalid filter answers 400 with the unfiltered list."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    form, rows = _late_rows(request, campaign, VIEW)
    # A county of 700 pairs has a thousand rows after 18 months: shown a page at a time.
    page = Paginator(rows, LATE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "campaign": campaign,
        "rows": page,
        "page": page,
        "filter_form": form,
        "query": query.urlencode(),
        "may_export": can(request.user, Pair, EXPORT),
        **_chase_context(request, campaign, rows),
    }
    return render(request, "pairing/late.html", context, status=400 if form.errors else 200)


@login_required
def late_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The late list as .xlsx, with the same filters (400 for an invalid one)."""
    campaign = _require_export(request, pk)
    form, rows = _late_rows(request, campaign, EXPORT)
    if form.errors:
        text = "\n".join(str(m) for errors in form.errors.values() for m in errors)
        return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
    layout, values, name, fallback = exports.late_export(campaign, rows, form.chosen())
    return export_response(layout, values, name=name, fallback=fallback)


def _chase_context(request: HttpRequest, campaign: Campaign, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """催报 on the late list: the missing reports per township, when each was last called
    for, and whether the person may call for them (the same check as the service)."""
    from tongxin.inbox.services.chase import last_chases

    if not (campaign.stage in RUNNING_STAGES and allowed(request.user, campaign, "remind")):
        return {"may_remind": False}
    missing: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row["state"] == "missing":
            township = row["pair"].township
            entry = missing.setdefault(township.pk, {"township": township, "missing": 0})
            entry["missing"] += 1
    latest = last_chases(campaign, request.user)
    townships = sorted(missing.values(), key=lambda entry: entry["township"].code)
    for entry in townships:
        entry["last"] = latest.get(entry["township"].pk)
    return {"may_remind": bool(townships), "townships": townships}
