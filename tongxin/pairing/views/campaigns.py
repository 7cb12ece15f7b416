"""Campaign pages: stages, rankings, matching runs, review and overrides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.core.exceptions import WorkflowError
from tongxin.core.redirects import safe_next
from tongxin.core.scope import EXPORT, VIEW, allowed, can, get_scoped_or_404, restrict
from tongxin.core.views.generic import ObjectDetailView
from tongxin.enterprises.models import Enterprise
from tongxin.pairing import services
from tongxin.pairing.choices import STAGE_ORDER, EventKind, PairStatus, Stage
from tongxin.pairing.forms import OverrideAddForm, ReasonForm
from tongxin.pairing.models import Campaign, MatchRun, Pair
from tongxin.pairing.ranking import ranking_progress, staff_ranks
from tongxin.pairing.services.selection import MatchRunningError
from tongxin.pairing.views.common import run_service
from tongxin.regions.models import Village


class CampaignDetailView(ObjectDetailView):
    """The campaign's cockpit: stage, progress of each step, the next action."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        index = STAGE_ORDER.index(obj.stage)
        pairs = restrict(Pair.objects.filter(campaign=obj), user, VIEW)
        next_stage = STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None
        return {
            "stages": [(value, label, i < index, i == index) for i, (value, label) in enumerate(Stage.choices)],
            "next_stage": next_stage,
            # Buttons ask the same check as the service behind them.
            "may_advance": next_stage is not None
            and allowed(user, obj, "close" if next_stage == Stage.CLOSED else "advance"),
            "may_match": allowed(user, obj, "match"),
            "may_appoint": allowed(user, obj, "appoint"),
            "may_review": any(can(user, Pair, action) for action in REVIEW_ACTIONS),
            "may_export": can(user, Pair, EXPORT),
            # Staff (who rank on others' behalf) follow the rankings of their area.
            "ranking_progress": ranking_progress(obj, user) if staff_ranks(user) else None,
            "own_participants": restrict(obj.participants.all(), user, "rank").select_related("enterprise", "village")[
                :50
            ],
            "runs": restrict(MatchRun.objects.filter(campaign=obj), user, VIEW).defer("inputs", "result")[:5],
            "status_counts": _status_counts(pairs),
            "events": obj.events.filter(pair__isnull=True).select_related("actor").order_by("-time")[:20],
        }


REVIEW_ACTIONS = ("review", "return", "approve", "reject", "override", "reopen")
# The review queue's bulk actions: (policy action, button, needs a reason).
BULK_LABELS = (
    ("review", gettext_lazy("Approve selected (township)"), False),
    ("return", gettext_lazy("Return selected"), True),
    ("approve", gettext_lazy("Approve selected (county)"), False),
    ("reject", gettext_lazy("Reject selected"), True),
)


def _status_counts(pairs: Any) -> dict[str, int]:
    """Pairs per status label, in one query."""
    counts = dict(pairs.order_by().values_list("status").annotate(n=Count("pk")))
    return {str(label): counts.get(value, 0) for value, label in PairStatus.choices}


@login_required
@require_POST
def campaign_advance(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    target = request.POST.get("to", "")
    return run_service(
        request,
        lambda: services.campaign_advance(campaign=campaign, user=request.user, to=target),
        _("The campaign moved to the next stage."),
        campaign.get_absolute_url(),
    )


@login_required
@require_POST
def match(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a matching run in the background and go to its page, which shows its progress.

    A second submit while a run is under way starts nothing: it goes to that run's page.
    """
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    try:
        run = services.match_run_start(
            campaign=campaign, user=request.user, proposing=request.POST.get("proposing") or None
        )
    except MatchRunningError as exc:
        messages.info(request, str(exc.message))
        return HttpResponseRedirect(exc.run.get_absolute_url())
    except WorkflowError as exc:
        messages.error(request, str(exc.message))
        return HttpResponseRedirect(campaign.get_absolute_url())
    messages.success(request, _("Matching started."))
    return HttpResponseRedirect(run.get_absolute_url())


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Proposals in the user's scope with the review actions, and the county's overrides."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    user = request.user
    if not any(can(user, Pair, action) for action in REVIEW_ACTIONS):
        raise PermissionDenied
    scoped = restrict(Pair.objects.filter(campaign=campaign), user, VIEW).exclude(status=PairStatus.SUPERSEDED)
    status_code = 200
    shown = request.GET.get("status", "")
    if shown and shown not in PairStatus.values:  # a link from the inbox names one status
        messages.error(request, _("Choose one of the statuses of a proposal."))
        shown, status_code = "", 400
    listed = scoped.filter(status=shown) if shown else scoped
    proposals = list(
        listed.select_related("enterprise", "village", "township", "proposed_by").order_by(
            "status", "township__code", "village__name"
        )
    )
    # Per pair, the actions the user may take (one query per action, not per pair).
    may = {action: set(restrict(scoped, user, action).values_list("pk", flat=True)) for action in REVIEW_ACTIONS}
    for pair in proposals:
        pair.may = {action: pair.pk in ids for action, ids in may.items()}  # type: ignore[attr-defined]
    # Bulk actions offered: those the person may take on some listed proposal now.
    listed_ids = {pair.pk for pair in proposals}
    bulk_actions = [
        (action, label, needs_reason)
        for action, label, needs_reason in BULK_LABELS
        if campaign.stage == Stage.REVIEW and may[action] & listed_ids
    ]
    warnings: list[Any] = []
    form = OverrideAddForm()
    if request.method == "POST":
        form = OverrideAddForm(request.POST)
        if form.is_valid():
            try:
                pair = services.pair_override_add(
                    campaign=campaign,
                    user=request.user,
                    enterprise_id=form.cleaned_data["enterprise"],
                    village_id=form.cleaned_data["village"],
                    reason=form.cleaned_data["reason"],
                )
            except services.PairingError as exc:
                messages.error(request, str(exc.message))
            else:
                blocking = pair.events.filter(kind=EventKind.OVERRIDE_ADDED).first()
                count = len(blocking.data.get("blocking", [])) if blocking else 0
                messages.success(request, _("Pair added."))
                if count:
                    messages.warning(
                        request,
                        _("This override creates %(n)d blocking pair(s); see the pair's timeline.") % {"n": count},
                    )
                return HttpResponseRedirect(pair.get_absolute_url())
    enterprise_id = request.GET.get("enterprise")
    village_id = request.GET.get("village")
    if enterprise_id and village_id and enterprise_id.isdigit() and village_id.isdigit():
        warnings = services.override_warnings(campaign, add=(int(enterprise_id), int(village_id)))
        form = OverrideAddForm(initial={"enterprise": enterprise_id, "village": village_id})
    context = {
        "campaign": campaign,
        "proposals": proposals,
        "reason_form": ReasonForm(),
        "override_form": form,
        "warnings": warnings,
        "may_override": allowed(user, campaign, "override"),
        "enterprises": restrict(Enterprise.objects.filter(township__county=campaign.county), request.user, VIEW)
        .only("pk", "name")
        .order_by("name"),
        "villages": restrict(Village.objects.filter(township__county=campaign.county), request.user, VIEW)
        .only("pk", "name")
        .order_by("name"),
        "chosen": (enterprise_id, village_id),
        "shown_status": shown,
        "statuses": [(value, label) for value, label in PairStatus.choices if value != PairStatus.SUPERSEDED],
        "bulk_actions": bulk_actions,
    }
    return render(request, "pairing/review.html", context, status=status_code)


_ACTIONS: dict[str, tuple[Any, bool]] = {
    "township_approve": (services.pair_township_approve, False),
    "return": (services.pair_return, True),
    "approve": (services.pair_approve, False),
    "reject": (services.pair_reject, True),
    "drop": (services.pair_override_drop, True),
    "reopen": (services.pair_reopen, True),
}


@login_required
@require_POST
def pair_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One review transition of one pair (township approve/return, county approve/reject/drop/reopen)."""
    pair = get_scoped_or_404(Pair, request.user, VIEW, pk=pk)
    if action not in _ACTIONS:
        raise Http404
    service, needs_reason = _ACTIONS[action]
    kwargs: dict[str, Any] = {"pair": pair, "user": request.user}
    if needs_reason:
        kwargs["reason"] = request.POST.get("reason", "")
    back = safe_next(request, pair.get_absolute_url())
    return run_service(request, lambda: service(**kwargs), _("Done."), back)


@login_required
def why(request: HttpRequest, pk: int) -> HttpResponse:
    """Why is (or isn't) this enterprise paired with this village? With the pair beside the
    current partners of each party: ranks on each side, fit parts, distance.

    Staff see the whole answer; a contact only what they may know: their own ranking and
    their own position in the other side's, never how the other side ranked others.
    """
    from tongxin.pairing.explain import RankingsKnown, compare_candidates, explain_pair
    from tongxin.pairing.services.selection import latest_run

    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    try:
        enterprise = get_scoped_or_404(Enterprise, request.user, VIEW, pk=int(request.GET.get("enterprise", "")))
        # Any village taking part may be asked about: its name is on every ranking page.
        village = Village.objects.filter(
            pk__in=campaign.participants.filter(village__isnull=False).values("village_id")
        ).get(pk=int(request.GET.get("village", "")))
    except (ValueError, Village.DoesNotExist) as exc:
        raise Http404 from exc
    data = explain_pair(campaign, enterprise.pk, village.pk)
    known = RankingsKnown(request.user, campaign.pk)
    text = known.text(data, enterprise.pk, village.pk) if data else _("No matching has been run for this campaign yet.")
    run = latest_run(campaign)
    context = {
        "campaign": campaign,
        "enterprise": enterprise,
        "village": village,
        "text": text,
        "candidates": compare_candidates(campaign, request.user, enterprise, village),
        "run": run if run is not None and allowed(request.user, run, VIEW) else None,
    }
    return render(request, "pairing/why.html", context)
