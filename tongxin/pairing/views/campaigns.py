"""Campaign pages: stages, rankings, matching runs, review and overrides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Value, When
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
from tongxin.pairing.services import review as review_services
from tongxin.pairing.services.campaigns import STAGE_EFFECTS, can_advance, next_stage
from tongxin.pairing.services.selection import MatchRunningError
from tongxin.pairing.views.common import run_service
from tongxin.regions.models import Township, Village


class CampaignDetailView(ObjectDetailView):
    """The campaign's cockpit: stage, progress of each step, the next action."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        index = STAGE_ORDER.index(obj.stage)
        pairs = restrict(Pair.objects.filter(campaign=obj), user, VIEW)
        to = next_stage(obj)
        # Buttons ask the same check as the service behind them; otherwise the page says
        # why not, or what comes next.
        may_advance, advance_reason = can_advance(user, obj)
        return {
            "stages": [(value, label, i < index, i == index) for i, (value, label) in enumerate(Stage.choices)],
            "next_stage": to,
            "next_stage_label": Stage(to).label if to else "",
            "may_advance": may_advance,
            "advance_reason": advance_reason,
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
def campaign_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """Name the next stage and what entering it does, and ask for confirmation (closing:
    the campaign's name typed); POST takes the step. Anyone who sees the campaign may read
    the page; it says why they may not take the step when they may not."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    if request.method == "POST":
        target = request.POST.get("to", "")
        try:
            services.campaign_advance(
                campaign=campaign,
                user=request.user,
                to=target,
                confirm_name=request.POST.get("confirm_name", ""),
            )
        except WorkflowError as exc:
            if exc.code != "confirm_name":
                messages.error(request, str(exc.message))
                return HttpResponseRedirect(campaign.get_absolute_url())
            error = str(exc.message)  # stay on the confirmation and say what was wrong
        else:
            messages.success(request, _("The campaign moved to the next stage."))
            return HttpResponseRedirect(campaign.get_absolute_url())
        status_code = 400
    else:
        error, status_code = "", 200
    to = next_stage(campaign)
    ok, reason = can_advance(request.user, campaign)
    context = {
        "campaign": campaign,
        "to": to,
        "to_label": Stage(to).label if to else "",
        "effect": STAGE_EFFECTS.get(to, "") if to else "",
        "may_advance": ok,
        "reason": reason,
        "closing": to == Stage.CLOSED,
        "error": error,
    }
    return render(request, "pairing/advance_confirm.html", context, status=status_code)


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


# The row buttons of the review queue, by policy action (each a step of services/review.py).
ROW_ACTIONS = ("review", "return", "approve", "reject", "override")


def _review_filters(request: HttpRequest, townships: Any) -> tuple[str, Any, int]:
    """The status and township asked for (a link from the inbox names one status); an
    unknown status or a township the person may not see is a 400 with a message."""
    status_code = 200
    shown = request.GET.get("status", "")
    if shown and shown not in PairStatus.values:
        messages.error(request, _("Choose one of the statuses of a proposal."))
        shown, status_code = "", 400
    township = None
    value = request.GET.get("township", "")
    if value:
        township = townships.filter(pk=int(value)).first() if value.isdigit() and len(value) < 12 else None
        if township is None:
            messages.error(request, _("Choose one of the townships in the list."))
            status_code = 400
    return shown, township, status_code


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review queue: proposals in the user's scope, those waiting for this person's
    step first, filtered by status and township, with the actions the person may take on
    each now (else what the proposal waits for), and the county's overrides."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    user = request.user
    if not any(can(user, Pair, action) for action in REVIEW_ACTIONS):
        raise PermissionDenied
    scoped = restrict(Pair.objects.filter(campaign=campaign), user, VIEW).exclude(status=PairStatus.SUPERSEDED)
    townships = restrict(Township.objects.filter(county_id=campaign.county_id), user, VIEW).order_by("code")
    shown, township, status_code = _review_filters(request, townships)
    listed = scoped.filter(status=shown) if shown else scoped
    if township is not None:
        listed = listed.filter(township=township)
    waiting = review_services.waiting_for(scoped, user).values("pk")
    proposals = list(
        listed.annotate(waiting=Case(When(pk__in=waiting, then=Value(0)), default=Value(1)))
        .select_related("enterprise", "village", "township")
        .order_by("waiting", "status", "township__code", "village__name", "pk")
    )
    # Per pair, the steps the user may take now: the policy, stage, status and separation
    # of duties, as the services check them (one query per step, not per pair).
    may = {
        action: set(review_services.STEPS[action].waiting(scoped, user).values_list("pk", flat=True))
        for action in ROW_ACTIONS
    }
    reasons = review_services.last_reasons(listed)
    for pair in proposals:
        pair.campaign = campaign
        pair.may = {action: pair.pk in ids for action, ids in may.items()}  # type: ignore[attr-defined]
        pair.next_step = review_services.next_step(pair, user)  # type: ignore[attr-defined]
        pair.last_reason = reasons.get(pair.pk)  # type: ignore[attr-defined]
    # Bulk actions offered: those the person may take on some listed proposal now.
    listed_ids = {pair.pk for pair in proposals}
    bulk_actions = [
        (action, label, needs_reason) for action, label, needs_reason in BULK_LABELS if may[action] & listed_ids
    ]
    may_override = campaign.stage == Stage.REVIEW and allowed(user, campaign, "override")
    if request.method == "POST" and not may_override:  # the service's own refusal: 403 or the stage
        return run_service(
            request,
            lambda: services.pair_override_add(
                campaign=campaign, user=user, enterprise_id=0, village_id=0, reason=request.POST.get("reason", "")
            ),
            _("Pair added."),
            request.get_full_path(),
        )
    override = _override(request, campaign) if may_override else None
    if isinstance(override, HttpResponse):
        return override
    context = {
        "campaign": campaign,
        "proposals": proposals,
        "reason_form": ReasonForm(),
        "may_override": may_override,
        "shown_status": shown,
        "shown_township": township,
        "townships": townships.only("pk", "name"),
        "statuses": [(value, label) for value, label in PairStatus.choices if value != PairStatus.SUPERSEDED],
        "bulk_actions": bulk_actions,
        **(override or {}),
    }
    return render(request, "pairing/review.html", context, status=status_code)


def _override(request: HttpRequest, campaign: Campaign) -> HttpResponse | dict[str, Any]:
    """The county override's part of the review page: the two pickers (searched, never a
    list of the whole county), the blocking pairs the chosen pair would create, and the
    POST that adds it. Returns the redirect after adding, else the page's context."""
    user = request.user
    form = OverrideAddForm(campaign=campaign, user=user)
    if request.method == "POST":
        form = OverrideAddForm(request.POST, campaign=campaign, user=user)
        if form.is_valid():
            try:
                pair = services.pair_override_add(
                    campaign=campaign,
                    user=user,
                    enterprise_id=form.cleaned_data["enterprise"],
                    village_id=form.cleaned_data["village"],
                    reason=form.cleaned_data["reason"],
                )
            except services.PairingError as exc:
                form.add_error(None, str(exc.message))
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
    chosen: dict[str, Any] = {}
    for side in review_services.OVERRIDE_SIDES:
        value = request.GET.get(side, "")
        if value.isdigit() and len(value) < 12:
            chosen[side] = review_services.override_candidates(campaign, user, side).filter(pk=int(value)).first()
    warnings: list[Any] = []
    if chosen.get("enterprise") and chosen.get("village"):
        pair_ids = (chosen["enterprise"].pk, chosen["village"].pk)
        warnings = services.override_warnings(campaign, add=pair_ids)
        form = OverrideAddForm(
            initial={"enterprise": pair_ids[0], "village": pair_ids[1]}, campaign=campaign, user=user
        )
    searches = {side: request.GET.get(f"{side}_q", "")[:50] for side in review_services.OVERRIDE_SIDES}
    return {
        "override_sides": [("enterprise", _("Enterprise")), ("village", _("Village"))],
        "override_form": form,
        "warnings": warnings,
        "chosen": chosen,
        "searches": searches,
        "found": {side: review_services.override_search(campaign, user, side, q) for side, q in searches.items() if q},
    }


@login_required
def override_pick(request: HttpRequest, pk: int, side: str) -> HttpResponse:
    """The override picker's search (an htmx fragment): at most twenty enterprises or
    villages of the campaign the person may see, by name, code or township. Only for those
    who may add an override (403 for the others who see the campaign, 404 for the rest)."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    if side not in review_services.OVERRIDE_SIDES:
        raise Http404
    if not allowed(request.user, campaign, "override"):
        raise PermissionDenied
    q = request.GET.get(f"{side}_q", request.GET.get("q", ""))
    rows = review_services.override_search(campaign, request.user, side, q)
    return render(request, "pairing/_override_choices.html", {"side": side, "rows": rows, "q": q, "chosen": None})


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
