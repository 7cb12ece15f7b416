"""Ranking pages: a participant's ranking, and who has not ranked yet."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from tongxin.core.scope import VIEW, get_scoped_or_404
from tongxin.pairing import ranking, services
from tongxin.pairing.choices import Side, Stage
from tongxin.pairing.forms import RankFilterForm
from tongxin.pairing.models import Campaign, Participant
from tongxin.pairing.services.selection import is_contact_of
from tongxin.pairing.views.common import run_service


@login_required
def rank(request: HttpRequest, pk: int, participant: int) -> HttpResponse:
    """A participant's ranking: every partner with its fit (needs met, advantages matched,
    distance), searched and filtered; ranks typed (or dragged, with JavaScript)."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    part = get_scoped_or_404(Participant, request.user, "rank", pk=participant, campaign=campaign)
    part.campaign = campaign
    if request.method == "POST":
        return _rank_save(request, campaign, part)
    other = ranking.partner_side(part)
    form = RankFilterForm(request.GET or None, county=campaign.county_id, with_industry=other == Side.ENTERPRISE)
    status_code = 200
    filters: dict[str, Any] = {}
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            filters = {"q": data["q"], "township": data["township"], "industry": data.get("industry") or ""}
            filters["max_km"] = data["km"]
        else:
            status_code = 400
    result = ranking.ranking_rows(part, **filters)
    own = is_contact_of(request.user, part)
    context = {
        "campaign": campaign,
        "participant": part,
        "ranking": result,
        "form": form,
        "filtered": any(filters.values()),
        "open": campaign.stage == Stage.SELECTION,
        "stage": campaign.get_stage_display(),
        # Only staff entering someone else's ranking are told so; a contact never is.
        "on_behalf": not own,
        "progress": None if own else ranking.ranking_progress(campaign, request.user),
    }
    return render(request, "pairing/rank.html", context, status=status_code)


def _rank_save(request: HttpRequest, campaign: Campaign, part: Participant) -> HttpResponse:
    """Save the ranks typed (or dragged) on the page through ``preferences_set``."""
    back = request.get_full_path()
    other = ranking.partner_side(part)
    key = "village_id" if other == Side.VILLAGE else "enterprise_id"
    ids = list(campaign.participants.filter(side=other).values_list(key, flat=True))
    ranks: list[tuple[int, int]] = []
    for pid in ids:
        value = request.POST.get(f"rank-{pid}", "").strip()
        if value:
            if not value.isdigit() or int(value) < 1:
                messages.error(request, _("Ranks are whole numbers from 1."))
                return HttpResponseRedirect(back)
            ranks.append((int(value), pid))
    ordered = [pid for _r, pid in sorted(ranks)]
    capacity_text = request.POST.get("capacity", "").strip()
    capacity = int(capacity_text) if capacity_text.isdigit() else None
    version_text = request.POST.get("version", "").strip()
    if not version_text.isdigit():
        messages.error(request, _("Reload the page and enter the ranking again."))
        return HttpResponseRedirect(back)
    return run_service(
        request,
        lambda: services.preferences_set(
            participant=part, user=request.user, partners=ordered, capacity=capacity, version=int(version_text)
        ),
        _("Ranking saved: %(n)d partners.") % {"n": len(ordered)},
        back,
    )


NOT_RANKED_PAGE_SIZE = 50


@login_required
def rankings(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: how many participants have ranked, and those who have not (with a link to
    rank on their behalf), within the person's area."""
    campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=pk)
    if not ranking.staff_ranks(request.user):
        raise PermissionDenied
    pending = ranking.not_ranked(campaign, request.user)
    page = Paginator(pending, NOT_RANKED_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "progress": ranking.ranking_progress(campaign, request.user),
        "page": page,
        "open": campaign.stage == Stage.SELECTION,
    }
    return render(request, "pairing/rankings.html", context)
