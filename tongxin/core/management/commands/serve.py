"""``manage.py serve``: the one production command — web server, task worker and scheduler.

Starts three processes and watches them:

* **web**: gunicorn on ``tongxin.wsgi`` (``SERVE_BIND``, ``WEB_CONCURRENCY`` sync workers,
  the application loaded once before forking, each worker replaced after about 2,000
  requests, 120 s for the slowest request: a large synchronous export);
* **worker**: ``manage.py db_worker`` (imports, tasks);
* **scheduler**: ``manage.py scheduler`` (the daily report reminders, ``REMINDERS_AT``).

If any of them stops, the others are stopped too and ``serve`` exits non-zero, so the service
manager (systemd ``Restart=always``, Docker ``restart: unless-stopped``) restarts the whole
set: one supervisor (the service manager) owns restarts, this command only keeps the three
together. SIGTERM or SIGINT stops them gracefully (gunicorn finishes its requests, the worker
its task) within ``--grace`` seconds, then they are killed. Extra gunicorn options go in
gunicorn's own ``GUNICORN_CMD_ARGS``.

On several machines, run ``serve --no-scheduler`` on all but one (or the processes one by one:
``deploy/compose.yaml``). See docs/production.md.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

GRACE_SECONDS = 35.0  # gunicorn's graceful timeout (30 s) and a little


def default_workers() -> int:
    """gunicorn's rule of thumb for sync workers, 2 × CPUs + 1, at most 8."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def gunicorn_command(bind: str, workers: int) -> list[str]:
    """The gunicorn command line of the web process."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "tongxin.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--preload",
        "--timeout",
        "120",
        "--graceful-timeout",
        "30",
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--access-logfile",
        "-",
        # gunicorn's control socket lives in $HOME: unneeded here, and two instances would share it.
        "--no-control-socket",
    ]
    # Worker heartbeats in memory, not on a possibly slow disk (gunicorn's own advice).
    if Path("/dev/shm").is_dir():  # noqa: S108
        command += ["--worker-tmp-dir", "/dev/shm"]  # noqa: S108
    return command


def manage_command(*args: str) -> list[str]:
    """``python manage.py …`` with this interpreter and the current settings module."""
    return [sys.executable, "-m", "django", *args]


class Command(BaseCommand):
    help = "Run gunicorn, the task worker and the scheduler together; stop all when one stops."

    def add_arguments(self, parser: CommandParser) -> None:
        serve = settings.TONGXIN_SERVE
        parser.add_argument("--bind", default=serve["BIND"], help="Address for gunicorn (SERVE_BIND).")
        parser.add_argument(
            "--workers",
            type=int,
            default=serve["WORKERS"] or default_workers(),
            help="gunicorn worker processes (WEB_CONCURRENCY; default 2 × CPUs + 1, at most 8).",
        )
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker.")
        parser.add_argument("--no-scheduler", action="store_true", help="Do not start the scheduler.")
        parser.add_argument("--grace", type=float, default=GRACE_SECONDS, help="Seconds to stop gracefully.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        commands = {"web": gunicorn_command(options["bind"], options["workers"])}
        if not options["no_worker"]:
            commands["worker"] = manage_command("db_worker", "--no-reload")
        if not options["no_scheduler"]:
            commands["scheduler"] = manage_command("scheduler")

        stopping: list[int] = []

        def _stop(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        processes: dict[str, subprocess.Popen[bytes]] = {}
        for name, command in commands.items():
            processes[name] = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)  # noqa: S603
            self.stdout.write(f"serve: {name} started (pid {processes[name].pid}): {' '.join(command[1:])}")
        self.stdout.flush()

        failed: tuple[str, int] | None = None
        while not stopping and failed is None:
            for name, process in processes.items():
                code = process.poll()
                if code is not None:
                    failed = (name, code)
                    break
            else:
                time.sleep(0.5)
        if failed is not None:
            self.stderr.write(f"serve: {failed[0]} exited with {failed[1]}; stopping the others.")
        self._stop_all(processes, options["grace"])
        if failed is not None:
            raise CommandError(f"{failed[0]} stopped (exit code {failed[1]}).", returncode=failed[1] or 1)
        self.stdout.write("serve: stopped.")

    def _stop_all(self, processes: dict[str, subprocess.Popen[bytes]], grace: float) -> None:
        """SIGTERM to every process still running, SIGKILL to those still running after ``grace``."""
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + grace
        for name, process in processes.items():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"serve: {name} did not stop within {grace:.0f} s; killed.")
                process.kill()
                process.wait()
