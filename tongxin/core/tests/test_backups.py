"""Backups and restores: the restore drill on the configured engine (SQLite or PostgreSQL).

These tests work on the real test database (a file on SQLite, a database on PostgreSQL), so
they run outside a transaction and every file they write lives under pytest's tmp_path.
"""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import translation

from tongxin.core import backups
from tongxin.core.backups import (
    MEDIA_FILE,
    media_digest,
    pg_dump_command,
    pg_restore_command,
    read_archive,
    table_digests,
)
from tongxin.regions.models import County, Village
from tongxin.surveys.models import Survey
from tongxin.testing import factories
from tongxin.testing.factories import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def _command(*args: Any, **options: Any) -> str:
    """Run a management command in English and return what it printed."""
    out = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=out, **options)
    return out.getvalue()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """A MEDIA_ROOT with two photos in a subfolder and an empty folder."""
    root = tmp_path / "media"
    (root / "activities" / "2026").mkdir(parents=True)
    (root / "activities" / "2026" / "photo-1.jpg").write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
    (root / "activities" / "2026" / "photo-2.jpg").write_bytes(b"\xff\xd8\xff" + b"second photo" * 100)
    (root / "empty").mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def drill_world(media: Path) -> World:
    return build_world()


def _backup(tmp_path: Path) -> Path:
    output = tmp_path / "backups"
    printed = _command("backup", output=output)
    (archive,) = list(output.iterdir())
    assert str(archive) in printed
    return archive


def _edit_manifest(archive: Path, change: Any) -> None:
    path = archive / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def test_restore_drill_brings_back_every_row_and_file(tmp_path: Path, media: Path, drill_world: World) -> None:
    """The drill: back up, then update, insert and delete rows and files; restore refuses without
    --yes, and with it brings back exactly the backed-up state, table by table and file by file."""
    w = drill_world
    original = table_digests(connection)
    original_media = media_digest(media)

    archive = _backup(tmp_path)
    manifest = read_archive(archive)
    assert archive.name.startswith("tongxin-")
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the owner only
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"] == original  # the manifest describes the data at backup time
    assert manifest["media"] == original_media
    assert original_media["files"] == 2
    assert manifest["tables"][Village._meta.db_table]["rows"] == 3
    recorder = MigrationRecorder(connection)
    applied = recorder.applied_migrations()
    assert manifest["migrations"]["regions"] == max(name for app, name in applied if app == "regions")
    assert not list(archive.parent.glob(".*"))  # no partial directory left behind

    Village.objects.filter(pk=w.village.pk).update(name="改名村", population=1)
    factories.county("110101", "东城区")
    Survey.objects.filter(village=w.village).delete()
    (media / "activities" / "2026" / "photo-1.jpg").write_bytes(b"overwritten")
    (media / "activities" / "2026" / "photo-2.jpg").unlink()
    (media / "activities" / "2026" / "photo-3.jpg").write_bytes(b"added after the backup")
    changed = table_digests(connection)
    for model in (Village, County, Survey):
        assert changed[model._meta.db_table] != original[model._meta.db_table]
    assert media_digest(media) != original_media

    with pytest.raises(CommandError, match="--yes"):
        _command("restore", str(archive))
    assert Village.objects.get(pk=w.village.pk).name == "改名村"  # nothing changed

    printed = _command("restore", str(archive), yes=True)
    assert "Restored and verified" in printed
    assert "Migrations differ" not in printed  # the archive is at this code's migrations
    assert f"{len(original)} tables" in printed

    assert table_digests(connection) == original
    assert media_digest(media) == original_media
    assert Village.objects.get(pk=w.village.pk).name == "东溪村"
    assert not County.objects.filter(code="110101").exists()
    assert Survey.objects.filter(village=w.village).count() == 1
    assert (media / "empty").is_dir()
    assert not (media / "activities" / "2026" / "photo-3.jpg").exists()
    assert [p.name for p in media.iterdir() if p.name.startswith(".")] == []  # staging folder removed


def test_restore_without_yes_says_what_it_would_replace(tmp_path: Path, media: Path, drill_world: World) -> None:
    """Without --yes the command names the archive, the database, the media folder and the apps
    whose migrations differ from this code's, then refuses."""
    archive = _backup(tmp_path)
    _edit_manifest(archive, lambda manifest: manifest["migrations"].update(regions="0001_initial"))
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(archive), stdout=out)
    printed = out.getvalue()
    assert str(archive) in printed
    assert str(connection.settings_dict["NAME"]) in printed
    assert str(media) in printed
    assert "Migrations differ" in printed
    assert "regions: the code is at " in printed
    assert "the archive at 0001_initial" in printed


def test_restore_refuses_an_archive_from_the_other_engine(tmp_path: Path, media: Path, drill_world: World) -> None:
    """An archive made on the other engine is refused before anything is replaced."""
    w = drill_world
    archive = _backup(tmp_path)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    _edit_manifest(archive, lambda manifest: manifest.update(engine=other))
    Village.objects.filter(pk=w.village.pk).update(name="改名村")
    with pytest.raises(CommandError, match=f"holds a {other} database"):
        _command("restore", str(archive), yes=True)
    assert Village.objects.get(pk=w.village.pk).name == "改名村"


def test_restore_refuses_a_damaged_archive(tmp_path: Path, media: Path, drill_world: World) -> None:
    """A file of the archive that no longer matches its manifest checksum stops the restore
    before the database or the media files are touched."""
    w = drill_world
    archive = _backup(tmp_path)
    data = bytearray((archive / MEDIA_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (archive / MEDIA_FILE).write_bytes(bytes(data))
    Village.objects.filter(pk=w.village.pk).update(name="改名村")
    with pytest.raises(CommandError, match="damaged"):
        _command("restore", str(archive), yes=True)
    assert Village.objects.get(pk=w.village.pk).name == "改名村"
    assert media_digest(media)["files"] == 2


def test_restore_reports_tables_that_differ_from_the_manifest(tmp_path: Path, media: Path, drill_world: World) -> None:
    """The verification after a restore really compares: a table whose manifest checksum and
    row count are wrong is named, and the command fails."""
    archive = _backup(tmp_path)
    table = Village._meta.db_table

    def falsify(manifest: dict[str, Any]) -> None:
        manifest["tables"][table] = {"rows": 99, "sha256": "0" * 64}

    _edit_manifest(archive, falsify)
    with pytest.raises(CommandError, match="1 checks do not match"):
        _command("restore", str(archive), yes=True)


def test_a_failed_backup_leaves_no_directory(tmp_path: Path, media: Path, monkeypatch: Any, db: Any) -> None:
    """A backup that fails half-way leaves nothing in the output folder that looks like a backup."""

    def broken(root: Path, target: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(backups, "_archive_media", broken)
    output = tmp_path / "backups"
    with pytest.raises(OSError, match="disk full"):
        _command("backup", output=output)
    assert list(output.iterdir()) == []


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs the PostgreSQL client tools")
@pytest.mark.django_db(transaction=False)
def test_postgresql_password_travels_in_the_environment_only(tmp_path: Path) -> None:
    """pg_dump and pg_restore get the password through PGPASSWORD, never on their command line."""
    config: dict[str, Any] = {
        "NAME": "tongxin",
        "USER": "tongxin",
        "PASSWORD": "s3cret-pw",
        "HOST": "db.example",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "require"},
    }
    for argv, env in (
        pg_dump_command(config, tmp_path / "database.pgdump", "00000003-0000001B-1"),
        pg_restore_command(config, tmp_path / "database.pgdump"),
    ):
        assert not any("s3cret-pw" in arg for arg in argv)
        assert "--no-password" in argv
        assert "--dbname=tongxin" in argv
        assert env["PGPASSWORD"] == "s3cret-pw"
        assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGSSLMODE"]) == (
            "db.example",
            "5433",
            "tongxin",
            "require",
        )
    restore_argv = pg_restore_command(config, tmp_path / "database.pgdump")[0]
    assert {"--clean", "--if-exists", "--no-owner", "--single-transaction"} <= set(restore_argv)


def test_a_failed_database_restore_keeps_the_old_media_files(
    tmp_path: Path, media: Path, drill_world: World, monkeypatch: Any
) -> None:
    """The media files are replaced only once the database is restored: a restore whose
    database step fails leaves the current media files and no staging folder behind."""
    archive = _backup(tmp_path)
    (media / "after-backup.jpg").write_bytes(b"kept")
    before = media_digest(media)

    def broken(alias: str, source: Path) -> None:
        raise backups.BackupError("pg_restore failed")

    monkeypatch.setattr(backups, "_sqlite_restore", broken)
    monkeypatch.setattr(backups, "_postgresql_restore", broken)
    with pytest.raises(CommandError, match="pg_restore failed"):
        _command("restore", str(archive), yes=True)
    assert media_digest(media) == before
    assert [p.name for p in media.iterdir() if p.name.startswith(".")] == []
