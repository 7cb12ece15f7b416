"""Pages that are not a ledger: the home dashboard and the search."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tongxin.accounts.choices import Level
from tongxin.accounts.roles import hats
from tongxin.core.ledgers import all_ledgers
from tongxin.core.pagination import capped_count
from tongxin.core.scope import VIEW, restrict
from tongxin.core.validation import strip_control_characters


def _supervises(user: Any) -> bool:
    """Whether the person looks at several counties (a province or prefecture hat)."""
    return bool(getattr(user, "is_superuser", False)) or any(
        hat.level in (Level.PROVINCE, Level.PREFECTURE) for hat in hats(user)
    )


def county_rollup(user: Any, today: date | None = None) -> list[dict[str, Any]]:
    """One row per county in the user's scope: villages, enterprises, approved pairs, the
    share of villages paired, and the completeness and timeliness of reporting in the
    last period already due — the dashboard of a province or a prefecture.

    Six queries whatever the size of the province: three counts grouped by county, and
    the reporting matrix read from the pre-aggregated numbers
    (:func:`tongxin.pairing.services.dashboard.reporting_matrix`).
    """
    from tongxin.enterprises.models import Enterprise
    from tongxin.pairing.choices import PAIR_STATUSES
    from tongxin.pairing.models import Pair
    from tongxin.pairing.services.dashboard import reporting_matrix
    from tongxin.regions.models import Village

    day = today or timezone.localdate()
    rows: dict[int, dict[str, Any]] = {}

    def row(county_id: int, name: str, code: str) -> dict[str, Any]:
        return rows.setdefault(
            county_id,
            {
                "name": name,
                "code": code,
                "villages": 0,
                "enterprises": 0,
                "pairs": 0,
                "paired": 0,
                "period": None,
                "completeness": None,
                "timeliness": None,
            },
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
    # Campaigns come by county and start: a county's latest campaign with a period due speaks.
    for reporting in reporting_matrix(user, day):
        campaign = reporting.campaign
        due = [cell for cell in reporting.cells if not cell.not_due]
        if due:
            entry = row(campaign.county_id, campaign.county.name, campaign.county.code)
            entry["period"], entry["completeness"], entry["timeliness"] = (
                due[-1].period,
                due[-1].completeness,
                due[-1].timeliness,
            )
    result = sorted(rows.values(), key=lambda r: r["code"])
    for entry in result:
        entry["coverage"] = round(100 * entry["paired"] / entry["villages"], 1) if entry["villages"] else None
    return result


def _scope_key(user: Any) -> str:
    """What the rows a person sees depend on: their hats (the person too for the hats that
    see rows through them, a liaison officer's or a reviewer's)."""
    if getattr(user, "is_superuser", False):
        return "superuser"
    parts = sorted(
        ":".join(
            str(value)
            for value in (
                hat.role,
                hat.province_id,
                hat.prefecture_id,
                hat.county_id,
                hat.township_id,
                hat.village_id,
                hat.enterprise_id,
                hat.chamber_id,
                hat.association_id,
                hat.user_id if hat.spec.sees in ("liaison", "reviewer") else "",
            )
        )
        for hat in hats(user)
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _overview(user: Any, supervises: bool) -> dict[str, Any]:
    """The counts of the home page: the county roll-up (supervisors), each ledger's count,
    villages by township or county, enterprises by industry, townships."""
    from tongxin.enterprises.models import Enterprise
    from tongxin.regions.models import Township, Village

    rollup = county_rollup(user) if supervises else None
    # A supervisor's village and enterprise totals are the roll-up's sums (already counted).
    known: dict[type[Any], int] = {}
    if rollup is not None:
        known = {Village: sum(r["villages"] for r in rollup), Enterprise: sum(r["enterprises"] for r in rollup)}
    counts = []
    for ledger in all_ledgers():
        count, more = known.get(ledger.model), False
        if count is None:  # a province's half a million reports: "10000+", as on the list
            count, more = capped_count(restrict(ledger.model._default_manager.all(), user, VIEW))
        counts.append((ledger.key, count, more))
    if rollup is not None:  # villages by county: the roll-up has counted them
        by_township = [{"township__name": row["name"], "n": row["villages"]} for row in rollup if row["villages"]]
    else:
        by_township = list(
            restrict(Village.objects.all(), user, VIEW)
            .values("township__name", "township__code")
            .annotate(n=Count("pk"))
            .order_by("township__code")
        )
    by_industry = list(
        restrict(Enterprise.objects.all(), user, VIEW).values("industry").annotate(n=Count("pk")).order_by("-n")
    )
    return {
        "rollup": rollup,
        "counts": counts,
        "by_township": by_township,
        "by_industry": by_industry,
        "townships": restrict(Township.objects.all(), user, VIEW).count(),
        "as_of": timezone.now(),
    }


def supervisor_overview(user: Any) -> dict[str, Any]:
    """:func:`_overview` for a person who supervises several counties, kept for
    ``settings.TONGXIN["OVERVIEW_CACHE_SECONDS"]`` (the page says as of when) and shared by
    everyone whose hats see the same rows: counting a province's 25,000 villages, 30,000
    enterprises and pairs by county costs more than the page's target on every visit, and a
    supervisor's overview does not need the last minute. 0 counts on every visit."""
    seconds = int(settings.TONGXIN.get("OVERVIEW_CACHE_SECONDS", 0))
    if seconds <= 0:
        return _overview(user, True)
    key = f"home-overview:{_scope_key(user)}:{timezone.localdate().isoformat()}"
    overview = cache.get(key)
    if overview is None:
        overview = _overview(user, True)
        cache.set(key, overview, seconds)
    return overview  # type: ignore[no-any-return]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The person's work first — for every hat, what waits for them (the inbox) — then the
    counts of every ledger in scope and one chart per ledger; a person who supervises
    several counties sees them rolled up by county (villages by county, a county table),
    counted at most every few minutes (:func:`supervisor_overview`)."""
    from tongxin.enterprises.choices import Industry
    from tongxin.inbox.services.items import inbox

    user = request.user
    inbox_sections = inbox(user)
    supervises = _supervises(user)
    overview = supervisor_overview(user) if supervises else _overview(user, False)
    ledgers = {ledger.key: ledger for ledger in all_ledgers()}
    cards = [
        {"ledger": ledgers[name], "count": count, "more": more}
        for name, count, more in overview["counts"]
        if name in ledgers
    ]
    industry_labels = dict(Industry.choices)
    charts = {
        "villages": {
            "labels": [row["township__name"] for row in overview["by_township"]],
            "values": [row["n"] for row in overview["by_township"]],
        },
        "enterprises": {
            "labels": [str(industry_labels.get(row["industry"], row["industry"])) for row in overview["by_industry"]],
            "values": [row["n"] for row in overview["by_industry"]],
        },
    }
    context = {
        "inbox_sections": inbox_sections,
        "cards": cards,
        "charts_json": json.dumps(charts, ensure_ascii=False),
        "townships": overview["townships"],
        "supervises": supervises,
        "rollup": overview["rollup"],
        "as_of": overview["as_of"] if supervises and settings.TONGXIN.get("OVERVIEW_CACHE_SECONDS") else None,
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
