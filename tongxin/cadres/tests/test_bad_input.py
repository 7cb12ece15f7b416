"""Bad input to the cadre pages and API is a clear 400 or form error, never a 500 and
never a partial write."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.cadres.models import AccessLog, Person, StageRecord
from tongxin.testing.cadres import person
from tongxin.testing.factories import World


@pytest.mark.django_db
def test_api_refuses_nonsense(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.users[Role.CADRE_OFFICER])
    bad = {
        "code": "x" * 50, "name": "\x00", "gender": "unknown", "birth_date": "2026-02-30",
        "education": 7, "affiliation": [], "county": 2**40, "resident_id": "1" * 18, "mobile": "abc",
    }  # fmt: skip
    response = api.post("/api/cadres/people/", bad, format="json")
    assert response.status_code == 400
    assert not Person.objects.exists()
    p = person(world.county)
    for payload in ({"stage": "nope", "date": "x"}, {}, {"stage": "found", "date": "2026-13-01"}):
        assert api.post(f"/api/cadres/people/{p.pk}/stage/", payload, format="json").status_code == 400
    assert not StageRecord.objects.exists()


@pytest.mark.django_db
def test_pages_refuse_nonsense(world: World) -> None:
    client = Client()
    client.force_login(world.users[Role.CADRE_OFFICER])
    p = person(world.county)
    assert (
        client.get(reverse("cadres:person_export"), {"purpose": "统计", "born_after": "yesterday"}).status_code == 400
    )
    assert client.get(reverse("cadres:person_export"), {"purpose": "x" * 500}).status_code == 400
    assert not AccessLog.objects.filter(kind="export").exists()
    response = client.post(reverse("cadres:person_stage", args=[p.pk]), {"stage": "found", "date": "never"})
    assert response.status_code == 302 and not StageRecord.objects.exists()
    assert client.get(reverse("cadres:person_list"), {"born_after": "x"}).status_code == 400
