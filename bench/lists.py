"""Benchmark of the list pages on a production-like server: ``python -m bench.lists``.

Serves the demo county with gunicorn (2 sync workers, ``tongxin.settings.prod``, DEBUG off,
a generated SECRET_KEY) from a scratch SQLite database, signs in as ``county_staff`` and
drives every list with ``wrk``:

* the yardstick: a bare Django page with the village list's first 50 rows and 15 columns
  (``bench/bare_app.py``: one plain template loop; the product's URLs are not touched);
* every ledger list page of the registry (first page, 50 rows);
* every list of the REST API (first page).

Each URL is measured ``--runs`` times (default 3) for ``--duration`` seconds, in rounds
over all URLs, each run right after a run of the yardstick; the table shows the median
requests/s, the p50/p99 latency of the median run, and the median of the ratios to the
neighbouring yardstick runs (robust to a machine whose load changes during the run).
The server's CPU time per request (the gunicorn workers' user + system time during a
run, from /proc, divided by the requests answered) is shown too, with its ratio: on a busy
machine it is the steadier measure of the page's own cost (SQLite runs in the workers).
Every URL is checked first (it must answer 200 to the signed-in user), and a run with
non-2xx answers (or socket errors) is flagged. When ``collectstatic`` cannot build the
hashed-names manifest, the server runs ``bench/prod_settings.py`` (production with plain
static names) and says so.

The scratch data live in ``--data-dir`` (default: ``tongxin-bench-lists`` in the system
temp folder): migrated and seeded with ``seed_demo`` on the first run, reused afterwards
(``--fresh`` starts over). Needs ``wrk`` (Debian: ``apt-get install -y wrk``) and gunicorn.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BARE_URL = "/bench/bare/villages/"
USERNAME = "county_staff"
PASSWORD = "tongxin-demo"
HOST = "127.0.0.1"


@dataclass
class Result:
    """The measurement of one URL."""

    url: str
    kind: str
    rps: float
    p50_ms: float
    p99_ms: float
    runs: list[float]
    errors: int
    ratio: float  # median of the requests/s ratios to the neighbouring yardstick runs
    cpu_ms: float | None  # median server CPU ms per request
    cpu_ratio: float | None  # median of (yardstick CPU per request / this URL's), neighbouring runs


def bench_env(data_dir: Path) -> dict[str, str]:
    """Production settings on a scratch database; API rate limits far out of the way."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tongxin.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="false",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{data_dir / 'db.sqlite3'}",
        STATIC_ROOT=str(data_dir / "static"),
        MEDIA_ROOT=str(data_dir / "media"),
        CACHE_DIR=str(data_dir / "cache"),
        FILE_ACCEL="django",
        LOG_LEVEL="WARNING",
        API_RATE_ANON="100000000/hour",
        API_RATE_USER="100000000/hour",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env: dict[str, str], data_dir: Path, fresh: bool) -> None:
    """Migrate and seed the scratch database (once), collect the static files (manifest)."""
    if fresh and data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"- scratch data: {data_dir}", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "seed_demo", "--if-empty")
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if collected.returncode != 0:
        lines = collected.stderr.strip().splitlines() or ["?"]
        problem = next((line for line in reversed(lines) if "Error" in line), lines[-1])
        print(f"- note: collectstatic failed ({problem[:200]}); serving with plain static names (bench.prod_settings)")
        env["DJANGO_SETTINGS_MODULE"] = "bench.prod_settings"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
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
        "bench.bare_app:application",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("bench.lists: gunicorn stopped while starting (see above).")
        try:
            status, _headers, _body = request(port, "GET", "/accounts/login/")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop(process)
    raise SystemExit("bench.lists: gunicorn did not answer within 60 s.")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def request(
    port: int, method: str, url: str, headers: dict[str, str] | None = None, body: str | None = None
) -> tuple[int, list[tuple[str, str]], str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, url, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def cookies_of(headers: list[tuple[str, str]]) -> dict[str, str]:
    """The cookies set by a response (read by hand: the secure cookies of prod go over plain HTTP here)."""
    jar: dict[str, str] = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            parsed: SimpleCookie = SimpleCookie()
            parsed.load(value)
            jar.update({key: morsel.value for key, morsel in parsed.items()})
    return jar


class _CsrfField(HTMLParser):
    token = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") == "csrfmiddlewaretoken":
            self.token = values.get("value") or ""


def login(port: int) -> str:
    """Sign in as county_staff through the login form; the Cookie header for wrk."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    parser = _CsrfField()
    parser.feed(body)
    jar = cookies_of(headers)
    form = urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": parser.token, "next": "/"})
    status, headers, _body = request(
        port,
        "POST",
        "/accounts/login/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        },
        body=form,
    )
    jar.update(cookies_of(headers))
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"bench.lists: signing in as {USERNAME} failed (HTTP {status}).")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def targets(env: dict[str, str]) -> list[tuple[str, str]]:
    """(kind, URL): the yardstick, the ledger list pages, the API lists, from the registries."""
    os.environ.update(env)
    import django

    django.setup()
    from django.urls import reverse

    from tongxin.api_urls import router
    from tongxin.core.ledgers import all_ledgers

    found = [("bare", BARE_URL)]
    found += [("page", reverse(ledger.url_name("list"))) for ledger in all_ledgers()]
    for _prefix, viewset, basename in router.registry:
        name = basename or router.get_default_basename(viewset)
        found.append(("api", reverse(f"{name}-list")))
    return found


_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_REQUESTS = re.compile(r"(\d+) requests in")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors:.*?(\d+).*?(\d+).*?(\d+).*?(\d+)")
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Run:
    """One wrk run of one URL."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_ms: float | None  # CPU time of the gunicorn workers per answered request


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def workers_cpu(master: int) -> float | None:
    """User + system CPU seconds used so far by the children of ``master`` (Linux /proc)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    total = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master:  # fields after the name: state, ppid, …, utime (11), stime (12)
            total += int(fields[11]) + int(fields[12])
    return total / _TICK


def wrk(port: int, master: int, url: str, cookie: str, duration: int, opts: argparse.Namespace) -> Run:
    """One wrk run: requests/s, p50 and p99 latency, failed answers, server CPU per request."""
    command = ["wrk", f"-t{opts.threads}", f"-c{opts.connections}", f"-d{duration}s", "--latency", "--timeout", "30s"]
    command += ["-H", f"Cookie: {cookie}", f"http://{HOST}:{port}{url}"]
    cpu_before = workers_cpu(master)
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    cpu_after = workers_cpu(master)
    requests = int(_REQUESTS.search(out).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    errors = int(m.group(1)) if (m := _NON_2XX.search(out)) else 0
    if m := _SOCKET_ERRORS.search(out):
        errors += sum(int(n) for n in m.groups())
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None and requests:
        cpu_ms = (cpu_after - cpu_before) * 1000 / requests
    return Run(
        rps=float(_RPS.search(out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        errors=errors,
        cpu_ms=cpu_ms,
    )


def check(port: int, url: str, cookie: str) -> None:
    status, _headers, _body = request(port, "GET", url, headers={"Cookie": cookie})
    if status != 200:
        raise SystemExit(f"bench.lists: {url} answers {status} to {USERNAME}, not 200.")


def _median(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def _result(kind: str, url: str, runs: list[Run], ratios: list[float], cpu_ratios: list[float | None]) -> Result:
    median = sorted(runs, key=lambda run: run.rps)[len(runs) // 2]
    return Result(
        url=url,
        kind=kind,
        rps=statistics.median(run.rps for run in runs),
        p50_ms=median.p50_ms,
        p99_ms=median.p99_ms,
        runs=[run.rps for run in runs],
        errors=sum(run.errors for run in runs),
        ratio=statistics.median(ratios) if ratios else 1.0,
        cpu_ms=_median([run.cpu_ms for run in runs]),
        cpu_ratio=_median(cpu_ratios) if cpu_ratios else 1.0,
    )


def measure(port: int, master: int, urls: list[tuple[str, str]], cookie: str, opts: argparse.Namespace) -> list[Result]:
    """``opts.runs`` rounds; in each round every URL is measured right after a run of the
    yardstick, and its ratios are taken to that neighbouring run, so that a change of the
    machine's load during the benchmark moves both sides of a ratio alike. The ratios shown
    are the medians of a URL's ratios; requests/s and latencies are of its median run."""
    for _kind, url in urls:
        check(port, url, cookie)
        wrk(port, master, url, cookie, 1, opts)  # warm up both workers
    bare_url = next(url for kind, url in urls if kind == "bare")
    runs: dict[str, list[Run]] = {url: [] for _kind, url in urls}
    ratios: dict[str, list[float]] = {url: [] for _kind, url in urls}
    cpu_ratios: dict[str, list[float | None]] = {url: [] for _kind, url in urls}
    for number in range(1, opts.runs + 1):
        for _kind, url in urls:
            if url == bare_url:
                continue
            bare = wrk(port, master, bare_url, cookie, opts.duration, opts)
            this = wrk(port, master, url, cookie, opts.duration, opts)
            runs[bare_url].append(bare)
            runs[url].append(this)
            ratios[url].append(this.rps / bare.rps if bare.rps else 0.0)
            cpu_ratios[url].append(bare.cpu_ms / this.cpu_ms if bare.cpu_ms and this.cpu_ms else None)
            print(
                f"  round {number}/{opts.runs} {url}: {this.rps:.1f} requests/s, bare {bare.rps:.1f}: "
                f"{ratios[url][-1]:.0%}",
                flush=True,
            )
    return [_result(kind, url, runs[url], ratios[url], cpu_ratios[url]) for kind, url in urls]


def _cpu(value: float | None, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


def table(results: list[Result]) -> str:
    lines = [
        "| URL | requests/s (median) | runs | p50 ms | p99 ms | ratio to bare | server CPU ms/request | CPU ratio |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        runs = " / ".join(f"{rps:.1f}" for rps in r.runs) if len(r.runs) <= 5 else f"{len(r.runs)} runs"
        flag = f" ({r.errors} failed answers)" if r.errors else ""
        lines.append(
            f"| {r.url}{flag} | {r.rps:.1f} | {runs} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.ratio:.0%} "
            f"| {_cpu(r.cpu_ms, '.1f')} | {_cpu(r.cpu_ratio, '.0%')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lists", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--runs", type=int, default=3, help="wrk runs per URL; the median is shown (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (default 4)")
    parser.add_argument("--quick", action="store_true", help="one run of 3 s per URL")
    parser.add_argument("--only", default="", help="measure only the URLs containing this text (and the yardstick)")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tongxin-bench-lists")
    parser.add_argument("--fresh", action="store_true", help="seed a new scratch database")
    opts = parser.parse_args(argv)
    if opts.quick:
        opts.duration, opts.runs = 3, 1
    if shutil.which("wrk") is None:
        print("bench.lists skipped: wrk is not installed (Debian/Ubuntu: apt-get install -y wrk).")
        return 0
    env = bench_env(opts.data_dir)
    prepare(env, opts.data_dir, opts.fresh)
    urls = [(kind, url) for kind, url in targets(env) if kind == "bare" or opts.only in url]
    port = free_port()
    print(
        f"# list pages benchmark: Python {platform.python_version()}, SQLite, gunicorn {opts.workers} sync workers, "
        f"wrk -t{opts.threads} -c{opts.connections} {opts.runs}x{opts.duration} s per URL, {os.cpu_count()} CPUs, "
        f"load average at start {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    server = start_gunicorn(env, port, opts.workers)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit("bench.lists: terminated"))  # still stop the server
    try:
        results = measure(port, server.pid, urls, login(port), opts)
    finally:
        stop(server)
    print()
    print(table(results))
    print()
    pages = [r for r in results if r.kind == "page"]
    if pages:
        worst = min(pages, key=lambda r: r.ratio)
        print(f"- lowest list page: {worst.url} at {worst.ratio:.0%} of the bare page's requests/s")
        by_cpu = min(pages, key=lambda r: r.cpu_ratio or 0.0)
        print(f"- lowest by server CPU per request: {by_cpu.url} at {_cpu(by_cpu.cpu_ratio, '.0%')} of the bare page")
    print(f"- load average at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
