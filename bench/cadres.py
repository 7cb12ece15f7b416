"""Benchmark of the cadre files at province scale: ``python -m bench.cadres [--people N] [--runs R]``.

Builds a scratch database — a temporary SQLite file by default; a scratch database next to
the one ``DATABASE_URL`` names when it is PostgreSQL — migrated with Django's test-database
machinery and dropped at the end. It holds a province's worth of cadre files, bulk-created:
90 counties, ``--people`` files (default 60,000: serving, reserve, retired, left) with one
or two dated posts held each, the reserve pool's stages, and in every county the five
leadership teams, eight departments and ten township teams with their posts and the five
staffing rules of the demo. Then it measures, for the whole province (a superuser: every
file) and for one county's cadre officer:

* **yardstick**: one grouped count of all files by status through the ORM — the least any
  statistic over the files costs;
* **structure**: :func:`tongxin.cadres.services.structure.structure_for` (its fixed
  number of grouped queries: dimensions, bodies, the yearly trend);
* **compliance**: :func:`tongxin.cadres.services.compliance.compliance_report` (every rule
  evaluated, with ranked candidates for each gap).

Each step runs ``--runs`` times (default 5); the table shows the median and the slowest
wall-clock seconds and the queries. The target: structure and compliance for the province
each ≤ 1 s.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count  # noqa: E402

from tongxin.accounts.choices import Role  # noqa: E402
from tongxin.accounts.models import User  # noqa: E402
from tongxin.cadres.choices import (  # noqa: E402
    Affiliation,
    BodyKind,
    Education,
    PersonStatus,
    PostRole,
    RankLevel,
    ReserveStage,
    RuleMode,
)
from tongxin.cadres.models import Body, Person, Post, PostHistory, StaffingRule, StageRecord  # noqa: E402
from tongxin.cadres.services.compliance import compliance_report  # noqa: E402
from tongxin.cadres.services.structure import structure_for  # noqa: E402
from tongxin.regions.models import County, Township  # noqa: E402
from tongxin.testing import factories  # noqa: E402

settings.DEBUG = False  # the dev settings' query log would time itself, and grow

COUNTIES = 90
TOWNSHIP_TEAMS = 10
TODAY = date(2026, 11, 30)
TARGET_S = 1.0
FIELDS = (
    "农业经济",
    "水利工程",
    "法律",
    "教育",
    "医疗卫生",
    "财务会计",
    "城乡规划",
    "文化旅游",
    "生态环境",
    "信息技术",
)
LEADERS = (BodyKind.NPC_STANDING, BodyKind.GOVERNMENT, BodyKind.CPPCC, BodyKind.COURT, BodyKind.PROCURATORATE)
RULES = (
    (BodyKind.GOVERNMENT, RuleMode.EACH, 1, PostRole.DEPUTY),
    (BodyKind.COURT, RuleMode.EACH, 1, ""),
    (BodyKind.PROCURATORATE, RuleMode.EACH, 1, ""),
    (BodyKind.DEPARTMENT, RuleMode.BODIES, 5, PostRole.SECTION_CHIEF),
    (BodyKind.TOWNSHIP_TEAM, RuleMode.EACH, 1, ""),
)


@dataclass
class Row:
    """One line of the result table."""

    what: str
    who: str
    seconds: list[float]
    queries: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def _scratch_database() -> str:
    """Create and migrate the scratch database; returns the name to restore afterwards."""
    original = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        name = str(Path(tempfile.gettempdir()) / f"tongxin-bench-cadres-{os.getpid()}.sqlite3")
    else:
        name = f"tongxin_bench_cadres_{os.getpid()}"
    connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return original


def _people(counties: list[County], count: int, rng: random.Random) -> list[Person]:
    statuses = [PersonStatus.SERVING] * 60 + [PersonStatus.RESERVE] * 25 + [PersonStatus.RETIRED] * 10
    statuses += [PersonStatus.LEFT] * 5
    affiliations = list(Affiliation.values)
    people = []
    for n in range(count):
        county = counties[n % len(counties)]
        people.append(
            Person(
                code=f"{county.code}-{n:06d}",
                name=f"干部{n}",
                gender=rng.choice(("male", "female")),
                birth_date=date(rng.randint(1962, 1998), rng.randint(1, 12), rng.randint(1, 28)),
                education=rng.choice(Education.values),
                expertise=rng.choice(FIELDS),
                work_unit="县直单位",
                post="副局长",
                rank=rng.choice(RankLevel.values),
                affiliation=rng.choices(affiliations, weights=[6, 1, 2, 1, 2, 1, 1, 2, 1])[0],
                status=rng.choice(statuses),
                county=county,
                mobile=f"139{n:08d}",
            )
        )
    return Person.objects.bulk_create(people, batch_size=5000)


def _build(count: int) -> dict[str, Any]:
    """The province's counties, files, posts held, stages, bodies, posts and rules."""
    rng = random.Random(20261130)
    # Saved one by one: a county's save places it under its prefecture and province.
    counties = [factories.county(f"33{n // 20 + 1:02d}{n % 20 + 1:02d}", f"县{n:02d}") for n in range(COUNTIES)]
    townships = Township.objects.bulk_create(
        [
            Township(county=c, code=f"{c.code}{t:03d}000", name=f"{c.name}镇{t}", kind="town")
            for c in counties
            for t in range(1, TOWNSHIP_TEAMS + 1)
        ]
    )
    people = _people(counties, count, rng)
    history = []
    for p in people:
        start = date(rng.randint(2008, 2022), rng.randint(1, 12), 1)
        if rng.random() < 0.5:
            middle = start + timedelta(days=rng.randint(400, 1500))
            history.append(PostHistory(person=p, work_unit="乡镇", post="科员", rank=p.rank, start=start, end=middle))
            start = middle + timedelta(days=1)
        end = max(start, date(2024, 6, 30)) if p.status in (PersonStatus.RETIRED, PersonStatus.LEFT) else None
        history.append(PostHistory(person=p, work_unit=p.work_unit, post=p.post, rank=p.rank, start=start, end=end))
    PostHistory.objects.bulk_create(history, batch_size=5000)
    stages = []
    for p in people:
        if p.status == PersonStatus.RESERVE:
            day = date(rng.randint(2018, 2025), rng.randint(1, 12), 1)
            for stage in (ReserveStage.FOUND, ReserveStage.INSPECTED, ReserveStage.POOL):
                stages.append(StageRecord(person=p, stage=stage, date=day))
                day += timedelta(days=90)
    StageRecord.objects.bulk_create(stages, batch_size=5000)
    serving: dict[int, list[Person]] = {}
    for p in people:
        if p.status == PersonStatus.SERVING:
            serving.setdefault(p.county_id, []).append(p)
    bodies = []
    for c in counties:
        bodies += [Body(name=f"{c.name}{kind}", kind=kind, county=c) for kind in LEADERS]
        bodies += [Body(name=f"{c.name}部门{d}", kind=BodyKind.DEPARTMENT, county=c) for d in range(8)]
        bodies += [
            Body(name=f"{t.name}班子", kind=BodyKind.TOWNSHIP_TEAM, county=c, township=t)
            for t in townships
            if t.county_id == c.pk
        ]
    bodies = Body.objects.bulk_create(bodies, batch_size=5000)
    posts = []
    for i, b in enumerate(bodies):
        posts.append(
            Post(body=b, title="主要负责人", role=PostRole.LEADER, other_holder="某某", start=date(2022, 1, 1))
        )
        holders = serving[b.county_id]
        role = PostRole.SECTION_CHIEF if b.kind == BodyKind.DEPARTMENT else PostRole.DEPUTY
        if i % 4:  # one body in four has no non-party holder: real gaps
            end = TODAY + timedelta(days=200) if i % 7 == 0 else date(2029, 1, 1)
            posts.append(
                Post(
                    body=b,
                    title="副职",
                    role=role,
                    person=holders[i % len(holders)],
                    start=date(2022, 1, 1),
                    term_end=end,
                )
            )
    Post.objects.bulk_create(posts, batch_size=5000)
    StaffingRule.objects.bulk_create(
        [
            StaffingRule(
                name=f"规则{kind}", county=c, body_kind=kind, mode=mode, minimum=minimum, post_role=role,
                source_document="实施意见", source_date=date(2024, 3, 1),
            )
            for c in counties
            for kind, mode, minimum, role in RULES
        ]
    )  # fmt: skip
    admin = User.objects.create_superuser("bench_admin", password=None)
    officer = factories.user("bench_officer", Role.CADRE_OFFICER, county=counties[0])
    return {
        "people": len(people),
        "history": len(history),
        "stages": len(stages),
        "bodies": len(bodies),
        "posts": len(posts),
        "admin": admin,
        "officer": officer,
    }


def _queries(fn: Callable[[], Any]) -> int:
    """How many queries ``fn`` sends."""
    count = 0

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        fn()
    return count


def _measure(what: str, who: str, runs: int, fn: Callable[[], Any]) -> Row:
    fn()  # warm: the reader's hats, the first query plans
    queries = _queries(fn)
    seconds = []
    for _ in range(runs):
        gc.collect()
        reset_queries()
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return Row(what, who, seconds, queries)


def _database() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
    return connection.vendor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cadres", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=60_000, help="files across the 90 counties (default 60,000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each step (default 5)")
    parser.add_argument("--profile", action="store_true", help="also print a profile of the province's compliance")
    opts = parser.parse_args(argv)
    started = time.perf_counter()
    original = _scratch_database()
    try:
        print(
            f"# Cadre files benchmark ({opts.people:,} people, {COUNTIES} counties): Python "
            f"{platform.python_version()}, {_database()} (scratch), {os.cpu_count()} CPUs, "
            f"load average at start {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        build_start = time.perf_counter()
        world = _build(opts.people)
        build_s = time.perf_counter() - build_start
        print(
            f"  built in {build_s:.0f} s: {world['people']:,} files, {world['history']:,} posts held, "
            f"{world['stages']:,} reserve stages, {world['bodies']:,} bodies, {world['posts']:,} posts",
            flush=True,
        )
        admin, officer = world["admin"], world["officer"]

        def yardstick() -> Any:
            return list(Person.objects.order_by().values("status").annotate(n=Count("pk")))

        province, county = "province", "one county"
        structure, compliance = "structure statistics", "compliance (rules, gaps, candidates)"
        rows = [
            _measure("yardstick: one grouped count of all files (ORM)", "—", opts.runs, yardstick),
            _measure(structure, province, opts.runs, lambda: structure_for(user=admin, today=TODAY)),
            _measure(compliance, province, opts.runs, lambda: compliance_report(user=admin, today=TODAY)),
            _measure(structure, county, opts.runs, lambda: structure_for(user=officer, today=TODAY)),
            _measure(compliance, county, opts.runs, lambda: compliance_report(user=officer, today=TODAY)),
        ]
        if opts.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(lambda: compliance_report(user=admin, today=TODAY))
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        print()
        print("| step | scope | median s | slowest s | queries | median × yardstick |")
        print("|---|---|---:|---:|---:|---:|")
        base = rows[0].median
        for row in rows:
            flag = " ⚠ over 1 s" if row.who == "province" and row.median > TARGET_S else ""
            print(
                f"| {row.what} | {row.who} | {row.median:.3f} | {max(row.seconds):.3f} | {row.queries} | "
                f"{row.median / base:.1f}{flag} |"
            )
        print()
        print(
            f"- target: structure and compliance for the province ≤ {TARGET_S:.0f} s each; total benchmark time "
            f"{time.perf_counter() - started:.0f} s; load average at end {os.getloadavg()[0]:.2f}"
        )
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
