"""Bad input is a clear 400 or form error on every path: never a 500, never a silent drop.

Control characters in text, integers beyond the database, query parameters (filters,
pages, page sizes, ordering, periods), deeply nested JSON and the URLs of the API's
custom actions, each through HTTP on the test world.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.api_urls import router
from tongxin.core.exports import SHEET_TITLE_MAX, escape_cell, sheet_title
from tongxin.core.ledgers import all_ledgers
from tongxin.core.pagination import MAX_PER_PAGE
from tongxin.pairing.models import Campaign, Report
from tongxin.regions.models import Village
from tongxin.surveys.models import Survey
from tongxin.testing.factories import World
from tongxin.testing.pairing import PairingWorld

HUGE = "99999999999999999999"  # 20 digits: beyond any database integer


def _page_client(world: World, role: str = Role.COUNTY_ADMIN) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages are asserted in English
    client.force_login(world.users[role])
    return client


def _api(world: World, role: str = Role.COUNTY_ADMIN) -> APIClient:
    api = APIClient()
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    api.force_authenticate(world.users[role])
    return api


def _village_form(village: Village, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "township": village.township_id,
        "code": village.code,
        "name": village.name,
        "urban_rural": village.urban_rural,
        "population": village.population,
        "households": village.households,
        "area_km2": "3.5",
        "per_capita_income": 20000,
        "collective_income": 100000,
        "industries": "茶叶",
        "needs": ["capital"],
        "advantages": ["forest"],
        "party_members": 30,
        "version": village.version,
    }
    data.update(overrides)
    return data


def _patch(api: APIClient, url: str, obj: Any, **data: Any) -> Any:
    return api.patch(url, json.dumps({"version": obj.version, **data}), content_type="application/json")


# --- 1. Control characters -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff", "\n", "\t"])
def test_control_characters_in_a_name_are_refused_by_the_api(world: World, char: str) -> None:
    """A single-line field refuses every control character (line breaks and tabs too) with a
    field error naming the field; nothing is written."""
    village = world.village
    response = _patch(_api(world), reverse("village-detail", args=[village.pk]), village, name=f"东溪{char}村")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["name"]
    village.refresh_from_db()
    assert village.name == "东溪村"


@pytest.mark.django_db
def test_lone_surrogate_in_json_is_refused(world: World) -> None:
    """A lone surrogate escaped in JSON (\\ud800) is a field error, not a 500 on encoding."""
    village = world.village
    body = '{"version": ' + str(village.version) + ', "name": "\\ud800"}'
    response = _api(world).patch(reverse("village-detail", args=[village.pk]), body, content_type="application/json")
    assert response.status_code == 400 and "name" in response.json()


@pytest.mark.django_db
def test_text_area_allows_line_breaks_and_tabs_but_no_other_control_character(world: World) -> None:
    """A text area (findings) keeps tab, line feed and carriage return; C1 and U+FFFE are a
    translated field error."""
    survey = Survey.objects.get(village=world.village)
    api = _api(world)
    url = reverse("survey-detail", args=[survey.pk])
    ok = _patch(api, url, survey, findings="第一行\r\n第二行\t完")
    assert ok.status_code == 200, ok.content
    survey.refresh_from_db()
    assert survey.findings == "第一行\r\n第二行\t完"
    for char in ("\x0b", "\x85", "\ufffe"):
        bad = _patch(api, url, survey, findings=f"走访{char}记录")
        assert bad.status_code == 400 and "findings" in bad.json(), bad.content
        assert "U+" in bad.json()["findings"][0]
    surveyors = _patch(api, url, survey, surveyors="张伟\n李娜")
    assert surveyors.status_code == 400 and "single line" in surveyors.json()["surveyors"][0]


@pytest.mark.django_db
def test_control_character_on_the_page_form_is_a_form_error(world: World) -> None:
    """The edit page shows the field error for a control character and saves nothing."""
    client = _page_client(world)
    village = world.village
    url = reverse("regions:village_edit", args=[village.pk])
    response = client.post(url, _village_form(village, name="东溪\x01村"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name" in errors and "U+0001" in errors["name"][0]
    village.refresh_from_db()
    assert village.name == "东溪村"


@pytest.mark.django_db
def test_model_validation_refuses_control_characters_in_every_path(world: World) -> None:
    """full_clean (forms, serializers, imports and the admin all run it) names the field and
    the character, translated."""
    village = Village.objects.get(pk=world.village.pk)
    village.name = "东溪\x07村"
    village.party_notes = "第一行\n第二行"
    with translation.override("en"), pytest.raises(Exception) as caught:
        village.full_clean()
    errors = caught.value.message_dict  # type: ignore[attr-defined]
    assert "control character U+0007" in errors["name"][0]
    assert "single line" in errors["party_notes"][0]


@pytest.mark.django_db
def test_export_strips_control_characters_of_old_values_and_escapes_formulas(world: World) -> None:
    """A value stored before input was checked never breaks the .xlsx; formulas stay escaped."""
    Village.objects.filter(pk=world.village.pk).update(name="东\x01溪\x1b村\ufffe")
    Village.objects.filter(pk=world.village_b.pk).update(name="\x02=HYPERLINK(1)")
    response = _page_client(world).get(reverse("regions:village_export"))
    assert response.status_code == 200
    values = [
        cell
        for row in load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True)
        for cell in row
    ]
    assert "东溪村" in values and "'=HYPERLINK(1)" in values
    assert escape_cell("a\x00b\nc") == "ab\nc" and escape_cell("\x03@x") == "'@x"


@pytest.mark.django_db
def test_report_api_refuses_control_characters_and_huge_numbers_without_writing(pworld: PairingWorld) -> None:
    """The report API (a service that runs the model's validation) answers 400 naming the
    field, for a control character and for a number beyond the column, and writes nothing."""
    api = _api(pworld.world)
    before = Report.objects.count()
    for field, value in (("narrative", "进展\x01顺利"), ("jobs", 2**31)):
        body = {"pair": pworld.pair.pk, "period": "2026-02-01", field: value}
        response = api.post(reverse("report-list"), body, format="json")
        assert response.status_code == 400 and field in response.json(), response.content
    assert Report.objects.count() == before


@pytest.mark.django_db
def test_search_with_a_nul_character_answers(world: World) -> None:
    """The search page drops control characters instead of failing (PostgreSQL refuses NUL)."""
    response = _page_client(world).get(reverse("core:search"), {"q": "东溪\x00村"})
    assert response.status_code == 200 and "东溪村" in response.content.decode()


# --- 2. Sheet titles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("村企[共建]: 台账*?/\\", "村企共建 台账"),
        ("[]:*?/\\", "Sheet1"),
        ("", "Sheet1"),
        ("'引号'", "引号"),
        ("history", "Sheet1"),
        ("行\n政\x01区划", "行政区划"),
        ("很长的标题" * 10, ("很长的标题" * 10)[:SHEET_TITLE_MAX]),
    ],
)
def test_sheet_titles_are_sanitised(title: str, expected: str) -> None:
    """Excel's rules: none of []:*?/\\, no control characters, ≤ 31 characters, never empty."""
    assert sheet_title(title) == expected


@pytest.mark.django_db
def test_export_with_a_hostile_campaign_name_downloads(pworld: PairingWorld) -> None:
    """A campaign name with sheet-title and header characters still exports: a valid sheet
    title and a safe Content-Disposition header."""
    Campaign.objects.filter(pk=pworld.campaign.pk).update(name='2026/村企:共建[一]*?"\\\r\n结对' + "长" * 40)
    response = _page_client(pworld.world).get(reverse("pairing:campaign_ledger", args=[pworld.campaign.pk]))
    assert response.status_code == 200
    title = load_workbook(io.BytesIO(response.content)).sheetnames[0]
    assert len(title) <= SHEET_TITLE_MAX and not set(title) & set("[]:*?/\\\r\n")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\n" not in disposition and "\r" not in disposition


# --- 3. Query parameters ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        f"township={HUGE}",
        f"township=-{HUGE}",
        f"population_min={HUGE}",
        "population_min=2147483648",
        "needs=no-such-need",
        "q=" + "x" * 201,
    ],
)
def test_invalid_filters_answer_400_on_page_export_and_api(world: World, query: str) -> None:
    """A filter value that is not valid (ids and numbers beyond the database included) is a
    400 naming the parameter on the list page, the export and the API — never a 500 and
    never a silently empty list."""
    client = _page_client(world)
    page = client.get(reverse("regions:village_list") + "?" + query)
    assert page.status_code == 400
    assert b'data-testid="filter-error"' in page.content
    export = client.get(reverse("regions:village_export") + "?" + query)
    assert export.status_code == 400 and export.content
    api = _api(world).get(reverse("village-list") + "?" + query)
    assert api.status_code == 400 and query.split("=")[0] in api.json()


@pytest.mark.django_db
def test_foreign_ids_in_filters_are_invalid_choices(world: World) -> None:
    """An id of a township outside the user's scope is refused like one that does not exist,
    and is not offered as a choice."""
    api = _api(world, Role.TOWNSHIP_STAFF)
    foreign = api.get(reverse("village-list"), {"township": world.township2.pk})
    missing = api.get(reverse("village-list"), {"township": HUGE})
    assert foreign.status_code == missing.status_code == 400
    page = _page_client(world, Role.TOWNSHIP_STAFF).get(reverse("regions:village_list"))
    offered = {str(name) for _pk, name in page.context["filter"].form.fields["township"].choices}
    assert world.township.name in offered and world.township2.name not in offered


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "per_page"),
    [
        ("page=abc", 50),
        ("page=-1", 50),
        (f"page={HUGE}", 50),
        ("per_page=-1", 50),
        ("per_page=0", 50),
        ("per_page=abc", 50),
        (f"per_page={HUGE}", MAX_PER_PAGE),
        ("per_page=100000", MAX_PER_PAGE),
        ("per_page=2", 2),
    ],
)
def test_list_pages_clamp_page_and_page_size(world: World, query: str, per_page: int) -> None:
    """Pages never fail on paging: a page that is not a number shows the first page, one
    beyond the last the last page; the page size is clamped to 1…500 (default 50)."""
    response = _page_client(world).get(reverse("regions:village_list") + "?" + query)
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == per_page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status", "key"),
    [
        ("page=abc", 400, "page"),
        ("page=0", 400, "page"),
        ("page=-3", 400, "page"),
        ("page=1.5", 400, "page"),
        (f"page={HUGE}", 400, "page"),
        ("page=999", 404, "detail"),
        ("page_size=-1", 400, "page_size"),
        ("page_size=0", 400, "page_size"),
        ("page_size=abc", 400, "page_size"),
        ("page_size=100000", 400, "page_size"),
        (f"page_size={HUGE}", 400, "page_size"),
    ],
)
def test_api_page_parameters_are_validated(world: World, query: str, status: int, key: str) -> None:
    """The API says what is wrong with page and page_size (400); a page past the end is 404."""
    response = _api(world).get(reverse("village-list") + "?" + query)
    assert response.status_code == status, response.content
    assert key in response.json()


@pytest.mark.django_db
def test_api_page_size_and_last_page_work(world: World) -> None:
    """A valid page_size is honoured and page=last gives the last page."""
    api = _api(world)
    first = api.get(reverse("village-list"), {"page_size": 1}).json()
    assert len(first["results"]) == 1 and first["next"]
    last = api.get(reverse("village-list"), {"page_size": 1, "page": "last"})
    assert last.status_code == 200 and last.json()["next"] is None


@pytest.mark.django_db
def test_ids_too_large_in_urls_are_404(pworld: PairingWorld) -> None:
    """A pk beyond the database in a page or API URL is 404, not an overflow."""
    world = pworld.world
    client, api = _page_client(world), _api(world)
    assert client.get(f"/regions/villages/{HUGE}/").status_code == 404
    assert client.get(f"/regions/villages/{HUGE}/edit/").status_code == 404
    assert client.get(f"/pairing/campaigns/{HUGE}/dashboard/").status_code == 404
    assert api.get(f"/api/villages/{HUGE}/").status_code == 404
    assert api.get(f"/api/pairs/{HUGE}/letter.pdf").status_code == 404
    assert api.post(f"/api/proposals/{HUGE}/approve/").status_code == 404


@pytest.mark.django_db
def test_integers_beyond_the_database_in_json_bodies_are_400(world: World) -> None:
    """An integer beyond 64 bits anywhere in a JSON body is refused by the parser; one beyond
    the column (2**31 for a population) is the field's error on every database."""
    api = _api(world)
    village = world.village
    url = reverse("village-detail", args=[village.pk])
    parsed = _patch(api, url, village, township=2**70)
    assert parsed.status_code == 400 and "detail" in parsed.json()
    column = _patch(api, url, village, population=2**31)
    assert column.status_code == 400 and "population" in column.json()
    version = _patch(api, url, village, name="东溪村", version=2**40)
    assert version.status_code == 400
    fits = _patch(api, url, village, population=2**31 - 1)
    assert fits.status_code == 200, fits.content


@pytest.mark.django_db
def test_integers_beyond_the_column_on_the_page_form_are_a_form_error(world: World) -> None:
    """The page form gives a field error for a population beyond the column, on SQLite too."""
    village = world.village
    response = _page_client(world).post(
        reverse("regions:village_edit", args=[village.pk]), _village_form(village, population=2**31)
    )
    assert response.status_code == 200 and "population" in response.context["form"].errors


@pytest.mark.django_db
def test_unknown_or_odd_ordering_never_fails(pworld: PairingWorld) -> None:
    """Every API list ordered by each of its fields (both ways) or by unknown names answers
    200; every ledger page sorted by each column (both ways) or an unknown one answers 200."""
    world = pworld.world
    api, client = _api(world), _page_client(world)
    for _prefix, viewset, basename in router.registry:
        url = reverse(f"{basename}-list")
        names = list(getattr(viewset, "ordering_fields", None) or viewset.serializer_class().fields)
        for term in [*names, *[f"-{n}" for n in names], "nonexistent", "-", ",", "pk,-pk", "township__county__code"]:
            response = api.get(url, {"ordering": term})
            assert response.status_code == 200, (url, term, response.content[:200])
    for ledger in all_ledgers():
        url = reverse(ledger.url_name("list"))
        columns = list(ledger.table.base_columns)
        for term in [*columns, *[f"-{c}" for c in columns], "nonexistent", "-x__y", ""]:
            response = client.get(url, {"sort": term})
            assert response.status_code == 200, (url, term)


@pytest.mark.django_db
@pytest.mark.parametrize("period", ["9999-99", "0000-01", "9999-12", "2026-13", "2026-1", "abc", "", "2025-12"])
def test_bad_periods_are_400_with_the_reason(pworld: PairingWorld, period: str) -> None:
    """The dashboard, its exports and the reporting API refuse a period that is not one of
    the campaign's (out-of-range dates included) with a 400 that says so."""
    world, campaign = pworld.world, pworld.campaign
    client = _page_client(world)
    page = client.get(reverse("pairing:campaign_dashboard", args=[campaign.pk]), {"period": period})
    assert page.status_code == 400
    assert "period" in page.content.decode()
    export = client.get(
        reverse("pairing:campaign_dashboard_export", args=[campaign.pk, "coverage"]), {"period": period}
    )
    assert export.status_code == 400 and b"period" in export.content
    api = _api(world).get(reverse("api-reporting"), {"campaign": campaign.pk, "period": period})
    assert api.status_code == 400 and "period" in api.json()


@pytest.mark.django_db
def test_good_periods_and_bad_campaign_ids(pworld: PairingWorld) -> None:
    """A period of the campaign works everywhere; a campaign id that is not a number or is
    beyond the database is a 400 naming ``campaign``; a foreign campaign is 404."""
    world, campaign = pworld.world, pworld.campaign
    client, api = _page_client(world), _api(world)
    assert (
        client.get(reverse("pairing:campaign_dashboard", args=[campaign.pk]), {"period": "2026-01"}).status_code == 200
    )
    export = client.get(
        reverse("pairing:campaign_dashboard_export", args=[campaign.pk, "reporting"]), {"period": "2026-01"}
    )
    assert export.status_code == 200
    assert api.get(reverse("api-reporting"), {"campaign": campaign.pk, "period": "2026-01"}).status_code == 200
    for bad in ("abc", HUGE, "-1", "0", ""):
        response = api.get(reverse("api-reporting"), {"campaign": bad, "period": "2026-01"})
        assert response.status_code == 400 and "campaign" in response.json(), bad
    foreign = api.get(reverse("api-reporting"), {"campaign": pworld.campaign2.pk, "period": "2026-01"})
    assert foreign.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["period=9999-99", "period=0000-01", f"pair={HUGE}", f"township={HUGE}"])
def test_report_list_filters_validate(pworld: PairingWorld, query: str) -> None:
    """The report ledger's period and id filters answer 400 on the page and the API."""
    world = pworld.world
    assert _page_client(world).get(reverse("pairing:report_list") + "?" + query).status_code == 400
    assert _api(world).get(reverse("report-list") + "?" + query).status_code == 400


# --- 4. Nested JSON --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "[" * 10_000 + "]" * 10_000,
        '{"a":' * 10_000 + "1" + "}" * 10_000,
        "[" * 33 + "]" * 33,
        '{"name": NaN}',
        '{"population": 1e999}',
        '{"name": "x"',
    ],
)
def test_hostile_json_bodies_are_400(world: World, body: str) -> None:
    """Deeply nested lists or objects, NaN, infinity and broken JSON are a 400 with a reason."""
    response = _api(world).post(reverse("village-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.django_db
def test_token_endpoint_uses_the_safe_parser(world: World) -> None:
    """The token endpoint (its own view class) refuses deeply nested JSON with 400 too."""
    body = "[" * 10_000 + "]" * 10_000
    response = APIClient().post(reverse("api-token"), body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_moderately_nested_json_reaches_the_serializer(world: World) -> None:
    """Nesting within the limit is parsed; the serializer then names the wrong field."""
    body = json.dumps({"name": [[["x"]]], "version": world.village.version})
    response = _api(world).patch(
        reverse("village-detail", args=[world.village.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400 and "name" in response.json()


# --- 5. Custom action URLs -------------------------------------------------------------


@pytest.mark.django_db
def test_letter_pdf_answers_with_and_without_slash(pworld: PairingWorld) -> None:
    """The documented /api/pairs/<id>/letter.pdf and letter.pdf/ both answer GET (404 until
    issued, then the PDF); a POST to either is 405; issuing is POST …/letter/issue/."""
    api = _api(pworld.world)
    pk = pworld.pair.pk
    plain, slash = f"/api/pairs/{pk}/letter.pdf", f"/api/pairs/{pk}/letter.pdf/"
    assert reverse("pair-letter", args=[pk]) == plain
    assert api.get(plain).status_code == 404 and api.get(slash).status_code == 404
    assert api.post(plain).status_code == 405 and api.post(slash).status_code == 405
    assert api.get(f"/api/pairs/{pk}/letterXpdf").status_code == 404
    issued = api.post(reverse("pair-letter-issue", args=[pk]))
    assert issued.status_code == 200 and issued["Content-Type"] == "application/pdf"
    for url in (plain, slash):
        response = api.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert api.get(f"{plain}.json").status_code == 404
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    assert "/api/pairs/{id}/letter/issue/" in schema
    assert any(path.startswith("/api/pairs/{id}/letter.pdf") for path in schema)


@pytest.mark.django_db
def test_format_suffix_on_custom_actions_is_404_never_500(pworld: PairingWorld) -> None:
    """Every custom action with a .json suffix answers 404 (GET and POST); lists and details
    keep their format suffix."""
    api = _api(pworld.world)
    ids = {"pair": pworld.pair.pk, "proposal": pworld.pair.pk, "report": pworld.report.pk}
    ids |= {"campaign": pworld.campaign.pk, "activity": pworld.activity.pk, "liaison": pworld.appointment.pk}
    for prefix, viewset, basename in router.registry:
        for action in viewset.get_extra_actions():
            base = f"/api/{prefix}/{ids.get(basename, 1)}/" if action.detail else f"/api/{prefix}/"
            for url in (f"{base}{action.url_path}.json", f"{base}{action.url_path}.json/"):
                for method in (api.get, api.post):
                    assert method(url).status_code == 404, url
    assert api.post(f"/api/proposals/{pworld.pair.pk}/approve.json").status_code == 404
    assert api.post(f"/api/reports/{pworld.report.pk}/submit.json").status_code == 404
    assert api.post(f"/api/campaigns/{pworld.campaign.pk}/advance.json", {"to": "x"}).status_code == 404
    assert api.get(f"/api/pairs/{pworld.pair.pk}.json").status_code == 200
    assert api.get("/api/pairs.json").status_code == 200
    assert api.post(f"/api/campaigns/{pworld.campaign.pk}/advance/", {}, format="json").status_code == 400


@pytest.mark.django_db
def test_list_count_stops_at_the_cap(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past COUNT_CAP rows a list says "N+" and pages through the first N rows only (a
    province's half a million reports are not counted for a badge); below it, exact."""
    from tongxin.core import pagination
    from tongxin.regions.models import Village
    from tongxin.testing import factories

    factories.village(world.township, number=299)
    client = _page_client(world)
    url = reverse("regions:village_list")
    rows = Village.objects.filter(township__county=world.county).count()
    assert rows >= 3
    exact = client.get(url)
    assert f'data-testid="row-count">{rows}<' in exact.content.decode()
    assert 'data-testid="count-capped"' not in exact.content.decode()

    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    capped = client.get(url + "?per_page=1&page=999")
    html = capped.content.decode()
    assert 'data-testid="row-count">2+<' in html
    assert 'data-testid="count-capped"' in html
    paginator = capped.context["table"].paginator
    assert paginator.more and paginator.count == 2 and paginator.num_pages == 2
    assert capped.context["table"].page.number == 2  # clamped to the last page it reaches
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="count-village">2+<' in home  # the home page's cards say the same
