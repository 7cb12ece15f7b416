"""Workflow rules every path obeys (page and API alike): records only on approved pairs of
running campaigns, the village's confirmation, separation of duties, links within one
county, versions on every edit, and records of work that are never deleted."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.core.exceptions import WorkflowError
from tongxin.pairing import services
from tongxin.pairing.choices import EventKind, LetterKind, PairStatus, ReportStatus, Stage
from tongxin.pairing.models import (
    Activity,
    Campaign,
    CampaignEvent,
    Letter,
    LiaisonAppointment,
    Pair,
    PairPlan,
    Report,
    Support,
)
from tongxin.testing.factories import World, build_world, user
from tongxin.testing.pairing import PairingWorld, build_pairing_world, campaign_for, participant


def _page(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _api(person: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def _errors(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


def _rejected_pair(pworld: PairingWorld) -> Pair:
    """A rejected proposal of the running campaign, visible to the same people as pair A."""
    pair = Pair(
        campaign=pworld.campaign,
        enterprise=pworld.world.enterprise,
        village=pworld.world.village_b,
        status=PairStatus.REJECTED,
    )
    pair.save()
    return pair


# Records only on approved pairs of a running campaign -----------------------------------


@pytest.mark.django_db
def test_no_activity_support_or_plan_on_a_pair_that_is_not_approved(pworld: PairingWorld) -> None:
    """A rejected proposal gets no activity (page: not a choice; API: 400), no support and
    no plan; nothing is written."""
    rejected = _rejected_pair(pworld)
    staff = pworld.world.users[Role.COUNTY_STAFF]
    activity = {"pair": rejected.pk, "head": "party", "date": "2026-04-01", "title": "党日", "amount": "0"}
    response = _page(staff).post(reverse("pairing:activity_add"), activity)
    assert response.status_code == 200 and "pair" in response.context["form"].errors
    api = _api(staff).post(reverse("activity-list"), activity, format="json")
    assert api.status_code == 400, api.content
    support = {"pair": rejected.pk, "kind": "material", "date": "2026-04-01", "amount": "1", "description": "物资"}
    assert "pair" in _page(staff).post(reverse("pairing:support_add"), support).context["form"].errors
    plan = _page(staff).post(reverse("pairing:pair_plan", args=[rejected.pk]), {"mode": "jobs"}, follow=True)
    assert _errors(plan)
    assert not Activity.objects.filter(pair=rejected).exists()
    assert not Support.objects.filter(pair=rejected).exists()
    assert not PairPlan.objects.filter(pair=rejected).exists()


@pytest.mark.django_db
def test_no_report_on_a_pair_that_is_not_approved(pworld: PairingWorld) -> None:
    """Reports of a rejected proposal are refused on the page (a message) and in the API (400)."""
    rejected = _rejected_pair(pworld)
    staff = pworld.world.users[Role.COUNTY_STAFF]
    url = reverse("pairing:pair_report", args=[rejected.pk, "2026-02-01"])
    page = _page(staff).post(url, {"jobs": 1, "investment": 0, "farmer_income": 0, "collective_income": 0,
                                   "projects": 0, "version": 0})  # fmt: skip
    assert page.status_code == 200 and page.context["form"].non_field_errors()
    api = _api(staff).post(reverse("report-list"), {"pair": rejected.pk, "period": "2026-02-01"}, format="json")
    assert api.status_code == 400 and api.json()["code"] == "status"
    assert not Report.objects.filter(pair=rejected).exists()


@pytest.mark.django_db
def test_nothing_is_recorded_once_the_campaign_is_closed(pworld: PairingWorld) -> None:
    """After the administrator closes the campaign its approved pairs take no new activity
    (page and API) and no report, and existing activities can no longer be changed."""
    admin, staff = pworld.world.users[Role.COUNTY_ADMIN], pworld.world.users[Role.COUNTY_STAFF]
    services.campaign_advance(campaign=pworld.campaign, user=admin, to=Stage.CLOSED, confirm_name=pworld.campaign.name)
    activity = {"pair": pworld.pair.pk, "head": "party", "date": "2026-04-01", "title": "党日", "amount": "0"}
    assert "pair" in _page(staff).post(reverse("pairing:activity_add"), activity).context["form"].errors
    api = _api(staff)
    assert api.post(reverse("activity-list"), activity, format="json").status_code == 400
    patch = api.patch(
        reverse("activity-detail", args=[pworld.activity.pk]),
        {"title": "改", "version": pworld.activity.version},
        format="json",
    )
    assert patch.status_code == 400
    report = api.post(reverse("report-list"), {"pair": pworld.pair.pk, "period": "2026-03-01"}, format="json")
    assert report.status_code == 400 and report.json()["code"] == "stage"
    assert Activity.objects.filter(pair=pworld.pair).count() == 1


# The village confirms activities ----------------------------------------------------------


@pytest.mark.django_db
def test_confirmation_is_not_a_form_or_api_field(pworld: PairingWorld) -> None:
    """Neither the activity form nor the API can tick "confirmed by the village"."""
    contact = pworld.world.users[Role.ENTERPRISE_CONTACT]
    activity = pworld.activity
    edit = reverse("pairing:activity_edit", args=[activity.pk])
    form = _page(contact).get(edit).context["form"]
    assert "confirmed_by_village" not in form.fields
    _page(contact).post(edit, {"pair": activity.pair_id, "head": "party", "date": "2026-03-01", "title": "党日",
                               "amount": "0", "confirmed_by_village": "on", "version": activity.version})  # fmt: skip
    activity.refresh_from_db()
    assert not activity.confirmed_by_village
    patch = _api(contact).patch(
        reverse("activity-detail", args=[activity.pk]),
        {"confirmed_by_village": True, "version": activity.version},
        format="json",
    )
    assert patch.status_code == 200 and patch.json()["confirmed_by_village"] is False
    activity.refresh_from_db()
    assert not activity.confirmed_by_village


@pytest.mark.django_db
def test_the_village_confirms_through_the_page_and_the_api(pworld: PairingWorld) -> None:
    """The contact of the pair's village confirms with the page button and through the API;
    the enterprise contact is refused (403), another village's activity is 404 for them,
    a second confirmation is 400, and each confirmation is an event."""
    village, enterprise = pworld.world.users[Role.VILLAGE_CONTACT], pworld.world.users[Role.ENTERPRISE_CONTACT]
    activity = pworld.activity
    page = _page(village).get(activity.get_absolute_url()).content.decode()
    assert 'data-testid="confirm-activity"' in page
    assert 'data-testid="confirm-activity"' not in _page(enterprise).get(activity.get_absolute_url()).content.decode()
    url = reverse("pairing:activity_confirm", args=[activity.pk])
    assert _page(enterprise).post(url, {"version": activity.version}).status_code == 403
    assert _page(village).post(url, {"version": activity.version}).status_code == 302
    activity.refresh_from_db()
    assert activity.confirmed_by_village and activity.confirmed_by == village
    second = Activity(pair=pworld.pair, head="service", date=date(2026, 4, 2), title="培训")
    second.save()
    api_url = reverse("activity-confirm", args=[second.pk])
    assert _api(enterprise).post(api_url, {"version": second.version}, format="json").status_code == 403
    assert _api(village).post(api_url, {}, format="json").status_code == 400  # the version is required
    done = _api(village).post(api_url, {"version": second.version}, format="json")
    assert done.status_code == 200 and done.json()["confirmed_by_village"] is True
    again = _api(village).post(api_url, {"version": done.json()["version"]}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "confirmed"
    other = reverse("activity-confirm", args=[pworld.activity_b.pk])
    assert _api(village).post(other, {"version": 1}, format="json").status_code == 404
    assert pworld.pair.events.filter(kind=EventKind.ACTIVITY_CONFIRMED).count() == 2


@pytest.mark.django_db
def test_nobody_confirms_their_own_activity_and_a_confirmed_one_is_locked(pworld: PairingWorld) -> None:
    """An activity the village contact recorded themselves cannot be confirmed by them
    (400); once confirmed, an activity can no longer be changed (400) nor deleted (a
    message on the page, 400 in the API)."""
    village = pworld.world.users[Role.VILLAGE_CONTACT]
    created = _api(village).post(
        reverse("activity-list"),
        {"pair": pworld.pair.pk, "head": "service", "date": "2026-04-03", "title": "村里自记"},
        format="json",
    )
    assert created.status_code == 201, created.content
    own = created.json()
    refused = _api(village).post(reverse("activity-confirm", args=[own["id"]]), {"version": own["version"]})
    assert refused.status_code == 400 and refused.json()["code"] == "own_entry"
    activity = services.activity_confirm(activity=pworld.activity, user=village, version=pworld.activity.version)
    staff = pworld.world.users[Role.COUNTY_STAFF]
    patch = _api(staff).patch(
        reverse("activity-detail", args=[activity.pk]), {"title": "改", "version": activity.version}, format="json"
    )
    assert patch.status_code == 400
    assert _api(staff).delete(reverse("activity-detail", args=[activity.pk])).status_code == 400
    page = _page(staff).post(reverse("pairing:activity_delete", args=[activity.pk]), follow=True)
    assert _errors(page)
    assert Activity.objects.filter(pk=activity.pk, title="联合主题党日").exists()


# Separation of duties ---------------------------------------------------------------------


def _township_approved(world: World) -> tuple[Campaign, Pair]:
    """A proposal in review that county staff approved as the township (admin ran the match)."""
    admin, staff = world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF]
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    services.preferences_set(
        participant=participant(campaign, world.enterprise), user=staff, partners=[world.village.pk]
    )
    services.preferences_set(
        participant=participant(campaign, world.village), user=staff, partners=[world.enterprise.pk]
    )
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
    services.match_run_create(campaign=campaign, user=admin)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.REVIEW)
    pair = campaign.pairs.get()
    services.pair_township_approve(pair=pair, user=staff)
    return campaign, pair


@pytest.mark.django_db
def test_township_and_county_approval_by_different_people(world: World) -> None:
    """Whoever gave the township's approval cannot give the county's: refused on the page
    (a message) and in the API (400, code same_reviewer); a third person approves."""
    _campaign, pair = _township_approved(world)
    staff = world.users[Role.COUNTY_STAFF]
    page = _page(staff).post(reverse("pairing:pair_action", args=[pair.pk, "approve"]), follow=True)
    assert _errors(page)
    api = _api(staff).post(reverse("proposal-approve", args=[pair.pk]))
    assert api.status_code == 400 and api.json()["code"] == "same_reviewer"
    pair.refresh_from_db()
    assert pair.status == PairStatus.TOWNSHIP_APPROVED and pair.township_approved_by == staff
    third = user("staff1c", Role.COUNTY_STAFF, county=world.county)
    assert _api(third).post(reverse("proposal-approve", args=[pair.pk])).json()["status"] == PairStatus.APPROVED


@pytest.mark.django_db
def test_nobody_accepts_or_returns_a_report_they_created_or_submitted(pworld: PairingWorld) -> None:
    """County staff who filed a report cannot accept or return it (page: message; API: 400);
    another reviewer accepts it, and an accepted report is locked."""
    staff = pworld.world.users[Role.COUNTY_STAFF]
    api = _api(staff)
    draft = api.post(reverse("report-list"), {"pair": pworld.pair.pk, "period": "2026-02-01", "jobs": 2}, format="json")
    assert draft.status_code == 201, draft.content
    report_id = draft.json()["id"]
    assert api.post(reverse("report-submit", args=[report_id])).status_code == 200
    refused = api.post(reverse("report-accept", args=[report_id]))
    assert refused.status_code == 400 and refused.json()["code"] == "own_entry"
    assert api.post(reverse("report-return-", args=[report_id]), {"reason": "x"}).json()["code"] == "own_entry"
    page = _page(staff).post(reverse("pairing:report_review", args=[report_id, "accept"]), follow=True)
    assert _errors(page)
    detail = _page(staff).get(reverse("pairing:report_detail", args=[report_id])).content.decode()
    assert 'data-testid="accept-report"' not in detail
    township = pworld.world.users[Role.TOWNSHIP_STAFF]
    assert _api(township).post(reverse("report-accept", args=[report_id])).json()["status"] == ReportStatus.ACCEPTED
    report = Report.objects.get(pk=report_id)
    assert report.created_by == staff and report.submitted_by == staff
    report.narrative = "改"
    with pytest.raises(WorkflowError):
        report.save()
    page = _page(pworld.world.users[Role.COUNTY_ADMIN]).post(
        reverse("pairing:report_delete", args=[report_id]), follow=True
    )
    assert _errors(page) and Report.objects.filter(pk=report_id).exists()


# Links within one county and campaign -----------------------------------------------------


@pytest.mark.django_db
def test_a_liaison_of_another_county_is_refused_and_nothing_written(pworld: PairingWorld) -> None:
    """A county administrator naming another county's liaison officer: the API answers 400,
    the page's form refuses the choice; no appointment and no event is written."""
    foreign = user("liaison_far", Role.LIAISON, county=pworld.world.county2)
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    before = (LiaisonAppointment.objects.count(), CampaignEvent.objects.count())
    data = {
        "campaign": pworld.campaign.pk,
        "liaison": foreign.pk,
        "pairs": [pworld.pair_b.pk],
        "term_start": "2026-01-01",
        "term_end": "2026-12-31",
    }
    response = _api(admin).post(reverse("liaison-list"), data, format="json")
    assert response.status_code == 400 and "liaison" in response.json()
    page = _page(admin).post(reverse("pairing:campaign_appoint", args=[pworld.campaign.pk]), data)
    assert page.status_code == 200 and "liaison" in page.context["form"].errors
    foreign_pair = {**data, "liaison": pworld.world.users[Role.LIAISON].pk, "pairs": [pworld.pair2.pk]}
    assert _api(admin).post(reverse("liaison-list"), foreign_pair, format="json").status_code == 400
    assert (LiaisonAppointment.objects.count(), CampaignEvent.objects.count()) == before
    with pytest.raises(services.PairingError):
        services.liaison_appoint(
            campaign=pworld.campaign,
            user=admin,
            liaison=foreign,
            pairs=[pworld.pair_b],
            term_start=date(2026, 1, 1),
            term_end=date(2026, 12, 31),
        )
    ok = _api(admin).post(reverse("liaison-list"), {**data, "liaison": pworld.world.users[Role.LIAISON].pk})
    assert ok.status_code == 201, ok.content


@pytest.mark.django_db
def test_a_pair_links_only_its_campaigns_county(pworld: PairingWorld) -> None:
    """A pair of county 1's campaign with county 2's village does not pass validation."""
    from django.core.exceptions import ValidationError

    pair = Pair(campaign=pworld.campaign, enterprise=pworld.world.enterprise, village=pworld.world.village2)
    with pytest.raises(ValidationError):
        pair.full_clean(exclude=["township"])


# Versions -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_edits_need_the_version_they_started_from(pworld: PairingWorld) -> None:
    """A report opened on the page, then changed by someone else, is not overwritten by the
    first person's save (a message); the API answers 409 for an old or missing version."""
    liaison, contact = pworld.world.users[Role.LIAISON], pworld.world.users[Role.ENTERPRISE_CONTACT]
    url = reverse("pairing:pair_report", args=[pworld.pair.pk, "2026-02-01"])
    assert _page(liaison).get(url).context["form"].initial["version"] == 0  # no report yet
    services.report_save(pair=pworld.pair, user=contact, period=date(2026, 2, 1), data={"jobs": 7})
    fields = {"jobs": 1, "investment": 0, "farmer_income": 0, "collective_income": 0, "projects": 0, "version": 0}
    page = _page(liaison).post(url, fields)
    assert page.status_code == 200 and page.context["form"].non_field_errors()
    api = _api(liaison)
    stale = api.post(reverse("report-list"), {"pair": pworld.pair.pk, "period": "2026-02-01", "jobs": 1})
    assert stale.status_code == 409, stale.content
    report = Report.objects.get(pair=pworld.pair, period=date(2026, 2, 1))
    assert report.jobs == 7
    fresh = {"pair": pworld.pair.pk, "period": "2026-02-01", "jobs": 1, "version": report.version}
    assert api.post(reverse("report-list"), fresh, format="json").json()["jobs"] == 1
    assert api.post(reverse("report-submit", args=[report.pk]), {"version": report.version}).status_code == 409


@pytest.mark.django_db
def test_api_activity_change_needs_the_version(pworld: PairingWorld) -> None:
    """PATCH without a version is 400, with an old one 409."""
    api = _api(pworld.world.users[Role.COUNTY_STAFF])
    url = reverse("activity-detail", args=[pworld.activity.pk])
    assert api.patch(url, {"title": "新"}, format="json").status_code == 400
    assert api.patch(url, {"title": "新", "version": pworld.activity.version}, format="json").status_code == 200
    assert api.patch(url, {"title": "再", "version": pworld.activity.version}, format="json").status_code == 409


# Records of work are never deleted ----------------------------------------------------------


@pytest.mark.django_db
def test_events_are_append_only(pworld: PairingWorld) -> None:
    """An event is never changed or deleted, one at a time or in bulk."""
    event = CampaignEvent.objects.filter(campaign=pworld.campaign).first()
    assert event is not None
    event.reason = "改"
    with pytest.raises(WorkflowError):
        event.save()
    with pytest.raises(WorkflowError):
        event.delete()
    with pytest.raises(WorkflowError):
        CampaignEvent.objects.filter(pk=event.pk).update(reason="改")
    with pytest.raises(WorkflowError):
        CampaignEvent.objects.filter(pk=event.pk).delete()
    assert CampaignEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.django_db
def test_a_running_campaign_cannot_be_deleted_by_any_path(pworld: PairingWorld) -> None:
    """The administrator's delete page answers with a message, the API with 405, the ORM
    (what the admin site calls) with ProtectedError; the campaign and its record stay."""
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    campaign = pworld.campaign
    before = (Pair.objects.count(), CampaignEvent.objects.count(), Report.objects.count())
    page = _page(admin).post(reverse("pairing:campaign_delete", args=[campaign.pk]), follow=True)
    assert page.status_code == 200 and _errors(page)
    assert _api(admin).delete(reverse("campaign-detail", args=[campaign.pk])).status_code == 405
    with pytest.raises(models.ProtectedError), transaction.atomic():
        Campaign.objects.get(pk=campaign.pk).delete()
    assert Campaign.objects.filter(pk=campaign.pk, stage=Stage.RUNNING).exists()
    assert (Pair.objects.count(), CampaignEvent.objects.count(), Report.objects.count()) == before
    fresh = campaign_for(pworld.world.county, "误建")  # nothing happened in it yet: may go
    _page(admin).post(reverse("pairing:campaign_delete", args=[fresh.pk]))
    assert not Campaign.objects.filter(pk=fresh.pk).exists()


@pytest.mark.django_db
def test_pairs_and_letters_are_never_deleted(pworld: PairingWorld) -> None:
    """Deleting a pair or a letter raises ProtectedError; bulk letter deletes too."""
    letter = services.letter_issue_responsibility(pair=pworld.pair, user=pworld.world.users[Role.COUNTY_ADMIN])
    for obj in (pworld.pair, letter):
        with pytest.raises(models.ProtectedError):
            obj.delete()
    with pytest.raises(models.ProtectedError):
        Letter.objects.all().delete()
    assert Letter.objects.filter(pk=letter.pk).exists() and Pair.objects.filter(pk=pworld.pair.pk).exists()


@pytest.mark.django_db
def test_a_new_matching_run_supersedes_instead_of_deleting(world: World) -> None:
    """Enterprise- and village-proposing runs give different stable matchings: the second
    run marks the first run's proposals superseded (with an event) and adds its own; the
    third brings the first ones back. No pair and no event is ever deleted."""
    admin, staff = world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF]
    e1, e2, v1, v2 = world.enterprise, world.enterprise_b, world.village, world.village_b
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    for party, ranking in ((e1, [v1, v2]), (e2, [v2, v1]), (v1, [e2, e1]), (v2, [e1, e2])):
        services.preferences_set(participant=participant(campaign, party), user=staff, partners=[p.pk for p in ranking])
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
    services.match_run_create(campaign=campaign, user=staff, proposing="enterprise")
    first = set(campaign.pairs.values_list("pk", flat=True))
    assert set(campaign.pairs.values_list("enterprise", "village")) == {(e1.pk, v1.pk), (e2.pk, v2.pk)}
    services.match_run_create(campaign=campaign, user=staff, proposing="village")
    assert set(campaign.pairs.filter(status=PairStatus.SUPERSEDED).values_list("pk", flat=True)) == first
    assert set(campaign.pairs.filter(status=PairStatus.PROPOSED).values_list("enterprise", "village")) == {
        (e1.pk, v2.pk),
        (e2.pk, v1.pk),
    }
    events = CampaignEvent.objects.count()
    services.match_run_create(campaign=campaign, user=staff, proposing="enterprise")
    assert set(campaign.pairs.filter(status=PairStatus.PROPOSED).values_list("pk", flat=True)) == first
    assert campaign.pairs.count() == 4 and CampaignEvent.objects.count() > events
    assert CampaignEvent.objects.filter(campaign=campaign, kind=EventKind.SUPERSEDED).count() == 4


# Letters: one per pair (or appointment) and kind ----------------------------------------------


@pytest.mark.django_db
def test_a_double_submit_returns_the_same_letter(pworld: PairingWorld) -> None:
    """Two clicks on the page, then two API calls, leave one letter of responsibility per
    pair and one letter of appointment; the database refuses a second one by itself."""
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    page = _page(admin)
    url = reverse("pairing:pair_letter_issue", args=[pworld.pair.pk])
    assert page.post(url).status_code == 302 and page.post(url).status_code == 302
    api = _api(admin)
    issue = reverse("pair-letter-issue", args=[pworld.pair.pk])
    first, second = api.post(issue), api.post(issue)
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert Letter.objects.filter(pair=pworld.pair, kind=LetterKind.RESPONSIBILITY).count() == 1
    appoint = reverse("pairing:appointment_letter_issue", args=[pworld.appointment.pk])
    page.post(appoint)
    page.post(appoint)
    assert Letter.objects.filter(appointment=pworld.appointment).count() == 1
    letter = Letter.objects.get(pair=pworld.pair)
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter(
            campaign=pworld.campaign,
            kind=LetterKind.RESPONSIBILITY,
            year=letter.year,
            number=letter.number + 1,
            doc_number="x",
            pdf=b"x",
            pair=pworld.pair,
        ).save()


@pytest.mark.django_db(transaction=True)
def test_parallel_letter_requests_make_one_letter() -> None:
    """Four requests issuing the same pair's letter at once leave one letter; every one of
    them gets that letter (or a clean refusal), never an error page."""
    from tongxin.core.models import Capability
    from tongxin.core.vocabulary import sync_vocabulary

    sync_vocabulary(Capability)
    pworld = build_pairing_world(build_world())
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    barrier = threading.Barrier(4)
    outcomes: list[Any] = []

    def issue() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.letter_issue_responsibility(pair=pworld.pair, user=admin).pk)
        except services.PairingError as exc:
            outcomes.append(exc.code)
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    letters = list(Letter.objects.filter(pair=pworld.pair))
    assert len(letters) == 1
    assert set(outcomes) <= {letters[0].pk, "letter_number"}, outcomes
