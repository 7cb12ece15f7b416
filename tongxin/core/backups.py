"""Backups and restores: the database, the media files and a manifest that proves them.

A backup is one directory, ``tongxin-YYYYMMDDTHHMMSSZ``, holding:

* ``database.sqlite3`` (SQLite: a consistent copy made with SQLite's online backup API) or
  ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``);
* ``media.tar.gz``: every file under ``MEDIA_ROOT`` (activity photos and other uploads);
* ``manifest.json``: when and from which engine, the latest applied migration of every app,
  the row count and a SHA-256 checksum of every table, a digest of the media files and the
  size and SHA-256 of the two files above.

The manifest describes exactly what is in the archive: on SQLite the checksums are computed
on the copy, on PostgreSQL in the same snapshot that ``pg_dump`` dumps (``--snapshot``).
A restore first checks the archive's files against the manifest, then replaces the database
and the media files, then recomputes every checksum and reports any difference.

Checksums hash the rows of a table ordered by primary key, each row read through Django's
database connection and written as canonical JSON; they compare data of one engine only
(a backup is restored into the engine it came from).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TypedDict, cast
from uuid import UUID

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRESQL_FILE = "database.pgdump"
MEDIA_FILE = "media.tar.gz"
ENGINES = ("sqlite", "postgresql")
_CHUNK = 2_000
_READ = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (translated)."""


class TableDigest(TypedDict):
    rows: int
    sha256: str


class MediaDigest(TypedDict):
    files: int
    bytes: int
    sha256: str


class FileDigest(TypedDict):
    bytes: int
    sha256: str


class Manifest(TypedDict):
    format: int
    created: str
    engine: str
    database: str
    django: str
    migrations: dict[str, str]
    tables: dict[str, TableDigest]
    media: MediaDigest
    files: dict[str, FileDigest]


@dataclass(frozen=True)
class Backup:
    """A finished backup: its directory and its manifest."""

    path: Path
    manifest: Manifest


@dataclass
class Verification:
    """What a restore checked, and what did not match the manifest."""

    tables: int = 0
    rows: int = 0
    media_files: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------------------------------
# Checksums


def _encode(value: object) -> object:
    """JSON form of the values a database cursor returns besides str, int, float, bool, None."""
    if isinstance(value, bytes | bytearray | memoryview):
        return {"hex": bytes(value).hex()}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, timedelta):
        return {"seconds": str(value.total_seconds())}
    raise TypeError(f"cannot checksum a {type(value).__name__}")


def _row_line(row: Sequence[object]) -> str:
    return json.dumps(list(row), default=_encode, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def table_names(connection: BaseDatabaseWrapper) -> list[str]:
    """Every table of the database (not views), sorted."""
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def table_digest(connection: BaseDatabaseWrapper, table: str) -> TableDigest:
    """Row count and SHA-256 of one table: its column names, then its rows ordered by primary key.

    A table without a primary key is hashed with its rows sorted in Python.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        key = list(connection.introspection.get_primary_key_columns(cursor, table) or [])
    sql = f"SELECT * FROM {quote(table)}"  # noqa: S608 - a table name from introspection, quoted
    if key:
        sql += " ORDER BY " + ", ".join(quote(column) for column in key)
    digest = hashlib.sha256()
    rows = 0
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql)
        columns = [column[0] for column in cursor.description]
        digest.update(_row_line(columns).encode())
        lines: Iterator[str] = (_row_line(row) for chunk in _chunks(cursor) for row in chunk)
        for line in lines if key else iter(sorted(lines)):
            digest.update(line.encode())
            rows += 1
    finally:
        cursor.close()
    return {"rows": rows, "sha256": digest.hexdigest()}


def _chunks(cursor: Any) -> Iterator[Sequence[Sequence[object]]]:
    while chunk := cursor.fetchmany(_CHUNK):
        yield chunk


def table_digests(connection: BaseDatabaseWrapper) -> dict[str, TableDigest]:
    """Row count and checksum of every table of the database."""
    return {table: table_digest(connection, table) for table in table_names(connection)}


def migration_state(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The latest applied migration of every app (empty before the first ``migrate``)."""
    if "django_migrations" not in table_names(connection):
        return {}
    latest: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            latest[app] = max(name, latest.get(app, name))
    return dict(sorted(latest.items()))


def file_digest(path: Path) -> FileDigest:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_READ):
            digest.update(block)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


# ---------------------------------------------------------------------------------------
# Media files


def _media_entries(root: Path) -> list[tuple[str, Path]]:
    """Files and symbolic links under root (links are not followed), by relative POSIX path."""
    if not root.is_dir():
        return []
    found: list[tuple[str, Path]] = []
    for folder, dirnames, filenames in os.walk(root):
        base = Path(folder)
        names = filenames + [name for name in dirnames if (base / name).is_symlink()]
        found.extend(((base / name).relative_to(root).as_posix(), base / name) for name in names)
    return sorted(found)


class _HashingReader:
    """Hands a file to tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _media_line(relative: str, size: int, content: str) -> bytes:
    return _row_line([relative, size, content]).encode()


def media_digest(root: Path) -> MediaDigest:
    """Number, total size and a SHA-256 over the names and contents of the files under root."""
    digest = hashlib.sha256()
    files = total = 0
    for relative, path in _media_entries(root):
        if path.is_symlink():
            digest.update(_media_line(relative, 0, "link:" + os.readlink(path)))
        elif path.is_file():
            content = file_digest(path)
            digest.update(_media_line(relative, content["bytes"], content["sha256"]))
            total += content["bytes"]
        else:
            continue
        files += 1
    return {"files": files, "bytes": total, "sha256": digest.hexdigest()}


def _archive_media(root: Path, target: Path) -> MediaDigest:
    """Write root into a tar.gz under ``media/``; the digest is of what was written."""
    digest = hashlib.sha256()
    files = total = 0
    with tarfile.open(target, "w:gz", compresslevel=1) as tar:  # photos barely compress
        if root.is_dir():
            tar.add(root, arcname="media", recursive=False)
        for relative, path in _media_entries(root):
            info = tar.gettarinfo(str(path), arcname=f"media/{relative}")
            if info.issym():
                tar.addfile(info)
                digest.update(_media_line(relative, 0, "link:" + info.linkname))
            elif info.isreg():
                with path.open("rb") as handle:
                    reader = _HashingReader(handle)
                    tar.addfile(info, cast(IO[bytes], reader))
                digest.update(_media_line(relative, info.size, reader.digest.hexdigest()))
                total += info.size
            else:
                continue
            files += 1
        for folder, _dirs, _files in os.walk(root):  # empty folders too
            if Path(folder) != root and not os.listdir(folder):
                tar.add(folder, arcname=f"media/{Path(folder).relative_to(root).as_posix()}", recursive=False)
    return {"files": files, "bytes": total, "sha256": digest.hexdigest()}


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _stage_media(archive: Path, root: Path) -> Path:
    """Unpack the media tarball into a staging folder inside root (same file system).

    tarfile's "data" filter refuses paths and links that would escape the folder.
    """
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _swap_media(staging: Path, root: Path) -> None:
    """Replace the contents of root with the staged files (root itself stays: it may be a mount point)."""
    try:
        for entry in root.iterdir():
            if entry != staging:
                _remove(entry)
        unpacked = staging / "media"
        if unpacked.is_dir():
            for entry in unpacked.iterdir():
                entry.rename(root / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# Engines


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in ENGINES:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": connection.vendor})
    return str(connection.vendor)


def describe_database(connection: BaseDatabaseWrapper) -> str:
    """Which database a restore would replace, for people (never the password)."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return _("SQLite file %(name)s") % {"name": config["NAME"]}
    where = f"{config.get('HOST') or 'localhost'}:{config.get('PORT') or 5432}"
    return _("PostgreSQL database %(name)s on %(where)s as %(user)s") % {
        "name": config["NAME"],
        "where": where,
        "user": config.get("USER") or "-",
    }


def _side_connection(alias: str, **overrides: Any) -> BaseDatabaseWrapper:
    """A private connection with alias's settings (and overrides), closed by the caller."""
    config = {**connections[alias].settings_dict, **overrides}
    options = dict(config.get("OPTIONS") or {})
    options.pop("pool", None)
    config["OPTIONS"] = overrides.get("OPTIONS", options)
    backend = load_backend(config["ENGINE"])
    return cast(BaseDatabaseWrapper, backend.DatabaseWrapper(config, alias=f"{alias}-backup"))


def _sqlite_path(connection: BaseDatabaseWrapper) -> Path:
    name = str(connection.settings_dict["NAME"] or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(_("The SQLite database must be a file, not %(name)s.") % {"name": name or ":memory:"})
    return Path(name)


def _sqlite_backup(alias: str, work: Path) -> tuple[str, dict[str, TableDigest], dict[str, str]]:
    source_path = _sqlite_path(connections[alias])
    if not source_path.is_file():
        raise BackupError(_("The SQLite database %(name)s does not exist.") % {"name": source_path})
    target_path = work / SQLITE_FILE
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)  # one step: a consistent snapshot, writers are not blocked (WAL)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()
        source.close()
    copy = _side_connection(alias, NAME=str(target_path), OPTIONS={})
    try:
        return SQLITE_FILE, table_digests(copy), migration_state(copy)
    finally:
        copy.close()


def _sqlite_restore(alias: str, database: Path) -> None:
    connection = connections[alias]
    target_path = _sqlite_path(connection)
    connection.close()
    source = sqlite3.connect(database.resolve().as_uri() + "?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target)  # page by page under SQLite's locks: other connections see old or new
    finally:
        target.close()
        source.close()


def _pg_env(config: dict[str, Any]) -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore: the password travels here, never in argv."""
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if config.get(key):
            env[variable] = str(config[key])
    options = config.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(_("%(tool)s is not installed (Debian: postgresql-client).") % {"tool": name})
    return path


def _pg_name(config: dict[str, Any]) -> str:
    if not config.get("NAME"):
        raise BackupError(_("The PostgreSQL database needs a NAME in DATABASE_URL."))
    return str(config["NAME"])


def pg_dump_command(
    config: dict[str, Any], target: Path, snapshot: str | None = None
) -> tuple[list[str], dict[str, str]]:
    """argv and environment of pg_dump for the database described by a Django settings dict."""
    argv = [_pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={target}"]
    if snapshot:
        argv.append(f"--snapshot={snapshot}")
    argv.append(f"--dbname={_pg_name(config)}")
    return argv, _pg_env(config)


def pg_restore_command(config: dict[str, Any], source: Path) -> tuple[list[str], dict[str, str]]:
    """argv and environment of pg_restore: all or nothing (one transaction), owners dropped."""
    argv = [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--no-password",
        f"--dbname={_pg_name(config)}",
        str(source),
    ]
    return argv, _pg_env(config)


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed (exit code %(code)s): %(error)s")
            % {"tool": Path(argv[0]).name, "code": done.returncode, "error": done.stderr.strip()}
        )


def _postgresql_backup(alias: str, work: Path) -> tuple[str, dict[str, TableDigest], dict[str, str]]:
    """pg_dump and the checksums read the same snapshot, exported by a repeatable-read transaction."""
    side = _side_connection(alias)
    try:
        side.ensure_connection()
        side.set_autocommit(False)
        with side.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
        argv, env = pg_dump_command(side.settings_dict, work / POSTGRESQL_FILE, snapshot)
        _run(argv, env)
        tables, migrations = table_digests(side), migration_state(side)
        side.rollback()
    finally:
        side.close()
    return POSTGRESQL_FILE, tables, migrations


def _postgresql_restore(alias: str, dump: Path) -> None:
    connection = connections[alias]
    connection.close()  # hold no locks the DROP TABLEs would wait for
    argv, env = pg_restore_command(connection.settings_dict, dump)
    _run(argv, env)


# ---------------------------------------------------------------------------------------
# Backup


def _free_name(folder: Path, name: str) -> Path:
    candidate, n = folder / name, 1
    while candidate.exists() or (folder / f".{candidate.name}.partial").exists():
        n += 1
        candidate = folder / f"{name}-{n}"
    return candidate


def create_backup(
    output: Path, *, alias: str = DEFAULT_DB_ALIAS, media_root: Path | None = None, now: datetime | None = None
) -> Backup:
    """Write one backup directory into output and return it.

    The archive is assembled under a hidden ``.NAME.partial`` name and renamed when complete,
    so a directory named ``tongxin-…`` is always a whole backup.
    """
    connection = connections[alias]
    engine = engine_of(connection)
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    created = (now or timezone.now()).astimezone(UTC)
    output.mkdir(parents=True, exist_ok=True)
    final = _free_name(output, f"tongxin-{created:%Y%m%dT%H%M%SZ}")
    work = output / f".{final.name}.partial"
    work.mkdir(mode=0o700)  # personal data: readable by the owner only
    try:
        if engine == "sqlite":
            database_file, tables, migrations = _sqlite_backup(alias, work)
            database = _sqlite_path(connection).name
        else:
            database_file, tables, migrations = _postgresql_backup(alias, work)
            database = str(connection.settings_dict["NAME"])
        media = _archive_media(media_root, work / MEDIA_FILE)
        manifest: Manifest = {
            "format": FORMAT,
            "created": created.isoformat(),
            "engine": engine,
            "database": database,
            "django": django.get_version(),
            "migrations": migrations,
            "tables": tables,
            "media": media,
            "files": {name: file_digest(work / name) for name in (database_file, MEDIA_FILE)},
        }
        with (work / MANIFEST).open("w", encoding="utf-8") as handle:
            json.dump(manifest, handle, ensure_ascii=False, indent=2, sort_keys=True)
            handle.write("\n")
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    logger.info("backup written to %s (%s tables, %s media files)", final, len(tables), media["files"])
    return Backup(final, manifest)


# ---------------------------------------------------------------------------------------
# Restore


def read_archive(archive: Path) -> Manifest:
    """The manifest of an archive whose files are all there and match it; BackupError if not."""
    path = archive / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(archive)s is not a Tongxin backup (no %(manifest)s).")
            % {
                "archive": archive,
                "manifest": MANIFEST,
            }
        )
    try:
        manifest = cast(Manifest, json.loads(path.read_text(encoding="utf-8")))
        known = manifest["format"] == FORMAT and manifest["engine"] in ENGINES
        files = manifest["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(_("The manifest of %(archive)s is unreadable.") % {"archive": archive}) from error
    if not known:
        raise BackupError(_("The manifest of %(archive)s has an unknown format or engine.") % {"archive": archive})
    for name, expected in files.items():
        if Path(name).name != name or not (archive / name).is_file():
            raise BackupError(_("The archive lacks %(file)s.") % {"file": name})
        if file_digest(archive / name) != expected:
            raise BackupError(_("%(file)s does not match the manifest: the archive is damaged.") % {"file": name})
    return manifest


def check_engine(manifest: Manifest, alias: str = DEFAULT_DB_ALIAS) -> None:
    engine = engine_of(connections[alias])
    if manifest["engine"] != engine:
        raise BackupError(
            _("This archive holds a %(archive)s database; the configured database is %(engine)s.")
            % {"archive": manifest["engine"], "engine": engine}
        )


def code_migrations() -> dict[str, str]:
    """The latest migration of every app in this code (what ``migrate`` would bring a database to)."""
    from django.db.migrations.loader import MigrationLoader

    latest: dict[str, str] = {}
    for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes():
        latest[app] = max(name, latest.get(app, name))
    return dict(sorted(latest.items()))


def migration_differences(manifest: Manifest) -> list[str]:
    """Apps whose latest migration differs between this code and the archive."""
    code = code_migrations()
    archived = manifest["migrations"]
    return [
        _("%(app)s: the code is at %(code)s, the archive at %(archived)s")
        % {"app": app, "code": code.get(app, "-"), "archived": archived.get(app, "-")}
        for app in sorted(set(code) | set(archived))
        if code.get(app) != archived.get(app)
    ]


def verify(manifest: Manifest, *, alias: str = DEFAULT_DB_ALIAS, media_root: Path | None = None) -> Verification:
    """Compare the database's tables and the media files with the manifest."""
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    result = Verification()
    actual = table_digests(connections[alias])
    for table, expected in sorted(manifest["tables"].items()):
        found = actual.get(table)
        if found is None:
            result.problems.append(_("table %(table)s is missing") % {"table": table})
        elif found != expected:
            result.problems.append(
                _(
                    "table %(table)s: %(rows)s rows, checksum %(found)s; "
                    "the archive has %(expected_rows)s rows, %(expected)s"
                )
                % {
                    "table": table,
                    "rows": found["rows"],
                    "found": found["sha256"][:12],
                    "expected_rows": expected["rows"],
                    "expected": expected["sha256"][:12],
                }
            )
        else:
            result.tables += 1
            result.rows += found["rows"]
    extra = sorted(set(actual) - set(manifest["tables"]))
    if extra:
        result.warnings.append(
            _("tables not in the archive, left as they were: %(tables)s") % {"tables": ", ".join(extra)}
        )
    media = media_digest(media_root)
    if media != manifest["media"]:
        result.problems.append(
            _(
                "media files: %(files)s files, %(bytes)s bytes; "
                "the archive has %(expected_files)s files, %(expected_bytes)s bytes, or other contents"
            )
            % {
                "files": media["files"],
                "bytes": media["bytes"],
                "expected_files": manifest["media"]["files"],
                "expected_bytes": manifest["media"]["bytes"],
            }
        )
    else:
        result.media_files = media["files"]
    return result


def restore_backup(
    archive: Path, *, alias: str = DEFAULT_DB_ALIAS, media_root: Path | None = None, manifest: Manifest | None = None
) -> Verification:
    """Replace the database and the media files with the archive's, then verify them.

    Checks the archive (files, engine) and unpacks the media files aside before touching
    anything; the old media files go only once the database is restored.
    """
    manifest = manifest or read_archive(archive)
    check_engine(manifest, alias)
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    staging = _stage_media(archive / MEDIA_FILE, media_root)  # a tarball that cannot unpack changes nothing
    try:
        if manifest["engine"] == "sqlite":
            _sqlite_restore(alias, archive / SQLITE_FILE)
        else:
            _postgresql_restore(alias, archive / POSTGRESQL_FILE)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_media(staging, media_root)
    result = verify(manifest, alias=alias, media_root=media_root)
    logger.info("restored %s: %s", archive, "verified" if result.ok else "; ".join(result.problems))
    return result
