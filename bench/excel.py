"""Benchmark of Excel at 100,000 rows: ``python -m bench.excel [--rows N] [--runs R] [--quick]``.

Builds a scratch database — a temporary SQLite file by default; a scratch database next to
the one ``DATABASE_URL`` names when it is PostgreSQL — migrated with Django's test-database
machinery and dropped at the end. It holds one county with 400 townships, ``--rows``
villages (default 100,000) with their needs, the official division table for all of them
(so a new village's code is really checked) and a county staff user; then it measures:

* **export yardstick**: openpyxl's write-only workbook writing the export's very values
  from a plain list to a temporary file — what any export costs at the least;
* **export**: the village ledger's export view (``ObjectExportView``: scope, filter, count,
  the streamed sheet) for all ``--rows`` villages, the file read to its end;
* **import yardstick**: openpyxl reading a ``--rows``-row import sheet (17 columns), nothing else;
* **import, dry run** and **import**: the same sheet (new villages in other townships)
  through :class:`~tongxin.core.imports.Importer` as the import task runs it (county
  staff, source "import"), every row checked and — for the real import — written with
  its change record; the real import is rolled back afterwards so it can be repeated;
* with ``--updates``, **re-import**: a sheet naming the existing villages (every row an update).

Export steps run ``--runs`` times (default 3), import steps ``--import-runs`` times
(default 1); the table shows the median wall-clock and CPU seconds. Peak memory is measured
in a separate, untimed run of each step with ``tracemalloc`` (Python allocations made by
the step), as in ``bench.divisions``; ``--no-memory`` skips those runs.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from tongxin.accounts.choices import Role  # noqa: E402
from tongxin.core.context import change_context  # noqa: E402
from tongxin.core.exports import TableSheet  # noqa: E402
from tongxin.core.fields import field_label  # noqa: E402
from tongxin.core.imports import Importer, ImportResult  # noqa: E402
from tongxin.core.ledgers import get_ledger  # noqa: E402
from tongxin.core.models import Capability  # noqa: E402
from tongxin.core.scope import EXPORT, restrict  # noqa: E402
from tongxin.core.statistics import refresh_statistics  # noqa: E402
from tongxin.core.views.generic import ObjectExportView  # noqa: E402
from tongxin.core.vocabulary import sync_vocabulary  # noqa: E402
from tongxin.regions.choices import DivisionLevel  # noqa: E402
from tongxin.regions.forms import VillageImportForm  # noqa: E402
from tongxin.regions.models import County, Division, Township, Village  # noqa: E402
from tongxin.testing import factories  # noqa: E402

settings.DEBUG = False  # the dev settings' query log would time itself, and grow

COUNTY_CODE = "330122"
TOWNSHIPS = 400  # the first half holds the existing villages, the second the imported ones
VILLAGES_PER_TOWNSHIP = 599  # the village segment runs 001–599


@dataclass
class Row:
    """One line of the result table."""

    what: str
    rows: int
    seconds: list[float]
    cpu: list[float]
    peak_mib: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class World:
    """The scratch county: townships for the existing and for the imported villages."""

    county: County
    existing: list[Township]
    imported: list[Township]
    user: Any
    codes: dict[str, list[str]] = field(default_factory=dict)


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock and CPU time of this process (the database server's work shows in the first only)."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - start, time.process_time() - start_cpu, out


def _peak_mib(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        out = fn()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    del out
    return peak / 2**20


def _undone(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a transaction and roll it back (a real import can be repeated)."""
    with transaction.atomic():
        out = fn()
        transaction.set_rollback(True)
    return out


# --- the scratch database ------------------------------------------------------------


def _scratch_database() -> str:
    """Create and migrate the scratch database; returns the name to restore afterwards."""
    original = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        name = str(Path(tempfile.gettempdir()) / f"tongxin-bench-excel-{os.getpid()}.sqlite3")
    else:
        name = f"tongxin_bench_excel_{os.getpid()}"
    connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return original


def _codes(townships: list[Township], count: int) -> list[tuple[Township, str]]:
    """``count`` village codes spread over ``townships`` (at most 599 in each)."""
    if count > len(townships) * VILLAGES_PER_TOWNSHIP:
        raise SystemExit(f"at most {len(townships) * VILLAGES_PER_TOWNSHIP:,} villages fit the scratch county")
    return [
        (townships[n % len(townships)], f"{townships[n % len(townships)].code[:9]}{n // len(townships) + 1:03d}")
        for n in range(count)
    ]


def _build(count: int) -> World:
    """The county, its townships and ``count`` villages with needs, and the division table."""
    sync_vocabulary(Capability)
    county = factories.county(COUNTY_CODE, "桐庐县")
    townships = Township.objects.bulk_create(
        [
            Township(county=county, code=f"{COUNTY_CODE}{n:03d}000", name=f"乡镇{n:03d}", kind="town")
            for n in range(1, TOWNSHIPS + 1)
        ]
    )
    half = TOWNSHIPS // 2
    world = World(
        county, townships[:half], townships[half:], factories.user("bench_staff", Role.COUNTY_STAFF, county=county)
    )
    needs = list(Capability.objects.filter(kind="need").order_by("code"))
    existing = _codes(world.existing, count)
    villages = [
        Village(
            township=township,
            code=code,
            name=f"村{n}",
            kind="village",
            population=800 + n % 900,
            households=250 + n % 300,
            area_km2=Decimal(n % 5000) / 100,
            per_capita_income=18000 + n % 9000,
            collective_income=50000 + n % 70000,
            industries="茶叶、竹编" if n % 2 else "=旅游",  # one in two needs its formula escaped
            party_secretary=f"书记{n % 97}",
            party_members=20 + n % 40,
        )
        for n, (township, code) in enumerate(existing)
    ]
    Village.objects.bulk_create(villages, batch_size=2000)
    through = Village.needs.through
    links = [through(village_id=v.pk, capability_id=needs[v.pk % len(needs)].pk) for v in villages]
    through.objects.bulk_create(links, batch_size=5000)
    world.codes["existing"] = [code for _t, code in existing]
    world.codes["imported"] = [code for _t, code in _codes(world.imported, count)]
    today = timezone.localdate()
    table = [Division(code=COUNTY_CODE, level=DivisionLevel.COUNTY, name="桐庐县", loaded=today)]
    table += [Division(code=t.code, level=DivisionLevel.TOWNSHIP, name=t.name, loaded=today) for t in townships]
    table += [
        Division(code=code, level=DivisionLevel.VILLAGE, name=code, loaded=today)
        for code in (*world.codes["existing"], *world.codes["imported"])
    ]
    Division.objects.bulk_create(table, batch_size=5000)
    # As the bulk paths that fill these tables in production do (``load_divisions``).
    refresh_statistics([Township, Village, through, Division])
    return world


def _import_sheet(world: World, which: str) -> bytes:
    """An import sheet with every column of the village import form, one row per code."""
    names = [name for name in VillageImportForm.base_fields if name != "version"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([field_label(Village, name) for name in names])
    townships = world.imported if which == "imported" else world.existing
    for n, code in enumerate(world.codes[which]):
        township = townships[n % len(townships)]
        values = {
            "township": township.name,
            "code": code,
            "name": f"{'新' if which == 'imported' else ''}村{n}",
            "urban_rural": "220",
            "population": 1000 + n % 800,
            "households": 300 + n % 200,
            "area_km2": 12.5,
            "per_capita_income": 20000,
            "collective_income": 50000,
            "industries": "茶叶",
            "needs": "资金、技术" if n % 3 else "",
            "advantages": "",
            "latitude": 29.8,
            "longitude": 119.7,
            "party_secretary": "张三",
            "party_members": 30,
            "party_notes": "",
        }
        sheet.append([values[name] for name in names])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the steps -----------------------------------------------------------------------


def _export(world: World) -> int:
    """The export view for county staff, its file read to the end; returns the file size."""
    view = ObjectExportView.as_view(ledger=get_ledger("village"))
    request = RequestFactory().get("/villages/export/")
    request.user = world.user
    response = view(request)
    assert response.status_code == 200, response.status_code
    size = 0
    for chunk in getattr(response, "streaming_content", ()):
        size += len(chunk)
    response.close()
    return size


def _export_values(world: World) -> tuple[list[str], list[list[Any]]]:
    """The export's headers and cell values as a plain list (for the yardstick)."""
    ledger = get_ledger("village")
    queryset = ledger.optimise(restrict(Village.objects.all(), world.user, EXPORT)).order_by("code")
    sheet = TableSheet(ledger.table(queryset))
    return sheet.headers, list(sheet.rows())


def _openpyxl_write(headers: list[str], rows: list[list[Any]]) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryFile() as target:
        workbook.save(target)
        return target.tell()


def _openpyxl_read(data: bytes) -> int:
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    sheet.reset_dimensions()
    return sum(1 for _row in sheet.iter_rows(values_only=True)) - 1


def _import(world: World, data: bytes, *, dry_run: bool) -> ImportResult:
    importer = Importer(model=Village, form_class=VillageImportForm, key_field="code", user=world.user)
    with change_context(user=world.user, source="import"):
        result = importer.run(data, dry_run=dry_run)
    if result.errors:
        raise SystemExit(f"the import refused the benchmark sheet: {result.errors[:3]}")
    return result


def _measure(
    what: str, count: int, runs: int, fn: Callable[[], Any], *, memory: bool, note: Callable[[Any], str] | None = None
) -> Row:
    seconds, cpu = [], []
    out: Any = None
    for _run in range(runs):
        wall, used, out = _timed(fn)
        seconds.append(wall)
        cpu.append(used)
        print(f"  {what}: {wall:.2f} s (CPU {used:.2f} s)", flush=True)
    peak = _peak_mib(fn) if memory else None
    return Row(what, count, seconds, cpu, peak, note(out) if note is not None else "")


def _table(rows: list[Row]) -> str:
    lines = [
        "| step | rows | seconds (median) | runs | CPU s (median) | µs per row | peak MiB | note |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        peak = f"{r.peak_mib:,.1f}" if r.peak_mib is not None else "–"
        per_row = r.median / max(r.rows, 1) * 1e6
        lines.append(
            f"| {r.what} | {r.rows:,} | {r.median:.2f} | {len(r.seconds)} | {statistics.median(r.cpu):.2f} "
            f"| {per_row:,.0f} | {peak} | {r.note} |"
        )
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


def _unpacked(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(member.file_size for member in archive.infolist())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.excel", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="villages exported and imported (default 100,000)")
    parser.add_argument("--quick", action="store_true", help="10,000 rows, one run each")
    parser.add_argument("--runs", type=int, default=3, help="runs of each export step (default 3)")
    parser.add_argument("--import-runs", type=int, default=1, help="runs of each import step (default 1)")
    parser.add_argument("--updates", action="store_true", help="also re-import the existing villages (updates)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    opts = parser.parse_args(argv)
    count = 10_000 if opts.quick else opts.rows
    runs, import_runs = (1, 1) if opts.quick else (opts.runs, opts.import_runs)
    memory = not opts.no_memory
    started = time.perf_counter()
    original = _scratch_database()
    try:
        print(
            f"# Excel benchmark ({count:,} rows): Python {platform.python_version()}, {_database()} (scratch), "
            f"{os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        build_s, _cpu, world = _timed(lambda: _build(count))
        print(f"  built the scratch county in {build_s:.0f} s", flush=True)
        rows: list[Row] = []

        headers, values = _export_values(world)
        rows.append(
            _measure(
                "export yardstick: openpyxl write-only, values from a list",
                count,
                runs,
                lambda: _openpyxl_write(headers, values),
                memory=memory,
                note=lambda size: f"{size / 2**20:.1f} MB file",
            )
        )
        rows.append(
            _measure(
                "export: the village ledger's export view",
                count,
                runs,
                lambda: _export(world),
                memory=memory,
                note=lambda size: f"{size / 2**20:.1f} MB file",
            )
        )

        data = _import_sheet(world, "imported")
        sheet_note = f"{len(data) / 2**20:.1f} MB sheet, {_unpacked(data) / 2**20:.0f} MB unpacked"
        rows.append(
            _measure(
                "import yardstick: openpyxl read-only, 17 columns",
                count,
                runs,
                lambda: _openpyxl_read(data),
                memory=memory,
                note=lambda _n: sheet_note,
            )
        )
        rows.append(
            _measure(
                "import, dry run (new villages)",
                count,
                import_runs,
                lambda: _import(world, data, dry_run=True),
                memory=memory,
                note=lambda r: f"{r.created:,} would be created",
            )
        )
        rows.append(
            _measure(
                "import (new villages, change-logged; rolled back)",
                count,
                import_runs,
                lambda: _undone(lambda: _import(world, data, dry_run=False)),
                memory=memory,
                note=lambda r: f"{r.created:,} created",
            )
        )
        if opts.updates:
            again = _import_sheet(world, "existing")
            rows.append(
                _measure(
                    "re-import (every row an update; rolled back)",
                    count,
                    import_runs,
                    lambda: _undone(lambda: _import(world, again, dry_run=False)),
                    memory=memory,
                    note=lambda r: f"{r.updated:,} updated",
                )
            )
        print()
        print(_table(rows))
        print()
        yard, export = rows[0].median, rows[1].median
        print(f"- export: {export / yard:.1f}x the yardstick; limits: export ≤ 15 s, import ≤ 60 s per 100,000 rows")
        max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"- process peak RSS {max_rss:,.0f} MiB; total benchmark time {time.perf_counter() - started:.0f} s "
            f"(building {build_s:.0f} s); load average at end {os.getloadavg()[0]:.2f}"
        )
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
