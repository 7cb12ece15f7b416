"""The fast table body (ScopedTable.render_body) renders what django-tables2's stock template did.

Every registered ledger table is rendered twice on the test world, once with the stock
``django_tables2/bootstrap5.html`` (a template render per cell) and once with the ledger
shell ``core/_table.html`` (body rendered in Python), and the two are compared cell by
cell: the tags, their attributes and the visible text, in both languages, with sorting
and pagination links for the current querystring. A synthetic table covers the column
kinds no ledger uses today (template columns, ``render_<name>`` methods, computed
attributes, localization switches). Escaping is proven on the page itself. The filter
form's drop-downs, rendered in Python on the list page, are compared with Django's
templates field by field.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import django_tables2 as tables
import pytest
from django.db.models import Case, DateField, DateTimeField, Value, When
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django_tables2 import RequestConfig

from tongxin.accounts.choices import Role
from tongxin.core.ledgers import Ledger, all_ledgers
from tongxin.core.scope import VIEW, restrict
from tongxin.core.tables import ScopedTable
from tongxin.core.templatetags.ledger_list import FastSelectRenderer, fast_selects
from tongxin.regions.models import Village
from tongxin.testing import cadres, factories, platforms, selection
from tongxin.testing.factories import World
from tongxin.testing.pairing import PairingWorld

STOCK = "django_tables2/bootstrap5.html"
IGNORED_TEXT = {"", "«", "»"}


class TableStructure(HTMLParser):
    """The parts of a rendered table a reader sees: header cells, body rows, page links.

    Each cell is its sequence of tags (name and sorted attributes) and whitespace-collapsed
    text, so markup and escaping are compared exactly, the layout whitespace not at all.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headers: list[tuple[str, ...]] = []
        self.rows: list[tuple[str | None, list[tuple[str, ...]]]] = []
        self.pages: list[tuple[str, ...]] = []
        self._cell: list[str] | None = None
        self._section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"thead", "tbody", "nav"}:
            self._section = tag
        if tag == "tr" and self._section == "tbody":
            self.rows.append((dict(attrs).get("class"), []))
        elif tag in {"th", "td"}:
            self._cell = [f"<{tag} {sorted((k, v) for k, v in attrs if v)}>"]
        elif tag == "li" and self._section == "nav":
            self._cell = [f"<li {sorted(attrs, key=str)}>"]
        elif self._cell is not None:
            self._cell.append(f"<{tag} {sorted(attrs, key=str)}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"thead", "tbody", "nav"}:
            self._section = ""
        if self._cell is None:
            return
        if tag in {"th", "td", "li"}:
            cell = tuple(self._cell)
            self._cell = None
            if tag == "th":
                self.headers.append(cell)
            elif tag == "td" and self.rows:
                self.rows[-1][1].append(cell)
            elif tag == "li":
                self.pages.append(cell)
        else:
            self._cell.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if self._cell is not None and text not in IGNORED_TEXT:
            self._cell.append(text)


def structure(html: str) -> TableStructure:
    parser = TableStructure()
    parser.feed(html)
    parser.close()
    return parser


def render(table: tables.Table, request: Any, template_name: str | None = None) -> str:
    code = "{% load django_tables2 %}{% render_table table" + (f' "{template_name}"' if template_name else "") + " %}"
    return Template(code).render(RequestContext(request, {"table": table}))


def ledger_table(ledger: Ledger, request: Any, per_page: int = 50) -> tables.Table:
    """The table the list view builds: scoped, optimised, ordered, configured from the request."""
    queryset = ledger.optimise(restrict(ledger.model._default_manager.all(), request.user, VIEW))
    queryset = queryset.order_by(*(ledger.model._meta.ordering or ()))
    table = ledger.table(queryset)
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    return table


def both(make: Any, request: Any) -> tuple[TableStructure, TableStructure]:
    """(stock rendering, fast rendering) of two fresh tables from ``make``."""
    old = structure(render(make(), request, STOCK))
    new = structure(render(make(), request))
    return old, new


SORT_ARROW = "<span [('aria-hidden', 'true'), ('class', 'sort-arrow ms-1')]>"


def without_sort_marks(header: tuple[str, ...]) -> tuple[str, ...]:
    """A header cell of the ledger shell minus what it adds on purpose to the stock one: the
    ``aria-sort`` attribute and the arrow of the sorted column (tested on their own)."""
    cell = list(header)
    cell[0] = re.sub(r"\('aria-sort', '(ascending|descending)'\)(, )?", "", cell[0])
    if SORT_ARROW in cell:
        start = cell.index(SORT_ARROW)
        assert cell[start + 1 : start + 3] in (["▲", "</span>"], ["▼", "</span>"]), cell
        del cell[start : start + 3]
    return tuple(cell)


def assert_same(old: TableStructure, new: TableStructure) -> None:
    assert [without_sort_marks(header) for header in new.headers] == old.headers
    assert len(new.rows) == len(old.rows)
    for number, (old_row, new_row) in enumerate(zip(old.rows, new.rows, strict=True)):
        assert new_row == old_row, f"row {number}"
    assert new.pages == old.pages


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_ledger_table_renders_as_before(pworld: PairingWorld, language: str) -> None:
    """Each registered ledger table shows the same headers, sort links, cells and rows
    (text, links, number and date formats, choice labels, defaults) as the stock template."""
    world = pworld.world
    factories.village(world.township, 305, name="<b>甲</b>&乙", industries="<i>茶</i>", party_secretary='"王"')
    factories.enterprise(world.township, name="<script>alert(1)</script>&Co")
    user = world.users[Role.COUNTY_ADMIN]
    officer = world.users[Role.CADRE_OFFICER]
    cadres.files_of(world.county, officer)
    selection.one_of_each(world.county, world.township, world.users[Role.REVIEWER])
    platforms.records_of(world.county, world.township, cadres.person(world.county), world.village, world.enterprise)
    request = RequestFactory().get("/", {"q": "", "page": "1"})
    seen: dict[str, int] = {}
    with translation.override(language):
        for ledger in all_ledgers():
            request.user = cadres.reader_of(ledger.model, user, officer)
            old, new = both(lambda ledger=ledger: ledger_table(ledger, request), request)
            assert_same(old, new)
            seen[ledger.name] = len(new.rows)
            assert all(len(cells) == len(new.headers) for _stripe, cells in new.rows)
    assert all(seen.values()), f"every ledger has rows in the test world: {seen}"
    assert {"village", "enterprise", "survey", "township", "pair", "activity", "report"} <= set(seen)


@pytest.mark.django_db
def test_sorted_and_paginated_table_renders_as_before(world: World) -> None:
    """Sorting by a column and paging keep the header links, the page links (with the rest
    of the querystring) and the row stripes of the stock template."""
    for number in range(5):
        factories.village(world.township, 300 + number, population=1000 * number + 7)
    ledger = next(item for item in all_ledgers() if item.model is Village)
    request = RequestFactory().get("/", {"sort": "-population", "page": "2", "kind": "x&y"})
    request.user = world.users[Role.COUNTY_STAFF]
    old, new = both(lambda: ledger_table(ledger, request, per_page=2), request)
    assert_same(old, new)
    assert new.pages, "the pagination is rendered"
    assert any("sort=population" in str(cell) and "kind=x%26y" in str(cell) for cell in new.headers)
    assert [row[0] for row in new.rows] == ["even", "odd"]


class EverythingTable(ScopedTable):
    """Column kinds the ledgers do not use today; the fast body must render them the same."""

    code = tables.Column(attrs={"td": {"class": "code", "data-row": lambda record: record.pk}})
    name = tables.Column(linkify=lambda record: f"/v/{record.pk}/?a=1&b=2", attrs={"a": {"class": "x"}})
    kind = tables.Column()
    township = tables.Column(accessor="township__name", linkify=("regions:township_detail", [tables.A("township__pk")]))
    population = tables.Column(localize=False)
    households = tables.Column(localize=True)
    area_km2 = tables.Column()
    income = tables.Column(accessor="per_capita_income", attrs={"td": {"class": "num"}})
    note = tables.TemplateColumn(
        "<b>{{ record.name }}</b> {{ value|default:'-' }} #{{ row_counter }}", accessor="industries"
    )
    label = tables.Column(accessor="name", empty_values=(), verbose_name="label")
    missing = tables.Column(accessor="township__nothing__here", default="n/a")
    checked = tables.BooleanColumn(accessor="withdrawn")
    when = tables.DateTimeColumn(accessor="stamp", default="never")
    day = tables.DateColumn(accessor="stamp", format="Y年n月j日")
    plain_day = tables.DateColumn(accessor="day")
    needs = tables.ManyToManyColumn(separator=" | ", linkify_item=lambda record: f"/c/{record.pk}/")
    secretary = tables.Column(accessor="party_secretary")

    def render_label(self, value: Any, record: Village, bound_row: Any) -> str:
        return format_html("<i>{}</i>:{}", value, bound_row.row_counter)

    def render_secretary(self, value: Any) -> str:
        return f"<{value}>"  # not marked safe: escaped

    class Meta(ScopedTable.Meta):
        model = Village
        fields = ("code", "name", "kind", "township", "population", "households", "area_km2")
        row_attrs = {"data-id": lambda record: record.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_other_column_kinds_render_as_before(world: World, language: str) -> None:
    """Template columns, render_<name> methods, callable attributes and links, localization
    switches, booleans, dates and many-to-many items: the fast body matches the stock one."""
    factories.village(
        world.township,
        301,
        name="<b>粗</b>&村",
        population=123456,
        households=98765,
        area_km2=Decimal("1234.50"),
        per_capita_income=45678,
        industries="",
        party_secretary="李<四>",
    )
    request = RequestFactory().get("/", {"q": "\"'<>"})
    request.user = world.users[Role.COUNTY_STAFF]

    def make() -> tables.Table:
        stamp = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)  # the next day in Shanghai
        queryset = (
            Village.objects.select_related("township__county")
            .prefetch_related("needs")
            .annotate(
                stamp=Case(When(population__gt=1000, then=Value(stamp)), default=None, output_field=DateTimeField()),
                day=Value(datetime.date(2026, 1, 31), output_field=DateField()),
            )
            .order_by("code")
        )
        table = EverythingTable(queryset)
        RequestConfig(request).configure(table)
        return table

    with translation.override(language):
        old, new = both(make, request)
    assert_same(old, new)
    assert len(new.rows) == Village.objects.count()
    assert any("<b>粗</b>&村" in cell for row in new.rows for cells in row[1] for cell in cells)


@pytest.mark.django_db
def test_empty_table_and_empty_text(world: World) -> None:
    """No rows: the same empty body, or the empty text when the table has one."""
    request = RequestFactory().get("/")
    request.user = world.users[Role.COUNTY_STAFF]
    for empty_text in (None, "没有<数据>"):

        def make(empty_text: str | None = empty_text) -> tables.Table:
            table = EverythingTable(Village.objects.none(), empty_text=empty_text)
            RequestConfig(request).configure(table)
            return table

        old, new = both(make, request)
        assert_same(old, new)
        assert len(new.rows) == (1 if empty_text else 0)


@pytest.mark.django_db
def test_body_renders_outside_a_template(world: World) -> None:
    """render_body works without {% render_table %} (a plain Context), cells escaped."""
    factories.village(world.township, 302, name="<i>x</i>")
    table = EverythingTable(Village.objects.order_by("code"))
    html = table.render_body(Context())
    assert "&lt;i&gt;x&lt;/i&gt;" in html
    assert "<i>x</i>" not in html
    assert html.count("<tr ") == Village.objects.count()


@pytest.mark.django_db
def test_village_name_is_escaped_on_the_list_page(world: World) -> None:
    """A village named <script>alert(1)</script> is shown as text on the list page: in the
    linked name cell, and wherever the page repeats the querystring."""
    factories.village(world.township, 303, name="<script>alert(1)</script>", industries='"茶" & <竹>')
    client = Client()
    client.force_login(world.users[Role.COUNTY_STAFF])
    response = client.get(reverse("regions:village_list"), {"q": "<script>x</script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" not in html  # filtered out by the search
    response = client.get(reverse("regions:village_list"), {"q": "alert"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</a>" in html
    assert "&quot;茶&quot; &amp; &lt;竹&gt;" in html


@pytest.mark.django_db
def test_list_page_shows_formatted_numbers_links_and_count(world: World) -> None:
    """The page keeps the row count, links to the detail pages, the number formats and
    the sort links carrying the current filters."""
    factories.village(world.township, 304, name="千人村", population=1234567)
    client = Client()
    client.force_login(world.users[Role.COUNTY_STAFF])
    response = client.get(reverse("regions:village_list"), {"q": "千人"})
    html = response.content.decode()
    village = Village.objects.get(name="千人村")
    assert f'<a href="{village.get_absolute_url()}">千人村</a>' in html
    assert "1234567" in html.replace(",", "")
    assert 'data-testid="row-count">1<' in html
    assert "sort=name" in html and "q=%E5%8D%83%E4%BA%BA" in html


def filter_forms(ledger: Ledger, request: Any, data: dict[str, Any] | None) -> tuple[Any, Any]:
    """Two forms of the ledger's filter set for the same data: stock, and with fast selects."""
    queryset = restrict(ledger.model._default_manager.all(), request.user, VIEW)
    stock = ledger.filterset(data, queryset=queryset, request=request).form
    fast = fast_selects(ledger.filterset(data, queryset=queryset, request=request).form)
    return stock, fast


@pytest.mark.django_db
def test_filter_form_selects_render_as_before(pworld: PairingWorld) -> None:
    """Every field of every ledger's filter form renders to the same HTML with the fast
    select renderer: unbound, with chosen values (selected options), and with errors."""
    world = pworld.world
    factories.township(world.county, number=199, name='<b>"甲&乙"</b>')
    request = RequestFactory().get("/")
    request.user = world.users[Role.COUNTY_ADMIN]
    selects = 0
    for ledger in all_ledgers():
        names = list(ledger.filterset.base_filters)
        chosen = {name: str(pworld.pair.pk if name == "pair" else world.township.pk) for name in names}
        for data in (None, chosen, dict.fromkeys(names, "99999999999999999999")):
            stock, fast = filter_forms(ledger, request, data)
            assert isinstance(fast.renderer, FastSelectRenderer)
            for name in names:
                assert str(fast[name]) == str(stock[name]), (ledger.name, name, data)
                selects += "<select" in str(stock[name])
    assert selects > 20
    _stock, fast = filter_forms(next(item for item in all_ledgers() if item.name == "village"), request, None)
    assert "&lt;b&gt;&quot;甲&amp;乙&quot;&lt;/b&gt;" in str(fast["township"])
