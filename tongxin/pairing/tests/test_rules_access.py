"""Who may take which workflow action: one policy per model, asked by the services, the
pages, the API and the buttons alike; exports and the "why (not) this pair" page."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.pairing import services
from tongxin.pairing.choices import PairStatus, Stage
from tongxin.pairing.models import CampaignEvent, Letter, Report
from tongxin.testing.factories import World
from tongxin.testing.pairing import PairingWorld, campaign_for, participant
from tongxin.testing.sheets import table_rows


def _page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _submitted(pworld: PairingWorld) -> Report:
    return services.report_submit(
        pair=pworld.pair, user=pworld.world.users[Role.LIAISON], period=date(2026, 2, 1), data={"jobs": 1}
    )


def _outsiders(pworld: PairingWorld) -> list[tuple[User, int]]:
    """Province staff (read-only: sees, may not act → 403) and another county's staff (→ 404)."""
    return [(pworld.world.users[Role.PROVINCE_STAFF], 403), (User.objects.get(username="staff2"), 404)]


@pytest.mark.django_db
def test_read_only_and_foreign_staff_can_do_nothing_through_pages(pworld: PairingWorld) -> None:
    """Province staff see county 1 but every workflow button behind a page answers 403;
    another county's staff get 404; nothing is written either way."""
    report = _submitted(pworld)
    events = CampaignEvent.objects.count()
    for user, code in _outsiders(pworld):
        client = _page(user)
        posts = [
            (reverse("pairing:campaign_advance", args=[pworld.campaign.pk]), {"to": Stage.CLOSED}),
            (reverse("pairing:campaign_match", args=[pworld.campaign.pk]), {}),
            (reverse("pairing:pair_action", args=[pworld.pair.pk, "reopen"]), {"reason": "复核"}),
            (reverse("pairing:pair_letter_issue", args=[pworld.pair.pk]), {}),
            (reverse("pairing:appointment_letter_issue", args=[pworld.appointment.pk]), {}),
            (reverse("pairing:report_review", args=[report.pk, "accept"]), {}),
            (reverse("pairing:activity_confirm", args=[pworld.activity.pk]), {"version": pworld.activity.version}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == code, (user, url)
        assert client.get(reverse("pairing:campaign_appoint", args=[pworld.campaign.pk])).status_code == code
    assert CampaignEvent.objects.count() == events
    assert not Letter.objects.exists()
    report.refresh_from_db()
    assert report.status == "submitted"


@pytest.mark.django_db
def test_read_only_and_foreign_staff_can_do_nothing_through_the_api(pworld: PairingWorld) -> None:
    """The same refusals through /api/: 403 for the province's read-only staff, 404 for
    another county's staff, and nothing written."""
    report = _submitted(pworld)
    activity = pworld.activity
    for user, code in _outsiders(pworld):
        api = _api(user)
        posts = [
            (reverse("campaign-advance", args=[pworld.campaign.pk]), {"to": Stage.CLOSED}),
            (reverse("campaign-match", args=[pworld.campaign.pk]), {}),
            (reverse("report-accept", args=[report.pk]), {}),
            (reverse("report-return-", args=[report.pk]), {"reason": "x"}),
            (reverse("activity-confirm", args=[activity.pk]), {"version": activity.version}),
        ]
        for url, data in posts:
            assert api.post(url, data, format="json").status_code == code, (user, url)
    report.refresh_from_db()
    activity.refresh_from_db()
    assert report.status == "submitted" and not activity.confirmed_by_village


@pytest.mark.django_db
def test_review_buttons_follow_the_policy(pworld: PairingWorld) -> None:
    """The campaign page offers "next stage", the review page and the ledger export only to
    those the policy allows: closing a running campaign is the administrator's, so county
    staff get no "next stage" button; contacts, liaisons and province staff get no review
    link and the review page answers them 403; only those who may export get the export."""
    campaign = pworld.campaign
    url = campaign.get_absolute_url()
    admin_page = _page(pworld.world.users[Role.COUNTY_ADMIN]).get(url).content.decode()
    assert 'data-testid="advance"' in admin_page and 'data-testid="review-link"' in admin_page
    for role in (Role.ENTERPRISE_CONTACT, Role.PROVINCE_STAFF, Role.LIAISON):
        client = _page(pworld.world.users[role])
        page = client.get(url).content.decode()
        assert 'data-testid="advance"' not in page and 'data-testid="review-link"' not in page, role
        assert ('data-testid="ledger-export"' in page) == (role == Role.PROVINCE_STAFF), role
        assert client.get(reverse("pairing:campaign_review", args=[campaign.pk])).status_code == 403
    staff_page = _page(pworld.world.users[Role.COUNTY_STAFF]).get(url).content.decode()
    assert 'data-testid="advance"' not in staff_page and 'data-testid="review-link"' in staff_page


@pytest.mark.django_db
def test_only_the_administrator_closes_a_campaign(pworld: PairingWorld) -> None:
    """Closing (the last stage) is the county administrator's: county staff are refused
    with 403 on the page and in the API, the administrator closes it."""
    staff, admin = pworld.world.users[Role.COUNTY_STAFF], pworld.world.users[Role.COUNTY_ADMIN]
    url = reverse("pairing:campaign_advance", args=[pworld.campaign.pk])
    assert _page(staff).post(url, {"to": Stage.CLOSED}).status_code == 403
    api_url = reverse("campaign-advance", args=[pworld.campaign.pk])
    assert _api(staff).post(api_url, {"to": Stage.CLOSED}, format="json").status_code == 403
    name = pworld.campaign.name
    payload = {"to": Stage.CLOSED, "confirm_name": name}
    assert _api(admin).post(api_url, payload, format="json").json()["stage"] == Stage.CLOSED


@pytest.mark.django_db
def test_contacts_and_liaisons_cannot_export(pworld: PairingWorld) -> None:
    """The pair ledger and the dashboard tables are exports: 403 for contacts and liaison
    officers (they see the campaign, have no export right), the Excel buttons are not
    shown to them; county staff and province staff download them."""
    campaign = pworld.campaign
    ledger = reverse("pairing:campaign_ledger", args=[campaign.pk])
    table = reverse("pairing:campaign_dashboard_export", args=[campaign.pk, "coverage"])
    for role in (Role.ENTERPRISE_CONTACT, Role.VILLAGE_CONTACT, Role.LIAISON):
        client = _page(pworld.world.users[role])
        assert client.get(ledger).status_code == 403, role
        assert client.get(table).status_code == 403, role
        dashboard = client.get(reverse("pairing:campaign_dashboard", args=[campaign.pk]), {"period": "2026-01"})
        assert dashboard.status_code == 200 and 'data-testid="export-coverage"' not in dashboard.content.decode()
    for role in (Role.COUNTY_STAFF, Role.PROVINCE_STAFF):
        client = _page(pworld.world.users[role])
        rows = table_rows(load_workbook(io.BytesIO(client.get(ledger).content)).active)
        assert len(rows) == 3, role
        assert client.get(table).status_code == 200
    township = _page(pworld.world.users[Role.TOWNSHIP_STAFF]).get(ledger)
    rows = table_rows(load_workbook(io.BytesIO(township.content)).active)
    assert [r[0] for r in rows[1:]] == [pworld.pair.enterprise.name]  # its own township's pair only


def _village_ranks_other_first(world: World) -> Any:
    """Both enterprises want village A (one place); village A ranks enterprise B first."""
    admin, staff = world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF]
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    for enterprise in (world.enterprise, world.enterprise_b):
        services.preferences_set(participant=participant(campaign, enterprise), user=staff, partners=[world.village.pk])
    services.preferences_set(
        participant=participant(campaign, world.village),
        user=staff,
        partners=[world.enterprise_b.pk, world.enterprise.pk],
    )
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
    services.match_run_create(campaign=campaign, user=staff)
    return campaign


@pytest.mark.django_db
def test_why_page_hides_how_the_village_ranked_other_enterprises(world: World) -> None:
    """Asked why their enterprise is not with village A, staff read that the village holds
    enterprise B, which it ranks higher; the enterprise's contact reads only that the
    village's places are taken by enterprises it ranks higher — no name, no count."""
    campaign = _village_ranks_other_first(world)
    url = reverse("pairing:campaign_why", args=[campaign.pk])
    query = {"enterprise": world.enterprise.pk, "village": world.village.pk}
    staff = _page(world.users[Role.COUNTY_STAFF])
    staff.cookies["django_language"] = "en"
    assert "The village holds 1 enterprise it ranks higher: " + world.enterprise_b.name in staff.get(
        url, query
    ).content.decode("utf-8")
    contact = _page(world.users[Role.ENTERPRISE_CONTACT])
    contact.cookies["django_language"] = "en"
    page = contact.get(url, query).content.decode("utf-8")
    assert page.count("data-testid") and world.enterprise_b.name not in page
    assert "places are taken by enterprises it ranks higher" in page and "holds 1" not in page


@pytest.mark.django_db
def test_api_explanation_hides_the_other_sides_ranking(world: World) -> None:
    """A village with two places ranks enterprise B above enterprise A and gets both: the
    explanation of pair A tells staff which enterprise the village prefers; enterprise
    A's contact gets the pair with their own position but without that list."""
    admin, staff = world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF]
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    village = participant(campaign, world.village)
    services.preferences_set(
        participant=village, user=staff, partners=[world.enterprise_b.pk, world.enterprise.pk], capacity=2
    )
    for enterprise in (world.enterprise, world.enterprise_b):
        services.preferences_set(participant=participant(campaign, enterprise), user=staff, partners=[world.village.pk])
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
    services.match_run_create(campaign=campaign, user=staff)
    pair = campaign.pairs.get(enterprise=world.enterprise)
    assert pair.explanation["village_prefers"] == [world.enterprise_b.pk]
    url = reverse("proposal-detail", args=[pair.pk])
    seen_by_staff = _api(staff).get(url).json()
    assert seen_by_staff["explanation"]["village_prefers"] == [world.enterprise_b.pk]
    seen_by_contact = _api(world.users[Role.ENTERPRISE_CONTACT]).get(url).json()
    assert "village_prefers" not in seen_by_contact["explanation"]
    assert seen_by_contact["explanation"]["village_rank"] == 1  # their own position: no. 2
    assert world.enterprise_b.name not in seen_by_contact["why"]


@pytest.mark.django_db
def test_ranking_needs_the_version_it_started_from(world: World) -> None:
    """A ranking sent without the participant's version is refused (400), with an old
    version it is not saved (409) — on the page too, where a message says so."""
    admin = world.users[Role.COUNTY_ADMIN]
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    part = participant(campaign, world.enterprise)
    contact = world.users[Role.ENTERPRISE_CONTACT]
    url = reverse("campaign-preferences", args=[campaign.pk])
    api = _api(contact)
    assert api.post(url, {"participant": part.pk, "partners": [world.village.pk]}, format="json").status_code == 400
    services.preferences_set(participant=part, user=world.users[Role.COUNTY_STAFF], partners=[world.village_b.pk])
    stale = {"participant": part.pk, "partners": [world.village.pk], "version": 1}
    assert api.post(url, stale, format="json").status_code == 409
    page = _page(contact).post(
        reverse("pairing:campaign_rank", args=[campaign.pk, part.pk]),
        {f"rank-{world.village.pk}": "1", "version": "1"},
        follow=True,
    )
    assert page.status_code == 200 and any(m.level_tag == "error" for m in page.context["messages"])
    part.refresh_from_db()
    assert part.ranking == [world.village_b.pk]


@pytest.mark.django_db
def test_a_township_reviews_only_its_township(pworld: PairingWorld) -> None:
    """Township staff see and review proposals of their own township; another township's
    proposal is 404 for them, and they may not give the county's approval (403)."""
    from tongxin.pairing.models import Pair

    world = pworld.world
    campaign = campaign_for(world.county, "第二期")
    services.campaign_advance(campaign=campaign, user=world.users[Role.COUNTY_ADMIN], to=Stage.SELECTION)
    proposal_b = Pair(campaign=campaign, enterprise=world.enterprise_b, village=world.village_b)
    proposal_b.save()
    township = _api(world.users[Role.TOWNSHIP_STAFF])
    assert township.post(reverse("proposal-review", args=[proposal_b.pk])).status_code == 404
    proposal = Pair(campaign=campaign, enterprise=world.enterprise, village=world.village)
    proposal.save()
    assert township.post(reverse("proposal-approve", args=[proposal.pk])).status_code == 403
    assert Pair.objects.get(pk=proposal.pk).status == PairStatus.PROPOSED
