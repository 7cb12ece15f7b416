"""Pages that are not a ledger: the home dashboard and the search."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongxin.accounts.choices import Level
from tongxin.accounts.roles import hats
from tongxin.core.ledgers import all_ledgers
from tongxin.core.scope import VIEW, restrict
from tongxin.core.validation import strip_control_characters


def _supervises(user: Any) -> bool:
    """Whether the person looks at several counties (a province or prefecture hat)."""
    return bool(getattr(user, "is_superuser", False)) or any(
        hat.level in (Level.PROVINCE, Level.PREFECTURE) for hat in hats(user)
    )


def county_rollup(user: Any) -> list[dict[str, Any]]:
    """One row per county in the user's scope: villages, enterprises, approved pairs and
    the share of villages paired — the dashboard of a province or a prefecture."""
    from tongxin.enterprises.models import Enterprise
    from tongxin.pairing.choices import PAIR_STATUSES
    from tongxin.pairing.models import Pair
    from tongxin.regions.models import Village

    rows: dict[int, dict[str, Any]] = {}

    def row(county_id: int, name: str, code: str) -> dict[str, Any]:
        return rows.setdefault(
            county_id, {"name": name, "code": code, "villages": 0, "enterprises": 0, "pairs": 0, "paired": 0}
        )

    villages = restrict(Village.objects.all(), user, VIEW).values(
        "township__county", "township__county__name", "township__county__code"
    )
    for item in villages.annotate(n=Count("pk")).order_by():
        row(item["township__county"], item["township__county__name"], item["township__county__code"])["villages"] = (
            item["n"]
        )
    enterprises = restrict(Enterprise.objects.all(), user, VIEW).values(
        "township__county", "township__county__name", "township__county__code"
    )
    for item in enterprises.annotate(n=Count("pk")).order_by():
        row(item["township__county"], item["township__county__name"], item["township__county__code"])["enterprises"] = (
            item["n"]
        )
    pairs = (
        restrict(Pair.objects.filter(status__in=PAIR_STATUSES), user, VIEW)
        .values("campaign__county", "campaign__county__name", "campaign__county__code")
        .annotate(n=Count("pk"), paired=Count("village", distinct=True))
        .order_by()
    )
    for item in pairs:
        entry = row(item["campaign__county"], item["campaign__county__name"], item["campaign__county__code"])
        entry["pairs"], entry["paired"] = item["n"], item["paired"]
    result = sorted(rows.values(), key=lambda r: r["code"])
    for entry in result:
        entry["coverage"] = round(100 * entry["paired"] / entry["villages"], 1) if entry["villages"] else None
    return result


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Counts of every ledger in scope and one chart per ledger; a person who supervises
    several counties sees them rolled up by county (villages by county, a county table)."""
    from tongxin.enterprises.choices import Industry
    from tongxin.enterprises.models import Enterprise
    from tongxin.regions.models import Township, Village

    user = request.user
    cards = []
    for ledger in all_ledgers():
        count = restrict(ledger.model._default_manager.all(), user, VIEW).count()
        cards.append({"ledger": ledger, "count": count})
    supervises = _supervises(user)
    level = "township__county" if supervises else "township"
    by_township = [
        {"township__name": row[f"{level}__name"], "n": row["n"]}
        for row in restrict(Village.objects.all(), user, VIEW)
        .values(f"{level}__name", f"{level}__code")
        .annotate(n=Count("pk"))
        .order_by(f"{level}__code")
    ]
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
    context = {
        "cards": cards,
        "charts_json": json.dumps(charts, ensure_ascii=False),
        "townships": townships,
        "supervises": supervises,
        "rollup": county_rollup(user) if supervises else None,
    }
    return render(request, "core/home.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search every ledger by name or code, within scope only."""
    # Control characters cannot be searched for (and PostgreSQL refuses NUL in a query).
    query = strip_control_characters(request.GET.get("q", ""), multiline=False).strip()[:100]
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
