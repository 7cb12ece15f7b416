"""The filer's own pairs on a phone: one card per pair with this period's report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.pairing.services.mine import CardState, my_pairs, pair_cards

PAGE_SIZE = 30


@login_required
def my_pairs_page(request: HttpRequest) -> HttpResponse:
    """A liaison officer's (or enterprise contact's) pairs as cards, ``?report=`` keeps
    those whose report of this period is to file, returned, submitted or accepted;
    ``?campaign=`` one campaign. Anything else in them is a 400 with every pair."""
    today = timezone.localdate()
    status = 200
    wanted = request.GET.get("report", "")
    campaign = request.GET.get("campaign", "")
    if (wanted and wanted not in CardState.FILTERS) or (campaign and not campaign.isdigit()):
        messages.error(request, _("Unknown filter: showing every pair."))
        wanted, campaign, status = "", "", 400
    pairs = my_pairs(request.user)
    if campaign:
        pairs = pairs.filter(campaign=int(campaign))
    cards = pair_cards(list(pairs), today)
    if wanted:
        cards = [card for card in cards if card.state in CardState.FILTERS[wanted]]
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "report": wanted,
        "campaign": campaign,
        "filters": CardState.FILTER_LABELS.items(),
        "today": today,
    }
    return render(request, "pairing/my_pairs.html", context, status=status)
