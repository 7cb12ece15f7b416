"""Bulk actions on the existing lists: review several proposals from the review queue,
accept several reports from the report list, call for the missing reports of townships
(催报) from the late list. Each item goes through its own service (see
:mod:`tongxin.pairing.services.bulk`); the page says what was done and, by name, what
was refused and why."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core.redirects import safe_next
from tongxin.core.scope import VIEW, get_scoped_or_404
from tongxin.core.validation import parse_id
from tongxin.pairing.models import Campaign
from tongxin.pairing.services import bulk
from tongxin.pairing.services.errors import PairingError

SHOWN_REFUSALS = 20


def _ids(request: HttpRequest, field: str) -> list[int] | None:
    """The ids ticked in ``field``; None (with the error shown) when one is not an id."""
    try:
        return [parse_id(value) for value in request.POST.getlist(field)]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None


def report_result(request: HttpRequest, result: bulk.BulkResult) -> None:
    """What was done, and each refusal by name with its reason (the first twenty)."""
    if result.done:
        messages.success(request, _("Done: %(n)d.") % {"n": len(result.done)})
    for refusal in result.refused[:SHOWN_REFUSALS]:
        messages.error(request, _("%(name)s: %(reason)s") % {"name": refusal.name, "reason": refusal.reason})
    if len(result.refused) > SHOWN_REFUSALS:
        more = len(result.refused) - SHOWN_REFUSALS
        messages.error(request, _("… and %(n)d more not done.") % {"n": more})


def _run(request: HttpRequest, back: str, action: Any) -> HttpResponse:
    try:
        result = action()
    except PairingError as exc:  # the batch as a whole: no item chosen, too many, no reason
        messages.error(request, str(exc.message))
    else:
        report_result(request, result)
    return HttpResponseRedirect(back)


@login_required
@require_POST
def review_bulk(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve (township or county), return or reject the ticked proposals of the campaign."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    if action not in bulk.REVIEW_ACTIONS:
        raise Http404
    back = safe_next(request, reverse("pairing:campaign_review", args=[campaign.pk]))
    ids = _ids(request, "pairs")
    if ids is None:
        return HttpResponseRedirect(back)
    reason = request.POST.get("reason", "")
    return _run(
        request,
        back,
        lambda: bulk.pairs_review_bulk(user=request.user, action=action, ids=ids, reason=reason, campaign=campaign),
    )


@login_required
@require_POST
def reports_accept(request: HttpRequest) -> HttpResponse:
    """Accept the ticked reports of the report list."""
    back = safe_next(request, reverse("pairing:report_list"))
    ids = _ids(request, "reports")
    if ids is None:
        return HttpResponseRedirect(back)
    return _run(request, back, lambda: bulk.reports_accept_bulk(user=request.user, ids=ids))


@login_required
@require_POST
def late_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """催报: call for the missing reports of each ticked township (recorded, and the
    liaison officers of those pairs notified)."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    back = safe_next(request, reverse("pairing:campaign_late", args=[campaign.pk]))
    ids = _ids(request, "townships")
    if ids is None:
        return HttpResponseRedirect(back)
    from tongxin.inbox.services.chase import reports_chase_townships

    return _run(request, back, lambda: reports_chase_townships(campaign=campaign, user=request.user, ids=ids))
