"""The pair page says why activities, support and reports cannot be recorded yet, to the
people who record them, and offers the buttons once they can."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tongxin.accounts.choices import Role
from tongxin.testing.pairing import PairingWorld, campaign_for, run_to_review


def _page(person: object, url: str) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person)  # type: ignore[arg-type]
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_why_not_record_yet(pworld: PairingWorld) -> None:
    w = pworld.world
    staff = w.users[Role.COUNTY_STAFF]
    running = _page(staff, pworld.pair.get_absolute_url())
    assert 'data-testid="records-reason"' not in running and 'data-testid="log-activity"' in running

    review = campaign_for(w.county, "2027村企共建")
    run_to_review(review, [(w.enterprise, w.village)], w.users[Role.COUNTY_ADMIN], staff)
    proposal = review.pairs.get()
    waiting = _page(staff, proposal.get_absolute_url())
    assert 'data-testid="log-activity"' not in waiting
    assert "recorded once the pair is approved" in waiting and "Proposed" in waiting
