"""Village and enterprise pages show their pairs, the pairs' liaison officers and the
latest activities — only what the reader may see, at a fixed number of queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.pairing.choices import ActivityHead, PairStatus
from tongxin.pairing.models import Activity, LiaisonAppointment, Pair
from tongxin.testing.factories import village
from tongxin.testing.pairing import PairingWorld


def _page(person: Any, name: str, pk: int) -> str:
    client = Client()
    client.force_login(person)
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def _cross_pair(pworld: PairingWorld) -> Pair:
    """The township A enterprise also paired with township B's village."""
    w = pworld.world
    pair = Pair(campaign=pworld.campaign, enterprise=w.enterprise, village=w.village_b, status=PairStatus.APPROVED)
    pair.save()
    Activity(pair=pair, head=ActivityHead.SERVICE, date=date(2026, 4, 2), title="西岭村技术培训").save()
    return pair


@pytest.mark.django_db
def test_pages_show_pairs_liaisons_and_activities(pworld: PairingWorld) -> None:
    """County staff see on the village page its pair with the enterprise, the liaison
    officer appointed to it and its activity; on the enterprise page both its pairs
    (township A's and township B's village) and the activities of both."""
    w = pworld.world
    cross = _cross_pair(pworld)
    staff = w.users[Role.COUNTY_STAFF]
    page = _page(staff, "regions:village_detail", w.village.pk)
    assert f'data-testid="related-pair-{pworld.pair.pk}"' in page and w.enterprise.name in page
    assert 'data-testid="related-liaisons"' in page and str(w.users[Role.LIAISON]) in page
    assert f'data-testid="related-activity-{pworld.activity.pk}"' in page
    page = _page(staff, "enterprises:enterprise_detail", w.enterprise.pk)
    for shown in (pworld.pair, cross):
        assert f'data-testid="related-pair-{shown.pk}"' in page
    assert "西岭村技术培训" in page and "联合主题党日" in page


@pytest.mark.django_db
def test_pages_show_only_what_the_reader_may_see(pworld: PairingWorld) -> None:
    """Township A's staff see on township A's enterprise page its pair with their own
    village, not the one with township B's village nor that pair's activity; the village
    contact sees their pair and activity but no liaison officer (appointments are not
    theirs to see); the liaison officer sees only the pair they are appointed to."""
    w = pworld.world
    cross = _cross_pair(pworld)
    page = _page(w.users[Role.TOWNSHIP_STAFF], "enterprises:enterprise_detail", w.enterprise.pk)
    assert f'data-testid="related-pair-{pworld.pair.pk}"' in page
    assert f'data-testid="related-pair-{cross.pk}"' not in page and "西岭村技术培训" not in page
    page = _page(w.users[Role.VILLAGE_CONTACT], "regions:village_detail", w.village.pk)
    assert f'data-testid="related-pair-{pworld.pair.pk}"' in page and "联合主题党日" in page
    assert 'data-testid="related-liaisons"' not in page
    page = _page(w.users[Role.ENTERPRISE_CONTACT], "enterprises:enterprise_detail", w.enterprise.pk)
    assert f'data-testid="related-pair-{cross.pk}"' in page  # their own enterprise's pairs, both
    assert 'data-testid="related-liaisons"' not in page


@pytest.mark.django_db
def test_query_count_does_not_grow_with_pairs(pworld: PairingWorld) -> None:
    """The enterprise page costs the same with one pair as with twelve, each with an
    activity and a liaison officer."""
    w = pworld.world
    staff = w.users[Role.COUNTY_STAFF]
    client = Client()
    client.force_login(staff)
    url = reverse("enterprises:enterprise_detail", args=[w.enterprise.pk])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    appointment = LiaisonAppointment.objects.get(pk=pworld.appointment.pk)
    for n in range(11):
        pair = Pair(campaign=pworld.campaign, enterprise=w.enterprise, village=village(w.township, 400 + n))
        pair.status = PairStatus.APPROVED
        pair.save()
        appointment.pairs.add(pair)
        Activity(pair=pair, head=ActivityHead.PARTY, date=date(2026, 5, 1), title=f"活动{n}").save()
    assert count() == one
    assert one <= 12  # today's 10 (the page's own and three for the pairs), plus two
