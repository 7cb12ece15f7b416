"""Pages that are not a ledger: the home dashboard and the search."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongxin.core.ledgers import all_ledgers
from tongxin.core.scope import VIEW, restrict


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Counts of every ledger in scope and one chart per ledger."""
    from tongxin.enterprises.choices import Industry
    from tongxin.enterprises.models import Enterprise
    from tongxin.regions.models import Township, Village

    user = request.user
    cards = []
    for ledger in all_ledgers():
        count = restrict(ledger.model._default_manager.all(), user, VIEW).count()
        cards.append({"ledger": ledger, "count": count})
    by_township = list(
        restrict(Village.objects.all(), user, VIEW)
        .values("township__name", "township__code")
        .annotate(n=Count("pk"))
        .order_by("township__code")
    )
    industry_labels = dict(Industry.choices)
    by_industry = list(
        restrict(Enterprise.objects.all(), user, VIEW).values("industry").annotate(n=Count("pk")).order_by("-n")
    )
    charts = {
        "villages": {
            "labels": [row["township__name"] for row in by_township],
            "values": [row["n"] for row in by_township],
        },
        "enterprises": {
            "labels": [str(industry_labels.get(row["industry"], row["industry"])) for row in by_industry],
            "values": [row["n"] for row in by_industry],
        },
    }
    townships = restrict(Township.objects.all(), user, VIEW).count()
    context = {"cards": cards, "charts_json": json.dumps(charts, ensure_ascii=False), "townships": townships}
    return render(request, "core/home.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search every ledger by name or code, within scope only."""
    query = request.GET.get("q", "").strip()[:100]
    results: list[dict[str, Any]] = []
    if query:
        for ledger in all_ledgers():
            if not ledger.search_fields:
                continue
            condition = Q()
            for name in ledger.search_fields:
                condition |= Q(**{f"{name}__icontains": query})
            queryset = ledger.optimise(restrict(ledger.model._default_manager.all(), request.user, VIEW))
            hits = list(queryset.filter(condition)[:20])
            if hits:
                results.append({"ledger": ledger, "hits": hits})
    return render(request, "core/search.html", {"query": query, "results": results})
