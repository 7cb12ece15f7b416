"""The compliance page and API over real rows; the township's numbers-only page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.cadres.models import AccessLog
from tongxin.testing import cadres
from tongxin.testing.factories import World


@pytest.fixture
def staffed(world: World) -> dict[str, Any]:
    """Township A's team has a non-party member, township B's has none; a reserve person
    with matching expertise waits; county 2 has a short team of its own."""
    holder = cadres.person(world.county, "王晓明")
    reserve = cadres.person(world.county, "赵丽", status="reserve", expertise="农业")
    team_a = cadres.body(world.county, township=world.township, name="分水镇班子")
    team_b = cadres.body(world.county, township=world.township_b, name="横村镇班子", area="农业")
    cadres.post(team_a, holder, term_end=date(2030, 1, 1))
    cadres.post(team_b, other_holder="张三")
    cadres.rule(world.county)
    foreign = cadres.body(world.county2, township=world.township2, name="东山街道班子")
    cadres.rule(world.county2)
    return {"holder": holder, "reserve": reserve, "team_a": team_a, "team_b": team_b, "foreign": foreign}


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.django_db
def test_compliance_page_shows_the_gap_and_ranked_candidates(world: World, staffed: dict[str, Any]) -> None:
    """The county's rule is short by one (township B); the reserve person is offered with
    the reasons; nothing of county 2 is shown."""
    response = _client(world, Role.CADRE_OFFICER).get(reverse("cadres:compliance"))
    assert response.status_code == 200
    (item,) = response.context["reports"]
    result = item["report"].result
    assert (result.shortfall, [b.name for b in result.short_bodies]) == (1, ["横村镇班子"])
    (gap,) = item["gaps"]
    candidate, reasons = gap["candidates"][0]
    assert candidate.name == "赵丽" and reasons
    assert "东山街道班子" not in response.content.decode()


@pytest.mark.django_db
def test_compliance_api(world: World, staffed: dict[str, Any]) -> None:
    """The API answers the same report; for every other role it is 404."""
    api = APIClient()
    api.force_authenticate(world.users[Role.CADRE_OFFICER])
    (rule,) = api.get("/api/cadres/compliance/").json()
    assert (rule["met"], rule["shortfall"]) == (False, 1)
    assert rule["gaps"][0]["candidates"][0]["person"] == staffed["reserve"].pk
    for role in Role:
        if role == Role.CADRE_OFFICER:
            continue
        other = APIClient()
        other.force_authenticate(world.users[role])
        assert other.get("/api/cadres/compliance/").status_code == 404
        assert _client(world, role).get(reverse("cadres:compliance")).status_code == 404


@pytest.mark.django_db
def test_township_staff_see_only_numbers_of_their_townships_bodies(world: World, staffed: dict[str, Any]) -> None:
    """Township staff get the counts of their township's team — no holder's name, nothing
    of the sibling township; the body itself, its posts and the files stay 404."""
    client = _client(world, Role.TOWNSHIP_STAFF)
    response = client.get(reverse("cadres:body_counts"))
    assert response.status_code == 200
    assert [(r["name"], r["total"], r["held"], r["non_party"]) for r in response.context["rows"]] == [
        ("分水镇班子", 1, 1, 1)
    ]
    page = response.content.decode()
    assert "王晓明" not in page and "横村镇班子" not in page
    assert client.get(reverse("cadres:body_detail", args=[staffed["team_a"].pk])).status_code == 404
    assert client.get(reverse("cadres:person_detail", args=[staffed["holder"].pk])).status_code == 404
    assert _client(world, Role.COUNTY_ADMIN).get(reverse("cadres:body_counts")).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_a_post_holder_must_be_on_the_files_of_the_bodys_county(world: World, staffed: dict[str, Any]) -> None:
    """A post of county 1's body cannot be given to a person of county 2's files."""
    from django.core.exceptions import ValidationError

    stranger = cadres.person(world.county2)
    with pytest.raises(ValidationError) as caught:
        cadres.post(staffed["team_b"], stranger, start=date(2026, 1, 1))
    assert "person" in caught.value.message_dict


@pytest.mark.django_db
def test_compliance_query_count_is_pinned(
    world: World, staffed: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    """More bodies, posts and candidates cost no more queries."""
    for n in range(10):
        team = cadres.body(world.county, township=world.township, name=f"加{n}")
        cadres.post(team, cadres.person(world.county))
        cadres.person(world.county, status="reserve")
    client = _client(world, Role.CADRE_OFFICER)
    client.get(reverse("cadres:compliance"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cadres:compliance")).status_code == 200
