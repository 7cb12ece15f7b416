"""The review queue, the pair page's review and the override pickers: what waits for the
person comes first, every return and rejection says why, the buttons are exactly the
steps the services allow, and the pickers search only what the person may pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.enterprises.models import Enterprise
from tongxin.pairing import services
from tongxin.pairing.choices import PairStatus, Side
from tongxin.pairing.models import Campaign, Pair, Participant
from tongxin.pairing.services.review import OVERRIDE_RESULTS, STEPS, can_take
from tongxin.testing import factories
from tongxin.testing.factories import World
from tongxin.testing.pairing import campaign_for, run_to_review


@dataclass
class ReviewWorld:
    world: World
    campaign: Campaign
    pair_a: Pair  # township A
    pair_b: Pair  # township B
    admin: User
    staff: User  # ran the matching: proposed every pair
    town: User  # township A
    town_b: User  # township B


@pytest.fixture
def rworld(world: World) -> ReviewWorld:
    admin, staff = world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF]
    campaign = campaign_for(world.county)
    run_to_review(campaign, [(world.enterprise, world.village), (world.enterprise_b, world.village_b)], admin, staff)
    town_b = factories.user("town_b1", Role.TOWNSHIP_STAFF, township=world.township_b)
    return ReviewWorld(
        world,
        campaign,
        Pair.objects.get(campaign=campaign, village=world.village),
        Pair.objects.get(campaign=campaign, village=world.village_b),
        admin,
        staff,
        world.users[Role.TOWNSHIP_STAFF],
        town_b,
    )


def _client(user: Any) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def _rows(html: str, pairs: list[Pair]) -> list[int]:
    """The pairs in the order the queue lists them."""
    return sorted((p.pk for p in pairs), key=lambda pk: html.index(f'data-testid="proposal-{pk}"'))


def _queue(rw: ReviewWorld) -> str:
    return reverse("pairing:campaign_review", args=[rw.campaign.pk])


@pytest.mark.django_db
def test_queue_lists_what_waits_for_the_person_first(rworld: ReviewWorld, django_assert_max_num_queries: Any) -> None:
    """For the county administrator a proposal waiting for a step of theirs (township B's
    proposal, which the county may also review) comes before a pair already approved,
    although its status sorts after it; query count is pinned."""
    rw = rworld
    services.pair_township_approve(pair=rw.pair_a, user=rw.town)
    services.pair_approve(pair=rw.pair_a, user=rw.admin)
    client = _client(rw.admin)
    with django_assert_max_num_queries(24):
        html = client.get(_queue(rw)).content.decode()
    assert _rows(html, [rw.pair_a, rw.pair_b]) == [rw.pair_b.pk, rw.pair_a.pk]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two_rows:
        client.get(_queue(rw))
    _many_enterprises(rw, 4)
    for participant in rw.campaign.participants.filter(enterprise__name__startswith="富春江"):
        services.pair_override_add(
            campaign=rw.campaign,
            user=rw.admin,
            enterprise_id=participant.enterprise_id,
            village_id=rw.world.village_b.pk,
            reason="县级调剂",
        )
    with CaptureQueriesContext(connection) as six_rows:
        more = client.get(_queue(rw)).content.decode()
    assert more.count('data-testid="proposal-') == 6
    assert len(six_rows) == len(two_rows)  # no query per row
    row_a = html[html.index(f'data-testid="proposal-{rw.pair_a.pk}"') :].split("</tr>")[0]
    assert "Approved: locked" in row_a and "row-actions" not in row_a


@pytest.mark.django_db
def test_queue_filters_by_a_township_of_the_persons_scope(rworld: ReviewWorld) -> None:
    """The township filter lists the townships the person sees, narrows the queue to one,
    and answers 400 for a township outside their scope or not an id — never a 500."""
    rw = rworld
    county = _client(rw.admin)
    html = county.get(_queue(rw), {"township": rw.world.township_b.pk}).content.decode()
    assert f"proposal-{rw.pair_b.pk}" in html and f"proposal-{rw.pair_a.pk}" not in html
    assert "data-searchable" in html and rw.world.township.name in html
    town = _client(rw.town)
    page = town.get(_queue(rw)).content.decode()
    assert rw.world.township.name in page and rw.world.township_b.name not in page  # the list is scoped
    for value in (rw.world.township_b.pk, rw.world.township2.pk, "x", "9" * 30):
        response = town.get(_queue(rw), {"township": value})
        assert response.status_code == 400, value
        assert f"proposal-{rw.pair_b.pk}" not in response.content.decode()
    both = county.get(_queue(rw), {"township": rw.world.township.pk, "status": "proposed"}).content.decode()
    assert f"proposal-{rw.pair_a.pk}" in both and f"proposal-{rw.pair_b.pk}" not in both


@pytest.mark.django_db
def test_buttons_are_the_steps_the_services_allow(rworld: ReviewWorld) -> None:
    """The queue offers a person exactly the steps ``can_take`` (the services' checks)
    allows: the township approves and returns its proposal; the staff member who ran the
    matching may only drop it (an override), not review it, and is told why; after the township's approval the
    township reviewer may not give the county's, and the page says so."""
    rw = rworld
    html = _client(rw.town).get(_queue(rw)).content.decode()
    row = html[html.index(f'data-testid="proposal-{rw.pair_a.pk}"') :].split("</tr>")[0]
    assert 'data-testid="township-approve"' in row and 'data-testid="return"' in row
    assert 'data-testid="county-approve"' not in row and 'data-testid="drop"' not in row
    staff = _client(rw.staff).get(_queue(rw)).content.decode()
    row = staff[staff.index(f'data-testid="proposal-{rw.pair_a.pk}"') :].split("</tr>")[0]
    assert 'data-testid="drop"' in row and 'data-testid="township-approve"' not in row  # the override only
    for action in ("review", "return"):
        verdict = can_take(STEPS[action], rw.pair_a, rw.staff)
        assert not verdict.ok and verdict.reason == "Nobody approves their own entry.", action
    services.pair_township_approve(pair=rw.pair_a, user=rw.town)
    rw.pair_a.refresh_from_db()
    verdict = can_take(STEPS["approve"], rw.pair_a, rw.admin)
    assert verdict.ok
    assert not can_take(STEPS["approve"], rw.pair_a, rw.town).ok
    pair_page = _client(rw.admin).get(rw.pair_a.get_absolute_url()).content.decode()
    assert 'data-testid="pair-approve"' in pair_page and 'data-testid="pair-reject"' in pair_page
    town_page = _client(rw.town).get(rw.pair_a.get_absolute_url()).content.decode()
    assert 'data-testid="review-actions"' not in town_page
    assert "Waiting for the county&#x27;s approval." in town_page


@pytest.mark.django_db
def test_every_return_and_rejection_says_why(rworld: ReviewWorld) -> None:
    """The township's return and the county's rejection keep their reasons: on the pair
    page (above the timeline and in it) and, shortened, in the queue row; the API
    answers a return without a reason with 400."""
    rw = rworld
    api_url = reverse("proposal-return-", args=[rw.pair_a.pk])
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(rw.town)
    assert api.post(api_url, {"reason": ""}, format="json").status_code == 400
    long_reason = "村集体经济组织尚未完成换届，" * 6
    services.pair_return(pair=rw.pair_a, user=rw.town, reason=long_reason)
    services.pair_reject(pair=rw.pair_a, user=rw.admin, reason="企业已迁出本县")
    page = _client(rw.admin).get(rw.pair_a.get_absolute_url()).content.decode()
    reasons = page[page.index('data-testid="review"') : page.index('data-testid="explanation"')]
    assert reasons.count('data-testid="review-reason"') == 2
    assert long_reason in reasons and "企业已迁出本县" in reasons
    timeline = page[page.index('data-testid="timeline"') :]
    assert long_reason in timeline and "企业已迁出本县" in timeline
    queue = _client(rw.admin).get(_queue(rw)).content.decode()
    row = queue[queue.index(f'data-testid="proposal-{rw.pair_a.pk}"') :].split("</tr>")[0]
    assert 'data-testid="last-reason"' in row and "企业已迁出本县" in row
    town_queue = _client(rw.town).get(_queue(rw), {"status": "rejected"}).content.decode()
    assert "Rejected by the county: 企业已迁出本县" in town_queue


def _many_enterprises(rw: ReviewWorld, n: int) -> None:
    for i in range(n):
        e = factories.enterprise(rw.world.township, f"富春江测试企业{i:02d}有限公司")
        Participant(campaign=rw.campaign, side=Side.ENTERPRISE, enterprise=e, township_id=e.township_id).save()


@pytest.mark.django_db
def test_override_picker_is_scoped_and_bounded(rworld: ReviewWorld) -> None:
    """The picker answers the county with at most twenty of the campaign's enterprises by
    name, code or township, never another county's; a township cadre (no override) gets
    403, another county's staff 404, an unknown side 404; an empty search lists nothing."""
    rw = rworld
    _many_enterprises(rw, OVERRIDE_RESULTS + 5)
    Enterprise.objects.filter(pk=rw.world.enterprise_b.pk).update(uscc="91330122MA2H0XYZ1Q")
    url = reverse("pairing:campaign_override_pick", args=[rw.campaign.pk, "enterprise"])
    county = _client(rw.admin)
    found = county.get(url, {"q": "富春江"}).content.decode()
    assert found.count('type="radio"') == OVERRIDE_RESULTS
    by_code = county.get(url, {"q": "MA2H0X"}).content.decode()
    assert rw.world.enterprise_b.name in by_code and by_code.count('type="radio"') == 1
    by_township = county.get(url, {"enterprise_q": rw.world.township_b.name}).content.decode()
    assert rw.world.enterprise_b.name in by_township and "富春江" not in by_township
    foreign = county.get(url, {"q": "公司"}).content.decode()
    assert rw.world.enterprise2.name not in foreign  # another county: never listed
    assert 'type="radio"' not in county.get(url, {"q": ""}).content.decode()
    village_url = reverse("pairing:campaign_override_pick", args=[rw.campaign.pk, "village"])
    villages = county.get(village_url, {"q": rw.world.village.code}).content.decode()
    assert rw.world.village.name in villages and rw.world.village2.name not in villages
    assert county.get(reverse("pairing:campaign_override_pick", args=[rw.campaign.pk, "x"])).status_code == 404
    assert _client(rw.town).get(url, {"q": "公司"}).status_code == 403
    outsider = factories.user("staff2", Role.COUNTY_STAFF, county=rw.world.county2)
    assert _client(outsider).get(url, {"q": "公司"}).status_code == 404


@pytest.mark.django_db
def test_override_page_searches_without_script_and_validates_the_ids(rworld: ReviewWorld) -> None:
    """Without script the review page itself lists the picker's matches; choosing both
    shows the blocking-pair check and the add form; a posted id of another county or of
    a non-participant is a form error (200), nothing is written; a right one adds it."""
    rw = rworld
    county = _client(rw.admin)
    page = county.get(_queue(rw), {"enterprise_q": "横村", "village_q": "东溪"}).content.decode()
    assert 'data-testid="choices-enterprise"' in page and rw.world.enterprise_b.name in page
    assert 'data-testid="choices-village"' in page and rw.world.village.name in page
    assert '<select name="enterprise"' not in page  # no list of the whole county
    chosen = county.get(
        _queue(rw), {"enterprise": rw.world.enterprise_b.pk, "village": rw.world.village.pk}
    ).content.decode()
    assert 'data-testid="override-add"' in chosen and 'data-testid="override-chosen"' in chosen
    count = Pair.objects.count()
    for enterprise, village in (
        (rw.world.enterprise2.pk, rw.world.village.pk),  # another county
        (rw.world.enterprise_b.pk, rw.world.village2.pk),
        (10**12, rw.world.village.pk),
    ):
        data = {"enterprise": enterprise, "village": village, "reason": "县级调剂"}
        response = county.post(_queue(rw), data)
        assert response.status_code == 200, (enterprise, village)
        assert 'data-testid="override-errors"' in response.content.decode()
    assert Pair.objects.count() == count
    right = {"enterprise": rw.world.enterprise_b.pk, "village": rw.world.village.pk, "reason": "县级调剂"}
    assert _client(rw.town).post(_queue(rw), right).status_code == 403  # no override right
    assert Pair.objects.count() == count
    data = {"enterprise": rw.world.enterprise_b.pk, "village": rw.world.village.pk, "reason": "县级调剂"}
    response = county.post(_queue(rw), data)
    assert response.status_code == 302
    assert rw.campaign.pairs.filter(enterprise=rw.world.enterprise_b, village=rw.world.village).exists()


@pytest.mark.django_db
def test_bulk_actions_still_follow_the_steps(rworld: ReviewWorld) -> None:
    """The bulk form stays: the township's bulk approval works from the queue, and its
    buttons are only those the person may take on a listed proposal."""
    rw = rworld
    html = _client(rw.town).get(_queue(rw)).content.decode()
    assert 'data-testid="bulk-review"' in html and 'data-testid="bulk-approve"' not in html
    url = reverse("pairing:campaign_review_bulk", args=[rw.campaign.pk, "review"])
    _client(rw.town).post(url, {"pairs": [rw.pair_a.pk, rw.pair_b.pk]})
    rw.pair_a.refresh_from_db()
    rw.pair_b.refresh_from_db()
    assert rw.pair_a.status == PairStatus.TOWNSHIP_APPROVED and rw.pair_b.status == PairStatus.PROPOSED
