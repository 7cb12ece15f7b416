"""Imports read every row whatever the file claims, and never tell what lies outside scope.

A hostile .xlsx can declare a dimension (``<dimension ref="A1:B2">``) smaller than its
data: openpyxl's read-only mode would stop there and silently drop the rest. Rows that
name a record the user may not change are answered exactly like new rows placed outside
the user's scope, and never written.
"""

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
from openpyxl import Workbook, load_workbook

from tongxin.accounts.choices import Role
from tongxin.core.models import ImportJob
from tongxin.regions.models import Village
from tongxin.testing.factories import World

HEADERS = ["行政区划代码", "名称", "乡镇", "人口", "户数", "weak links / needs"]
OUT_OF_SCOPE = "inside your own area of responsibility"


def _xlsx(rows: list[list[Any]], headers: list[str] = HEADERS, dimension: str | None = None) -> bytes:
    """A workbook with ``rows``; with ``dimension``, its sheet declares that (false) size."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                text, count = re.subn(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', data.decode())
                assert count == 1, "the sheet must carry a dimension to falsify"
                data = text.encode()
            target.writestr(member, data)
    return out.getvalue()


def _client(world: World, role: str = Role.COUNTY_STAFF) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.users[role])
    return client


def _import(client: Client, data: bytes, *, dry_run: bool) -> ImportJob:
    form = {"file": SimpleUploadedFile("villages.xlsx", data), **({"dry_run": "on"} if dry_run else {})}
    response = client.post(reverse("regions:village_import"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(response["Location"]).status_code == 200
    return ImportJob.objects.latest("pk")


def _rows(world: World, count: int) -> list[list[Any]]:
    """``count`` new, valid villages of township A (codes 300…)."""
    prefix = world.township.code[:9]
    return [[f"{prefix}{300 + n:03d}", f"新村{n}", world.township.name, 1000, 300, "资金"] for n in range(count)]


@pytest.mark.django_db
def test_falsified_dimension_still_reads_every_row_and_column(world: World) -> None:
    """A sheet declaring A1:B2 over 120 rows in six columns is imported whole: every row,
    and the columns right of B (here the needs in F) too."""
    data = _xlsx(_rows(world, 120), dimension="A1:B2")
    naive = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    assert len(list(naive.iter_rows(values_only=True))) == 2  # what trusting the dimension would read
    client = _client(world)
    before = Village.objects.count()
    dry = _import(client, data, dry_run=True)
    assert dry.result["errors"] == [] and dry.result["created"] == 120
    assert Village.objects.count() == before
    real = _import(client, data, dry_run=False)
    assert real.result["errors"] == [] and real.result["created"] == 120
    last = Village.objects.get(code=f"{world.township.code[:9]}419")
    assert last.name == "新村119" and list(last.needs.values_list("code", flat=True)) == ["capital"]


@pytest.mark.django_db
def test_falsified_dimension_does_not_escape_the_row_limit(world: World) -> None:
    """A sheet declaring one row but holding more than the limit is refused while streaming."""
    limit = settings.TONGXIN["IMPORT_MAX_ROWS"]
    data = _xlsx([["x"]] * (limit + 2), ["名称"], dimension="A1:A1")
    job = _import(_client(world), data, dry_run=True)
    assert job.status == ImportJob.Status.REFUSED
    assert str(limit) in job.result["errors"][0]


@pytest.mark.django_db
def test_bad_row_beyond_the_declared_dimension_writes_nothing(world: World) -> None:
    """One invalid row after the declared end of the sheet is found: nothing is written."""
    rows = _rows(world, 10)
    rows.append([world.township.code[:9] + "31X", "坏村", world.township.name, 10, 3, ""])
    before = Village.objects.count()
    job = _import(_client(world), _xlsx(rows, dimension="A1:C3"), dry_run=False)
    assert Village.objects.count() == before
    assert len(job.result["errors"]) == 1 and job.result["errors"][0].startswith("Row 12, column A (")


def _errors(client: Client, row: list[Any]) -> list[str]:
    job = _import(client, _xlsx([row]), dry_run=False)
    assert job.status == ImportJob.Status.DONE
    return list(job.result["errors"])


@pytest.mark.django_db
def test_existing_foreign_codes_answer_like_new_codes_outside_scope(world: World) -> None:
    """For township staff, re-importing a village of another township or county gives the
    very same row error as a new village placed there — existence is never revealed — and
    the foreign village is never changed."""
    client = _client(world, Role.TOWNSHIP_STAFF)
    b, two = world.village_b, world.village2
    before = {v.pk: (v.name, v.population, v.version) for v in (b, two)}
    pairs = [
        # (existing record elsewhere, new code placed in the same place)
        (
            [b.code, "改名", world.township_b.name, 5, 1, ""],
            [f"{b.code[:9]}250", "改名", world.township_b.name, 5, 1, ""],
        ),
        (
            [two.code, "改名", world.township2.name, 5, 1, ""],
            [f"{two.code[:9]}250", "改名", world.township2.name, 5, 1, ""],
        ),
        # the foreign record moved into the user's own township vs a new code that does the same
        ([b.code, "改名", world.township.name, 5, 1, ""], [f"{b.code[:9]}251", "改名", world.township.name, 5, 1, ""]),
    ]
    for existing, new in pairs:
        # Each answer repeats the row's own code (the user's input, nothing else): with it
        # masked, the answers are the very same.
        answer = [message.replace(existing[0], "<code>") for message in _errors(client, existing)]
        assert answer and answer == [m.replace(new[0], "<code>") for m in _errors(client, new)], (existing, new)
        assert not any("exist" in message for message in answer)
    assert _errors(client, pairs[0][0]) == [f"Row 2 (whole row): You can only save records {OUT_OF_SCOPE}."]
    for village in (b, two):
        village.refresh_from_db()
        assert (village.name, village.population, village.version) == before[village.pk]


@pytest.mark.django_db
def test_a_foreign_row_among_good_rows_writes_nothing(world: World) -> None:
    """All or nothing: good rows are not written when one row is outside the user's scope."""
    client = _client(world, Role.TOWNSHIP_STAFF)
    rows = [*_rows(world, 3), [world.village_b.code, "改名", world.township_b.name, 5, 1, ""]]
    before = Village.objects.count()
    job = _import(client, _xlsx(rows), dry_run=False)
    assert job.result["created"] == 0 and len(job.result["errors"]) == 1 and OUT_OF_SCOPE in job.result["errors"][0]
    assert Village.objects.count() == before


@pytest.mark.django_db
def test_changeable_records_are_still_updated_by_code(world: World) -> None:
    """County staff may change every village of the county: a re-import updates it."""
    row = [world.village_b.code, "西岭新村", world.township_b.name, 950, 310, ""]
    job = _import(_client(world), _xlsx([row]), dry_run=False)
    assert job.result["errors"] == [] and job.result["updated"] == 1
    world.village_b.refresh_from_db()
    assert world.village_b.name == "西岭新村"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["东溪\n新村", "东溪\t新村", "东溪\x85新村"])
def test_control_characters_in_cells_are_row_errors(world: World, name: str) -> None:
    """A line break, tab or C1 control inside a name cell is a row error on the name column,
    and nothing is written."""
    rows = [*_rows(world, 2), [world.township.code[:9] + "399", name, world.township.name, 10, 3, ""]]
    before = Village.objects.count()
    job = _import(_client(world), _xlsx(rows), dry_run=False)
    assert Village.objects.count() == before
    assert len(job.result["errors"]) == 1 and job.result["errors"][0].startswith("Row 4, column B (")
