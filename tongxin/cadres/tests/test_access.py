"""Nobody but a cadre officer of the county sees a person: every role, every read path."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.cadres.models import AccessLog, Person
from tongxin.testing.cadres import person
from tongxin.testing.factories import World, user
from tongxin.testing.sheets import exported_sheet, table_rows

OTHER_ROLES = [role for role in Role if role != Role.CADRE_OFFICER]


@pytest.fixture
def people(world: World) -> dict[str, Person]:
    return {"own": person(world.county, "王晓明"), "foreign": person(world.county2, "李国强")}


def _reads(world: World, role: str, people: dict[str, Person]) -> dict[str, Any]:
    """What one role gets on every read path: list rows, detail statuses, API list ids and
    detail statuses, the export."""
    client = Client()
    client.force_login(world.users[role])
    api = APIClient()
    api.force_authenticate(world.users[role])
    listing = client.get(reverse("cadres:person_list"))
    rows = set(listing.context["filter"].qs.values_list("pk", flat=True)) if listing.status_code == 200 else set()
    export = client.get(reverse("cadres:person_export"), {"purpose": "年度统计"})
    exported: set[str] = set()
    if export.status_code == 200:
        sheet = table_rows(exported_sheet(export.getvalue()))
        column = [str(h).lower() for h in sheet[0]].index(str(Person._meta.get_field("code").verbose_name).lower())
        exported = {str(row[column]) for row in sheet[1:]}
    return {
        "list": (listing.status_code, rows),
        "detail": {k: client.get(reverse("cadres:person_detail", args=[p.pk])).status_code for k, p in people.items()},
        "history": {
            k: client.get(reverse("cadres:person_history", args=[p.pk])).status_code for k, p in people.items()
        },
        "api_list": {row["id"] for row in api.get("/api/cadres/people/").json()["results"]},
        "api_detail": {k: api.get(f"/api/cadres/people/{p.pk}/").status_code for k, p in people.items()},
        "unmask": {k: client.post(reverse("cadres:person_unmask", args=[p.pk])).status_code for k, p in people.items()},
        "export": (export.status_code, exported),
        "access_log": client.get(reverse("cadres:accesslog_list")).status_code,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_other_role_sees_a_person(world: World, people: dict[str, Person], role: str) -> None:
    """Every role but the cadre officer — county administrator, township staff, supervisors,
    contacts, liaison officers, reviewers — gets an empty list (or 404), 404 for every
    file on page, history, API and unmask, an empty API list and no export; and nothing
    they did is a read in the access log."""
    reads = _reads(world, role, people)
    assert reads["list"][1] == set()
    assert reads["detail"] == {"own": 404, "foreign": 404}
    assert reads["history"] == {"own": 404, "foreign": 404}
    assert reads["api_list"] == set()
    assert reads["api_detail"] == {"own": 404, "foreign": 404}
    assert reads["unmask"] == {"own": 404, "foreign": 404}
    assert reads["export"][0] == 404
    assert reads["access_log"] in (200, 404)
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_cadre_officer_sees_the_files_of_their_county_only(world: World, people: dict[str, Person]) -> None:
    """The cadre officer reads every file of their county on every path, and none of
    another county (404, never 403)."""
    reads = _reads(world, Role.CADRE_OFFICER, people)
    assert reads["list"] == (200, {people["own"].pk})
    assert reads["detail"] == {"own": 200, "foreign": 404}
    assert reads["history"] == {"own": 200, "foreign": 404}
    assert reads["api_list"] == {people["own"].pk}
    assert reads["api_detail"] == {"own": 200, "foreign": 404}
    assert reads["unmask"] == {"own": 200, "foreign": 404}
    assert reads["export"] == (200, {people["own"].code})
    assert reads["access_log"] == 200


@pytest.mark.django_db
def test_access_log_shows_only_the_officers_county(world: World, people: dict[str, Person]) -> None:
    """The access-log report of one county's officer lists that county's reads only."""
    officer2 = user("cadre2", Role.CADRE_OFFICER, county=world.county2)
    for account, subject in ((world.users[Role.CADRE_OFFICER], people["own"]), (officer2, people["foreign"])):
        client = Client()
        client.force_login(account)
        assert client.get(reverse("cadres:person_detail", args=[subject.pk])).status_code == 200
    client = Client()
    client.force_login(world.users[Role.CADRE_OFFICER])
    response = client.get(reverse("cadres:accesslog_list"))
    assert [entry.person_id for entry in response.context["filter"].qs] == [people["own"].pk]
    assert "李国强" not in response.content.decode()


@pytest.mark.django_db
def test_person_list_query_count_is_pinned(world: World, django_assert_max_num_queries: Any) -> None:
    """The list costs a fixed number of queries, however many files it shows."""
    for _ in range(30):
        person(world.county)
    client = Client()
    client.force_login(world.users[Role.CADRE_OFFICER])
    client.get(reverse("cadres:person_list"))  # warm the session and caches
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cadres:person_list"))
    assert response.status_code == 200
