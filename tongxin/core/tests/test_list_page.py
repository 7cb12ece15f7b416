"""The ledger list page: chips instead of Ctrl-click, searchable selects, a summary of the
filters in force, sort arrows, grouped right-aligned numbers and a page-size choice."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tongxin.accounts.choices import Role
from tongxin.core.exports import TableSheet
from tongxin.core.tables import NumberColumn
from tongxin.pairing.models import Campaign
from tongxin.regions.models import Village
from tongxin.regions.tables import VillageTable
from tongxin.testing import factories
from tongxin.testing.factories import World


def _page(world: World, **params: object) -> str:
    client = Client()
    client.force_login(world.users[Role.COUNTY_STAFF])
    response = client.get(reverse("regions:village_list"), params)
    assert response.status_code == 200, response.content
    return response.content.decode()


@pytest.mark.django_db
def test_multiple_choices_are_chips_not_ctrl_click(world: World) -> None:
    """No <select multiple> on the page: the needs filter is a group of checkbox chips, the
    chosen ones checked; single choices of rows are marked searchable and the script loads."""
    html = _page(world, needs=["capital"])
    assert "<select multiple" not in html and " multiple" not in html.split('data-testid="filters"')[1]
    assert 'data-testid="chips"' in html
    assert re.search(
        r'<input type="checkbox" class="form-selectgroup-input" name="needs" value="capital" checked>', html
    )
    assert re.search(r'name="needs" value="marketing">', html)
    assert "js/filter-search.js" in html


@pytest.mark.django_db
def test_summary_of_active_filters_with_remove_links(world: World) -> None:
    """Above the table: "label: value" per filter in force, each a link to the same list
    without it (other filters, sort and page size kept, the page number dropped)."""
    html = _page(
        world, township=str(world.township.pk), needs=["capital", "marketing"], q="东", sort="-population", page="1"
    )
    found = re.findall(
        r'<a class="badge bg-blue-lt text-decoration-none" href="\?([^"]*)" data-testid="active-filter">([^<]*)<', html
    )
    texts = [text.strip() for _href, text in found]
    assert texts == ["乡镇: 分水镇", "薄弱环节/需求: 资金", "薄弱环节/需求: 市场对接与销售", "搜索: 东"]
    href = {text.strip(): href for href, text in found}["薄弱环节/需求: 资金"]
    params = parse_qs(href.replace("&amp;", "&"))
    assert params["needs"] == ["marketing"] and params["township"] == [str(world.township.pk)]
    assert params["sort"] == ["-population"] and "page" not in params
    assert "active-filters" not in _page(world)


@pytest.mark.django_db
def test_sorted_column_has_arrow_and_aria_sort(world: World) -> None:
    """The sorted column's header says so: aria-sort and an arrow pointing the sort's way;
    no other header carries aria-sort."""
    html = _page(world, sort="-population")
    assert html.count("aria-sort=") == 1
    header = re.search(r'<th [^>]*aria-sort="descending"[^>]*>.*?</th>', html, re.S)
    assert header is not None and "▼" in header.group(0) and "sort=population" in header.group(0)
    ascending = _page(world, sort="name")
    assert re.search(
        r'aria-sort="ascending"[^>]*><a [^>]*>[^<]*<span class="sort-arrow ms-1" aria-hidden="true">▲', ascending
    )


@pytest.mark.django_db
def test_numbers_right_aligned_with_thousands_separators(world: World) -> None:
    """A quantity reads 1,234,567 in a right-aligned cell (header too), in Chinese as in English; a
    year is not grouped; the export keeps the number itself."""
    factories.village(world.township, 304, name="千人村", population=1234567)
    html = _page(world, q="千人")
    assert '<td class="text-end">1,234,567</td>' in html
    assert re.search(r'<th class="[^"]*text-end[^"]*"', html)
    with translation.override("en"):
        assert NumberColumn().render(1234567) == "1,234,567"
    assert NumberColumn.from_field(Campaign._meta.get_field("year")) is None
    assert isinstance(NumberColumn.from_field(Village._meta.get_field("population")), NumberColumn)
    sheet = TableSheet(VillageTable(Village.objects.filter(name="千人村")), exclude=("actions",))
    row = next(iter(sheet.rows()))
    assert 1234567 in row and "1,234,567" not in row


@pytest.mark.django_db
def test_page_size_choice(world: World) -> None:
    """Under a table of more than 25 rows: 25 / 50 / 100 / 200 per page, the current size
    marked, each a link (?per_page=, back to page 1); the chosen size is honoured."""
    for number in range(30):
        factories.village(world.township, 400 + number)
    html = _page(world, page="2", per_page="25")
    block = html.split('data-testid="page-size"')[1].split("</div>")[0]
    assert '<span class="badge bg-primary-lt" aria-current="true">25</span>' in block
    for size in (50, 100, 200):
        assert f"per_page={size}" in block
    assert not re.search(r"[?;]page=2", block) and re.search(r"[?;]page=1", block)
    rows = _page(world, per_page="25").split("<tbody")[1].split("</tbody>")[0].count("<tr")
    assert rows == 25


@pytest.mark.django_db
def test_row_name_links_to_its_page(world: World) -> None:
    """Each row's name is the link to its page."""
    html = _page(world)
    assert f'<a href="{world.village.get_absolute_url()}">{world.village.name}</a>' in html


@pytest.mark.django_db
def test_chips_offer_only_rows_in_scope(world: World) -> None:
    """The township chips of a township cadre hold their own township only (the scoped
    choices, as the select had)."""
    client = Client()
    client.force_login(world.users[Role.TOWNSHIP_STAFF])
    html = client.get(reverse("regions:village_list")).content.decode()
    chips = html.split('name="township"', 1)[1].split("</div>", 1)[0]
    assert str(world.township) in html and "横村镇" not in chips and "东山街道" not in chips


@pytest.mark.django_db
def test_more_than_thirty_options_are_one_searchable_select(world: World) -> None:
    """Up to 30 townships are chips; with 31 (a province's 1,387) the township filter is
    one searchable drop-down with "any" first, which filters by the chosen township and
    ignores "any"; the chips of other filters stay chips, and no query is added."""
    html = _page(world)
    assert 'name="township" value=' in html and 'data-testid="chips-select"' not in html
    for number in range(110, 140):
        factories.township(world.county, number)
    html = _page(world)
    select = html.split('data-testid="chips-select"')[1].split("</select>")[0]
    assert select.count("<option") == 1 + 32 and 'value="">' in select
    assert 'type="checkbox" class="form-selectgroup-input" name="township"' not in html
    assert 'data-testid="chips"' in html  # the needs and kinds keep their chips
    html = _page(world, township=str(world.township.pk))
    assert f'value="{world.township.pk}" selected>' in html and world.village.name in html
    assert world.village_b.name not in html.split('data-testid="filters"')[1].split("</form>")[1]
    assert world.village.name in _page(world, township="")


def test_chip_options_are_escaped_and_keep_the_choice() -> None:
    """The options written in Python escape values and labels as the template did, and
    mark the chosen ones."""
    from django import forms

    from tongxin.core.templatetags.ledger_list import chip_options

    class Form(forms.Form):
        pick = forms.MultipleChoiceField(
            choices=[("a", '<b>"A"</b>'), ('x"y', "Y & Z")], widget=forms.CheckboxSelectMultiple
        )

    field = Form(data={"pick": ["a"]})["pick"]
    options = str(chip_options(field))
    assert options == (
        '<option value="a" selected>&lt;b&gt;&quot;A&quot;&lt;/b&gt;</option>'
        '<option value="x&quot;y">Y &amp; Z</option>'
    )
    chips = str(chip_options(field, "chip"))
    assert 'name="pick" value="a" checked>' in chips and "Y &amp; Z" in chips and "<b>" not in chips
