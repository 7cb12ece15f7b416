"""Excel import: all or nothing, dry run, re-import updates, hostile files refused."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from tongxin.accounts.choices import Role
from tongxin.core.models import ImportJob
from tongxin.enterprises.models import Enterprise
from tongxin.regions.models import Village
from tongxin.testing import factories
from tongxin.testing.factories import World

HEADERS = ["行政区划代码", "名称", "乡镇", "人口", "户数", "weak links / needs"]
# Column A named with its header, as the message says it in English or Chinese.
COLUMN_A = re.compile(r"\bA( \(|列（)")


def _xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _village_rows(world: World, count: int) -> list[list[Any]]:
    prefix = world.township.code[:9]
    return [
        [f"{prefix}{200 + n % 199:03d}" if n < 199 else None, f"村{n}", world.township.name, 1000, 300, "capital、融资"]
        for n in range(count)
    ]


def _upload(client: Client, data: bytes, *, dry_run: bool, ledger: str = "regions:village_import") -> ImportJob:
    form = {"file": SimpleUploadedFile("villages.xlsx", data), **({"dry_run": "on"} if dry_run else {})}
    response = client.post(reverse(ledger), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    page = client.get(response["Location"])
    assert page.status_code == 200
    return job


def _client(world: World, role: str = Role.COUNTY_STAFF) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _many_villages(world: World, count: int) -> list[list[Any]]:
    """``count`` distinct, valid village rows spread over the two townships of county 1."""
    townships = [world.township, world.township_b]
    townships += [factories.township(world.county, 103 + i) for i in range(count // 1000 * 2)]
    rows = []
    for n in range(count):
        township = townships[n % len(townships)]
        number = n // len(townships) + 1  # village segment 001–599, unique per township
        rows.append([f"{township.code[:9]}{number:03d}", f"村{n}", township.name, 1000, 300, "资金"])
    return rows


@pytest.mark.django_db
def test_dry_run_then_apply_then_reimport_updates(world: World) -> None:
    """A dry run writes nothing; applying creates the rows; importing again updates them."""
    client = _client(world)
    before = Village.objects.count()
    rows = _many_villages(world, 299)
    rows.append([world.village.code, "东溪村（更新）", world.township.name, 1250, 410, "资金"])  # an existing village
    data = _xlsx(rows)
    job = _upload(client, data, dry_run=True)
    job.refresh_from_db()
    assert job.status == "done" and job.result["errors"] == []
    assert (job.result["created"], job.result["updated"]) == (299, 1)
    assert Village.objects.count() == before
    applied = client.post(reverse("core:import_job", args=[job.pk]))
    assert applied.status_code == 302
    real = ImportJob.objects.latest("pk")
    assert real.dry_run is False and (real.result["created"], real.result["updated"]) == (299, 1)
    assert Village.objects.count() == before + 299
    world.village.refresh_from_db()
    assert world.village.name == "东溪村（更新）" and world.village.population == 1250
    village = Village.objects.get(code=f"{world.township.code[:9]}005")
    assert list(village.needs.values_list("code", flat=True)) == ["capital"]
    again = _upload(client, data, dry_run=False)
    again.refresh_from_db()
    assert again.result["created"] == 0 and again.result["updated"] == 300
    assert Village.objects.count() == before + 299


@pytest.mark.django_db
def test_one_bad_row_among_thousands_writes_nothing(world: World) -> None:
    """One invalid code among 2,000 rows: nothing is written and the error names row and column."""
    client = _client(world)
    rows = _many_villages(world, 2000)
    rows[1499][0] = rows[1499][0][:-1] + "X"  # row 1501 in the sheet (header is row 1)
    before = Village.objects.count()
    job = _upload(client, _xlsx(rows), dry_run=False)
    job.refresh_from_db()
    assert Village.objects.count() == before
    assert job.result["created"] == 0
    assert len(job.result["errors"]) == 1
    assert "1501" in job.result["errors"][0] and COLUMN_A.search(job.result["errors"][0]), job.result["errors"]


@pytest.mark.django_db
def test_foreign_rows_are_refused_for_township_staff(world: World) -> None:
    """Township staff cannot import a village into another township: whole file refused."""
    client = _client(world, Role.TOWNSHIP_STAFF)
    rows = [[f"{world.township_b.code[:9]}250", "越界村", world.township_b.name, 10, 3, ""]]
    job = _upload(client, _xlsx(rows), dry_run=False)
    job.refresh_from_db()
    assert job.result["errors"] and Village.objects.filter(name="越界村").count() == 0


@pytest.mark.django_db
def test_enterprise_import_validates_credit_codes(world: World) -> None:
    """A wrong check character in a credit code is a row error with the column named."""
    client = _client(world)
    headers = ["统一社会信用代码", "名称", "乡镇", "行业"]
    rows = [
        ["91350100M000100Y43", "好公司", world.township.name, "C"],
        ["91350100M000100Y44", "坏公司", world.township.name, "C"],
    ]
    job = _upload(client, _xlsx(rows, headers), dry_run=False, ledger="enterprises:enterprise_import")
    job.refresh_from_db()
    assert Enterprise.objects.filter(name="好公司").count() == 0
    assert (
        len(job.result["errors"]) == 1 and "3" in job.result["errors"][0] and COLUMN_A.search(job.result["errors"][0])
    )


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("not-zip", lambda: b"this is plainly not a spreadsheet" * 10),
        ("zip-bomb", _zip_bomb),
        ("oversized", lambda: b"PK\x03\x04" + b"\0" * (settings.TONGXIN["IMPORT_MAX_BYTES"] + 10)),
        ("too-many-rows", lambda: _xlsx([["x"]] * 5002, ["名称"])),
    ],
)
def test_hostile_files_are_refused_quickly(world: World, name: str, make: Any) -> None:
    """Hostile files get a clear message and write nothing."""
    client = _client(world)
    before = Village.objects.count()
    response = client.post(
        reverse("regions:village_import"), {"file": SimpleUploadedFile("x.xlsx", make()), "dry_run": "on"}
    )
    if response.status_code == 200:  # refused at upload, with a form error
        assert response.context["form"].errors["file"]
    else:
        job = ImportJob.objects.latest("pk")
        assert job.status == "refused" and job.result["errors"], name
    assert Village.objects.count() == before
