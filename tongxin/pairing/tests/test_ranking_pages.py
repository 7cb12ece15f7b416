"""The ranking page (search, filters, fit, typed ranks, closed selection, on behalf) and
the staff's ranking progress with the list of those who have not ranked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.core.choices import Advantage
from tongxin.pairing import services
from tongxin.pairing.choices import Stage
from tongxin.pairing.models import Campaign
from tongxin.pairing.services import PairingError
from tongxin.testing import factories
from tongxin.testing.factories import World
from tongxin.testing.pairing import campaign_for, logged_in, participant

pytestmark = pytest.mark.usefixtures("chinese")


def _selection(world: World) -> Campaign:
    """A campaign in selection; the first village and enterprise have coordinates, the
    village needs marketing and has livestock, which the enterprise (industry C) offers
    and complements."""
    world.village.latitude, world.village.longitude = Decimal("29.79"), Decimal("119.69")
    world.village.save()
    world.village.needs.add("marketing", "ecommerce")
    world.village.advantages.add("livestock")
    world.enterprise.latitude, world.enterprise.longitude = Decimal("29.80"), Decimal("119.70")
    world.enterprise.save()
    world.enterprise.offers.add("marketing")
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=world.users[Role.COUNTY_ADMIN], to=Stage.SELECTION)
    return campaign


def _url(campaign: Campaign, obj: Any) -> str:
    return reverse("pairing:campaign_rank", args=[campaign.pk, participant(campaign, obj).pk])


def _rows(response: Any) -> dict[str, Any]:
    return {row.name: row for row in response.context["ranking"].rows}


@pytest.mark.django_db
def test_each_partner_says_needs_met_advantages_and_distance(world: World) -> None:
    """A row names the needs the partner meets and the advantages that match, its fit on
    0–100, and the distance in km from stored coordinates — "unknown" without them."""
    campaign = _selection(world)
    response = logged_in(world.users[Role.ENTERPRISE_CONTACT]).get(_url(campaign, world.enterprise))
    assert response.status_code == 200
    rows = _rows(response)
    near, far = rows[world.village.name], rows[world.village_b.name]
    assert near.fit.needs_met == ["市场对接与销售"]
    assert near.fit.advantages_matched == [str(Advantage.LIVESTOCK.label)]
    assert near.fit.km is not None and near.fit.km < 2
    assert 0 <= near.fit.total <= 100 and near.fit.total > far.fit.total
    assert far.fit.km is None
    page = response.content.decode()
    assert "市场对接与销售" in page and "匹配度（0–100）" in page and "未知" in page and " km" in page


@pytest.mark.django_db
def test_search_and_filters(world: World) -> None:
    """Search by name or code, filter by township and distance (unknown distances are left
    out); industry is offered when the partners are enterprises; bad input is a 400."""
    campaign = _selection(world)
    client = logged_in(world.users[Role.COUNTY_STAFF])
    url = _url(campaign, world.enterprise)
    assert set(_rows(client.get(url, {"q": world.village_b.name[:2]}))) == {world.village_b.name}
    assert set(_rows(client.get(url, {"q": world.village.code}))) == {world.village.name}
    assert set(_rows(client.get(url, {"township": world.township_b.pk}))) == {world.village_b.name}
    assert set(_rows(client.get(url, {"km": 10}))) == {world.village.name}
    assert "industry" not in client.get(url).context["form"].fields
    village_url = _url(campaign, world.village)
    world.enterprise_b.industry = "A"
    world.enterprise_b.save()
    assert set(_rows(client.get(village_url, {"industry": "A"}))) == {world.enterprise_b.name}
    bad = client.get(url, {"km": "far"})
    assert bad.status_code == 400 and "距离不超过（公里）" in bad.content.decode()
    assert client.get(url, {"township": world.township2.pk}).status_code == 400  # another county's
    assert client.get(url, {"township": "9" * 30, "q": "x" * 101}).status_code == 400


@pytest.mark.django_db
def test_typed_ranks_save_and_filtered_out_ranks_are_kept(world: World) -> None:
    """Rank numbers typed (no JavaScript) save in their order through the service; saving
    from a filtered list keeps the ranks of partners not shown (carried as hidden fields)."""
    campaign = _selection(world)
    client = logged_in(world.users[Role.ENTERPRISE_CONTACT])
    url = _url(campaign, world.enterprise)
    part = participant(campaign, world.enterprise)
    data = {"version": part.version, f"rank-{world.village.pk}": "2", f"rank-{world.village_b.pk}": "1"}
    assert client.post(url, data).status_code == 302
    part.refresh_from_db()
    assert part.ranking == [world.village_b.pk, world.village.pk]
    filtered = client.get(url, {"q": world.village.name})
    assert filtered.context["ranking"].hidden == [(world.village_b.pk, 1)]
    page = filtered.content.decode()
    assert f'name="rank-{world.village_b.pk}" value="1"' in page and "data-rank-table" not in page
    client.post(
        url + f"?q={world.village.name}",
        {"version": part.version, f"rank-{world.village.pk}": "3", f"rank-{world.village_b.pk}": "1"},
    )
    part.refresh_from_db()
    assert part.ranking == [world.village_b.pk, world.village.pk]
    assert client.post(url, {"version": part.version, f"rank-{world.village.pk}": "0"}).status_code == 302
    part.refresh_from_db()
    assert part.ranking == [world.village_b.pk, world.village.pk]  # 0 is refused, nothing written


@pytest.mark.django_db
def test_read_only_once_selection_closed(world: World) -> None:
    """After selection the page says why it is read-only (no save, inputs disabled); a
    post through the page or the API is refused by the service and writes nothing."""
    campaign = _selection(world)
    staff = world.users[Role.COUNTY_STAFF]
    services.preferences_set(
        participant=participant(campaign, world.village), user=staff, partners=[world.enterprise.pk]
    )
    services.campaign_advance(campaign=campaign, user=world.users[Role.COUNTY_ADMIN], to=Stage.MATCHING)
    campaign.refresh_from_db()
    contact = world.users[Role.ENTERPRISE_CONTACT]
    url = _url(campaign, world.enterprise)
    page = logged_in(contact).get(url).content.decode()
    assert 'data-testid="selection-closed"' in page and f"活动处于“{campaign.get_stage_display()}”阶段" in page
    assert 'data-testid="save-ranking"' not in page and "disabled" in page
    part = participant(campaign, world.enterprise)
    response = logged_in(contact).post(url, {"version": part.version, f"rank-{world.village.pk}": "1"}, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    api = APIClient()
    api.force_authenticate(contact)
    answer = api.post(
        reverse("campaign-preferences", args=[campaign.pk]),
        {"participant": part.pk, "partners": [world.village.pk], "version": part.version},
        format="json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "stage"
    with pytest.raises(PairingError) as refused:
        services.preferences_set(participant=part, user=staff, partners=[world.village.pk], version=part.version)
    assert refused.value.code == "stage"
    part.refresh_from_db()
    assert part.ranking == [] and part.ranked_at is None


@pytest.mark.django_db
def test_on_behalf_is_said_to_staff_only(world: World) -> None:
    """Staff ranking for an enterprise are told they do so on its behalf; the enterprise's
    contact never is, even when the saved ranking was entered by staff."""
    campaign = _selection(world)
    url = _url(campaign, world.enterprise)
    services.preferences_set(
        participant=participant(campaign, world.enterprise),
        user=world.users[Role.COUNTY_STAFF],
        partners=[world.village.pk],
    )
    staff_page = logged_in(world.users[Role.TOWNSHIP_STAFF]).get(url).content.decode()
    assert 'data-testid="on-behalf"' in staff_page and f"您正在代 {world.enterprise.name} 填报排序" in staff_page
    contact_page = logged_in(world.users[Role.ENTERPRISE_CONTACT]).get(url).content.decode()
    assert 'data-testid="on-behalf"' not in contact_page and "代填" not in contact_page and "代为" not in contact_page
    assert 'data-testid="ranking-progress"' not in contact_page


@pytest.mark.django_db
def test_progress_and_not_ranked_list(world: World, django_assert_max_num_queries: Any) -> None:
    """Staff see how many have ranked (n / total, with a bar) on the campaign page, the
    ranking page and the rankings page, which lists who has not ranked, each with a link to
    rank on their behalf — within the person's area, in a fixed number of queries."""
    campaign = _selection(world)
    staff = world.users[Role.COUNTY_STAFF]
    services.preferences_set(
        participant=participant(campaign, world.village), user=staff, partners=[world.enterprise.pk]
    )
    client = logged_in(staff)
    total = campaign.participants.count()
    detail = client.get(campaign.get_absolute_url()).content.decode()
    assert f"1 / {total}" in detail and 'role="progressbar"' in detail
    url = reverse("pairing:campaign_rankings", args=[campaign.pk])
    page = client.get(url)
    assert page.status_code == 200 and f"1 / {total}" in page.content.decode()
    listed = {str(p) for p in page.context["page"]}
    assert world.village.name not in listed and world.enterprise.name in listed and world.village_b.name in listed
    assert reverse("pairing:campaign_rank", args=[campaign.pk, participant(campaign, world.enterprise).pk]) in (
        page.content.decode()
    )
    township = logged_in(world.users[Role.TOWNSHIP_STAFF]).get(url)
    assert {p.township_id for p in township.context["page"]} == {world.township.pk}
    with django_assert_max_num_queries(12) as first:
        client.get(url)
    for n in range(10):
        factories.village(world.township_b, 300 + n)
        factories.enterprise(world.township)
    more = campaign_for(world.county, "第二期")
    services.campaign_advance(campaign=more, user=world.users[Role.COUNTY_ADMIN], to=Stage.SELECTION)
    more_url = reverse("pairing:campaign_rankings", args=[more.pk])
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(client.get(more_url).context["page"]) > 20


@pytest.mark.django_db
def test_ranking_pages_out_of_scope_and_for_contacts(world: World) -> None:
    """Another county's staff get 404 on both pages; a contact may not open the list of
    who has not ranked (403) and never sees the progress of others."""
    campaign = _selection(world)
    other = factories.user("admin_far", Role.COUNTY_ADMIN, county=world.county2)
    client = logged_in(other)
    assert client.get(reverse("pairing:campaign_rankings", args=[campaign.pk])).status_code == 404
    assert client.get(_url(campaign, world.enterprise)).status_code == 404
    contact = logged_in(world.users[Role.ENTERPRISE_CONTACT])
    assert contact.get(reverse("pairing:campaign_rankings", args=[campaign.pk])).status_code == 403
    assert 'data-testid="ranking-progress"' not in contact.get(campaign.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_ranking_page_queries_do_not_grow_with_partners(world: World, django_assert_max_num_queries: Any) -> None:
    """The ranking page costs the same number of queries for 2 partners or 22."""
    campaign = _selection(world)
    client = logged_in(world.users[Role.COUNTY_STAFF])
    url = _url(campaign, world.enterprise)
    with django_assert_max_num_queries(40) as first:
        client.get(url)
    for n in range(20):
        factories.village(world.township_b, 300 + n)
    more = campaign_for(world.county, "第二期")
    services.campaign_advance(campaign=more, user=world.users[Role.COUNTY_ADMIN], to=Stage.SELECTION)
    more_url = _url(more, world.enterprise)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(client.get(more_url).context["ranking"].rows) == 22
