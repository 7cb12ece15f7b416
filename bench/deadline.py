"""Deadline day: hundreds of liaison officers file and submit their reports at once: ``python -m bench.deadline``.

A bounded load run against a production-like server on this machine:

1. creates the scratch PostgreSQL database ``--database`` (default ``tongxin_deadline``) on
   ``--postgres`` (default ``$BENCH_POSTGRES_URL`` or ``postgres://postgres@127.0.0.1:5432``),
   migrates it and seeds the demo county (``seed_demo``);
2. adds a campaign "截止日压测" in the running stage, whose reporting period with the
   nearest due date is open, with ``--officers`` (default 500) liaison officers each
   appointed to 1–3 approved pairs (stages, rankings, matching, review, hats and
   appointments go through the services; the extra approved pairs and the officers'
   accounts are bulk-created) and ``--staff`` (default 5) staff who watch the dashboard;
3. serves it with gunicorn (``tongxin.settings.prod``, 2 × cores sync workers, rate limits
   out of the way) and runs ``locust`` headless (``bench/deadline_locust.py``) for
   ``--minutes`` (default 10): every officer signs in (API token, or the login form for
   the ones using the pages), opens their pair and report lists, creates the report of
   each of their pairs with figures, some edit it once, submits it; some submit twice
   (a double click: two submits at once, or a retry of the same request); the staff
   reload the dashboard page and the reporting API all along. All users are spawned
   within the ramp (``--ramp``, default a sixth of the run, at most 60 s);
4. checks the database: exactly one report per (pair, period), every pair of an officer
   who filed has a submitted report (0 lost), one "report submitted" event per report (0
   duplicated), and that locust saw 0 failed requests and gunicorn logged no server error;
5. prints p50/p95/p99 per request type from locust's statistics and the time spent inside
   gunicorn per URL (its access log), stops gunicorn and drops the database; the work folder
   (logs, locust's CSV files) is removed after a passing run and kept after a failing one
   (``--keep`` keeps both).

It takes the run time plus 3–5 minutes of setup (the demo seed, static files); it is not part of
``make bench``. Needs PostgreSQL (createdb rights), gunicorn and locust (dev dependencies).
Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import random
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.lists import free_port, request, stop

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
LOCUSTFILE = Path(__file__).resolve().parent / "deadline_locust.py"
CAMPAIGN_NAME = "截止日压测"
# Demo staff who read the dashboard (password of the demo); more are created as county staff.
DEMO_STAFF = ("county_staff", "county_admin", "township_staff", "province_staff")
PAIRS_PER_OFFICER = ((1, 40), (2, 35), (3, 25))  # (pairs, weight)


@dataclass
class Plan:
    """What the load run needs to know: written to JSON for the locustfile."""

    campaign: int
    period: str  # YYYY-MM-DD, first day of the open period
    password: str
    officers: list[dict[str, Any]] = field(default_factory=list)  # {"username", "pairs": [ids]}
    staff: list[str] = field(default_factory=list)


def postgres_url(opts: argparse.Namespace, database: str) -> str:
    parts = urlsplit(opts.postgres)
    return str(urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment)))


def bench_env(opts: argparse.Namespace, work: Path) -> dict[str, str]:
    """Production settings on the scratch database; rate limits far out of the way, no proxy in front."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tongxin.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="false",
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=postgres_url(opts, opts.database),
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        CACHE_DIR=str(work / "cache"),
        FILE_ACCEL="django",
        LOG_LEVEL="WARNING",
        NUM_PROXIES="0",
        API_RATE_ANON="100000000/hour",
        API_RATE_USER="100000000/hour",
        API_RATE_TOKEN="100000000/hour",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def admin_sql(opts: argparse.Namespace, statement: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(postgres_url(opts, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def quoted(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"bench.deadline: {name!r} is not a plain database name.")
    return f'"{name}"'


def manage(env: dict[str, str], *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=not capture, capture_output=capture, text=True
    )


def prepare(env: dict[str, str]) -> None:
    """Migrate, seed the demo county, collect the static files (manifest) for the pages."""
    started = time.perf_counter()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "seed_demo")
    collected = manage(env, "collectstatic", "--noinput", "--verbosity", "0", capture=True)
    if collected.returncode != 0:
        problem = (collected.stderr.strip().splitlines() or ["?"])[-1]
        print(f"- note: collectstatic failed ({problem[:200]}); serving with plain static names (bench.prod_settings)")
        env["DJANGO_SETTINGS_MODULE"] = "bench.prod_settings"
    print(f"- migrated and seeded the demo county in {time.perf_counter() - started:.0f} s", flush=True)


def open_period(campaign: Any, today: date) -> date:
    """The period officers file on deadline day: the one with the nearest due date not yet passed."""
    from tongxin.pairing import services

    for period in services.periods(campaign):
        if services.period_bounds(campaign, period)[2] >= today:
            return period
    raise SystemExit("bench.deadline: the campaign has no open period.")


def seed_campaign(officers: int, staff: int, seed: int) -> Plan:
    """The deadline campaign: running, ``officers`` liaison officers with 1–3 approved pairs each."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from tongxin.accounts.choices import Role
    from tongxin.accounts.models import RoleAssignment, User
    from tongxin.accounts.services import grant_for_setup
    from tongxin.core.context import change_context
    from tongxin.demo.loader import DEMO_PASSWORD
    from tongxin.pairing import services
    from tongxin.pairing.choices import Origin, PairStatus, Side, Stage
    from tongxin.pairing.models import Campaign, Pair
    from tongxin.regions.models import County

    started = time.perf_counter()
    rng = random.Random(seed)
    today = timezone.localdate()
    county = County.objects.filter(campaigns__isnull=False).distinct().get()  # the demo county
    admin = User.objects.get(username="county_admin")
    county_staff = User.objects.get(username="county_staff")
    first = today.replace(day=1)
    start = date(first.year - (1 if first.month <= 5 else 0), (first.month - 6) % 12 + 1, 1)  # five months back
    counts = [rng.choices(*zip(*PAIRS_PER_OFFICER, strict=True))[0] for _ in range(officers)]
    with transaction.atomic(), change_context(source="command"):
        campaign = Campaign(
            county=county,
            name=CAMPAIGN_NAME,
            year=start.year,
            start=start,
            end=date(start.year + 2, start.month, 1) - timedelta(days=1),
            report_due_days=10,
            letter_prefix="压测",
        )
        campaign.full_clean()
        campaign.save()
        services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
        # One village and one enterprise rank each other: the matching proposes that pair,
        # the township and the county approve it.
        village = campaign.participants.filter(side=Side.VILLAGE).order_by("pk").first()
        enterprise = campaign.participants.filter(side=Side.ENTERPRISE).order_by("pk").first()
        assert village is not None and enterprise is not None
        services.preferences_set(participant=village, user=county_staff, partners=[enterprise.enterprise_id or 0])
        services.preferences_set(participant=enterprise, user=county_staff, partners=[village.village_id or 0])
        services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
        services.match_run_create(campaign=campaign, user=county_staff)
        services.campaign_advance(campaign=campaign, user=admin, to=Stage.REVIEW)
        for pair in campaign.pairs.filter(status=PairStatus.PROPOSED):
            reviewer = RoleAssignment.objects.filter(role=Role.TOWNSHIP_STAFF, township=pair.township_id).first()
            assert reviewer is not None
            services.pair_township_approve(pair=pair, user=reviewer.user)
            services.pair_approve(pair=pair, user=admin)
        # The other approved pairs in bulk (what a county override and its review would
        # give, pair by pair): every pairable village with distinct enterprises.
        villages = list(
            campaign.participants.filter(side=Side.VILLAGE)
            .order_by("village_id")
            .values_list("village_id", "township_id")
        )
        enterprises = list(
            campaign.participants.filter(side=Side.ENTERPRISE).order_by("enterprise_id").values_list("enterprise_id")
        )
        taken = set(campaign.pairs.values_list("enterprise_id", "village_id"))
        missing = sum(counts) - campaign.pairs.filter(status=PairStatus.APPROVED).count()
        extra: list[Pair] = []
        n = 0
        while len(extra) < missing:
            (village_id, township_id), (enterprise_id,) = villages[n % len(villages)], enterprises[n % len(enterprises)]
            n += 1
            if (enterprise_id, village_id) in taken:
                continue
            taken.add((enterprise_id, village_id))
            extra.append(
                Pair(
                    campaign=campaign,
                    enterprise_id=enterprise_id,
                    village_id=village_id,
                    township_id=township_id,
                    status=PairStatus.APPROVED,
                    origin=Origin.MANUAL,
                    proposed_by=county_staff,
                    reason="截止日压测：批量结对",
                    start_date=campaign.start,
                )
            )
        Pair.objects.bulk_create(extra, batch_size=500)
        services.campaign_advance(campaign=campaign, user=admin, to=Stage.APPROVED)
        services.campaign_advance(campaign=campaign, user=admin, to=Stage.RUNNING)
        # The officers: accounts in bulk (one password hash for all), hats and appointments
        # through the services.
        password = make_password(DEMO_PASSWORD)
        people = User.objects.bulk_create(
            [User(username=f"officer{k:04d}", full_name=f"联络员{k:04d}", password=password) for k in range(officers)]
        )
        pairs = list(campaign.pairs.filter(status=PairStatus.APPROVED).order_by("township_id", "pk"))
        plan = Plan(campaign=campaign.pk, period=open_period(campaign, today).isoformat(), password=DEMO_PASSWORD)
        cursor = 0
        for person, count in zip(people, counts, strict=True):
            mine = pairs[cursor : cursor + count]
            cursor += count
            grant_for_setup(person, Role.LIAISON, county)
            services.liaison_appoint(
                campaign=campaign,
                user=admin,
                liaison=person,
                pairs=mine,
                term_start=campaign.start,
                term_end=campaign.end,
            )
            plan.officers.append({"username": person.username, "pairs": [p.pk for p in mine]})
        for k in range(staff):
            if k < len(DEMO_STAFF):
                plan.staff.append(DEMO_STAFF[k])
                continue
            person = User(username=f"deadline_staff{k:02d}", full_name=f"县统战部干部{k:02d}", password=password)
            person.save()
            grant_for_setup(person, Role.COUNTY_STAFF, county)
            plan.staff.append(person.username)
    print(
        f"- campaign {campaign.pk} running, period {plan.period} open: {officers} officers on {cursor} approved pairs "
        f"({Counter(counts)[1]}×1, {Counter(counts)[2]}×2, {Counter(counts)[3]}×3), {staff} staff, "
        f"seeded in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return plan


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "--access-logfile",
        str(log.with_name("access.log")),
        "--access-logformat",
        "%(m)s %(U)s %(s)s %(D)s",
        "tongxin.wsgi:application",
    ]
    with log.open("ab") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench.deadline: gunicorn stopped while starting (see {log}).")
        try:
            if request(port, "GET", "/accounts/login/")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop(process)
    raise SystemExit("bench.deadline: gunicorn did not answer within 60 s.")


def run_locust(
    opts: argparse.Namespace, env: dict[str, str], port: int, plan_file: Path, work: Path
) -> tuple[Path, Path]:
    """Run locust headless for the bounded time; the stats CSV and the officers' results."""
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    users = len(plan["officers"]) + len(plan["staff"])
    seconds = round(opts.minutes * 60)
    ramp = opts.ramp if opts.ramp is not None else min(60.0, seconds / 6)
    results = work / "officers.json"
    prefix = work / "locust"
    locust_env = dict(env)
    locust_env.update(
        DEADLINE_PLAN=str(plan_file),
        DEADLINE_RESULTS=str(results),
        DEADLINE_RUN_SECONDS=str(seconds),
        DEADLINE_RAMP=str(ramp),
    )
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        f"{users / ramp:.2f}",
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "30",
        "--host",
        f"http://{HOST}:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    print(
        f"- locust: {users} users ({len(plan['officers'])} officers, {len(plan['staff'])} staff) spawned within "
        f"{ramp:.0f} s, running {seconds} s",
        flush=True,
    )
    with (work / "locust.log").open("w") as sink:
        subprocess.run(command, cwd=ROOT, env=locust_env, stdout=sink, stderr=subprocess.STDOUT, check=False)
    return Path(f"{prefix}_stats.csv"), results


class LoadSampler:
    """The machine's 1-minute load average every 10 s while the load runs (other work on the
    machine shows here: it shares the CPUs with gunicorn, PostgreSQL and locust)."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(10):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mean(self) -> float:
        return sum(self.samples) / len(self.samples) if self.samples else os.getloadavg()[0]

    @property
    def max(self) -> float:
        return max(self.samples, default=os.getloadavg()[0])


def cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    p50: str
    p95: str
    p99: str
    max: str
    rps: float


def read_stats(path: Path) -> list[Row]:
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            rows.append(
                Row(
                    name=line["Name"],
                    requests=int(line["Request Count"]),
                    failures=int(line["Failure Count"]),
                    p50=line["50%"],
                    p95=line["95%"],
                    p99=line["99%"],
                    max=f"{float(line['Max Response Time']):.0f}",
                    rps=float(line["Requests/s"]),
                )
            )
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| request | requests | failures | p50 ms | p95 ms | p99 ms | max ms | requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        name = "**all requests**" if r.name == "Aggregated" else r.name
        lines.append(f"| {name} | {r.requests} | {r.failures} | {r.p50} | {r.p95} | {r.p99} | {r.max} | {r.rps:.1f} |")
    return "\n".join(lines)


def server_times(access_log: Path) -> str:
    """Time spent inside gunicorn per method and URL pattern (without the wait in the listen
    queue), from the access log: where the time goes when locust's numbers are high."""
    times: dict[tuple[str, str], list[float]] = {}
    statuses: dict[tuple[str, str], Counter[str]] = {}
    for line in access_log.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) != 4 or not parts[3].isdigit():
            continue
        method, path, status, micros = parts
        pattern = re.sub(r"/\d{4}-\d{2}-\d{2}/", "/{period}/", re.sub(r"/\d+(?=/)", "/{id}", path))
        times.setdefault((method, pattern), []).append(int(micros) / 1000)
        statuses.setdefault((method, pattern), Counter())[status] += 1
    lines = [
        "| method | URL | answers | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for (method, pattern), values in sorted(times.items(), key=lambda item: item[0][::-1]):
        values.sort()

        def rank(q: float, values: list[float] = values) -> float:
            return values[min(len(values) - 1, int(q * len(values)))]

        answers = ", ".join(f"{n}×{code}" for code, n in sorted(statuses[(method, pattern)].items()))
        lines.append(
            f"| {method} | {pattern} | {answers} | {rank(0.5):.0f} | {rank(0.95):.0f} | {rank(0.99):.0f} "
            f"| {values[-1]:.0f} |"
        )
    return "\n".join(lines)


def server_errors(log: Path) -> list[str]:
    """Tracebacks and worker time-outs in gunicorn's log (Django logs its 500s there)."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    found = []
    for block in re.split(r"\n(?=\S)", text):
        if "Traceback" in block or "Internal Server Error" in block or "WORKER TIMEOUT" in block:
            found.append(block.strip())
    return found


def verify(plan: Plan, results_file: Path) -> tuple[list[str], list[str]]:
    """Checks in the database: (lines to print, failed checks)."""
    from tongxin.accounts.models import User
    from tongxin.pairing import services
    from tongxin.pairing.choices import EventKind, ReportStatus
    from tongxin.pairing.models import Campaign, CampaignEvent, Pair, Report

    period = date.fromisoformat(plan.period)
    campaign = Campaign.objects.get(pk=plan.campaign)
    results: dict[str, dict[str, Any]] = json.loads(results_file.read_text()) if results_file.exists() else {}
    pairs_of = {o["username"]: set(o["pairs"]) for o in plan.officers}
    reports = Report.objects.filter(pair__campaign=campaign, period=period)
    per_pair = Counter(reports.values_list("pair_id", flat=True))
    submitted = dict(reports.filter(status=ReportStatus.SUBMITTED).values_list("pair_id", "submitted_by_id"))
    events = Counter(
        CampaignEvent.objects.filter(
            campaign=campaign, kind=EventKind.REPORT_SUBMITTED, data__period=period.isoformat()
        ).values_list("pair_id", flat=True)
    )
    creators = set(reports.values_list("created_by__username", flat=True))
    filed = {name for name, r in results.items() if r.get("created")} | (creators & set(pairs_of))
    finished = {name for name, r in results.items() if r.get("finished")}
    expected = set().union(*(pairs_of[name] for name in filed)) if filed else set()
    claimed = {pair for r in results.values() for pair in r.get("submitted", [])}
    lost = sorted(claimed - set(submitted))
    not_submitted = sorted(expected - claimed - set(submitted))
    duplicated = sorted(pair for pair, n in per_pair.items() if n > 1)
    twice_submitted = sorted(pair for pair, n in events.items() if n > 1)
    user_ids = dict(User.objects.filter(username__in=list(pairs_of)).values_list("pk", "username"))
    wrong_author = sorted(pair for pair, by in submitted.items() if pair not in pairs_of.get(user_ids.get(by, ""), ()))
    unexpected = sorted(set(per_pair) - expected)
    took = sorted(r["seconds"] for r in results.values() if r.get("finished") and "seconds" in r)
    summary = services.reporting_summary(campaign=campaign, period=period, pairs=Pair.objects.all())[-1]
    outcomes = list(results.values())
    lines = [
        f"- officers on the API: {sum(r['channel'] == 'api' for r in outcomes)}, on the pages: "
        f"{sum(r['channel'] == 'page' for r in outcomes)}; reports edited once before submitting: "
        f"{sum(r['edited'] for r in outcomes)}; submitted twice: {sum(r['duplicates'] for r in outcomes)} "
        f"(of which at once, one accepted and one refused: {sum(r.get('double_clicks_ok', 0) for r in outcomes)})",
        f"- officers: {len(plan.officers)}; filed: {len(filed)}; finished their whole flow: {len(finished)}"
        + (
            f" (sign-in to last submit, thinking included: median {took[len(took) // 2]:.0f} s, max {took[-1]:.0f} s)"
            if took
            else ""
        ),
        f"- pairs of officers who filed: {len(expected)}; reports for {period:%Y-%m}: {reports.count()} "
        f"on {len(per_pair)} pairs; submitted: {len(submitted)}",
        f"- submitted according to the officers' clients: {len(claimed)}",
        f"- lost (a submit answered 200, but the report is not submitted): {len(lost)}"
        + (f" {lost[:20]}" if lost else ""),
        f"- not submitted (a pair of an officer who filed, whose submit never came through): {len(not_submitted)}"
        + (f" {not_submitted[:20]}" if not_submitted else ""),
        f"- duplicated (more than one report for a (pair, period)): {len(duplicated)}"
        + (f" {duplicated[:20]}" if duplicated else ""),
        f"- submitted twice (more than one 'report submitted' event for a report): {len(twice_submitted)}"
        + (f" {twice_submitted[:20]}" if twice_submitted else ""),
        f"- reports submitted by someone not appointed to the pair: {len(wrong_author)}",
        f"- reports on pairs of officers not known to have filed: {len(unexpected)}",
        f"- dashboard county total for {period:%Y-%m}: expected {summary.expected}, submitted {summary.submitted}",
    ]
    failed = []
    if not filed:
        failed.append("no officer filed a report")
    if lost:
        failed.append(f"{len(lost)} lost reports")
    if not_submitted:
        failed.append(f"{len(not_submitted)} pairs of officers who filed without a submitted report")
    if duplicated or twice_submitted:
        failed.append(f"{len(duplicated)} duplicated reports, {len(twice_submitted)} submitted twice")
    if wrong_author:
        failed.append(f"{len(wrong_author)} reports submitted by the wrong person")
    if summary.submitted != len(submitted):
        failed.append("the dashboard's submitted count differs from the database")
    if len(finished) < len(plan.officers):
        failed.append(f"{len(plan.officers) - len(finished)} officers did not finish within the run")
    return lines, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.deadline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=500, help="liaison officers (default 500)")
    parser.add_argument("--staff", type=int, default=5, help="staff reloading the dashboard (default 5)")
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the load run (default 10)")
    parser.add_argument("--ramp", type=float, default=None, help="seconds to spawn every user (default run/6, ≤ 60)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers (2 × cores)")
    parser.add_argument("--database", default="tongxin_deadline", help="scratch database, dropped at the end")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL with createdb rights (default $BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432)",
    )
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--keep", action="store_true", help="keep the database and the work folder at the end")
    parser.add_argument("--replace", action="store_true", help="drop the scratch database first if it exists")
    opts = parser.parse_args(argv)
    if importlib.util.find_spec("locust") is None:  # not imported here: it patches the process for gevent
        print("bench.deadline skipped: locust is not installed (pip install -r requirements/dev.txt).")
        return 0
    work = Path(tempfile.mkdtemp(prefix="tongxin-deadline-"))
    env = bench_env(opts, work)
    log = work / "gunicorn.log"
    print(
        f"# deadline day: Python {platform.python_version()}, {os.cpu_count()} CPUs, gunicorn {opts.workers} sync "
        f"workers, locust, {opts.officers} officers + {opts.staff} staff, {opts.minutes:g} min; work folder {work}",
        flush=True,
    )
    import psycopg

    if opts.replace:
        admin_sql(opts, f"DROP DATABASE IF EXISTS {quoted(opts.database)} WITH (FORCE)")
    try:
        admin_sql(opts, f"CREATE DATABASE {quoted(opts.database)}")
    except psycopg.errors.DuplicateDatabase:
        print(f"bench.deadline: database {opts.database} exists (left by --keep?); --replace drops it first.")
        return 2
    server = None
    django_ready = False
    try:
        prepare(env)
        os.environ.update(env)
        import django

        django.setup()
        django_ready = True
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0]
        plan = seed_campaign(opts.officers, opts.staff, opts.seed)
        plan_file = work / "plan.json"
        plan_file.write_text(json.dumps(asdict(plan), ensure_ascii=False), encoding="utf-8")
        connection.close()
        port = free_port()
        server = start_gunicorn(env, port, opts.workers, log)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with LoadSampler() as load:
            stats, results = run_locust(opts, env, port, plan_file, work)
        after_locust = resource.getrusage(resource.RUSAGE_CHILDREN)
        stop(server)
        server = None
        after_server = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_locust = cpu_seconds(after_locust) - cpu_seconds(before)
        cpu_server = cpu_seconds(after_server) - cpu_seconds(after_locust)
        rows = read_stats(stats)
        lines, failed = verify(plan, results)
        errors = server_errors(log)
        connection.close()
    finally:
        if server is not None:
            stop(server)
        if django_ready:
            from django.db import connections

            connections.close_all()
        if not opts.keep:
            admin_sql(opts, f"DROP DATABASE IF EXISTS {quoted(opts.database)} WITH (FORCE)")
    total = next((r for r in rows if r.name == "Aggregated"), None)
    http_failures = total.failures if total else 0
    if http_failures:
        failed.append(f"{http_failures} failed requests (locust)")
    if errors:
        failed.append(f"{len(errors)} server errors in gunicorn's log")
    print()
    print(
        f"Deadline day on {time.strftime('%Y-%m-%d %H:%M %Z')}: {platform.machine()} {os.cpu_count()} cores, "
        f"PostgreSQL {pg_version}, "
        f"gunicorn {opts.workers} sync workers, {opts.officers} officers + {opts.staff} staff, {opts.minutes:g} min "
        f"(1-minute load average during the run: mean {load.mean:.1f}, max {load.max:.1f})"
    )
    print()
    print(table(rows))
    print()
    print("Inside gunicorn (from its access log; locust's times add the wait for a free worker):")
    print()
    print(server_times(log.with_name("access.log")))
    print()
    print("\n".join(lines))
    requests = total.requests if total else 0
    print(
        f"- CPU time: gunicorn {cpu_server:.0f} s ({1000 * cpu_server / max(1, requests):.0f} ms per request), "
        f"locust {cpu_locust:.0f} s, of {(os.cpu_count() or 1) * opts.minutes * 60:.0f} "
        "CPU-seconds of the run (PostgreSQL not counted)"
    )
    print(f"- failed requests (locust): {http_failures}; server errors in gunicorn's log: {len(errors)}")
    for block in errors[:5]:
        print()
        print(block[:4000])
    failures_csv = Path(str(stats).replace("_stats.csv", "_failures.csv"))
    if http_failures and failures_csv.exists():
        print()
        print(failures_csv.read_text(encoding="utf-8")[:4000])
    print()
    print("OK: every check passed." if not failed else "FAILED: " + "; ".join(failed))
    if opts.keep:
        print(f"- kept: database {opts.database}, work folder {work}")
    elif failed:
        print(f"- kept for a look: work folder {work} (gunicorn.log, access.log, locust_*.csv, officers.json)")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
