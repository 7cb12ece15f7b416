"""Production serving and the road past one machine.

Settings chosen by the environment (Redis, a replica, a bucket, connection reuse), the
database router and its middleware on two aliases of one test database, the ``serve`` and
``scheduler`` commands, hashed and compressed static files, media in an S3-compatible bucket
(moto's server, when installed) and the files of ``deploy/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from datetime import time as clock
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections, router, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.core.db_router import PIN_COOKIE, ReplicaReadsMiddleware, using_primary, using_replica
from tongxin.core.management.commands.scheduler import Scheduler, configured_jobs, last_slot, next_slot, parse_at
from tongxin.pairing.models import ActivityPhoto, Pair, Report
from tongxin.settings import env

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
REPLICA = override_settings(TONGXIN_READ_REPLICA="replica")
BOTH_ALIASES = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
TABLE = re.compile(r'(?:FROM|JOIN|INTO|UPDATE)\s+"(\w+)"')


def tables(captured: CaptureQueriesContext) -> set[str]:
    """The tables the captured queries touched."""
    return {name for query in captured.captured_queries for name in TABLE.findall(query["sql"])}


@contextmanager
def on_each_alias() -> Iterator[tuple[CaptureQueriesContext, CaptureQueriesContext]]:
    """Capture the queries of the primary and of the replica alias."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        yield primary, replica


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[Any], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the process stopped with {process.returncode} while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listened on {port} within {seconds} s")


def test_the_test_settings_mirror_a_replica_alias() -> None:
    """The test settings carry a second alias that mirrors the test database; replica reads are off for the suite."""
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"
    assert settings.TONGXIN_READ_REPLICA is None
    assert "tongxin.core.db_router.ReplicaRouter" in settings.DATABASE_ROUTERS


# --- settings from the environment ------------------------------------------------------


def _settings_in_subprocess(environment: dict[str, str]) -> dict[str, Any]:
    """Load tongxin.settings.prod in a fresh interpreter with ``environment``; the settings that matter here."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'CACHES': settings.CACHES, 'SESSION_ENGINE': settings.SESSION_ENGINE, "
        "'DATABASES': settings.DATABASES, 'STORAGES': settings.STORAGES, "
        "'TONGXIN_READ_REPLICA': settings.TONGXIN_READ_REPLICA, 'TONGXIN_SCHEDULE': settings.TONGXIN_SCHEDULE, "
        "'TONGXIN_SERVE': settings.TONGXIN_SERVE}, default=str))"
    )
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REDIS_", "DATABASE_", "MEDIA_S3_", "DB_CONN_", "SERVE_", "WEB_", "REMINDERS_"))
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="tongxin.settings.prod",
        SECRET_KEY="k" * 64,
        DATABASE_URL="postgres://tongxin@primary:5432/tongxin",
        **environment,
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True, check=True, timeout=120
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_production_defaults_need_no_extra_service() -> None:
    """Without REDIS_URL, a replica or a bucket: a file cache, sessions in the database, files
    on disk, connections kept 60 s with health checks, hashed and compressed static files."""
    loaded = _settings_in_subprocess({})
    assert loaded["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert loaded["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert set(loaded["DATABASES"]) == {"default"}
    assert loaded["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert loaded["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    assert loaded["TONGXIN_READ_REPLICA"] is None
    assert loaded["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert loaded["STORAGES"]["staticfiles"]["BACKEND"] == "tongxin.core.storage.StaticFilesStorage"
    assert loaded["TONGXIN_SCHEDULE"] == {
        "tongxin.pairing.tasks.report_reminders": "08:00",
        "tongxin.inbox.tasks.send_notification_digest": "07:00",
        "tongxin.cadres.tasks.anonymise_departed": "03:00",
    }
    assert loaded["TONGXIN_SERVE"] == {"BIND": "127.0.0.1:8000", "WORKERS": 0}


def test_environment_turns_on_redis_replica_bucket_and_connection_settings() -> None:
    """REDIS_URL, DATABASE_REPLICA_URL, MEDIA_S3_* and DB_CONN_* reach the settings as documented."""
    loaded = _settings_in_subprocess(
        {
            "REDIS_URL": "redis://cache:6379/0",
            "DATABASE_REPLICA_URL": "postgres://tongxin@replica:5432/tongxin",
            "MEDIA_S3_BUCKET": "tongxin-media",
            "MEDIA_S3_ENDPOINT_URL": "http://objects:9000",
            "MEDIA_S3_ACCESS_KEY_ID": "id",
            "MEDIA_S3_SECRET_ACCESS_KEY": "secret",
            "DB_CONN_MAX_AGE": "0",
            "DB_CONN_HEALTH_CHECKS": "false",
            "SERVE_BIND": "0.0.0.0:8000",
            "WEB_CONCURRENCY": "3",
            "REMINDERS_AT": "07:30",
            "DIGEST_AT": "06:45",
            "RETENTION_AT": "02:30",
        }
    )
    assert loaded["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/0",
        "KEY_PREFIX": "tongxin",
    }
    assert loaded["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert loaded["DATABASES"]["default"]["HOST"] == "primary"
    assert loaded["DATABASES"]["replica"]["HOST"] == "replica"
    for alias in ("default", "replica"):
        assert loaded["DATABASES"][alias]["CONN_MAX_AGE"] == 0
        assert loaded["DATABASES"][alias]["CONN_HEALTH_CHECKS"] is False
    assert loaded["TONGXIN_READ_REPLICA"] == "replica"
    media = loaded["STORAGES"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "tongxin-media"
    assert media["OPTIONS"]["endpoint_url"] == "http://objects:9000"
    assert media["OPTIONS"]["addressing_style"] == "path"
    assert media["OPTIONS"]["default_acl"] is None
    assert media["OPTIONS"]["file_overwrite"] is False
    assert loaded["TONGXIN_SCHEDULE"] == {
        "tongxin.pairing.tasks.report_reminders": "07:30",
        "tongxin.inbox.tasks.send_notification_digest": "06:45",
        "tongxin.cadres.tasks.anonymise_departed": "02:30",
    }
    assert loaded["TONGXIN_SERVE"] == {"BIND": "0.0.0.0:8000", "WORKERS": 3}


def test_sqlite_never_keeps_connections() -> None:
    """SQLite (a county on a laptop) opens its file per request whatever DB_CONN_MAX_AGE says."""
    config = env.database("sqlite:///tongxin.sqlite3")
    assert config["CONN_MAX_AGE"] == 0
    assert env.caches("")["default"]["BACKEND"].endswith("FileBasedCache")
    assert env.media_storage("")["BACKEND"] == "django.core.files.storage.FileSystemStorage"


# --- Redis ------------------------------------------------------------------------------

REDIS_URL = env.REDIS_URL or "redis://127.0.0.1:6379/15"


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL} ({exc}); set REDIS_URL to test the Redis cache")


@pytest.mark.django_db
def test_redis_holds_the_cache_and_the_sessions() -> None:
    """With REDIS_URL the cache is Redis and sessions are written to the database and cached there."""
    _redis_or_skip()
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    with override_settings(CACHES=env.caches(REDIS_URL), SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        key = f"test-production-{os.getpid()}"
        cache.set(key, {"rows": 3}, 30)
        assert cache.get(key) == {"rows": 3}
        cache.delete(key)
        session = SessionStore()
        session["county"] = "330122"
        session.save()
        try:
            assert cache.get(session.cache_key) == {"county": "330122"}
            assert Session.objects.filter(session_key=session.session_key).exists()
            assert SessionStore(session.session_key)["county"] == "330122"
        finally:
            session.delete()
        assert cache.get(session.cache_key) is None


# --- the database router -----------------------------------------------------------------


def test_replica_views_name_existing_urls() -> None:
    """Every view name in TONGXIN_REPLICA_VIEWS is a URL of the project (a rename would silently
    send a dashboard back to the primary)."""
    from django.urls import NoReverseMatch

    for name in settings.TONGXIN_REPLICA_VIEWS:
        for args in ([], [1], [1, "coverage"]):
            try:
                reverse(name, args=args)
                break
            except NoReverseMatch:
                continue
        else:
            raise AssertionError(f"{name} is not a URL name")


def _reports_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(Report.objects.count()))


def test_router_does_nothing_without_a_replica() -> None:
    """Without TONGXIN_READ_REPLICA the router has no opinion and the middleware sets no cookie."""
    assert router.db_for_read(Report) == "default"
    assert router.db_for_write(Report) == "default"
    with using_replica():
        assert router.db_for_read(Report) == "default"
    response = ReplicaReadsMiddleware(lambda request: HttpResponse())(RequestFactory().post("/"))
    assert PIN_COOKIE not in response.cookies


@BOTH_ALIASES
@REPLICA
def test_read_only_requests_read_reports_from_the_replica(pworld: Any, client: Any) -> None:
    """GET of the report list: the reports come from the replica (the same rows: a mirror
    here), the session and the user from the primary; nothing pins the browser."""
    client.force_login(pworld.world.users[Role.COUNTY_STAFF])
    with on_each_alias() as (primary, replica):
        response = client.get(reverse("pairing:report_list"))
    assert response.status_code == 200
    assert len(response.context["table"].rows) == 2  # the county's two reports, read on the replica
    assert "pairing_report" in tables(replica)
    assert "pairing_report" not in tables(primary)
    assert {"django_session", "accounts_user"} <= tables(primary)
    assert not {name for name in tables(replica) if name.startswith(("accounts_", "django_session"))}
    assert PIN_COOKIE not in response.cookies


@BOTH_ALIASES
@REPLICA
def test_dashboards_read_everything_but_people_from_the_replica(pworld: Any, client: Any) -> None:
    """The campaign dashboard (TONGXIN_REPLICA_VIEWS) reads pairs, participants and reports from
    the replica; who is signed in, with which hats, from the primary."""
    client.force_login(pworld.world.users[Role.COUNTY_STAFF])
    with on_each_alias() as (primary, replica):
        response = client.get(reverse("pairing:campaign_dashboard", args=[pworld.campaign.pk]))
    assert response.status_code == 200
    assert {"pairing_pair", "pairing_report"} <= tables(replica)
    assert not {name for name in tables(replica) if name.startswith(("accounts_", "django_session"))}
    assert "django_session" in tables(primary)
    assert "pairing_report" not in tables(primary)


@BOTH_ALIASES
@REPLICA
def test_changes_read_the_primary_and_pin_the_browser_to_it(pworld: Any, client: Any) -> None:
    """A POST reads from the primary and sets the pin cookie; while it lasts, GETs read from the primary too."""
    middleware = ReplicaReadsMiddleware(_reports_view)
    factory = RequestFactory()
    for method in ("post", "put", "patch", "delete"):
        with on_each_alias() as (primary, replica):
            response = middleware(getattr(factory, method)("/"))
        assert "pairing_report" in tables(primary) and not replica.captured_queries, method
        assert response.cookies[PIN_COOKIE]["max-age"] == settings.TONGXIN_REPLICA_PIN_SECONDS
        assert response.cookies[PIN_COOKIE]["httponly"]
    pinned = factory.get("/")
    pinned.COOKIES[PIN_COOKIE] = "1"
    with on_each_alias() as (primary, replica):
        middleware(pinned)
    assert "pairing_report" in tables(primary) and not replica.captured_queries

    client.force_login(pworld.world.users[Role.COUNTY_STAFF])
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[PIN_COOKIE].value == "1"
    with on_each_alias() as (primary, replica):
        assert client.get(reverse("pairing:report_list")).status_code == 200
    assert "pairing_report" in tables(primary) and not replica.captured_queries


@BOTH_ALIASES
@REPLICA
def test_a_request_that_writes_reads_its_own_writes(pworld: Any) -> None:
    """Once a GET has written anything, its later reads go to the primary, and the browser is pinned."""

    def writes_then_reads(request: HttpRequest) -> HttpResponse:
        Report.objects.filter(pk=pworld.report.pk).update(narrative="更新")
        return HttpResponse(str(Report.objects.count()))

    with on_each_alias() as (primary, replica):
        response = ReplicaReadsMiddleware(writes_then_reads)(RequestFactory().get("/"))
    assert not replica.captured_queries
    assert {"pairing_report"} <= tables(primary)
    assert PIN_COOKIE in response.cookies


@BOTH_ALIASES
@REPLICA
def test_using_replica_routes_reads_but_never_writes_transactions_or_people(pworld: Any) -> None:
    """``using_replica()``: reads of the block on the replica, except people, reads inside a
    transaction and everything after a write; writes of objects read there go to the primary."""
    staff = pworld.world.users[Role.COUNTY_STAFF]
    with using_replica():
        with on_each_alias() as (primary, replica):
            assert Pair.objects.count() == 3  # the replica has the primary's rows
            assert User.objects.filter(pk=staff.pk).exists()
            report = Report.objects.get(pk=pworld.report.pk)
        assert {"pairing_pair", "pairing_report"} <= tables(replica)
        assert tables(primary) == {"accounts_user"}
        assert report._state.db == "replica"

        with on_each_alias() as (primary, replica), transaction.atomic():
            Report.objects.count()
        assert "pairing_report" in tables(primary) and not replica.captured_queries

        report.narrative = "二月进展"
        with on_each_alias() as (primary, replica):
            report.save()
            Pair.objects.count()
        assert not replica.captured_queries
        assert {"pairing_report", "pairing_pair"} <= tables(primary)
    assert Report.objects.using("default").get(pk=report.pk).narrative == "二月进展"


@BOTH_ALIASES
@REPLICA
def test_outside_requests_relations_and_migrations(pworld: Any) -> None:
    """Workers and commands read from the primary unless they say otherwise; objects of either
    alias relate to each other; only the primary is migrated."""
    assert router.db_for_read(Report) == "default"
    with using_replica():
        from_replica = Report.objects.get(pk=pworld.report.pk)
        with using_primary():
            assert router.db_for_read(Report) == "default"
    pair = Pair.objects.get(pk=pworld.pair_b.pk)
    assert (from_replica._state.db, pair._state.db) == ("replica", "default")
    assert router.allow_relation(from_replica, pair) is True
    from_replica.pair = pair  # no "instance is on database …" error
    assert router.allow_migrate("default", "pairing", model_name="report") is True
    assert router.allow_migrate("replica", "pairing", model_name="report") is False
    assert router.db_for_write(Report, instance=from_replica) == "default"


# --- serve and scheduler -----------------------------------------------------------------


def _test_database_url() -> str:
    """The URL of the database the tests run on, for a subprocess."""
    config = connections["default"].settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{config['NAME']}"
    auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{auth}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"


def _serve(tmp_path: Path, *options: str) -> tuple[subprocess.Popen[bytes], int, Path]:
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REDIS_", "DATABASE_", "MEDIA_S3_", "GUNICORN_", "WEB_CONCURRENCY"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="tongxin.settings.prod",
        SECRET_KEY="s" * 64,
        DATABASE_URL=_test_database_url(),
        DB_CONN_MAX_AGE="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        CACHE_DIR=str(tmp_path / "cache"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        LOG_LEVEL="WARNING",
    )
    log = tmp_path / "serve.log"
    command = [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", *options]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    return process, port, log


def _children(log: Path) -> dict[str, int]:
    return {name: int(pid) for name, pid in re.findall(r"serve: (\w+) started \(pid (\d+)\)", log.read_text())}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) is not alive either.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))


def _get(port: int, path: str) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_serve_runs_web_worker_and_scheduler_and_stops_them_together(tmp_path: Path) -> None:
    """``manage.py serve`` with the production settings: gunicorn answers, the worker and the
    scheduler run; SIGTERM stops all three and serve exits 0."""
    process, port, log = _serve(tmp_path)
    try:
        wait_for_port(port, process)
        assert _get(port, "/api/") in {401, 403}  # Django answers: the API needs a signed-in user
        children = _children(log)
        assert set(children) == {"web", "worker", "scheduler"}
        assert all(_alive(pid) for pid in children.values())
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, log.read_text()
        assert not any(_alive(pid) for pid in children.values())
        assert "serve: stopped." in log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.django_db(transaction=True)
def test_serve_stops_everything_when_one_process_dies(tmp_path: Path) -> None:
    """If the task worker dies, serve stops gunicorn too and exits non-zero (the service manager restarts the set)."""
    process, port, log = _serve(tmp_path, "--no-scheduler")
    try:
        wait_for_port(port, process)
        children = _children(log)
        assert set(children) == {"web", "worker"}
        os.kill(children["worker"], signal.SIGKILL)
        assert process.wait(timeout=60) != 0
        assert not _alive(children["web"])
        assert "worker exited with -9; stopping the others" in log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_scheduler_slots_in_local_time() -> None:
    """The latest slot is today's once its time has come, yesterday's before; the next is a day later."""
    shanghai = ZoneInfo("Asia/Shanghai")
    at = clock(8, 0)
    before = datetime(2026, 3, 1, 7, 59, tzinfo=shanghai)
    on_time = datetime(2026, 3, 1, 8, 0, tzinfo=shanghai)
    assert last_slot(before, at) == datetime(2026, 2, 28, 8, 0, tzinfo=shanghai)
    assert next_slot(before, at) == on_time
    assert last_slot(on_time, at) == on_time
    assert next_slot(on_time, at) == datetime(2026, 3, 2, 8, 0, tzinfo=shanghai)
    # The same moment in UTC gives the same slots.
    assert last_slot(before.astimezone(ZoneInfo("UTC")), at) == last_slot(before, at)
    assert Scheduler(configured_jobs()).seconds_to_next(before) == 60.0
    with pytest.raises(ImproperlyConfigured):
        parse_at("8 o'clock")
    with pytest.raises(ImproperlyConfigured):
        parse_at("24:00")


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_scheduler_enqueues_the_reminders_once_per_day() -> None:
    """``scheduler --once`` enqueues the reminders when today's slot has nothing enqueued; a
    restarted scheduler finds the task in the task table and enqueues nothing more."""
    from django_tasks_db.models import DBTaskResult

    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert out.getvalue().strip().splitlines() == [
        "Enqueued tongxin.pairing.tasks.report_reminders.",
        "Enqueued tongxin.inbox.tasks.send_notification_digest.",
        "Enqueued tongxin.cadres.tasks.anonymise_departed.",
    ]
    assert DBTaskResult.objects.filter(task_path="tongxin.pairing.tasks.report_reminders").count() == 1
    assert DBTaskResult.objects.filter(task_path="tongxin.inbox.tasks.send_notification_digest").count() == 1
    again = StringIO()
    call_command("scheduler", "--once", stdout=again)
    assert again.getvalue() == ""
    assert DBTaskResult.objects.count() == 3


@pytest.mark.django_db
def test_scheduler_runs_the_reminders_through_the_task_backend() -> None:
    """With the immediate backend of the tests the enqueued reminder run happens at once (and sends nothing here)."""
    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert "report_reminders" in out.getvalue()


# --- static files ------------------------------------------------------------------------


def _collect(tmp_path: Path, backend: str) -> Path:
    source, target = tmp_path / "source", tmp_path / f"collected-{backend.rsplit('.', 1)[-1]}"
    (source / "css").mkdir(parents=True, exist_ok=True)
    (source / "img").mkdir(exist_ok=True)
    (source / "img" / "logo.png").write_bytes(_png())
    (source / "css" / "site.css").write_text(
        "body{background:url(../img/logo.png)}\n"
        + "main{margin:0 auto}\n" * 200
        + "/*# sourceMappingURL=site.css.map */\n"
    )
    with override_settings(
        STATICFILES_DIRS=[source],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STATIC_ROOT=target,
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": backend}},
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
    return target


def test_static_files_are_hashed_and_compressed_despite_missing_source_maps(tmp_path: Path) -> None:
    """collectstatic with the production storage: hashed names, gzip and Brotli copies, url()
    rewritten to the hashed image; a source map that is not vendored no longer stops it (it
    does stop whitenoise's storage as it comes)."""
    target = _collect(tmp_path, "tongxin.core.storage.StaticFilesStorage")
    manifest = json.loads((target / "staticfiles.json").read_text())["paths"]
    hashed_css = target / manifest["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", manifest["css/site.css"])
    assert Path(f"{hashed_css}.gz").exists() and Path(f"{hashed_css}.br").exists()
    css = hashed_css.read_text()
    assert f'url("../{manifest["img/logo.png"]}")' in css
    assert css.rstrip().endswith("/*# sourceMappingURL=site.css.map */")

    from whitenoise.storage import MissingFileError

    with pytest.raises(MissingFileError):
        _collect(tmp_path, "whitenoise.storage.CompressedManifestStaticFilesStorage")


# --- media in an S3-compatible bucket ------------------------------------------------------


def _png() -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def s3_server() -> Iterator[str]:
    """moto's S3-compatible server on a free port of 127.0.0.1 (a dev dependency)."""
    server = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    if server is None:
        pytest.skip("moto[server] is not installed (pip install -r requirements/dev.txt): no local S3 server")
    port = free_port()
    process = subprocess.Popen(
        [server, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.django_db
def test_photos_are_saved_to_and_read_back_from_an_s3_bucket(s3_server: str, settings: Any) -> None:
    """With MEDIA_S3_* the default storage is a private bucket: a photo saved through the storage
    API is read back byte for byte (and through the scoped file response), names never
    overwrite each other, links are signed, and deleting removes the object."""
    import boto3
    from storages.backends.s3 import S3Storage

    from tongxin.core.files import serve_file

    media = env.media_storage(
        "tongxin-media", endpoint_url=s3_server, access_key="testing", secret_key="testing", region="us-east-1"
    )
    boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket="tongxin-media")
    settings.STORAGES = {**settings.STORAGES, "default": media}
    settings.TONGXIN_FILE_ACCEL = "django"
    photo = _png()

    record = ActivityPhoto(caption="联合主题党日")
    record.image.save("activity.png", ContentFile(photo), save=False)
    assert isinstance(record.image.storage, S3Storage)
    name = record.image.name
    assert name.startswith("activities/") and name.endswith(".png")
    storage = record.image.storage
    assert storage.exists(name)
    with storage.open(name, "rb") as handle:
        assert handle.read() == photo
    assert storage.size(name) == len(photo)
    objects = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).list_objects_v2(Bucket="tongxin-media")
    assert [item["Key"] for item in objects["Contents"]] == [f"media/{name}"]

    second = storage.save(name, ContentFile(b"another photo"))
    assert second != name  # never overwritten
    assert "X-Amz-Signature=" in storage.url(name)

    response = serve_file(record.image)
    assert b"".join(response.streaming_content) == photo  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png"

    storage.delete(name)
    storage.delete(second)
    assert not storage.exists(name)


# --- deploy/ -----------------------------------------------------------------------------


def _variables_read_by_env_py() -> set[str]:
    source = (ROOT / "tongxin" / "settings" / "env.py").read_text()
    return set(re.findall(r'_(?:str|bool|list)\("([A-Z0-9_]+)"', source)) | {"DJANGO_SETTINGS_MODULE"}


def _example_variables(name: str) -> set[str]:
    """The variables a deploy/*.example file sets (or shows commented out)."""
    return {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (DEPLOY / name).read_text().splitlines()
        if re.match(r"^#?\s?[A-Z][A-Z0-9_]*=", line)
    }


def test_the_deploy_examples_name_only_real_settings() -> None:
    """Every variable of deploy/app.env.example is one that tongxin/settings/env.py reads;
    deploy/env.example holds only the compose file's own."""
    application = _example_variables("app.env.example")
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_S3_BUCKET", "REMINDERS_AT"} <= application
    assert application <= _variables_read_by_env_py(), application - _variables_read_by_env_py()
    compose_own = {
        "POSTGRES_PASSWORD",
        "REPLICATION_PASSWORD",
        "APP_REPLICAS",
        "TONGXIN_IMAGE",
        "HTTP_PORT",
        "HTTPS_PORT",
    }
    assert _example_variables("env.example") == compose_own


def _deploy_copy(tmp_path: Path) -> Path:
    """deploy/ copied with .env and app.env made from the examples, as an operator would."""
    target = tmp_path / "deploy"
    shutil.copytree(DEPLOY, target, ignore=shutil.ignore_patterns(".env", "app.env", "tls"))
    shutil.copy(target / "env.example", target / ".env")
    shutil.copy(target / "app.env.example", target / "app.env")
    return target


def test_the_compose_file_is_valid(tmp_path: Path) -> None:
    """``docker compose config`` (or Debian's docker-compose) accepts deploy/compose.yaml with
    the example environment; the application's containers get no database superuser secret."""
    deploy = _deploy_copy(tmp_path)
    for command in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(command[0]) is None:
            continue
        if subprocess.run([*command, "version"], capture_output=True, text=True).returncode != 0:
            continue
        done = subprocess.run(
            [*command, "-f", str(deploy / "compose.yaml"), "config"], capture_output=True, text=True, cwd=deploy
        )
        assert done.returncode == 0, done.stderr
        for service in ("nginx", "app", "worker", "scheduler", "migrate", "primary", "replica", "redis"):
            assert re.search(rf"^  {service}:$", done.stdout, re.MULTILINE), service
        app = done.stdout.split("\n  app:\n", 1)[1].split("\n  migrate:\n", 1)[0]
        assert "DATABASE_REPLICA_URL: postgres://tongxin:change-me-long-random@replica:5432/tongxin" in app
        assert "REPLICATION_PASSWORD" not in app
        return
    pytest.skip("neither `docker compose` nor `docker-compose` is installed (Debian: apt-get install docker-compose)")


def test_the_nginx_configuration_is_valid(tmp_path: Path) -> None:
    """``nginx -t`` accepts deploy/nginx.conf (in a scratch prefix, the compose service name
    resolved to 127.0.0.1, a throw-away self-signed certificate)."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    openssl = shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx or openssl is not installed (Debian: apt-get install nginx-light openssl)")
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem")],
        capture_output=True, check=True,
    )  # fmt: skip
    config = (DEPLOY / "nginx.conf").read_text()
    config = config.replace("server app:8000", "server 127.0.0.1:8000")
    config = config.replace("/srv/tongxin/", f"{tmp_path}/").replace("/etc/nginx/tls/", f"{tls}/")
    temp = "".join(f"{kind}_temp_path {tmp_path};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n{temp}{config}\n}}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "[warn]" not in done.stderr, done.stderr
