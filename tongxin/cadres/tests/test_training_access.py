"""Training and friend-making are the cadre officers' alone: every other role gets 404 or
an empty list on every page, export and API path, writes nothing and leaves no read in
the access log; the officer's reads of one person's rows are logged, another county's
rows are 404; identifiers are never shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.cadres.models import AccessLog, Enrolment, FriendContact, Recommendation
from tongxin.testing import cadres
from tongxin.testing.factories import World

#: One of each kind of role without the right (the generated access tests try them all, on
#: every route): the county's own administrator, township staff, a supervisor above the
#: county, a liaison officer of the county.
OTHER_ROLES = [Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.PROVINCE_STAFF, Role.LIAISON]
LEDGERS = ("course", "enrolment", "recommendation", "leadingcadre", "friendpair", "friendcontact")
ROW = {
    "course": "course",
    "enrolment": "enrolment",
    "recommendation": "recommendation",
    "leadingcadre": "leader",
    "friendpair": "pair",
    "friendcontact": "contact",
}
API = {"course": "courses", "enrolment": "enrolments", "friendpair": "friend-pairs", "friendcontact": "friend-contacts"}
PAGES = ("training_hours", "not_trained", "not_trained_export", "friends", "friends_overdue")
#: Ledgers whose rows are about one person: their detail reads are logged.
LOGGED = ("enrolment", "recommendation", "friendpair", "friendcontact")


@pytest.fixture
def rows(world: World) -> dict[str, dict[str, Any]]:
    return {
        "own": cadres.training_and_friends(cadres.person(world.county, "王晓明")),
        "foreign": cadres.training_and_friends(cadres.person(world.county2, "李国强")),
    }


def _clients(world: World, role: str) -> tuple[Client, APIClient]:
    client = Client()
    client.force_login(world.users[role])
    api = APIClient()
    api.force_authenticate(world.users[role])
    return client, api


@pytest.mark.django_db
def test_no_other_role_sees_training_or_friends(world: World, rows: dict[str, dict[str, Any]]) -> None:
    """Roles without the right, one after the other on one world (nothing they do writes
    anything, so each starts from the same rows)."""
    for role in OTHER_ROLES:
        _sees_nothing(world, rows, role)


def _sees_nothing(world: World, rows: dict[str, dict[str, Any]], role: str) -> None:
    client, api = _clients(world, role)
    for ledger in LEDGERS:
        listing = client.get(reverse(f"cadres:{ledger}_list"))
        assert listing.status_code == 404 or not listing.context["filter"].qs.exists(), ledger
        assert client.get(reverse(f"cadres:{ledger}_export"), {"purpose": "统计"}).status_code == 404, ledger
        # (history, edit, delete and the foreign rows: the generated access tests, every role)
        pk = rows["own"][ROW[ledger]].pk
        assert client.get(reverse(f"cadres:{ledger}_detail", args=[pk])).status_code == 404, ledger
        if ledger in API:
            assert api.get(f"/api/cadres/{API[ledger]}/{pk}/").status_code == 404
            assert api.get(f"/api/cadres/{API[ledger]}/").json()["results"] == []
    for name in PAGES:
        assert client.get(reverse(f"cadres:{name}")).status_code == 404, name
    own = rows["own"]
    writes = (
        (reverse("cadres:course_enrol", args=[own["course"].pk]), {"person": own["pair"].person_id}),
        (reverse("cadres:enrolment_attend", args=[own["enrolment"].pk]), {"hours": "1"}),
        (reverse("cadres:enrolment_complete", args=[own["enrolment"].pk]), {"on": "2026-03-06"}),
        (reverse("cadres:enrolment_certificate", args=[own["enrolment"].pk]), None),
        (
            reverse("cadres:person_recommend", args=[own["pair"].person_id]),
            {"college": "city_college", "on": "2026-01-01", "recommended_by": "x"},
        ),
    )
    for url, data in writes:
        response = client.get(url) if data is None else client.post(url, data)
        assert response.status_code == 404, url
    assert api.post(f"/api/cadres/enrolments/{own['enrolment'].pk}/attend/", {"hours": "1"}).status_code == 404
    assert api.post(
        "/api/cadres/friend-contacts/", {"pair": own["pair"].pk, "date": "2026-01-01", "form": "talk", "topics": "x"}
    ).status_code in (400, 403, 404)
    assert Enrolment.objects.get(pk=own["enrolment"].pk).hours_attended == own["enrolment"].hours_attended
    assert Recommendation.objects.count() == 2 and FriendContact.objects.count() == 2
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_officer_reads_are_logged_and_foreign_rows_are_404(world: World, rows: dict[str, dict[str, Any]]) -> None:
    client, api = _clients(world, Role.CADRE_OFFICER)
    own, foreign = rows["own"], rows["foreign"]
    person = own["pair"].person
    for ledger in LEDGERS:
        listing = client.get(reverse(f"cadres:{ledger}_list"))
        assert set(listing.context["filter"].qs.values_list("pk", flat=True)) == {own[ROW[ledger]].pk}, ledger
        AccessLog.objects.all().delete()
        page = client.get(reverse(f"cadres:{ledger}_detail", args=[own[ROW[ledger]].pk]))
        assert page.status_code == 200, ledger
        text = page.content.decode()
        assert person.resident_id not in text and person.mobile not in text
        logged = list(AccessLog.objects.values_list("person", "kind"))
        assert logged == ([(person.pk, "page")] if ledger in LOGGED else []), ledger
        assert client.get(reverse(f"cadres:{ledger}_detail", args=[foreign[ROW[ledger]].pk])).status_code == 404
        if ledger in API:
            assert api.get(f"/api/cadres/{API[ledger]}/{foreign[ROW[ledger]].pk}/").status_code == 404
            ids = {row["id"] for row in api.get(f"/api/cadres/{API[ledger]}/").json()["results"]}
            assert ids == {own[ROW[ledger]].pk}
    for name in PAGES:
        assert client.get(reverse(f"cadres:{name}")).status_code == 200, name


@pytest.mark.django_db
def test_ledger_exports_ask_for_a_purpose_and_are_logged(world: World, rows: dict[str, dict[str, Any]]) -> None:
    client, _api = _clients(world, Role.CADRE_OFFICER)
    for ledger in LOGGED:
        AccessLog.objects.all().delete()
        ask = client.get(reverse(f"cadres:{ledger}_export"))
        assert ask.status_code == 200 and b'data-testid="export-purpose"' in ask.content
        assert client.get(reverse(f"cadres:{ledger}_export"), {"purpose": ""}).status_code == 400
        export = client.get(reverse(f"cadres:{ledger}_export"), {"purpose": "年度统计"})
        assert export.status_code == 200
        (entry,) = AccessLog.objects.all()
        assert (entry.kind, entry.count, entry.purpose, entry.county_id) == ("export", 1, "年度统计", world.county.pk)


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_list_and_view_queries_do_not_grow_with_the_rows(world: World) -> None:
    """Lists, the county and overdue views and a leader's page cost the same with one row
    as with four (no query per row)."""
    client, _api = _clients(world, Role.CADRE_OFFICER)
    first = cadres.training_and_friends(cadres.person(world.county))
    urls = [reverse(f"cadres:{ledger}_list") for ledger in LEDGERS]
    urls += [reverse(f"cadres:{name}") for name in ("friends", "friends_overdue", "training_hours", "not_trained")]
    urls += [
        reverse("cadres:leadingcadre_detail", args=[first["leader"].pk]),
        reverse("cadres:course_detail", args=[first["course"].pk]),
    ]
    before = {url: _queries(client, url) for url in urls}
    for _ in range(3):
        someone = cadres.person(world.county)
        cadres.training_and_friends(someone)
        cadres.enrolment(first["course"], someone, hours_attended=Decimal("8"))
        cadres.contact(cadres.friend_pair(first["leader"], someone), date(2025, 7, 1))
    after = {url: _queries(client, url) for url in urls}
    assert after == before
    assert max(after.values()) <= 14, after
