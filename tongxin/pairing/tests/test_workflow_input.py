"""Bad input on workflow steps: reasons, ids and orderings answer 400 or a clean list."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.pairing.models import Report
from tongxin.testing.factories import user
from tongxin.testing.pairing import PairingWorld


def _api(person: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["退回\x00原因", "x" * 2001])
def test_a_return_reason_with_control_characters_or_too_long_is_refused(pworld: PairingWorld, reason: str) -> None:
    """A report returned with a reason holding a control character, or longer than 2,000
    characters, is a 400 naming the field; the report stays submitted."""
    world = pworld.world
    filer = world.users[Role.COUNTY_STAFF]
    api = _api(filer)
    draft = api.post(reverse("report-list"), {"pair": pworld.pair.pk, "period": "2026-02-01", "jobs": 2}, format="json")
    assert draft.status_code == 201, draft.content
    report_id = draft.json()["id"]
    assert api.post(reverse("report-submit", args=[report_id])).status_code == 200
    reviewer = user("staff-reviewer", Role.COUNTY_STAFF, county=world.county)
    response = _api(reviewer).post(reverse("report-return-", args=[report_id]), {"reason": reason}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert Report.objects.get(pk=report_id).status == "submitted"


@pytest.mark.django_db
def test_ranking_ids_beyond_64_bits_are_a_400(pworld: PairingWorld) -> None:
    """A ranking naming a partner id too large for the database is refused, not a 500."""
    staff = pworld.world.users[Role.COUNTY_STAFF]
    url = reverse("campaign-preferences", args=[pworld.campaign.pk])
    response = _api(staff).post(url, {"participant": 1, "partners": [2**70], "version": 1}, format="json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_ordering_by_a_many_valued_field_is_ignored(pworld: PairingWorld) -> None:
    """``?ordering=pairs`` on the liaison list would repeat rows: it is ignored and every
    appointment appears once."""
    staff = pworld.world.users[Role.COUNTY_STAFF]
    response = _api(staff).get(reverse("liaison-list") + "?ordering=pairs")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert len(ids) == len(set(ids)) and ids
