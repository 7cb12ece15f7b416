"""The platforms' list pages, API lists and dashboards cost the same number of queries
with 3 rows as with 25 (no query per row), under a pinned ceiling."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tongxin.accounts.choices import Role
from tongxin.platforms.models import CountrysideActivity, Proposal
from tongxin.platforms.services.research import proposal_answer
from tongxin.platforms.tests.conftest import client_for
from tongxin.testing import cadres, platforms
from tongxin.testing.factories import World

# (url, ceiling): today's count plus two for county staff.
URLS = [
    ("/platforms/research/proposals/", 10),
    ("/platforms/research/topics/", 9),
    ("/platforms/charity/activities/", 9),
    ("/platforms/investment/projects/", 9),
    ("/platforms/intellectuals/countryside/", 10),
    ("/platforms/intellectuals/profiles/", 8),
    ("/platforms/research/dashboard/", 12),
    ("/platforms/charity/dashboard/", 11),
    ("/platforms/investment/dashboard/", 11),
    ("/platforms/intellectuals/dashboard/", 11),
    ("/api/platforms/research/proposals/", 7),
    ("/api/platforms/investment/projects/", 7),
    ("/api/platforms/intellectuals/countryside/", 9),
]


def _grow(world: World, rows: int) -> None:
    staff = world.users[Role.COUNTY_STAFF]
    association = platforms.own_association(world)
    while Proposal.objects.filter(county=world.county).count() < rows:
        n = Proposal.objects.count()
        township = world.township if n % 2 else world.township_b
        proposal = platforms.proposal(world.county, township)
        proposal = proposal_answer(user=staff, proposal=proposal, state="adopted", on=proposal.submitted_on)
        platforms.milestone(proposal, done_on=proposal.submitted_on.replace(month=4))
        platforms.topic(world.county, township)
        platforms.activity(platforms.organisation(world.county, township))
        platforms.lead(association, township)
        activity = platforms.countryside(world.county, township)
        activity.villages.set([world.village if n % 2 else world.village_b])
        platforms.intellectual(cadres.person(world.county), township)
    assert CountrysideActivity.objects.count() >= rows


def _counts(client: Any) -> dict[str, int]:
    found = {}
    for url, _ceiling in URLS:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": 100} if url.startswith("/api/") else {})
        assert response.status_code == 200, url
        found[url] = len(queries)
    return found


@pytest.mark.django_db
def test_platform_pages_cost_a_fixed_number_of_queries(world: World) -> None:
    """County staff: every list, API list and dashboard costs the same with 3 as with 25
    rows of each kind, and no more than its ceiling."""
    client = client_for(world.users[Role.COUNTY_STAFF])
    _grow(world, 3)
    small = _counts(client)
    _grow(world, 25)
    large = _counts(client)
    assert large == small, {url: (small[url], large[url]) for url in small if small[url] != large[url]}
    over = {url: (large[url], ceiling) for url, ceiling in URLS if large[url] > ceiling}
    assert not over, over
