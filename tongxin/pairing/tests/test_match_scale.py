"""Matching runs in the background: start, progress, stored explanations, one run at a time,
access, and the bulk writes (change log, events, carried-over proposals, query count)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.core.choices import ChangeAction
from tongxin.core.models import ObjectChange
from tongxin.core.scope import allowed
from tongxin.pairing import services
from tongxin.pairing.choices import EventKind, PairStatus, Side, Stage
from tongxin.pairing.models import Campaign, CampaignEvent, MatchRun, Pair
from tongxin.pairing.models.campaign import UnmatchedParty
from tongxin.pairing.services import PairingError
from tongxin.pairing.services.selection import STALE_AFTER
from tongxin.regions.models import Village
from tongxin.testing import factories
from tongxin.testing.factories import World
from tongxin.testing.pairing import campaign_for, participant

_NUMBERS = itertools.count(210)  # village numbers (codes) not used by the test world


def _matching_campaign(world: World, extra: int = 0) -> Campaign:
    """A campaign in the matching stage: both enterprises want 东溪村 first, which takes one
    (so one enterprise and one village stay unmatched); ``extra`` more villages and
    enterprises in township A pair off one to one."""
    admin, staff = world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF]
    added = [
        (factories.enterprise(world.township), factories.village(world.township, next(_NUMBERS))) for _k in range(extra)
    ]
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    for enterprise in (world.enterprise, world.enterprise_b):
        services.preferences_set(participant=participant(campaign, enterprise), user=staff, partners=[world.village.pk])
    services.preferences_set(
        participant=participant(campaign, world.village),
        user=staff,
        partners=[world.enterprise.pk, world.enterprise_b.pk],
    )
    for enterprise, village in added:
        services.preferences_set(participant=participant(campaign, enterprise), user=staff, partners=[village.pk])
        services.preferences_set(participant=participant(campaign, village), user=staff, partners=[enterprise.pk])
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
    return campaign


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _no_solver() -> Any:
    """Patches that fail the test if anything builds a market, solves or explains."""
    refuse = AssertionError("the run page must not solve again")
    return mock.patch.multiple(
        "tongxin.matching.market.Market",
        __init__=mock.Mock(side_effect=refuse),
        solve=mock.Mock(side_effect=refuse),
        explain=mock.Mock(side_effect=refuse),
    )


@pytest.mark.django_db
def test_page_starts_a_background_run_and_shows_stored_explanations(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """The button enqueues the run (it runs when the request's transaction commits) and
    redirects to the run's page; the task writes the proposals, their events and change
    records, and the unmatched parties' explanations; the page then shows them without
    solving again."""
    campaign = _matching_campaign(world)
    staff = world.users[Role.COUNTY_STAFF]
    client = _client(staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("pairing:campaign_match", args=[campaign.pk]), {"proposing": "enterprise"})
    assert len(callbacks) == 1
    run = MatchRun.objects.get(campaign=campaign)
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.status == MatchRun.Status.DONE and run.finished is not None and run.started is not None
    assert set(run.timings) == {"loading", "solving", "writing", "explaining", "total"}
    pair = Pair.objects.get(campaign=campaign, match_run=run)
    assert (pair.enterprise_id, pair.village_id) == (world.enterprise.pk, world.village.pk)
    assert pair.township_id == world.village.township_id and pair.explanation["reason"] == "matched"
    created = ObjectChange.objects.get(
        changed_object_type=ContentType.objects.get_for_model(Pair),
        changed_object_id=pair.pk,
        action=ChangeAction.CREATE,
    )
    assert created.object_repr == str(pair)
    assert created.user == staff and created.source == "ui" and created.postchange_data["status"] == "proposed"
    assert CampaignEvent.objects.filter(pair=pair, kind=EventKind.PROPOSED, actor=staff).count() == 1
    assert CampaignEvent.objects.filter(campaign=campaign, kind=EventKind.MATCH_RUN).count() == 1
    stored = {(u.side, u.enterprise_id, u.village_id) for u in UnmatchedParty.objects.filter(run=run)}
    assert stored == {
        (Side.ENTERPRISE, world.enterprise_b.pk, world.village.pk),
        (Side.VILLAGE, None, world.village_b.pk),
    }

    with _no_solver():
        page = client.get(run.get_absolute_url()).content.decode()
    assert "The village holds 1 enterprise it ranks higher: " + world.enterprise.name in page
    assert "Did not rank anyone." in page and world.village_b.name in page


@pytest.mark.django_db
def test_progress_is_polled_until_the_run_is_done(world: World) -> None:
    """A waiting run's page shows a progress bar that polls the same address; the htmx
    answer gives the step and its percentage from the cache, and once the run is done it
    asks the browser to reload the whole page."""
    campaign = _matching_campaign(world)
    staff = world.users[Role.COUNTY_STAFF]
    run = services.match_run_start(campaign=campaign, user=staff)  # the task waits for the commit
    client = _client(staff)
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'data-testid="run-status"' in page and f'hx-get="{run.get_absolute_url()}"' in page
    assert "Waiting for a worker" in page
    cache.set(run.progress_key, {"step": MatchRun.Step.WRITING, "done": 500, "total": 1000})
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING)
    poll = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert poll.status_code == 200
    text = poll.content.decode()
    assert "Writing proposals" in text and "48%" in text and "<html" not in text
    api = APIClient()
    api.force_authenticate(staff)
    status = api.get(reverse("campaign-match", args=[campaign.pk]), {"run": run.pk}).json()
    assert (status["status"], status["step"], status["percent"]) == ("running", "writing", 48)
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.PENDING)
    assert services.match_run_execute(run_id=run.pk) is not None
    assert services.match_run_execute(run_id=run.pk) is None  # delivered twice: runs once
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE
    assert cache.get(run.progress_key) is None
    done = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


@pytest.mark.django_db
def test_a_double_submit_starts_one_run(world: World) -> None:
    """While a run waits or runs, a second start is refused: the page goes to the run under
    way, the API answers 409 naming it, leaving the stage is refused; a run lost for longer
    than STALE_AFTER no longer blocks and is marked failed."""
    campaign = _matching_campaign(world)
    admin, staff = world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF]
    client = _client(staff)
    url = reverse("pairing:campaign_match", args=[campaign.pk])
    first = client.post(url)  # no commit in this test's transaction: the run stays waiting
    run = MatchRun.objects.get(campaign=campaign)
    second = client.post(url)
    assert first["Location"] == second["Location"] == run.get_absolute_url()
    api = APIClient()
    api.force_authenticate(admin)
    conflict = api.post(reverse("campaign-match", args=[campaign.pk]), {}, format="json")
    assert conflict.status_code == 409 and conflict.json()["id"] == run.pk and conflict.json()["code"] == "running"
    assert MatchRun.objects.filter(campaign=campaign).count() == 1
    with pytest.raises(PairingError) as refused:
        services.campaign_advance(campaign=campaign, user=admin, to=Stage.REVIEW)
    assert refused.value.code == "running"
    MatchRun.objects.filter(pk=run.pk).update(created=run.created - STALE_AFTER - timedelta(minutes=1))
    again = services.match_run_create(campaign=campaign, user=staff)
    assert again.status == MatchRun.Status.DONE
    lost = MatchRun.objects.get(pk=run.pk)
    assert lost.status == MatchRun.Status.FAILED and lost.error
    assert services.match_run_execute(run_id=run.pk) is None  # its late task does nothing


@pytest.mark.django_db
def test_only_those_with_the_match_action_start_a_run(world: World) -> None:
    """Every role tries the page and the API: those whose hats give "match" on the
    campaign start a run (302 / 202), those who see the campaign get 403 and the others
    404, with no run written; township staff see the run page but only their township's
    unmatched parties; contacts do not see it at all."""
    campaign = _matching_campaign(world)
    for role, user in world.users.items():
        may = allowed(user, campaign, "match")
        sees = allowed(user, campaign, "view")
        page = _client(user).post(reverse("pairing:campaign_match", args=[campaign.pk]))
        api = APIClient()
        api.force_authenticate(user)
        answer = api.post(reverse("campaign-match", args=[campaign.pk]), {}, format="json")
        if may:
            assert page.status_code == 302 and "/runs/" in page["Location"], role
            assert answer.status_code == 409, role  # the page's run is under way
            MatchRun.objects.filter(campaign=campaign).delete()
        else:
            assert page.status_code == answer.status_code == (403 if sees else 404), role
            assert not MatchRun.objects.filter(campaign=campaign).exists(), role
    assert {r for r, u in world.users.items() if allowed(u, campaign, "match")} == {
        Role.COUNTY_ADMIN,
        Role.COUNTY_STAFF,
    }
    with pytest.raises(PermissionDenied):
        services.match_run_start(campaign=campaign, user=world.users[Role.TOWNSHIP_STAFF])
    with pytest.raises(Http404):
        services.match_run_start(campaign=campaign, user=factories.user("outsider"))

    run = services.match_run_create(campaign=campaign, user=world.users[Role.COUNTY_STAFF])
    township_page = _client(world.users[Role.TOWNSHIP_STAFF]).get(run.get_absolute_url()).content.decode()
    assert world.enterprise.name in township_page  # township A's unmatched: none; its pair: yes
    assert world.village_b.name not in township_page and world.enterprise_b.name not in township_page
    county_page = _client(world.users[Role.COUNTY_ADMIN]).get(run.get_absolute_url()).content.decode()
    assert world.village_b.name in county_page and world.enterprise_b.name in county_page
    for role in (Role.VILLAGE_CONTACT, Role.ENTERPRISE_CONTACT, Role.LIAISON):
        assert _client(world.users[role]).get(run.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_failed_run_writes_nothing_but_its_status(world: World) -> None:
    """When the campaign left the matching stage before the task ran, the run is marked
    failed with the reason and no proposal, event or explanation is written."""
    campaign = _matching_campaign(world)
    run = services.match_run_start(campaign=campaign, user=world.users[Role.COUNTY_STAFF])
    Campaign.objects.filter(pk=campaign.pk).update(stage=Stage.REVIEW)
    events = CampaignEvent.objects.count()
    failed = services.match_run_execute(run_id=run.pk)
    assert failed is not None and failed.status == MatchRun.Status.FAILED and "stage" in failed.error.lower()
    assert not Pair.objects.filter(campaign=campaign).exists() and not UnmatchedParty.objects.exists()
    assert CampaignEvent.objects.count() == events
    page = _client(world.users[Role.COUNTY_ADMIN]).get(run.get_absolute_url()).content.decode()
    assert 'data-testid="run-error"' in page


@pytest.mark.django_db
def test_a_second_run_carries_over_and_supersedes_in_bulk(world: World) -> None:
    """Run again with villages proposing after a ranking changed and a village moved: the
    proposals made again are carried over (new run, version + 1, an update record of what
    changed: the moved village's pair also its fit), the one no longer made is superseded
    (an update record from proposed to superseded, an event)."""
    campaign = _matching_campaign(world, extra=2)
    admin, staff = world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF]
    first = services.match_run_create(campaign=campaign, user=staff)
    kept = Pair.objects.get(campaign=campaign, village=world.village)
    moved, still = Pair.objects.filter(campaign=campaign).exclude(pk=kept.pk).order_by("pk")
    Village.objects.filter(pk=moved.village_id).update(latitude=30, longitude=120)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.REVIEW)
    Campaign.objects.filter(pk=campaign.pk).update(stage=Stage.SELECTION)
    services.preferences_set(
        participant=participant(campaign, world.village), user=staff, partners=[world.enterprise_b.pk]
    )
    Campaign.objects.filter(pk=campaign.pk).update(stage=Stage.MATCHING)
    second = services.match_run_create(campaign=campaign, user=staff, proposing="village")
    kept.refresh_from_db()
    assert kept.status == PairStatus.SUPERSEDED and kept.version == 2
    change = ObjectChange.objects.get(
        changed_object_type=ContentType.objects.get_for_model(Pair),
        changed_object_id=kept.pk,
        action=ChangeAction.UPDATE,
    )
    assert (change.prechange_data["status"], change.postchange_data["status"]) == ("proposed", "superseded")
    assert CampaignEvent.objects.filter(pair=kept, kind=EventKind.SUPERSEDED).count() == 1
    proposed = Pair.objects.filter(campaign=campaign, match_run=second, status=PairStatus.PROPOSED)
    assert proposed.filter(version=2).count() == 2  # the two extra pairs, carried over
    assert proposed.get(version=1).enterprise_id == world.enterprise_b.pk  # new: 东溪村 now wants enterprise B
    assert second.result["written"] == {"created": 1, "carried_over": 2, "superseded": 1, "kept": 0}
    assert first.result["written"]["created"] == 3
    fit = services.build_fit_model(campaign).score(moved.village_id, moved.enterprise_id)
    after = Pair.objects.get(pk=moved.pk)
    assert after.fit_score == round(fit.score.total, 4) != moved.fit_score
    assert after.fit_parts["distance_km"] > 1000 and after.explanation == moved.explanation
    pair_type = ContentType.objects.get_for_model(Pair)
    moved_change = ObjectChange.objects.get(changed_object_type=pair_type, changed_object_id=moved.pk, action="update")
    still_change = ObjectChange.objects.get(changed_object_type=pair_type, changed_object_id=still.pk, action="update")
    assert moved_change.prechange_data["fit_score"] == moved.fit_score
    assert moved_change.postchange_data["fit_score"] == after.fit_score
    assert {"match_run_id", "version"} <= set(
        still_change.postchange_data
    ) and "fit_score" not in still_change.postchange_data


@pytest.mark.django_db
def test_a_run_costs_the_same_queries_whatever_the_campaign_size(world: World) -> None:
    """Rankings are loaded, proposals, events, change records and explanations written in
    bulk: a campaign with 12 more pairs costs exactly as many queries as one with 2 more."""
    staff = world.users[Role.COUNTY_STAFF]

    def queries(extra: int) -> int:
        campaign = _matching_campaign(world, extra=extra)
        with CaptureQueriesContext(connection) as captured:
            run = services.match_run_create(campaign=campaign, user=staff)
        assert run.result["written"]["created"] == extra + 1
        Campaign.objects.filter(pk=campaign.pk).update(stage=Stage.CLOSED)
        return len(captured)

    small = queries(2)
    assert queries(12) == small
