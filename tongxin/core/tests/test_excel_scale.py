"""Excel at scale: the streamed export and the batched import give the answers of the plain
paths, in memory that does not grow with the export, with queries that do not grow per row.

``make bench-excel`` measures 100,000 rows; these tests prove the properties on a few
thousand.
"""

from __future__ import annotations

import gc
import io
import tracemalloc
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import FileResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tongxin.accounts.choices import Role
from tongxin.core import exports, imports
from tongxin.core.context import change_context
from tongxin.core.exports import TableSheet
from tongxin.core.forms import NaturalKeyChoiceField
from tongxin.core.identifiers import village_kind
from tongxin.core.imports import Importer, _cached_field, _RowForms
from tongxin.core.ledgers import all_ledgers, get_ledger
from tongxin.core.models import Capability, ObjectChange
from tongxin.core.scope import EXPORT, restrict
from tongxin.enterprises.forms import EnterpriseImportForm
from tongxin.enterprises.models import Enterprise
from tongxin.regions.forms import VillageImportForm
from tongxin.regions.models import Township, Village
from tongxin.settings import base
from tongxin.testing import cadres, factories, platforms, selection
from tongxin.testing.factories import World
from tongxin.testing.pairing import PairingWorld
from tongxin.testing.sheets import table_rows

HEADERS = ["行政区划代码", "名称", "乡镇", "人口", "户数", "面积（平方公里）", "薄弱环节/需求", "发展优势"]


def _xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _client(world: World, role: str = Role.COUNTY_STAFF) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.users[role])
    return client


def _townships(world: World, count: int) -> list[Township]:
    return [world.township, world.township_b] + [factories.township(world.county, 110 + n) for n in range(count - 2)]


def _bulk_villages(townships: list[Township], count: int) -> None:
    """``count`` villages straight into the table (fixtures for the export, not under test)."""
    rows = []
    for n in range(count):
        township = townships[n % len(townships)]
        code = f"{township.code[:9]}{300 + n // len(townships):03d}"
        rows.append(
            Village(
                township=township,
                code=code,
                name=f"批量村{n}",
                kind=village_kind(code),
                population=1000 + n,
                households=300,
                area_km2=Decimal("12.50"),
            )
        )
    Village.objects.bulk_create(rows, batch_size=500)


# --- export -------------------------------------------------------------------------


@pytest.mark.django_db
def test_streamed_export_reads_every_ledger_exactly_like_as_values(pworld: PairingWorld) -> None:
    """For every ledger, the streamed sheet has the headers and cell values of the list
    table's ``as_values()`` — choice labels, many-to-many lists, booleans, dates, empty cells."""
    world = pworld.world
    Village.objects.filter(pk=world.village.pk).update(area_km2=Decimal("3.75"), industries="=SUM(1)")
    world.village.needs.set(Capability.objects.filter(code__in=["capital", "technology"]))
    officer = world.users[Role.CADRE_OFFICER]
    cadres.files_of(world.county, officer)
    cadres.person(world.county)  # the cadre files are compared over two people
    selection.one_of_each(world.county, world.township, world.users[Role.REVIEWER])
    platforms.records_of(world.county, world.township, cadres.person(world.county), world.village, world.enterprise)
    platforms.records_of(
        world.county, world.township_b, cadres.person(world.county), world.village_b, world.enterprise_b
    )
    for ledger in all_ledgers():
        user = cadres.reader_of(ledger.model, world.users[Role.COUNTY_ADMIN], officer)
        queryset = ledger.optimise(restrict(ledger.model._default_manager.all(), user, EXPORT))
        queryset = queryset.order_by(*(ledger.model._meta.ordering or ["pk"]))
        expected = list(ledger.table(queryset).as_values(exclude_columns=("actions",)))
        sheet = TableSheet(ledger.table(queryset), chunk_size=2)
        assert [sheet.headers, *sheet.rows()] == expected, ledger.name
        assert len(expected) > 1, f"{ledger.name}: the world should give the comparison rows"


@pytest.mark.django_db
def test_export_view_streams_a_file_with_typed_numbers_and_escaped_formulas(world: World) -> None:
    """The export is a streamed file response; decimals stay numbers with the field's
    places as number format, formulas are escaped, headers are the table's."""
    Village.objects.filter(pk=world.village.pk).update(area_km2=Decimal("3.75"), industries="=SUM(1)")
    response = _client(world).get(reverse("regions:village_export"))
    assert response.status_code == 200 and isinstance(response, FileResponse)
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = table_rows(sheet, values_only=False)
    headers = [cell.value for cell in rows[0]]
    area = [str(h).lower() for h in headers].index("area (km²)")
    first = next(row for row in rows[1:] if row[0].value == world.village.code)
    assert first[area].value == 3.75
    assert first[area].number_format == "0.00"
    assert "'=SUM(1)" in [cell.value for cell in first]


@pytest.mark.django_db
def test_export_beyond_the_limit_is_a_400_naming_it(world: World) -> None:
    """More rows than EXPORT_MAX_ROWS: a 400 that says how many and asks for a filter."""
    with override_settings(TONGXIN={**settings.TONGXIN, "EXPORT_MAX_ROWS": 1}):
        response = _client(world).get(reverse("regions:village_export"))
    assert response.status_code == 400 and b"at most 1" in response.content


def _export_peak(client: Client) -> int:
    """Peak Python memory (bytes) of one export request, the file read to the end."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base_size = tracemalloc.get_traced_memory()[0]
        response = client.get(reverse("regions:village_export"))
        assert response.status_code == 200
        size = sum(len(chunk) for chunk in response.streaming_content)
        assert size > 0
        peak = tracemalloc.get_traced_memory()[1] - base_size
    finally:
        tracemalloc.stop()
    return peak


@pytest.mark.django_db
def test_export_memory_does_not_grow_with_rows(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exporting ten times the rows (in chunks of 500) needs well under twice the memory:
    the rows stream from the database to a temporary file."""
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 500)
    monkeypatch.setattr(exports, "SPOOL_BYTES", 64 * 1024)
    townships = _townships(world, 60)
    client = _client(world)
    _bulk_villages(townships, 1_500)
    _export_peak(client)  # warm up: templates, translations, first-use caches
    small = _export_peak(client)
    Village.objects.filter(name__startswith="批量村").delete()
    _bulk_villages(townships, 15_000)
    large = _export_peak(client)
    assert large < 1.5 * small, (small, large)


# --- import: same answers as the row-by-row path -------------------------------------------


def _snapshot(model: type[Any]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows of ``model`` and their change records, without ids and times."""
    skip = {"id", "created", "last_updated"}
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
    m2m = [f.name for f in model._meta.many_to_many]
    rows = sorted(
        (
            *(getattr(obj, name) for name in names),
            *(tuple(sorted(o.pk for o in getattr(obj, field).all())) for field in m2m),
        )
        for obj in model._default_manager.prefetch_related(*m2m)
    )
    ct = ContentType.objects.get_for_model(model)

    def clean(data: Any) -> Any:
        return None if data is None else {k: v for k, v in data.items() if k not in skip}

    records = sorted(
        (
            record.action,
            record.source,
            record.user_id,
            record.object_repr,
            str(clean(record.prechange_data)),
            str(clean(record.postchange_data)),
        )
        for record in ObjectChange.objects.filter(changed_object_type=ct)
    )
    return rows, records


def _village_sheet(world: World) -> bytes:
    prefix = world.township.code[:9]
    rows: list[list[Any]] = [
        [f"{prefix}{300 + n:03d}", f"新村{n}", world.township.name, 1000 + n, 300, "2.5", "资金、技术", ""]
        for n in range(40)
    ]
    rows.append([world.village.code, "东溪村（新）", world.township.code, 1500, 400, "3", "capital", "ecology"])
    rows.append([world.village_b.code, "西岭村", world.township_b.name, 900, 300, "7", "", ""])  # unchanged links
    return _xlsx(rows)


@pytest.mark.django_db
def test_batched_import_leaves_what_form_save_leaves(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batched path and ``form.save()`` row by row leave the same villages, links and
    change records (action, source, user, before and after), for new and updated rows and
    rows whose links change or stay; each run starts from the same world."""
    ObjectChange.objects.all().delete()
    user = world.users[Role.COUNTY_ADMIN]
    data = _village_sheet(world)
    snapshots = {}
    for path in ("bulk", "row by row"):
        if path == "row by row":
            monkeypatch.setattr(imports, "bulk_writable", lambda model, form_class: False)
        with transaction.atomic():
            with change_context(user=user, source="import"), translation.override("en"):
                importer = Importer(model=Village, form_class=VillageImportForm, key_field="code", user=user)
                result = importer.run(data, dry_run=False)
            assert result.errors == [] and (result.created, result.updated) == (40, 2), path
            snapshots[path] = _snapshot(Village)
            changed = Village.objects.get(pk=world.village.pk)
            assert changed.name == "东溪村（新）" and changed.version == 2
            assert sorted(changed.needs.values_list("code", flat=True)) == ["capital"]
            assert Village.objects.get(code=f"{world.township.code[:9]}300").kind == "village"
            transaction.set_rollback(True)
    records = snapshots["bulk"][1]
    assert len(records) == 42 and {record[1] for record in records} == {"import"}
    assert snapshots["bulk"] == snapshots["row by row"]


@pytest.mark.django_db
def test_enterprise_import_in_bulk_normalises_and_logs(world: World) -> None:
    """Enterprises import in bulk: credit codes are normalised by the model, an empty code
    is stored as NULL (the model's save), offers are linked and every row is logged."""
    from tongxin.core.identifiers import make_uscc

    good = make_uscc("91", world.county.code, "MA0099X1")
    headers = ["统一社会信用代码", "名称", "乡镇", "行业", "can offer"]
    rows = [
        [good.lower(), "新公司", world.township.name, "C", "资金"],
        ["", "无码公司", world.township.name, "C", ""],
        ["", "又一家无码公司", world.township_b.name, "C", ""],
    ]
    user = world.users[Role.COUNTY_STAFF]
    with change_context(user=user, source="import"), translation.override("en"):
        result = Importer(model=Enterprise, form_class=EnterpriseImportForm, key_field="uscc", user=user).run(
            _xlsx(rows, headers), dry_run=False
        )
    assert result.errors == [] and result.created == 3
    assert Enterprise.objects.get(uscc=good).offers.count() == 1
    assert Enterprise.objects.filter(name__in=["无码公司", "又一家无码公司"], uscc__isnull=True).count() == 2
    ct = ContentType.objects.get_for_model(Enterprise)
    assert ObjectChange.objects.filter(changed_object_type=ct, source="import", action="create").count() == 3


# --- import: the parts that replace per-row queries ------------------------------------------


@pytest.mark.django_db
def test_cached_choices_answer_like_the_fields_own_queries(world: World) -> None:
    """The in-memory choice fields clean every kind of input exactly as the original
    fields do with their queries: code, name, id, padded, unknown, malformed, NUL."""
    form = VillageImportForm(user=world.users[Role.COUNTY_STAFF])
    township = form.fields["township"]
    assert isinstance(township, NaturalKeyChoiceField)
    needs = form.fields["needs"]
    cached_township, cached_needs = _cached_field(township), _cached_field(needs)
    assert cached_township is not None and cached_needs is not None

    def outcome(field: Any, value: Any) -> Any:
        try:
            cleaned = field.clean(value)
        except ValidationError as exc:
            return ("error", exc.code)
        return (
            sorted(o.pk for o in cleaned) if field is needs or field is cached_needs else getattr(cleaned, "pk", None)
        )

    other = world.township2  # another county: not a choice for county staff
    for value in [
        world.township.code,
        world.township.name,
        f"  {world.township_b.name} ",
        str(world.township.pk),
        world.township.pk,
        other.code,
        other.name,
        str(other.pk),
        "no such place",
        "1.5",
        "",
        None,
    ]:
        assert outcome(township, value) == outcome(cached_township, value), value
    for tokens in [["capital"], ["capital", "technology"], ["nope"], [], ["capital", "capital"], ["\x00"]]:
        assert outcome(needs, tokens) == outcome(cached_needs, tokens), tokens


@pytest.mark.django_db
def test_row_forms_give_the_errors_and_values_of_fresh_forms(world: World) -> None:
    """A form bound from the import's prebuilt template cleans each row to the same
    errors, cleaned values and instance as the import form built for that row."""
    user = world.users[Role.COUNTY_STAFF]
    prefix = world.township.code[:9]
    base_row = {
        "township": world.township.name,
        "code": f"{prefix}333",
        "name": "新村",
        "urban_rural": "220",
        "population": "1000",
        "households": "300",
        "area_km2": "2.5",
        "per_capita_income": "0",
        "collective_income": "0",
        "industries": "",
        "needs": ["capital"],
        "advantages": [],
        "latitude": "",
        "longitude": "",
        "party_secretary": "",
        "party_members": "0",
        "party_notes": "",
    }
    variants: list[dict[str, Any]] = [
        {},
        {"code": f"{prefix}33X"},
        {"township": "no such place"},
        {"township": world.township2.name},
        {"households": "5000"},
        {"population": "-1"},
        {"name": "a\x01b"},
        {"needs": ["nope"]},
        {"area_km2": "abc", "party_members": str(2**40)},
        {"code": world.township_b.code[:9] + "333"},  # a village code under another township
    ]
    forms = _RowForms(VillageImportForm, "code", user)
    for change in variants:
        data = {**base_row, **change}
        fresh = VillageImportForm(data=data, user=user)
        bound = forms.bind(data, None, movable=True, key=str(data["code"]), unique=True)
        assert fresh.is_valid() == bound.is_valid(), change
        assert fresh.errors == bound.errors, change
        if fresh.is_valid():
            simple = {k: v for k, v in fresh.cleaned_data.items() if k not in ("needs", "advantages")}
            assert simple == {k: v for k, v in bound.cleaned_data.items() if k not in ("needs", "advantages")}
            assert list(fresh.cleaned_data["needs"]) == list(bound.cleaned_data["needs"])
            fields = [f.attname for f in Village._meta.concrete_fields]
            assert [getattr(fresh.instance, f) for f in fields] == [getattr(bound.instance, f) for f in fields]


def _import(world: World, rows: list[list[Any]], *, dry_run: bool = False, role: str = Role.COUNTY_STAFF) -> Any:
    user = world.users[role]
    with change_context(user=user, source="import"), translation.override("en"):
        return Importer(model=Village, form_class=VillageImportForm, key_field="code", user=user).run(
            _xlsx(rows), dry_run=dry_run
        )


def _rows(world: World, townships: list[Township], count: int, start: int = 0) -> list[list[Any]]:
    return [
        [
            f"{townships[n % len(townships)].code[:9]}{400 + n // len(townships):03d}",
            f"村{n}",
            townships[n % len(townships)].code,
            1000,
            300,
            "1.5",
            "资金",
            "",
        ]
        for n in range(start, start + count)
    ]


@pytest.mark.django_db
def test_import_queries_do_not_grow_per_row_beyond_the_models_own(world: World) -> None:
    """Choices, existing records, scope and uniqueness are read per import or per chunk:
    importing three times the rows reads townships, needs and villages no more often, and
    no statement is made per row."""
    townships = _townships(world, 6)

    def count(rows: list[list[Any]]) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            result = _import(world, rows, dry_run=True)
        assert result.errors == [] and result.created == len(rows)
        statements = [q["sql"] for q in captured.captured_queries]
        reads = [
            sql
            for sql in statements
            if sql.startswith("SELECT") and ('"regions_township"' in sql.split("WHERE")[0] or "core_capability" in sql)
        ]
        village_reads = [sql for sql in statements if sql.startswith("SELECT") and 'FROM "regions_village"' in sql]
        return len(reads) + len(village_reads), len(statements)

    reads_small, total_small = count(_rows(world, townships, 100))
    reads_large, total_large = count(_rows(world, townships, 300))
    assert reads_large <= reads_small + 2, (reads_small, reads_large)
    # none per row (the official codes are read ahead per chunk, a save that does not write
    # opens no savepoint), a few more inserts per batch
    assert total_large - total_small <= 20, (total_small, total_large)


@pytest.mark.django_db
def test_a_key_twice_in_the_file_is_an_error_on_its_second_row(world: World) -> None:
    """The same code twice (even written differently) is an error naming both rows;
    nothing is written."""
    townships = _townships(world, 2)
    rows = _rows(world, townships, 5)
    twin = list(rows[1])
    twin[0] = " ".join([twin[0][:6], twin[0][6:9], twin[0][9:]])  # the same code with spaces
    rows.append(twin)
    before = Village.objects.count()
    result = _import(world, rows)
    assert Village.objects.count() == before and result.created == 0
    assert result.errors == [f"Row 7, column A (行政区划代码): {rows[1][0]} already appears in row 3."]


@pytest.mark.django_db
def test_a_batch_the_database_refuses_is_redone_row_by_row(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A row the database refuses in a batch (here a code that appeared after the import
    looked it up) gets Django's own error on its row; the import writes nothing."""
    townships = _townships(world, 2)
    rows = _rows(world, townships, 4)
    taken = rows[2][0]
    real_existing = Importer._existing

    def late_arrival(self: Importer, keys: Any, *, lock: bool = False) -> Any:
        found = real_existing(self, keys, lock=lock)
        Village.objects.create(township=townships[0], code=taken, name="抢先村")
        return found

    monkeypatch.setattr(Importer, "_existing", late_arrival)
    result = _import(world, rows)
    assert result.created == 0 and len(result.errors) == 1
    assert result.errors[0].startswith("Row 4, column ") and "already exists" in result.errors[0]
    assert not Village.objects.filter(code__in=[r[0] for r in rows]).exclude(name="抢先村").exists()


@pytest.mark.django_db
def test_too_many_errors_stop_the_check_and_say_so(world: World) -> None:
    """After IMPORT_MAX_ERRORS row errors the import stops checking and says so last."""
    rows = [[f"{world.township.code[:9]}3{n:02d}", "", world.township.name, 1, 1, "", "", ""] for n in range(30)]
    with override_settings(TONGXIN={**settings.TONGXIN, "IMPORT_MAX_ERRORS": 5}):
        result = _import(world, rows)
    assert len(result.errors) == 6 and result.created == 0
    assert all(error.startswith("Row ") for error in result.errors[:5])
    assert "More than 5 errors" in result.errors[-1]


@pytest.mark.django_db
def test_township_staff_updates_in_bulk_but_cannot_move_or_reach_out(world: World) -> None:
    """Township staff update their own village (its township stays: they may not move it),
    and a row naming another township's village is refused like a new one there."""
    row_own = [world.village.code, "东溪村（改）", world.township_b.name, 1300, 400, "3", "", ""]
    result = _import(world, [row_own], role=Role.TOWNSHIP_STAFF)
    assert result.errors == [] and result.updated == 1
    world.village.refresh_from_db()
    assert world.village.name == "东溪村（改）" and world.village.township_id == world.township.pk
    foreign = [world.village_b.code, "改名", world.township_b.name, 5, 1, "3", "", ""]
    result = _import(world, [foreign], role=Role.TOWNSHIP_STAFF)
    assert result.updated == 0 and "inside your own area" in result.errors[0]


@pytest.mark.django_db
def test_progress_counts_rows_up_to_the_total(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The progress callback is told after every chunk, ending at (rows, rows)."""
    monkeypatch.setattr(imports, "CHUNK", 50)
    townships = _townships(world, 4)
    seen: list[tuple[int, int]] = []
    user = world.users[Role.COUNTY_STAFF]
    with change_context(user=user, source="import"):
        Importer(
            model=Village,
            form_class=VillageImportForm,
            key_field="code",
            user=user,
            progress=lambda done, total: seen.append((done, total)),
        ).run(_xlsx(_rows(world, townships, 120)), dry_run=True)
    assert [done for done, _total in seen] == [50, 100, 120] and seen[-1] == (120, 120)


def test_the_default_row_cap_covers_100000_rows() -> None:
    """A sheet of 100,000 data rows is within the default limits."""
    assert base.TONGXIN["IMPORT_MAX_ROWS"] >= 100_000
    assert base.TONGXIN["EXPORT_MAX_ROWS"] >= 100_000


@pytest.mark.django_db
def test_export_ledger_view_matches_the_list_columns(world: World) -> None:
    """The export's header row is the list table's columns (without the actions column)."""
    ledger = get_ledger("village")
    response = _client(world).get(reverse(ledger.url_name("export")))
    header = table_rows(load_workbook(io.BytesIO(response.getvalue())).active)[0]
    table = ledger.table(Village.objects.none())
    expected = [str(c.header) for c in table.columns.iterall() if c.name != "actions"]
    assert list(header) == expected
