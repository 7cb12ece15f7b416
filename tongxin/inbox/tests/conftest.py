"""A small world for the inbox: the pairing world (a running campaign in county 1, reports
of January 2026 in draft) plus a second campaign of county 1 at the review stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.pairing.models import Campaign, Pair
from tongxin.testing.pairing import PairingWorld, campaign_for, run_to_review


@dataclass
class InboxWorld:
    p: PairingWorld
    review: Campaign  # county 1, at the review stage: proposals in township A and B
    proposal_a: Pair
    proposal_b: Pair

    def user(self, role: str) -> User:
        return self.p.world.users[role]

    @property
    def town_b(self) -> User:
        return User.objects.get(username="town_b1")


@pytest.fixture
def iworld(pworld: PairingWorld) -> InboxWorld:
    w = pworld.world
    review = campaign_for(w.county, "2027村企共建")
    run_to_review(
        review,
        [(w.enterprise, w.village), (w.enterprise_b, w.village_b)],
        w.users[Role.COUNTY_ADMIN],
        w.users[Role.COUNTY_STAFF],
    )
    return InboxWorld(pworld, review, review.pairs.get(village=w.village), review.pairs.get(village=w.village_b))


def client_for(person: Any) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages are asserted in English
    client.force_login(person)
    return client
