"""Benchmark of the public vote endpoint: ``python -m bench.votes`` (``make bench-votes``).

Serves the project with gunicorn (``tongxin.settings.prod`` plus the vote's rate limits
out of the way, ``bench.votes_settings``) on a scratch PostgreSQL database
(``tongxin_bench_votes`` next to ``--database-url``, created, migrated and dropped at the
end; ``--keep`` keeps it) holding one selection in the vote with ``--candidates``
short-listed candidates and ``--voters`` verified voters, each with a signed-in session.

Every voter then votes for each candidate up to the places, and **each vote is sent
twice at once** (the second must be refused), from ``--clients`` client threads, through
``POST /selection/public/<id>/vote/<candidate>/`` (JSON answers). Reported: votes counted
per second, p50/p99 latency, the answers by status, and the check that matters — the
number of (voter, candidate) pairs with more than one vote in the database and of voters
with more votes than places (both must be 0), and that the counted votes equal the 201s.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DATABASE = "tongxin_bench_votes"


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def psql(server_url: str, sql: str) -> str:
    done = subprocess.run(
        ["psql", server_url, "-v", "ON_ERROR_STOP=1", "-Atc", sql], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def bench_env(server_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("REDIS_URL", "DATABASE_REPLICA_URL", "MEDIA_S3_BUCKET", "GUNICORN_CMD_ARGS", "WEB_CONCURRENCY"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.votes_settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="false",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url(server_url, DATABASE),
        STATIC_ROOT=str(data_dir / "static"),
        MEDIA_ROOT=str(data_dir / "media"),
        CACHE_DIR=str(data_dir / "cache"),
        FILE_ACCEL="django",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


SETUP = """
import sys
from django.contrib.sessions.backends.db import SessionStore
from tongxin.accounts.models import User
from tongxin.regions.models import County, Township
from tongxin.selection.models import Voter
from tongxin.selection.services.voting import keyed_hash
from tongxin.testing.selection import voting_selection

places, candidates, voters = (int(x) for x in sys.argv[1:4])
county = County.objects.create(code="330122", name="桐庐县")
township = Township.objects.create(county=county, code="330122101000", name="分水镇")
world = voting_selection(county, township, places=places, candidates=candidates)
print(world.selection.pk, ",".join(str(c.pk) for c in world.candidates))
for index in range(voters):
    voter = Voter.objects.create(selection=world.selection, phone_hash=keyed_hash(f"bench-{index}"))
    session = SessionStore()
    session[f"selection-voter-{world.selection.pk}"] = voter.pk
    session.create()
    print(session.session_key)
"""


def setup(env: dict[str, str], places: int, candidates: int, voters: int) -> tuple[int, list[int], list[str]]:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); exec(open(0).read())",
            str(places),
            str(candidates),
            str(voters),
        ],
        input=SETUP,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.strip().splitlines()
    selection, ids = lines[0].split()
    return int(selection), [int(x) for x in ids.split(",")], lines[1:]


def start(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"{HOST}:{port}"]
    command += ["--log-level", "warning", "tongxin.wsgi:application"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("bench.votes: gunicorn stopped while starting.")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/selection/public/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit("bench.votes: gunicorn did not answer within 60 s.")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


_local = threading.local()


def vote(port: int, path: str, session: str) -> tuple[int, float]:
    connection: http.client.HTTPConnection | None = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = http.client.HTTPConnection(HOST, port, timeout=60)
    csrf = "b" * 32
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Accept": "application/json",
        "Content-Length": "0",
    }
    started = time.perf_counter()
    try:
        connection.request("POST", path, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        connection.close()
        _local.connection = None
        status = 0
    return status, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--candidates", type=int, default=12)
    parser.add_argument("--places", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    data_dir = Path(os.environ.get("TMPDIR", "/tmp")) / "tongxin-bench-votes"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(args.database_url, data_dir)
    if psql(args.database_url, f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") == "1":
        psql(args.database_url, f"DROP DATABASE {DATABASE} WITH (FORCE)")
    psql(args.database_url, f"CREATE DATABASE {DATABASE}")
    process = None
    try:
        selection, candidates, sessions = setup(env, args.places, args.candidates, args.voters)
        port = free_port()
        process = start(env, port, args.workers)
        jobs = []
        for index, session in enumerate(sessions):
            for offset in range(args.places):
                candidate = candidates[(index + offset) % len(candidates)]
                path = f"/selection/public/{selection}/vote/{candidate}/"
                jobs += [(path, session), (path, session)]  # the same vote twice, side by side
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            answers = list(pool.map(lambda job: vote(port, *job), jobs))
        elapsed = time.perf_counter() - started
    finally:
        if process is not None:
            stop(process)
    statuses: dict[int, int] = {}
    for status, _seconds in answers:
        statuses[status] = statuses.get(status, 0) + 1
    latencies = sorted(seconds * 1000 for _status, seconds in answers)
    url = database_url(args.database_url, DATABASE)
    doubles = psql(
        url,
        "SELECT count(*) FROM (SELECT voter_id, nomination_id FROM selection_vote "
        "GROUP BY voter_id, nomination_id HAVING count(*) > 1) AS d",
    )
    over = psql(
        url,
        "SELECT count(*) FROM (SELECT voter_id FROM selection_vote GROUP BY voter_id "
        f"HAVING count(*) > {args.places}) AS o",
    )
    counted = int(psql(url, "SELECT count(*) FROM selection_vote"))
    if not args.keep:
        psql(args.database_url, f"DROP DATABASE {DATABASE} WITH (FORCE)")
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"requests: {len(jobs)} ({args.voters} voters × {args.places} votes, each sent twice at once)")
    print(f"gunicorn workers: {args.workers}, client threads: {args.clients}, wall: {elapsed:.1f} s")
    print(f"requests/s: {len(jobs) / elapsed:.0f}; votes counted/s: {counted / elapsed:.0f}")
    print(f"latency ms: p50 {p50:.1f}, p99 {p99:.1f}")
    print(f"answers: {dict(sorted(statuses.items()))}")
    print(f"votes counted: {counted} (201 answers: {statuses.get(201, 0)})")
    print(f"double votes: {doubles}; voters over the places: {over}")
    ok = doubles == "0" and over == "0" and counted == statuses.get(201, 0) == args.voters * args.places
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
