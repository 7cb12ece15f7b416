"""Benchmark of production serving: ``python -m bench.serving``.

Serves the demo county from PostgreSQL with ``manage.py serve --no-worker --no-scheduler``
(gunicorn, ``tongxin.settings.prod``, DEBUG off, hashed and compressed static files) and
drives one signed-in page with ``wrk`` under each configuration:

* ``DB_CONN_MAX_AGE=0``: a new database connection for every request;
* ``DB_CONN_MAX_AGE=60``: connections kept and reused (with health checks), the default;
* ``DB_CONN_MAX_AGE=60`` and ``REDIS_URL``: cache and sessions (cached_db) on Redis.

Also measured: the cost of opening one PostgreSQL connection (psycopg, TCP on 127.0.0.1)
and one compressed static file served by whitenoise. Each configuration and URL runs
``--runs`` times (default 3) for ``--duration`` seconds in rounds; the table shows the median
requests/s and the p50/p99 latency of the median run.

Needs PostgreSQL (``--database-url``, default ``postgres://postgres@127.0.0.1:5432/postgres``:
the scratch database ``tongxin_bench_serving`` is created next to it, migrated and seeded
once, reused afterwards, ``--fresh`` starts over), Redis for the third configuration
(``--redis-url``, skipped when unreachable) and ``wrk`` (Debian: ``apt-get install -y wrk``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import secrets
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
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DATABASE = "tongxin_bench_serving"
USERNAME = "county_staff"
PASSWORD = "tongxin-demo"
# A light signed-in JSON answer (where opening a connection weighs most), a full HTML list
# page, and a static file (whitenoise, Brotli).
API = "/api/reports/?page_size=1"
PAGE = "/pairing/reports/"
STATIC = "/static/vendor/tabler/css/tabler.min.css"


@dataclass
class Result:
    """One configuration × URL: the median run and every run's requests/s."""

    config: str
    url: str
    rps: float
    p50_ms: float
    p99_ms: float
    runs: list[float]
    errors: int


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def base_env(args: argparse.Namespace, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("REDIS_URL", "DATABASE_REPLICA_URL", "MEDIA_S3_BUCKET", "GUNICORN_CMD_ARGS", "WEB_CONCURRENCY"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="tongxin.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url(args.database_url, DATABASE),
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


def psql(server_url: str, sql: str) -> str:
    done = subprocess.run(
        ["psql", server_url, "-v", "ON_ERROR_STOP=1", "-Atc", sql], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def prepare(args: argparse.Namespace, env: dict[str, str], data_dir: Path) -> None:
    """Create, migrate and seed the scratch database (once); collect the static files."""
    exists = psql(args.database_url, f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") == "1"
    if exists and args.fresh:
        psql(args.database_url, f"DROP DATABASE {DATABASE} WITH (FORCE)")
        exists = False
    if not exists:
        psql(args.database_url, f"CREATE DATABASE {DATABASE}")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "seed_demo", "--if-empty"], cwd=ROOT, env=env, check=True)
    if not (data_dir / "static" / "staticfiles.json").exists():
        started = time.monotonic()
        subprocess.run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
        print(f"- collectstatic (hashed, gzip + Brotli): {time.monotonic() - started:.0f} s", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def request(
    port: int, method: str, url: str, headers: dict[str, str] | None = None, body: str | None = None
) -> tuple[int, list[tuple[str, str]], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, url, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def start(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "manage.py", "serve", "--no-worker", "--no-scheduler"]
    command += ["--bind", f"{HOST}:{port}", "--workers", str(workers)]
    # The access log goes to stdout as in production, and here to nothing.
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("bench.serving: serve stopped while starting (see above).")
        try:
            if request(port, "GET", "/accounts/login/")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop(process)
    raise SystemExit("bench.serving: serve did not answer within 60 s.")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def cookies_of(headers: list[tuple[str, str]]) -> dict[str, str]:
    """The cookies a response sets (read by hand: production's secure cookies travel over plain HTTP here)."""
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
    """Sign in as county_staff through the form; the Cookie header for wrk."""
    _status, headers, body = request(port, "GET", "/accounts/login/")
    parser = _CsrfField()
    parser.feed(body.decode("utf-8", "replace"))
    jar = cookies_of(headers)
    form = urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": parser.token})
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
        raise SystemExit(f"bench.serving: signing in answered {status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def wrk(
    port: int, url: str, headers: dict[str, str], duration: int, connections: int
) -> tuple[float, float, float, int]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, f"http://{HOST}:{port}{url}"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    # The latency distribution lines ("     50%    1.83s"), not a thread's "+/- Stdev" column ("62.50%").
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, p50, p99, int(errors.group(1)) if errors else 0


def connect_cost(url: str, count: int = 200) -> float:
    """Milliseconds to open (and close) one PostgreSQL connection, median of ``count``."""
    import psycopg

    times = []
    for _ in range(count):
        started = time.perf_counter()
        psycopg.connect(url).close()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def pss_mb(pid: int) -> float:
    """Proportional set size of a process tree in MB (shared pages split between their users)."""
    total = 0
    for each in descendants(pid):
        try:
            rollup = Path(f"/proc/{each}/smaps_rollup").read_text()
        except OSError:
            continue
        match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        total += int(match.group(1)) if match else 0
    return total / 1024


def redis_reachable(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def forget_redis_keys(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter("tongxin:*"):
        client.delete(key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tongxin-bench-serving")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()

    args.data_dir.mkdir(parents=True, exist_ok=True)
    env = base_env(args, args.data_dir)
    prepare(args, env, args.data_dir)
    print(f"- machine: {platform.machine()}, {os.cpu_count()} CPUs; gunicorn {args.workers} sync workers; "
          f"wrk 2 threads, {args.connections} connections, {args.duration} s × {args.runs}", flush=True)  # fmt: skip
    print(f"- load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"- opening one PostgreSQL connection: {connect_cost(env['DATABASE_URL']):.2f} ms (median of 200)")

    configs: dict[str, dict[str, str]] = {
        "DB_CONN_MAX_AGE=0": {"DB_CONN_MAX_AGE": "0"},
        "DB_CONN_MAX_AGE=60": {"DB_CONN_MAX_AGE": "60"},
    }
    if redis_reachable(args.redis_url):
        configs["DB_CONN_MAX_AGE=60 + Redis"] = {"DB_CONN_MAX_AGE": "60", "REDIS_URL": args.redis_url}
    else:
        print(f"- Redis at {args.redis_url} unreachable: its configuration is skipped")

    samples: dict[tuple[str, str], list[tuple[float, float, float, int]]] = {}
    memory: list[float] = []
    for _round in range(args.runs):
        for name, extra in configs.items():
            port = free_port()
            process = start({**env, **extra}, port, args.workers)
            try:
                cookie = login(port)
                status, _headers, _body = request(port, "GET", PAGE, headers={"Cookie": cookie})
                if status != 200:
                    raise SystemExit(f"bench.serving: {PAGE} answered {status}")
                targets = (
                    (API, {"Cookie": cookie, "Accept": "application/json"}),
                    (PAGE, {"Cookie": cookie}),
                    (STATIC, {"Accept-Encoding": "br, gzip"}),
                )
                for url, headers in targets:
                    samples.setdefault((name, url), []).append(wrk(port, url, headers, args.duration, args.connections))
                memory.append(pss_mb(process.pid))
            finally:
                stop(process)
                if "REDIS_URL" in extra:
                    forget_redis_keys(extra["REDIS_URL"])

    print(f"- load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"- memory of serve + gunicorn master + {args.workers} workers after the runs (PSS): "
          f"{statistics.median(memory):.0f} MB (median)")  # fmt: skip
    results = []
    for (name, url), runs in samples.items():
        median = sorted(runs)[len(runs) // 2]
        results.append(
            Result(name, url, median[0], median[1], median[2], [r[0] for r in runs], sum(r[3] for r in runs))
        )
    print()
    print("| configuration | URL | requests/s (median) | p50 ms | p99 ms | runs |")
    print("|---|---|---:|---:|---:|---|")
    for result in results:
        flag = f" ({result.errors} non-2xx)" if result.errors else ""
        each = ", ".join(f"{rps:.0f}" for rps in result.runs)
        print(f"| {result.config} | `{result.url}` | {result.rps:.0f}{flag} | {result.p50_ms:.1f} | "
              f"{result.p99_ms:.1f} | {each} |")  # fmt: skip


if __name__ == "__main__":
    main()
