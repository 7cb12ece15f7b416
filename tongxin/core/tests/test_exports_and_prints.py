"""Exports and prints as a person reads them: Chinese file names that browsers keep, headers
in their language with units, a sheet laid out for reading and printing, the filters
written above the table, a print button and stylesheet on every list and dashboard, import
templates with drop-downs and an example, and import errors that repeat the bad value.

Chinese is checked with the translations of ``locale/pending/`` added to the catalogue
(:func:`~tongxin.testing.pending_locale.use_pending_translations`).
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from tongxin.accounts.choices import Role
from tongxin.accounts.roles import issuing_body
from tongxin.core.imports import Importer, import_columns, yes_or_no
from tongxin.core.ledgers import all_ledgers
from tongxin.core.scope import EXPORT, can
from tongxin.core.templatetags.tongxin import css_string
from tongxin.core.units import COUNT, MONEY
from tongxin.enterprises.forms import EnterpriseImportForm
from tongxin.enterprises.models import Enterprise
from tongxin.regions.forms import VillageImportForm
from tongxin.regions.models import Village
from tongxin.testing.factories import World
from tongxin.testing.pairing import PairingWorld
from tongxin.testing.pending_locale import PENDING, parse_po, use_pending_translations
from tongxin.testing.sheets import header_row, table_rows

ROOT = Path(__file__).resolve().parents[3]
DISPOSITION = re.compile(
    r"(?P<kind>attachment|inline); filename=\"(?P<plain>[ -~]*)\"; filename\*=UTF-8''(?P<real>\S+)"
)


#: The cadre files' export asks for a stated purpose (logged) before it gives a file.
PURPOSE = dict.fromkeys(
    ("cadres.Person", "cadres.Enrolment", "cadres.Recommendation", "cadres.FriendPair", "cadres.FriendContact"),
    "?purpose=2026年度统计",
)


def _exporter(world: World, ledger: Any, language: str = "zh-hans") -> tuple[Client, str]:
    """A client of someone who may export the ledger (the county administrator, or the
    cadre officer for the cadre files nobody else sees) and the export's query string."""
    role = Role.COUNTY_ADMIN if can(world.users[Role.COUNTY_ADMIN], ledger.model, EXPORT) else Role.CADRE_OFFICER
    return _client(world, role, language), PURPOSE.get(ledger.model._meta.label, "")


def _client(world: World, role: str = Role.COUNTY_ADMIN, language: str = "zh-hans") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(world.users[role])
    return client


def _names(response: Any) -> tuple[str, str, str]:
    """(kind, ASCII name, real name) of a response's Content-Disposition, both parameters read."""
    match = DISPOSITION.fullmatch(response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return match["kind"], match["plain"], unquote(match["real"], encoding="utf-8", errors="strict")


def _sheet(response: Any) -> Any:
    return load_workbook(io.BytesIO(response.getvalue())).active


# --- file names ------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_ledger_export_is_named_after_the_list_and_the_date(world: World) -> None:
    """Each ledger's export downloads as ``<plural name>台账_<local date>.xlsx`` in Chinese,
    with its English name as the ASCII fallback."""
    today = timezone.localdate().isoformat()
    client = _client(world)
    with use_pending_translations():
        for ledger in all_ledgers():
            exporter, query = _exporter(world, ledger)
            response = exporter.get(reverse(ledger.url_name("export")) + query)
            assert response.status_code == 200, ledger.name
            kind, plain, real = _names(response)
            with translation.override("zh-hans"):
                plural = str(ledger.model._meta.verbose_name_plural)
            with translation.override("en"):
                english = str(ledger.model._meta.verbose_name_plural)
            assert kind == "attachment"
            assert real == f"{plural}台账_{today}.xlsx", ledger.name
            assert plain == f"{english[0].upper()}{english[1:]}-ledger_{today}.xlsx".replace(" ", "-"), ledger.name
    village = _names(client.get(reverse("regions:village_export")))
    assert village[2] == f"村台账_{today}.xlsx" or village[2].endswith(f"ledger_{today}.xlsx")


@pytest.mark.django_db
def test_dashboard_ledger_and_template_names(pworld: PairingWorld) -> None:
    """The dashboard tables, the pair ledger and the import templates are named in the
    user's language too (letters: ``test_disposition``)."""
    world, campaign = pworld.world, pworld.campaign
    client = _client(world)
    today = timezone.localdate().isoformat()
    with use_pending_translations():
        table = _names(client.get(reverse("pairing:campaign_dashboard_export", args=[campaign.pk, "coverage"])))
        assert table[2] == f"各乡镇结对覆盖率_{campaign.name}_{today}.xlsx"
        assert table[1] == f"Coverage-by-township_{today}.xlsx"
        ledger = _names(client.get(reverse("pairing:campaign_ledger", args=[campaign.pk])))
        assert ledger[2] == f"结对台账_{campaign.name}_{today}.xlsx" and ledger[1] == f"Pair-ledger_{today}.xlsx"
        template = _names(client.get(reverse("regions:village_import_template")))
        assert template[1:] == ("Villages-import-template.xlsx", "村导入模板.xlsx")


# --- the exported sheet -----------------------------------------------------------------


@pytest.mark.django_db
def test_export_headers_follow_the_language_with_units(world: World) -> None:
    """The village export's header row is in the user's language, with the unit of a
    number whose label has none: 人口（人） / Population (persons)."""
    Village.objects.filter(pk=world.village.pk).update(population=1234, per_capita_income=32000)
    with use_pending_translations():
        zh = table_rows(_sheet(_client(world).get(reverse("regions:village_export"))))[0]
        en = table_rows(_sheet(_client(world, language="en").get(reverse("regions:village_export"))))[0]
        with translation.override("zh-hans"):
            assert "人口（人）" in zh and "面积（平方公里）" in zh and "行政区划代码" in zh
        assert "Population (persons)" in en and "Area (km²)" in en and "Division code" in en
    assert not set(zh) & {"Population (persons)", "Division code"}


@pytest.mark.django_db
def test_exported_sheet_is_laid_out_for_reading(world: World) -> None:
    """Title, filter line and export date above a frozen header row; the autofilter spans
    the table; every column has a width; counts have thousands separators, money two
    decimals, a decimal measure its own places; the printed sheet repeats the header."""
    Village.objects.filter(pk=world.village.pk).update(
        population=123456, per_capita_income=32000, area_km2=Decimal("3.75")
    )
    response = _client(world, language="en").get(reverse("regions:village_export"))
    sheet = _sheet(response)
    top = header_row(sheet)
    assert top == 4 and sheet.freeze_panes == "A5"
    assert sheet["A1"].value == "Villages ledger" and sheet["A1"].font.b
    assert sheet["A2"].value == "Filters: none (every record you may see)"
    assert sheet["A3"].value == f"Exported on {timezone.localdate().isoformat()}"
    rows = table_rows(sheet, values_only=False)
    headers = [cell.value for cell in rows[0]]
    assert all(cell.font.b for cell in rows[0])
    last = top + len(rows) - 1
    assert sheet.auto_filter.ref == f"A{top}:{rows[0][-1].column_letter}{last}"
    for cell in rows[0]:
        width = sheet.column_dimensions[cell.column_letter].width
        assert width and width >= min(len(str(cell.value)), 60), cell.value
    village = next(row for row in rows[1:] if row[0].value == world.village.code)
    by_header = dict(zip(headers, village, strict=True))
    assert by_header["Population (persons)"].value == 123456
    assert by_header["Population (persons)"].number_format == COUNT
    assert by_header["Per-capita income (yuan/year)"].number_format == MONEY
    assert by_header["Area (km²)"].number_format == "0.00"
    assert sheet.print_title_rows == f"${top}:${top}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1


@pytest.mark.django_db
def test_every_ledger_export_has_the_layout(pworld: PairingWorld) -> None:
    """Every ledger's export has the title, the filter and date lines, a frozen header
    equal to the list's columns, an autofilter and a width for each column."""
    for ledger in all_ledgers():
        exporter, query = _exporter(pworld.world, ledger, language="en")
        sheet = _sheet(exporter.get(reverse(ledger.url_name("export")) + query))
        top = header_row(sheet)
        assert top == (5 if query else 4), ledger.name  # the cadre files add the purpose line
        assert sheet["A2"].value.startswith("Filters:") and sheet["A3"].value.startswith("Exported on ")
        header = table_rows(sheet)[0]
        with translation.override("en"):
            table = ledger.table(ledger.model._default_manager.none())
            shown = [c for c in table.columns.iterall() if c.name != "actions" and not c.column.exclude_from_export]
            assert list(header) == [str(c.header) for c in shown]
        assert sheet.auto_filter.ref.startswith(f"A{top}:"), ledger.name
        assert all(sheet.column_dimensions[chr(65 + i)].width for i in range(min(len(header), 26))), ledger.name


@pytest.mark.django_db
def test_the_filters_are_written_above_the_table(world: World) -> None:
    """The filter line names each filter and its value as people read them (names of
    townships, labels of choices), in the user's language."""
    query = {"township": world.township.pk, "urban_rural": "220", "population_min": "100"}
    en = _sheet(_client(world, language="en").get(reverse("regions:village_export"), query))
    assert en["A2"].value == (
        f"Filters: Township = {world.township.name}; Urban–rural code = 220 Village; Population ≥ = 100"
    )
    with use_pending_translations():
        zh = _sheet(_client(world).get(reverse("regions:village_export"), query))
        assert zh["A2"].value == f"筛选：乡镇={world.township.name}；城乡分类代码=220 村庄；人口 ≥=100"
        assert zh["A3"].value == f"导出日期：{timezone.localdate().isoformat()}"
    both = _sheet(
        _client(world, language="en").get(
            reverse("regions:village_export") + f"?township={world.township.pk}&township={world.township_b.pk}"
        )
    )
    assert both["A2"].value == f"Filters: Township = {world.township.name}, {world.township_b.name}"


@pytest.mark.django_db
def test_dashboard_tables_and_pair_ledger_have_headers_units_and_scope(pworld: PairingWorld) -> None:
    """The tables behind the charts and the pair ledger have headers in the language (no
    raw keys), with units and formats, under a line naming the campaign and period."""
    world, campaign = pworld.world, pworld.campaign
    client = _client(world, language="en")
    coverage = _sheet(client.get(reverse("pairing:campaign_dashboard_export", args=[campaign.pk, "coverage"])))
    header = table_rows(coverage)[0]
    assert header == ("Township", "Villages taking part", "Villages paired", "Coverage (%)")
    assert coverage["A2"].value.startswith(f"Filters: Campaign = {campaign.name}; Period = ")
    reporting = table_rows(
        _sheet(client.get(reverse("pairing:campaign_dashboard_export", args=[campaign.pk, "reporting"])))
    )[0]
    assert "Completeness (%)" in reporting and "on_time" not in reporting
    ledger = _sheet(client.get(reverse("pairing:campaign_ledger", args=[campaign.pk])))
    rows = table_rows(ledger, values_only=False)
    assert [c.value for c in rows[0]][5] == "Investment (10,000 yuan)"
    assert rows[1][5].number_format == MONEY and rows[1][6].number_format == COUNT
    with use_pending_translations():
        zh = _sheet(_client(world).get(reverse("pairing:campaign_dashboard_export", args=[campaign.pk, "coverage"])))
        assert table_rows(zh)[0] == ("乡镇", "参与村数", "已结对村数", "覆盖率（%）")


# --- prints -----------------------------------------------------------------------------


def _print_ready(html: str) -> None:
    assert 'data-testid="print"' in html and "data-print" in html
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print"', html)
    assert 'data-testid="print-header"' in html and "js/print.js" in html


@pytest.mark.django_db
def test_every_list_page_has_a_print_button_and_the_print_stylesheet(pworld: PairingWorld) -> None:
    """Every ledger's list, the dashboards and the late list offer printing; the printed
    page is headed by the issuing body (the user's county) and the date, and a list
    says which filters chose its rows."""
    world, campaign = pworld.world, pworld.campaign
    client = _client(world, language="en")
    for ledger in all_ledgers():
        response = client.get(reverse(ledger.url_name("list")))
        assert response.status_code == 200, ledger.name
        html = response.content.decode()
        _print_ready(html)
        assert f'<span class="print-issuer">{world.county.name}</span>' in html, ledger.name
        assert 'data-testid="print-filters">Filters: none' in html, ledger.name
    filtered = client.get(reverse("regions:village_list"), {"township": world.township.pk}).content.decode()
    assert f"Filters: Township = {world.township.name}" in filtered
    for url in (
        reverse("core:home"),
        reverse("pairing:campaign_dashboard", args=[campaign.pk]),
        reverse("pairing:campaign_late", args=[campaign.pk]),
        reverse("pairing:campaign_review", args=[campaign.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _print_ready(response.content.decode())
    dashboard = client.get(reverse("pairing:campaign_dashboard", args=[campaign.pk])).content.decode()
    assert f"Filters: Campaign = {campaign.name}; Period = " in dashboard


def test_print_stylesheet_sets_a4_header_page_numbers_and_hides_the_chrome() -> None:
    """The print stylesheet: A4 pages, page numbers in a margin box, wide lists
    landscape, navigation, filters and buttons hidden, tables wrapped not cut."""
    css = (ROOT / "static" / "css" / "print.css").read_text(encoding="utf-8")
    assert re.search(r"@page\s*{[^}]*size:\s*A4;", css)
    assert "counter(page)" in css and "counter(pages)" in css
    assert re.search(r"@page wide\s*{\s*size:\s*A4 landscape;", css)
    hidden = css[css.index("/* Only the content. */") : css.index("display: none !important;")]
    for selector in ("header.navbar", ".d-print-none", ".btn", ".filters", ".pagination"):
        assert selector in hidden, selector
    assert ".table-responsive {\n  overflow: visible !important;" in css
    assert "white-space: normal !important;" in css and "display: table-header-group;" in css
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert "@top-left { content: {{ issuing_body|css_string }}" in base


@pytest.mark.django_db
def test_issuing_body_is_the_county_or_province(world: World) -> None:
    """County and township people print under their county, province staff under their
    province; someone without a role under Tongxin."""
    assert issuing_body(world.users[Role.COUNTY_STAFF]) == world.county.name
    assert issuing_body(world.users[Role.TOWNSHIP_STAFF]) == world.county.name
    assert issuing_body(world.users[Role.PROVINCE_STAFF]) == world.county.province.name
    with translation.override("zh-hans"):
        assert issuing_body(None) == "同心"


def test_css_strings_cannot_break_out() -> None:
    """A name written into the print style is a CSS string that no quote, backslash or
    closing tag can leave."""
    text = css_string('桐庐县"; } </style><script>\\')
    assert text.startswith('"桐庐县\\000022 \\00003b  \\00007d ') and text.endswith('"') and text.count('"') == 2
    assert "<" not in text and "\\" in text and "}" not in text


# --- import templates and errors --------------------------------------------------------


def _validations(sheet: Any) -> dict[str, Any]:
    """Data validations by the column they cover."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation
    return found


def _list_values(workbook: Any, formula: str) -> list[Any]:
    sheet_name, _sep, cells = formula.rpartition("!")
    sheet = workbook[sheet_name.strip("'")]
    return [cell.value for row in sheet[cells.replace("$", "")] for cell in row]


@pytest.mark.django_db
def test_village_import_template_has_drop_downs_an_example_and_no_internal_columns(world: World) -> None:
    """The template's first sheet has the import columns only (never ``version`` or an
    id), a frozen header, drop-down lists for the controlled columns (township names in
    scope, choices, the vocabulary) and number checks; the example sits in a sheet of
    its own that the import never reads; the lists behind the drop-downs are hidden."""
    response = _client(world, Role.TOWNSHIP_STAFF, language="en").get(reverse("regions:village_import_template"))
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    with translation.override("en"):
        assert headers[:5] == ["Township", "Division code", "Name", "Urban–rural code", "Population"]
    assert len(headers) == len(import_columns(VillageImportForm))
    assert not {"version", "Version", "id", "ID", "pk"} & set(headers) and "version" in VillageImportForm.base_fields
    assert sheet.max_row == 1 and sheet.freeze_panes == "A2"
    checks = _validations(sheet)
    assert _list_values(workbook, checks["A"].formula1) == [world.township.name]  # township staff: their own
    assert checks["A"].type == "list" and checks["A"].errorStyle == "stop"
    assert "220 Village" in _list_values(workbook, checks["D"].formula1)
    assert checks["E"].type == "whole" and checks["E"].formula1 == "0"
    needs = checks[chr(65 + headers.index("Weak links / needs"))]
    assert (
        needs.type == "list" and needs.errorStyle == "information" and len(_list_values(workbook, needs.formula1)) > 5
    )
    assert checks["B"].prompt == "12-digit statistical code"
    lists = workbook.worksheets[2]
    assert lists.sheet_state == "hidden"
    example = workbook.worksheets[1]
    assert example.title == "Example (not imported)" and [c.value for c in example[1]] == headers
    assert example["A2"].value == world.township.name and example["B2"].value.startswith(world.township.code[:9])
    assert "never imported" in example["A4"].value


@pytest.mark.django_db
def test_the_example_row_is_a_valid_row_and_the_template_imports(world: World) -> None:
    """The example row, copied into the first sheet, passes the import's checks; the
    template itself (headers only) imports nothing and no error."""
    client = _client(world, Role.COUNTY_STAFF)
    with use_pending_translations(), translation.override("zh-hans"):
        data = client.get(reverse("regions:village_import_template")).getvalue()
        user = world.users[Role.COUNTY_STAFF]
        importer = Importer(model=Village, form_class=VillageImportForm, key_field="code", user=user)
        assert importer.run(data, dry_run=True).as_dict() == {
            "dry_run": True,
            "total": 0,
            "created": 0,
            "updated": 0,
            "errors": [],
        }
        workbook = load_workbook(io.BytesIO(data))
        workbook.worksheets[0].append([cell.value for cell in workbook.worksheets[1][2]])
        buffer = io.BytesIO()
        workbook.save(buffer)
        result = Importer(model=Village, form_class=VillageImportForm, key_field="code", user=user).run(
            buffer.getvalue(), dry_run=True
        )
    assert result.errors == [] and result.created == 1


@pytest.mark.django_db
def test_enterprise_template_offers_yes_no_and_the_import_reads_them(world: World) -> None:
    """A yes-or-no column has a drop-down of yes / no (是 / 否), and the import reads
    either language — 否 is no, not a non-empty text taken for yes."""
    response = _client(world, Role.COUNTY_STAFF, language="en").get(reverse("enterprises:enterprise_import_template"))
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    check = _validations(workbook.worksheets[0])[chr(65 + headers.index("Has a party organisation"))]
    assert _list_values(workbook, check.formula1) == ["yes", "no"]
    assert [yes_or_no(v) for v in ("是", "否", "yes", "No", "✓", "0", "")] == [
        True,
        False,
        True,
        False,
        True,
        False,
        "",
    ]
    user = world.users[Role.COUNTY_STAFF]
    rows = [
        ["统一社会信用代码", "名称", "乡镇", "行业", "有党组织"],
        ["91350100M000100Y43", "甲公司", world.township.name, "C", "否"],
    ]
    result = Importer(model=Enterprise, form_class=EnterpriseImportForm, key_field="uscc", user=user).run(
        _xlsx(rows), dry_run=False
    )
    assert result.errors == [] and Enterprise.objects.get(name="甲公司").has_party_org is False


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _village_rows(world: World, population: Any) -> list[list[Any]]:
    headers = ["乡镇", "行政区划代码", "名称", "城乡分类代码", "人口"]
    prefix = world.township.code[:9]
    return [
        headers,
        [world.township.name, f"{prefix}301", "甲村", "220", 1000],
        [world.township.name, f"{prefix}302", "乙村", "220", population],
    ]


@pytest.mark.django_db
def test_import_errors_repeat_the_bad_value(world: World) -> None:
    """“第3行 E列（人口）：'一千二百' 不是整数” and its English: the row, the column
    letter and header, and the value as the sheet holds it."""
    user = world.users[Role.COUNTY_STAFF]

    def errors(population: Any, headers: list[str] | None = None) -> list[str]:
        rows = _village_rows(world, population)
        if headers:
            rows[0] = headers
        importer = Importer(model=Village, form_class=VillageImportForm, key_field="code", user=user)
        return importer.run(_xlsx(rows), dry_run=True).errors

    with use_pending_translations(), translation.override("zh-hans"):
        assert errors("一千二百") == ["第3行 E列（人口）：'一千二百' 不是整数"]
    with translation.override("en"):
        english = ["Township", "Division code", "Name", "Urban–rural code", "population"]
        assert errors("一千二百", english) == ["Row 3, column E (population): '一千二百' is not a whole number"]
        assert errors(-5, english) == [
            "Row 3, column E (population): '-5': Ensure this value is greater than or equal to 0."
        ]
        wrong_choice = _village_rows(world, 10)
        wrong_choice[2][3] = "999"
        result = Importer(model=Village, form_class=VillageImportForm, key_field="code", user=user).run(
            _xlsx(wrong_choice), dry_run=True
        )
        assert result.errors == [
            "Row 3, column D (城乡分类代码): '999' is not one of the choices "
            "(see the drop-down list of the import template)"
        ]


# --- translations ---------------------------------------------------------------------


def test_pending_translations_are_complete_and_keep_their_placeholders() -> None:
    """Every pending message has a Chinese translation with the same placeholders."""
    messages = {}
    for path in sorted(PENDING.glob("*.po")):
        text = path.read_text(encoding="utf-8")
        assert "#, fuzzy" not in text, path
        messages.update(parse_po(path))
        assert text.count("\nmsgid ") == len(parse_po(path)) + 1, f"{path}: an entry without a translation"
    for key, translated in messages.items():
        msgid = key.split("\x04")[-1]
        assert sorted(re.findall(r"%\(\w+\)[sd]", msgid)) == sorted(re.findall(r"%\(\w+\)[sd]", translated)), key
    with use_pending_translations(), translation.override("zh-hans"):  # pending or merged alike
        assert translation.gettext("%(name)s ledger") == "%(name)s台账"


def test_dates_in_names_are_local() -> None:
    """The date in a download's name is the local date (Asia/Shanghai), not UTC's."""
    from tongxin.core.downloads import dated_name

    assert dated_name("村台账", day=date(2026, 11, 29)) == "村台账_2026-11-29.xlsx"
    assert settings.TIME_ZONE == "Asia/Shanghai"
