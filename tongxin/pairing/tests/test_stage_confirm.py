"""Stage changes: the page names the next stage and asks for confirmation, closing needs
the campaign's name (in the service, so the API too), and the campaign page shows the
button exactly when ``can_advance`` — the service's own checks — says yes, else why not."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.pairing import services
from tongxin.pairing.choices import Stage
from tongxin.pairing.models import Campaign, CampaignEvent
from tongxin.pairing.services import PairingError
from tongxin.pairing.services.campaigns import can_advance, next_stage
from tongxin.testing.factories import World
from tongxin.testing.pairing import PairingWorld, campaign_for


def _client(user: Any) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_next_stage_is_named_and_confirmed_before_it_is_taken(world: World) -> None:
    """The campaign page links to a confirmation naming the next stage and what it does;
    only its POST moves the campaign, which then is recorded once."""
    admin = world.users[Role.COUNTY_ADMIN]
    campaign = campaign_for(world.county)
    client = _client(admin)
    page = client.get(campaign.get_absolute_url()).content.decode()
    url = reverse("pairing:campaign_advance", args=[campaign.pk])
    assert f'href="{url}" data-testid="advance"' in page and "Next stage: Selection open…" in page
    confirm = client.get(url)
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "“Preparing” to “Selection open”" in html
    assert "asked to rank" in html and 'data-testid="confirm-advance"' in html and "confirm_name" not in html
    campaign.refresh_from_db()
    assert campaign.stage == Stage.PREPARING  # reading the confirmation changes nothing
    assert client.post(url, {"to": Stage.SELECTION}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.stage == Stage.SELECTION
    assert CampaignEvent.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db
def test_closing_needs_the_campaigns_name_on_the_page_and_in_the_api(pworld: PairingWorld) -> None:
    """Closing a running campaign cannot be undone: the confirmation asks for its name;
    missing or wrong, the page answers 400 with the reason and the API 400 with
    ``confirm_name``; nothing changes; the right name closes it."""
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    campaign = pworld.campaign
    url = reverse("pairing:campaign_advance", args=[campaign.pk])
    client = _client(admin)
    html = client.get(url).content.decode()
    assert 'data-testid="confirm-name"' in html and "cannot be undone" in html
    for typed in ("", "另一个名字"):
        response = client.post(url, {"to": Stage.CLOSED, "confirm_name": typed})
        assert response.status_code == 400, typed
        assert 'data-testid="confirm-error"' in response.content.decode()
    api_url = reverse("campaign-advance", args=[campaign.pk])
    for body in ({"to": Stage.CLOSED}, {"to": Stage.CLOSED, "confirm_name": campaign.name + "x"}):
        answer = _api(admin).post(api_url, body, format="json")
        assert answer.status_code == 400 and answer.json()["code"] == "confirm_name", body
    with pytest.raises(PairingError):
        services.campaign_advance(campaign=campaign, user=admin, to=Stage.CLOSED)
    campaign.refresh_from_db()
    assert campaign.stage == Stage.RUNNING
    response = client.post(url, {"to": Stage.CLOSED, "confirm_name": f"  {campaign.name} "})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.stage == Stage.CLOSED


@pytest.mark.django_db
def test_page_says_why_not_and_what_comes_next(world: World) -> None:
    """Without the right (a contact, township staff) the page tells what comes next;
    with it but blocked by the stage's guard (nobody has ranked yet) it gives the
    guard's reason; neither gets the button, and the confirmation page shows the same."""
    admin = world.users[Role.COUNTY_ADMIN]
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    url = reverse("pairing:campaign_advance", args=[campaign.pk])
    for role in (Role.ENTERPRISE_CONTACT, Role.TOWNSHIP_STAFF):
        page = _client(world.users[role]).get(campaign.get_absolute_url()).content.decode()
        assert 'data-testid="advance"' not in page, role
        assert "Selection closes when the county moves the campaign to matching." in page, role
        confirm = _client(world.users[role]).get(url).content.decode()
        assert 'data-testid="confirm-advance"' not in confirm and "Selection closes" in confirm
    page = _client(admin).get(campaign.get_absolute_url()).content.decode()
    assert 'data-testid="advance"' not in page and "Nobody has ranked yet." in page
    outsider_url = reverse("pairing:campaign_advance", args=[campaign_for(world.county2).pk])
    assert _client(admin).get(outsider_url).status_code == 404


@pytest.mark.django_db
def test_can_advance_agrees_with_the_service(pworld: PairingWorld) -> None:
    """For every role and every stage of a campaign's life, ``can_advance`` says yes
    exactly when ``campaign_advance`` (tried and rolled back) moves the campaign."""
    campaign = pworld.campaign
    Campaign.objects.filter(pk=campaign.pk).update(stage=Stage.APPROVED)
    for stage in (Stage.APPROVED, Stage.RUNNING):
        Campaign.objects.filter(pk=campaign.pk).update(stage=stage)
        campaign.refresh_from_db()
        to = next_stage(campaign)
        assert to is not None
        for role, person in pworld.world.users.items():
            verdict = can_advance(person, campaign)
            try:
                with transaction.atomic():
                    services.campaign_advance(campaign=campaign, user=person, to=to, confirm_name=campaign.name)
                    transaction.set_rollback(True)
                moved = True
            except (PairingError, PermissionDenied, Http404):
                moved = False
            assert verdict.ok == moved, (stage, role, verdict)
            assert verdict.ok or verdict.reason, (stage, role)


@pytest.mark.django_db
def test_record_pages_say_who_acts_when_the_person_may_not(pworld: PairingWorld) -> None:
    """The report, activity, pair and appointment pages show a button exactly when the
    service's predicate says yes, and otherwise why not: the submitter may not accept
    their own report, county staff do not confirm activities (the village does), a
    contact does not issue letters (the county does)."""
    from datetime import date

    from tongxin.pairing.services.activities import can_confirm
    from tongxin.pairing.services.reports import can_review_report

    users = pworld.world.users
    liaison, town = users[Role.LIAISON], users[Role.TOWNSHIP_STAFF]
    report = services.report_submit(pair=pworld.pair, user=town, period=date(2026, 2, 1))
    own = _client(town).get(report.get_absolute_url()).content.decode()
    assert 'data-testid="accept-report"' not in own
    assert "Nobody accepts or returns a report they created or submitted." in own
    assert not can_review_report(town, report, "accept").ok
    staff = _client(users[Role.COUNTY_STAFF]).get(report.get_absolute_url()).content.decode()
    assert 'data-testid="accept-report"' in staff and 'data-testid="report-review-reason"' not in staff
    as_liaison = _client(liaison).get(report.get_absolute_url()).content.decode()
    assert "Waiting for the township or the county to accept it." in as_liaison
    activity = pworld.activity
    page = _client(users[Role.COUNTY_STAFF]).get(activity.get_absolute_url()).content.decode()
    assert 'data-testid="confirm-activity"' not in page and "village confirms" in page
    village = _client(users[Role.VILLAGE_CONTACT]).get(activity.get_absolute_url()).content.decode()
    assert 'data-testid="confirm-activity"' in village and can_confirm(users[Role.VILLAGE_CONTACT], activity).ok
    contact = _client(users[Role.ENTERPRISE_CONTACT]).get(pworld.pair.get_absolute_url()).content.decode()
    assert 'data-testid="issue-letter"' not in contact
    assert "The county issues the letter of responsibility." in contact
    assert (
        'data-testid="issue-letter"'
        in _client(users[Role.COUNTY_STAFF]).get(pworld.pair.get_absolute_url()).content.decode()
    )
    appointment = _client(liaison).get(pworld.appointment.get_absolute_url()).content.decode()
    assert "The county issues the letter of appointment." in appointment


@pytest.mark.django_db
def test_the_confirmation_reads_in_chinese(pworld: PairingWorld) -> None:
    """In the site's language the closing confirmation asks for the name in Chinese and
    names the stage it moves to."""
    from tongxin.testing.pending_locale import use_pending_translations

    client = Client()
    client.force_login(pworld.world.users[Role.COUNTY_ADMIN])
    with use_pending_translations():
        html = client.get(reverse("pairing:campaign_advance", args=[pworld.campaign.pk])).content.decode()
    assert f"请输入活动名称“{pworld.campaign.name}”以确认" in html and "推进到“已结束”" in html
