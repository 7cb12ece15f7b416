"""Benchmark of the matching engine: ``python -m bench.matching [--quick]``.

Measures, in one run on one core (BLAS/OpenMP threads pinned to 1):

* ``tongxin.matching.solve`` end to end, from Python lists to ``result.pairs``,
  on realistic markets (see :mod:`bench.matching_instances`) up to national
  scale (127,000 villages x 110,000 enterprises, k = 20), either side proposing;
* the id-keyed ``match`` at national scale, with integer ids;
* the plain pure-Python deferred acceptance (:mod:`tongxin.matching.reference`);
* the PyPI ``matching`` package's documented API
  (``HospitalResident.create_from_dictionaries(..., clean=True).solve()``) on
  many-to-one markets (villages of capacity 1 propose), with the speed ratio
  (it needs a raised recursion limit, see ``_with_deep_recursion``);
* fit scoring: the top-20 enterprises of every village (``FitModel`` +
  ``top_enterprises``), and the top-20 villages of every enterprise.

Times are medians over several repeats (after one warm-up run), measured in
the same run. Peak memory is measured in a separate, untimed run with
``tracemalloc`` (Python and NumPy allocations made by the measured call).
The quick mode (``--quick``) uses small sizes only and takes well under 30 s.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from bench.matching_instances import (  # noqa: E402
    NATIONAL_ENTERPRISES,
    NATIONAL_VILLAGES,
    MarketInstance,
    make_fit_agents,
    make_market,
)
from tongxin.matching import match, solve  # noqa: E402
from tongxin.matching.fit import FitModel  # noqa: E402
from tongxin.matching.reference import deferred_acceptance  # noqa: E402

K = 20


@dataclass
class Row:
    """One line of the result table."""

    what: str
    villages: int
    enterprises: int
    proposing: str
    times: list[float]
    cpu: list[float]
    peak_mib: float | None
    pairs: int | None = None
    rounds: int | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def _measure(fn: Callable[[], Any], repeats: int, warmup: bool = True) -> tuple[list[float], list[float], Any]:
    """Wall-clock and CPU times of ``repeats`` calls (CPU time is less disturbed by other load)."""
    if warmup:
        fn()
    times = []
    cpu = []
    out = None
    for _ in range(repeats):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return times, cpu, out


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


def _args(market: MarketInstance, proposing: str) -> tuple[Any, Any, Any, Any]:
    if proposing == "villages":
        return (market.village_prefs, market.enterprise_prefs, market.village_capacity, market.enterprise_capacity)
    return (market.enterprise_prefs, market.village_prefs, market.enterprise_capacity, market.village_capacity)


def bench_engine(market: MarketInstance, proposing: str, repeats: int, with_memory: bool) -> Row:
    """``solve`` end to end: Python lists in, ``result.pairs`` out."""
    args = _args(market, proposing)

    def run() -> Any:
        result = solve(*args)
        _ = result.pairs
        return result

    times, cpu, result = _measure(run, repeats)
    peak = _peak_mib(run) if with_memory else None
    return Row(
        "tongxin.matching.solve",
        market.n_villages,
        market.n_enterprises,
        proposing,
        times,
        cpu,
        peak,
        len(result.pairs),
        result.rounds,
        f"{result.dropped_proposer_entries + result.dropped_receiver_entries:,} one-sided entries dropped",
    )


def bench_market_layer(market: MarketInstance, proposing: str, repeats: int) -> Row:
    """The id-keyed ``match`` with integer ids (like database keys), end to end."""
    e_ids = [100_000 + 3 * i for i in range(market.n_enterprises)]
    v_ids = [500_000 + 2 * j for j in range(market.n_villages)]
    e_prefs = {e_ids[i]: [v_ids[j] for j in lst] for i, lst in enumerate(market.enterprise_prefs)}
    v_prefs = {v_ids[j]: [e_ids[i] for i in lst] for j, lst in enumerate(market.village_prefs)}
    e_cap = dict(zip(e_ids, market.enterprise_capacity, strict=True))
    v_cap = dict(zip(v_ids, market.village_capacity, strict=True))
    times, cpu, result = _measure(lambda: match(e_prefs, v_prefs, e_cap, v_cap, proposing=proposing), repeats)
    return Row(
        "tongxin.matching.match (integer ids)",
        market.n_villages,
        market.n_enterprises,
        proposing,
        times,
        cpu,
        None,
        len(result.pairs),
        result.rounds,
    )


def bench_reference(market: MarketInstance, proposing: str, repeats: int) -> tuple[Row, list[tuple[int, int]]]:
    """The plain sequential pure-Python algorithm (same result)."""
    args = _args(market, proposing)
    times, cpu, pairs = _measure(lambda: deferred_acceptance(*args), repeats, warmup=False)
    row = Row(
        "pure-Python reference DA", market.n_villages, market.n_enterprises, proposing, times, cpu, None, len(pairs)
    )
    return row, pairs


def _with_deep_recursion(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a thread with a large stack and recursion limit.

    ``matching`` deep-copies its players, whose preference lists link them
    all together, so ``copy.deepcopy`` recurses through the whole market and
    exceeds Python's default recursion limit from about 1,000 agents.
    """
    result: list[Any] = []
    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size(1 << 30)
    sys.setrecursionlimit(1_000_000)
    try:
        worker = threading.Thread(target=lambda: result.append(fn()))
        worker.start()
        worker.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if not result:
        raise RuntimeError("the matching package failed; see the traceback above")
    return result[0]


def _matching_package(market: MarketInstance) -> list[tuple[int, int]]:
    from matching.games import HospitalResident  # type: ignore[import-untyped, unused-ignore]

    residents = {f"v{i}": [f"e{j}" for j in prefs] for i, prefs in enumerate(market.village_prefs)}
    hospitals = {f"e{j}": [f"v{i}" for i in prefs] for j, prefs in enumerate(market.enterprise_prefs)}
    capacities = {f"e{j}": c for j, c in enumerate(market.enterprise_capacity)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities, clean=True)
        matching = game.solve(optimal="resident")
    return sorted((int(r.name[1:]), int(h.name[1:])) for h, matched in matching.items() for r in matched)


def bench_matching_package(n_villages: int, repeats: int, seed: int) -> list[Row]:
    """The ``matching`` package against ours on the same many-to-one market."""
    market = make_market(n_villages, k=K, seed=seed, village_capacity=(1.0,))
    ours = bench_engine(market, "villages", max(repeats, 5), with_memory=False)
    ours.what = "tongxin.matching.solve (many-to-one)"
    times, cpu, theirs = _measure(
        lambda: _with_deep_recursion(lambda: _matching_package(market)), repeats, warmup=False
    )
    same = theirs == solve(*_args(market, "villages")).pairs
    row = Row(
        "matching 1.4.3 HospitalResident",
        market.n_villages,
        market.n_enterprises,
        "villages",
        times,
        cpu,
        None,
        len(theirs),
        note=f"identical pairs: {same}; ours is {statistics.median(times) / ours.median:,.0f}x faster",
    )
    return [ours, row]


def bench_fit(n_villages: int, repeats: int, with_memory: bool, seed: int) -> list[Row]:
    """Top-20 candidates for every village (and every enterprise), end to end from agent objects."""
    villages, enterprises = make_fit_agents(n_villages, seed=seed)
    rows = []
    for side in ("villages", "enterprises"):

        def run(side: str = side) -> Any:
            model = FitModel(villages, enterprises)
            return model.top_enterprises(K) if side == "villages" else model.top_villages(K)

        times, cpu, top = _measure(run, repeats, warmup=False)
        peak = _peak_mib(run) if with_memory else None
        rows.append(
            Row(
                f"fit: top-{K} for every {side[:-1]}",
                len(villages),
                len(enterprises),
                "-",
                times,
                cpu,
                peak,
                note=f"mean radius {float(np.mean(top.radius_km)):.0f} km, "
                f"{float(np.mean(top.exact)) * 100:.1f}% rows proven nationally exact",
            )
        )
    return rows


def _table(rows: list[Row]) -> str:
    head = (
        "| benchmark | villages | enterprises | proposing | median s | min s | median CPU s | repeats "
        "| peak MiB | pairs | rounds | note |"
    )
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        lines.append(
            f"| {r.what} | {r.villages:,} | {r.enterprises:,} | {r.proposing} | {r.median:.3f} | "
            f"{min(r.times):.3f} | {statistics.median(r.cpu):.3f} | {len(r.times)} | "
            f"{'' if r.peak_mib is None else f'{r.peak_mib:,.0f}'} | "
            f"{'' if r.pairs is None else f'{r.pairs:,}'} | {'' if r.rounds is None else r.rounds} | {r.note} |"
        )
    return "\n".join(lines)


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (well under 30 s)")
    parser.add_argument("--repeats", type=int, default=9, help="repeats of the engine (median reported)")
    parser.add_argument("--seed", type=int, default=1)
    opts = parser.parse_args(argv)
    started = time.perf_counter()
    print(
        f"# matching benchmark ({'quick' if opts.quick else 'full'}): Python {platform.python_version()}, "
        f"NumPy {np.__version__}, {_cpu()} x {os.cpu_count()}, one thread, "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )
    rows: list[Row] = []
    sizes = [1_000, 5_000, 20_000] if opts.quick else [1_000, 5_000, 20_000, NATIONAL_VILLAGES]
    targets: list[str] = []
    for n in sizes:
        t0 = time.perf_counter()
        n_e = NATIONAL_ENTERPRISES if n == NATIONAL_VILLAGES else None
        market = make_market(n, n_e, k=K, seed=opts.seed)
        print(f"  generated {n:,} villages x {market.n_enterprises:,} enterprises in {time.perf_counter() - t0:.1f} s")
        for proposing in ("enterprises", "villages"):
            row = bench_engine(market, proposing, opts.repeats, with_memory=n >= 20_000)
            rows.append(row)
            if n == NATIONAL_VILLAGES:
                ok = "meets" if row.median <= 1.0 else "MISSES"
                targets.append(f"national scale, {proposing} proposing: {row.median:.3f} s ({ok} the 1.0 s target)")
        if n == NATIONAL_VILLAGES:
            for proposing in ("enterprises", "villages"):
                rows.append(bench_market_layer(market, proposing, 3))
        if n in (20_000, NATIONAL_VILLAGES):
            for proposing in ("enterprises", "villages"):
                ref, pairs = bench_reference(market, proposing, 3 if n < NATIONAL_VILLAGES else 2)
                same = pairs == solve(*_args(market, proposing)).pairs
                fast = next(r for r in rows if r.villages == n and r.proposing == proposing)
                ref.note = f"identical pairs: {same}; {ref.median / fast.median:.1f}x slower than solve"
                rows.append(ref)
        del market
        gc.collect()
    for n in [1_000] if opts.quick else [1_000, 5_000]:
        pkg_rows = bench_matching_package(n, 1 if opts.quick else 3, opts.seed)
        rows.extend(pkg_rows)
        ratio = pkg_rows[1].median / pkg_rows[0].median
        if n == 5_000:
            ok = "meets" if ratio >= 300 else "MISSES"
            targets.append(f"matching package at 5,000 villages: {ratio:,.0f}x slower ({ok} the 300x target)")
    fit_n = 20_000 if opts.quick else NATIONAL_VILLAGES
    fit_rows = bench_fit(fit_n, 1 if opts.quick else 3, with_memory=True, seed=opts.seed)
    rows.extend(fit_rows)
    if not opts.quick:
        f = fit_rows[0]
        ok = "meets" if f.median <= 20 and (f.peak_mib or 0) <= 2048 else "MISSES"
        targets.append(f"fit top-{K} for every village: {f.median:.1f} s, {f.peak_mib:,.0f} MiB ({ok} 20 s / 2 GB)")
    print()
    print(_table(rows))
    print()
    for line in targets:
        print(f"- {line}")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"- process peak RSS {max_rss:,.0f} MiB; total benchmark time {time.perf_counter() - started:.0f} s; "
        f"load average at end {os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
