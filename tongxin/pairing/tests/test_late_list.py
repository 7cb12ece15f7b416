"""The late and missing list: filtered by period and township, exported with the same
filters (Chinese headers), and 催报 from the filtered list."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.inbox.models import ReportChase
from tongxin.testing.pairing import PairingWorld
from tongxin.testing.sheets import table_rows


def _client(person: Any, language: str = "zh-hans") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(person)
    return client


def _late_pairs(html: str, pworld: PairingWorld) -> set[int]:
    return {p.pk for p in (pworld.pair, pworld.pair_b) if p.get_absolute_url() in html}


@pytest.mark.django_db
def test_filters_by_period_and_township(pworld: PairingWorld, django_assert_max_num_queries: Any) -> None:
    """Every month since January 2026 is missing for both pairs; the period filter keeps
    one month, the township filter one pair, and the chase box the filtered township."""
    client = _client(pworld.world.users[Role.COUNTY_STAFF])
    url = reverse("pairing:campaign_late", args=[pworld.campaign.pk])
    everything = client.get(url)
    assert _late_pairs(everything.content.decode(), pworld) == {pworld.pair.pk, pworld.pair_b.pk}
    with django_assert_max_num_queries(20):
        january = client.get(url, {"period": "2026-01-01"})
    rows = january.context["rows"]
    assert january.status_code == 200 and {r["period"].isoformat() for r in rows} == {"2026-01-01"}
    assert len(rows) == 2
    township = pworld.world.township
    one = client.get(url, {"township": township.pk})
    assert {r["pair"].pk for r in one.context["rows"]} == {pworld.pair.pk}
    assert [entry["township"] for entry in one.context["townships"]] == [township]
    both = client.get(url, {"township": township.pk, "period": "2026-01-01"})
    assert [(r["pair"].pk, r["state"]) for r in both.context["rows"]] == [(pworld.pair.pk, "missing")]


@pytest.mark.django_db
def test_filters_accept_only_what_the_person_sees(pworld: PairingWorld) -> None:
    """A township cadre filtering by another township, or a period not yet due, gets 400
    and their own rows only."""
    client = _client(pworld.world.users[Role.TOWNSHIP_STAFF])
    url = reverse("pairing:campaign_late", args=[pworld.campaign.pk])
    foreign = client.get(url, {"township": pworld.world.township_b.pk})
    assert foreign.status_code == 400 and _late_pairs(foreign.content.decode(), pworld) == {pworld.pair.pk}
    choices = [str(value) for value, _label in foreign.context["filter_form"].fields["township"].choices if value]
    assert choices == [str(pworld.world.township.pk)]
    assert client.get(url, {"period": "2027-12-01"}).status_code == 400
    assert client.get(url, {"period": "junk"}).status_code == 400


@pytest.mark.django_db
def test_export_with_chinese_headers_and_the_filters(pworld: PairingWorld) -> None:
    """The export has the list's rows under the same filters, Chinese headers, and the
    filters written above the table."""
    client = _client(pworld.world.users[Role.COUNTY_ADMIN])
    url = reverse("pairing:campaign_late_export", args=[pworld.campaign.pk])
    township = pworld.world.township
    response = client.get(url, {"township": township.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = table_rows(sheet)
    assert list(header) == ["报告期", "截止日期", "企业", "村", "乡镇", "状态"]
    assert rows and {row[4] for row in rows} == {township.name} and {row[5] for row in rows} == {"未报送"}
    assert {row[3] for row in rows} == {pworld.pair.village.name}
    notes = " ".join(str(c) for line in sheet.iter_rows(max_row=3, values_only=True) for c in line if c)
    assert township.name in notes and pworld.campaign.name in notes
    january = client.get(url, {"period": "2026-01-01"})
    assert len(table_rows(load_workbook(io.BytesIO(january.content)).active)) == 1 + 2
    assert client.get(url, {"township": "x"}).status_code == 400


@pytest.mark.django_db
def test_export_is_scoped(pworld: PairingWorld) -> None:
    """Another county's administrator: 404; a village contact, who sees the campaign but
    exports nothing: 403."""
    url = reverse("pairing:campaign_late_export", args=[pworld.campaign.pk])
    assert _client(User.objects.get(username="admin2")).get(url).status_code == 404
    assert (
        _client(User.objects.get(username="admin2"))
        .get(reverse("pairing:campaign_late", args=[pworld.campaign.pk]))
        .status_code
        == 404
    )
    assert _client(pworld.world.users[Role.VILLAGE_CONTACT]).get(url).status_code == 403


@pytest.mark.django_db
def test_remind_from_the_filtered_list_is_recorded(pworld: PairingWorld) -> None:
    """催报 from a filtered list records the call for the township and comes back to the
    same filtered list."""
    client = _client(pworld.world.users[Role.COUNTY_STAFF])
    township = pworld.world.township
    listed = reverse("pairing:campaign_late", args=[pworld.campaign.pk]) + f"?township={township.pk}&period=2026-01-01"
    page = client.get(listed)
    assert 'name="next"' in page.content.decode()
    response = client.post(
        reverse("pairing:campaign_late_remind", args=[pworld.campaign.pk]),
        {"townships": [township.pk], "next": listed},
    )
    assert response.status_code == 302 and response["Location"] == listed
    chase = ReportChase.objects.get(campaign=pworld.campaign)
    assert chase.township == township and list(chase.pairs.all()) == [pworld.pair]
    again = client.get(listed)
    (entry,) = again.context["townships"]
    assert entry["last"] == chase


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_townships_to_chase(pworld: PairingWorld) -> None:
    """The chase box lists every township with missing reports; more townships cost no
    more queries (their codes are read with the pairs, not one by one)."""
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tongxin.pairing.choices import PairStatus
    from tongxin.pairing.models import Pair
    from tongxin.testing import factories

    client = _client(pworld.world.users[Role.COUNTY_STAFF])
    url = reverse("pairing:campaign_late", args=[pworld.campaign.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200
        return len(captured)

    client.get(url)
    before = queries()
    for n in range(3):
        township = factories.township(pworld.world.county, 150 + n)
        Pair(
            campaign=pworld.campaign,
            enterprise=factories.enterprise(township),
            village=factories.village(township, 201),
            status=PairStatus.APPROVED,
            start_date=date(2026, 1, 1),
        ).save()
    after = queries()
    assert len(client.get(url).context["townships"]) >= 5
    assert after == before, (before, after)
