"""A match run's page (progress, then its proposals, filtered, and the unmatched with why)
and the export of its proposals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from tongxin.core.filtersets import active_filters, filters_line
from tongxin.core.scope import EXPORT, VIEW, allowed, get_scoped_or_404, require, restrict
from tongxin.core.views.generic import stream_export_response
from tongxin.pairing import exports, services
from tongxin.pairing.choices import FIT_POINTS
from tongxin.pairing.explain import Names, RankingsKnown
from tongxin.pairing.filtersets import RunProposalFilterSet
from tongxin.pairing.models import MatchRun, Pair
from tongxin.pairing.models.campaign import UnmatchedParty

RUN_PAGE_SIZE = 100


@login_required
def match_run(request: HttpRequest, pk: int) -> HttpResponse:
    """One run. While it waits or runs: its progress (htmx polls this view for the bar).
    Then: its proposals (filtered by township, status, fit range and text) with fit and
    explanation, the unmatched and why — as the run stored them, without solving again."""
    queryset = restrict(MatchRun.objects.select_related("campaign", "run_by").defer("inputs"), request.user, VIEW)
    run = queryset.filter(pk=pk).first()
    if run is None:
        raise Http404
    if request.headers.get("HX-Request"):
        if not run.active:  # finished meanwhile: show the whole page
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "pairing/_match_run_status.html", {"run": run, **services.match_run_progress(run)})
    context: dict[str, Any] = {"run": run, "campaign": run.campaign, **services.match_run_progress(run)}
    status_code = 200
    if run.status == MatchRun.Status.DONE:
        pairs = restrict(run.pairs.all(), request.user, VIEW)
        filterset = RunProposalFilterSet(request.GET or None, queryset=pairs, request=request)
        if filterset.is_bound and not filterset.is_valid():
            status_code = 400
            listed = pairs.none()
        else:
            listed = filterset.qs
        proposals = Paginator(_ordered(listed), RUN_PAGE_SIZE).get_page(request.GET.get("page"))
        unmatched = Paginator(
            restrict(run.unmatched.all(), request.user, VIEW).select_related("enterprise", "village"), RUN_PAGE_SIZE
        ).get_page(request.GET.get("unmatched"))
        shown = [*proposals, *unmatched]
        known = RankingsKnown(
            request.user,
            run.campaign_id,
            enterprises=[row.enterprise_id for row in shown],
            villages=[row.village_id for row in shown],
        )
        names = Names(p.explanation for p in proposals)
        for pair in proposals:
            why = known.text(pair.explanation, pair.enterprise_id, pair.village_id, names)
            pair.why = why  # type: ignore[attr-defined]
        context.update(
            proposals=proposals,
            filter=filterset,
            active_filters=active_filters(filterset, request.GET),
            may_export=allowed(request.user, run, EXPORT),
            unmatched=unmatched,
            unmatched_rows=_unmatched_reasons(list(unmatched), known),
            stored=run.unmatched.exists()
            or not (run.result.get("unmatched_enterprises") or run.result.get("unmatched_villages")),
        )
    return render(request, "pairing/match_run.html", context, status=status_code)


def _ordered(pairs: QuerySet[Pair]) -> QuerySet[Pair]:
    return pairs.select_related("enterprise", "village", "township").order_by("township__code", "village__name", "pk")


def _unmatched_reasons(rows: list[UnmatchedParty], known: Any) -> list[dict[str, Any]]:
    """Each unmatched party with why it did not get its first choice, as the run stored it,
    without what the reader may not know of the rankings."""
    names = Names(row.explanation for row in rows)
    reasons = []
    for row in rows:
        if not row.explanation:
            why = _("Did not rank anyone.")
        else:
            why = known.text(row.explanation, row.enterprise_id, row.village_id, names)
        reasons.append({"party": row.party, "first": row.first_choice, "why": why})
    return reasons


@login_required
def match_run_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The run's proposals the user may export, filtered as on the page, as .xlsx."""
    run = get_scoped_or_404(MatchRun, request.user, VIEW, pk=pk)
    require(request.user, run, EXPORT)
    if run.status != MatchRun.Status.DONE:
        raise Http404
    pairs = restrict(run.pairs.all(), request.user, EXPORT)
    filterset = RunProposalFilterSet(request.GET or None, queryset=pairs, request=request)
    if filterset.is_bound and not filterset.is_valid():
        errors = [f"{name}: {'; '.join(messages)}" for name, messages in filterset.errors.items()]
        return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")
    line = filters_line(filterset, request.GET)
    layout, values, name, fallback = exports.run_proposals_export(
        run, line, _export_rows(request.user, run, list(_ordered(filterset.qs)))
    )
    return stream_export_response(layout, values, name=name, fallback=fallback)


def _export_rows(user: Any, run: MatchRun, pairs: list[Pair]) -> Iterator[dict[str, Any]]:
    from tongxin.pairing.ranking import FitReader

    known = RankingsKnown(user, run.campaign_id, [p.enterprise_id for p in pairs], [p.village_id for p in pairs])
    names = Names(p.explanation for p in pairs)
    labels = FitReader.capability_labels()
    for pair in pairs:
        parts = pair.fit_parts or {}
        yield {
            "enterprise": pair.enterprise.name,
            "village": pair.village.name,
            "township": pair.township.name,
            "status": pair.get_status_display(),
            "fit": None if pair.fit_score is None else round(pair.fit_score * FIT_POINTS, 1),
            "needs_met": "、".join(labels.get(tag, tag) for tag in parts.get("needs_met", [])),
            "advantages": "、".join(labels.get(tag, tag) for tag in parts.get("advantages_complemented", [])),
            "distance_km": parts.get("distance_km"),
            "why": known.text(pair.explanation, pair.enterprise_id, pair.village_id, names),
        }
