"""The chambers' API refuses what the database cannot hold with a 400, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.testing.factories import World


@pytest.mark.django_db
def test_a_nul_character_is_a_400_on_every_database(world: World) -> None:
    """A NUL in a text key of a related row (a board post's tags) or in a text field is
    refused by the serializer before any query: PostgreSQL cannot compare it (found by the
    API fuzzing)."""
    client = APIClient()
    client.force_authenticate(world.users[Role.COUNTY_STAFF])
    url = reverse("boardpost-list")
    response = client.post(url, {"title": "供应", "tags": ["\x00"], "side": "offer"}, format="json")
    assert response.status_code == 400 and "tags" in response.json()
    response = client.post(url, {"title": "供\x00应", "side": "offer"}, format="multipart")
    assert response.status_code == 400 and "title" in response.json()
