"""Every read path of a person's file writes an access-log row, and the auditors' report
lists them, filtered by person, reader, kind and dates, on the page and in Excel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.cadres.choices import AccessKind
from tongxin.cadres.models import AccessLog, Person
from tongxin.testing import cadres
from tongxin.testing.factories import World, user
from tongxin.testing.sheets import exported_sheet, table_rows


@pytest.fixture
def officer(world: World) -> Any:
    return world.users[Role.CADRE_OFFICER]


@pytest.fixture
def client(officer: Any) -> Client:
    c = Client()
    c.force_login(officer)
    return c


@pytest.fixture
def api(officer: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(officer)
    return c


@pytest.fixture
def files(world: World) -> list[Person]:
    return [cadres.person(world.county, "王晓明"), cadres.person(world.county, "赵丽")]


def _search_hit(client: Client, files: list[Person]) -> Any:
    """Search the list, then open the hit by its link (``?via=search``)."""
    listing = client.get(reverse("cadres:person_list"), {"q": "王晓明"})
    link = f"{files[0].get_absolute_url()}?via=search"
    assert link in listing.content.decode()
    return client.get(link)


READS: dict[str, tuple[str, Callable[..., Any], int | None]] = {
    # path → (kind logged, the read, how many files the row counts; None: one person)
    "page": (AccessKind.PAGE, lambda c, a, f: c.get(reverse("cadres:person_detail", args=[f[0].pk])), None),
    "history": (AccessKind.PAGE, lambda c, a, f: c.get(reverse("cadres:person_history", args=[f[0].pk])), None),
    "search hit": (AccessKind.SEARCH, lambda c, a, f: _search_hit(c, f), None),
    "api detail": (AccessKind.API, lambda c, a, f: a.get(f"/api/cadres/people/{f[0].pk}/"), None),
    "api list": (AccessKind.API_LIST, lambda c, a, f: a.get("/api/cadres/people/"), 2),
    "export": (AccessKind.EXPORT, lambda c, a, f: c.get(reverse("cadres:person_export"), {"purpose": "统计"}), 2),
    "unmask": (AccessKind.UNMASK, lambda c, a, f: a.post(f"/api/cadres/people/{f[0].pk}/unmask/"), None),
    "own data": (
        AccessKind.SUBJECT,
        lambda c, a, f: c.get(reverse("cadres:person_data", args=[f[0].pk]), {"purpose": "本人申请"}),
        None,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(READS))
def test_every_read_path_writes_a_log_row(
    path: str, world: World, client: Client, api: APIClient, officer: Any, files: list[Person]
) -> None:
    kind, read, count = READS[path]
    response = read(client, api, files)
    assert response.status_code == 200
    (entry,) = AccessLog.objects.all()
    assert (entry.kind, entry.user_id, entry.county_id) == (kind, officer.pk, world.county.pk)
    if count is None:
        assert (entry.person_id, entry.count) == (files[0].pk, 1)
    else:
        assert (entry.person_id, entry.count) == (None, count)


@pytest.mark.django_db
def test_an_empty_api_list_and_a_plain_list_log_nothing(world: World, client: Client) -> None:
    """A list page shows no file's page and an empty API page sends no file: no row."""
    other = APIClient()
    other.force_authenticate(world.users[Role.COUNTY_ADMIN])
    assert other.get("/api/cadres/people/").json()["results"] == []
    cadres.person(world.county)
    assert client.get(reverse("cadres:person_list")).status_code == 200
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_the_auditors_report_filters_and_exports(
    world: World, client: Client, api: APIClient, officer: Any, files: list[Person]
) -> None:
    """Filter by person, reader, kind and dates; the Excel has the same rows; another
    county's officer sees none of them."""
    client.get(reverse("cadres:person_detail", args=[files[0].pk]))
    client.get(reverse("cadres:person_detail", args=[files[1].pk]))
    api.get(f"/api/cadres/people/{files[0].pk}/")
    url = reverse("cadres:accesslog_list")
    today = timezone.localdate().isoformat()

    def listed(**query: Any) -> list[tuple[str, int | None]]:
        response = client.get(url, query)
        assert response.status_code == 200
        return sorted((e.kind, e.person_id) for e in response.context["filter"].qs)

    assert listed(person=files[0].pk) == [("api", files[0].pk), ("page", files[0].pk)]
    assert listed(kind="api") == [("api", files[0].pk)]
    assert len(listed(user=officer.pk, since=today, until=today)) == 3
    assert len(listed(reader=officer.get_username())) == 3 and listed(reader="nobody") == []
    assert listed(since="2000-01-01", until="2000-12-31") == []
    export = client.get(reverse("cadres:accesslog_export"), {"person": files[1].pk})
    rows = table_rows(exported_sheet(export.getvalue()))
    assert len(rows) == 2 and "赵丽" in " ".join(str(c) for c in rows[1])
    officer2 = user("cadre2", Role.CADRE_OFFICER, county=world.county2)
    other = Client()
    other.force_login(officer2)
    assert not other.get(url).context["filter"].qs.exists()
