"""List pages cost a fixed number of queries: not one more per row, not one more per hat.

A person with three hats (county staff, liaison officer appointed to pairs, township staff)
opens the village, enterprise, pair, activity and report lists and their API lists with
5 rows and with 40 rows of each; a person with the county staff hat alone does the same.
The counts must be equal, and under a pinned ceiling.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.enterprises.models import Enterprise
from tongxin.pairing.choices import ActivityHead, PairStatus, Side
from tongxin.pairing.models import Activity, LiaisonAppointment, Pair, Participant, Report
from tongxin.regions.models import Village
from tongxin.testing.factories import enterprise, hat, user, village
from tongxin.testing.pairing import PairingWorld

SMALL, LARGE = 5, 40
# (page, ceiling): the ceiling is today's count plus two, so an N+1 (35 more) or a query
# per hat fails long before it is reached.
PAGES = [
    ("regions:village_list", 13),
    ("enterprises:enterprise_list", 11),
    ("pairing:pair_list", 10),
    ("pairing:activity_list", 9),
    ("pairing:report_list", 10),
]
API = [
    ("/api/villages/", 9),
    ("/api/enterprises/", 8),
    ("/api/pairs/", 8),
    ("/api/activities/", 7),
    ("/api/reports/", 7),
]


def _grow(pworld: PairingWorld, rows: int, liaison: User) -> None:
    """Bring villages, enterprises, pairs, activities and reports of county 1 up to at
    least ``rows`` each (half in township A, half in B); the liaison is appointed to all
    new pairs."""
    w = pworld.world
    have = Pair.objects.filter(campaign=pworld.campaign).count()
    appointment = LiaisonAppointment(
        campaign=pworld.campaign, liaison=liaison, term_start=date(2026, 1, 1), term_end=date(2027, 12, 31)
    )
    appointment.save()
    for n in range(have, rows):
        township = w.township if n % 2 == 0 else w.township_b
        v = village(township, 300 + n)
        e = enterprise(township)
        pair = Pair(campaign=pworld.campaign, enterprise=e, village=v, status=PairStatus.APPROVED)
        # An explanation that names other parties: their names are read once per page.
        pair.explanation = {
            "reason": "both_full_with_preferred",
            "village_prefers": [e.pk, w.enterprise.pk],
            "enterprise_prefers": [v.pk, w.village.pk],
        }
        pair.save()
        # Both are participants, so staff may know their rankings (the names are shown).
        Participant(campaign=pworld.campaign, side=Side.ENTERPRISE, enterprise=e, township=township).save()
        Participant(campaign=pworld.campaign, side=Side.VILLAGE, village=v, township=township).save()
        appointment.pairs.add(pair)
        Activity(pair=pair, head=ActivityHead.PARTY, date=date(2026, 3, 1), title=f"活动{n}").save()
        Report(pair=pair, period=date(2026, 1, 1), due_date=date(2026, 2, 10), narrative="进展").save()
    assert Village.objects.filter(township__county=w.county).count() >= rows
    assert Enterprise.objects.filter(township__county=w.county).count() >= rows
    assert Report.objects.filter(pair__campaign=pworld.campaign).count() >= rows


def _people(pworld: PairingWorld) -> dict[str, User]:
    w = pworld.world
    three = user("threehats", Role.COUNTY_STAFF, county=w.county)
    hat(three, Role.LIAISON, w.county)
    hat(three, Role.TOWNSHIP_STAFF, w.township)
    return {"one hat": w.users[Role.COUNTY_STAFF], "three hats": three}


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": 100} if url.startswith("/api/") else {})
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "entries"),
    [("pages", PAGES), ("api", API)],
)
def test_list_queries_do_not_grow_with_rows_or_hats(
    pworld: PairingWorld, kind: str, entries: list[tuple[str, int]], django_assert_max_num_queries: Callable[..., Any]
) -> None:
    """The same number of queries for 5 rows as for 40, and for one hat as for three
    (county staff + liaison + township staff), on every list; each under its ceiling."""
    urls = [reverse(name) if kind == "pages" else name for name, _ceiling in entries]
    ceilings = dict(zip(urls, (c for _n, c in entries), strict=True))
    people = _people(pworld)
    clients = {}
    for who, person in people.items():
        clients[who] = Client()
        clients[who].force_login(person)

    def measure() -> dict[tuple[str, str], int]:
        counts = {}
        for who, client in clients.items():
            for url in urls:
                client.get(url)  # warm: content types, translations, the session
                counts[(who, url)] = _count(client, url)
        return counts

    _grow(pworld, SMALL, people["three hats"])
    small = measure()
    _grow(pworld, LARGE, people["three hats"])
    large = measure()
    assert large == small, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    for url in urls:
        assert small[("three hats", url)] == small[("one hat", url)], (url, small)
        with django_assert_max_num_queries(ceilings[url]):
            clients["three hats"].get(url)
