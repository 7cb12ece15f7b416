"""Services per transition: guards, events and locks of the pairing lifecycle."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tongxin.accounts.choices import Role
from tongxin.pairing import services
from tongxin.pairing.choices import EventKind, PairStatus, Stage
from tongxin.pairing.models import CampaignEvent, MatchRun, Participant
from tongxin.pairing.services import PairingError
from tongxin.pairing.services.selection import market_from_inputs
from tongxin.testing import factories
from tongxin.testing.factories import World
from tongxin.testing.pairing import campaign_for, participant, run_to_review


def _users(world: World) -> tuple[object, object, object]:
    return world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF], world.users[Role.TOWNSHIP_STAFF]


@pytest.mark.django_db
def test_stages_go_forward_one_step_by_county_only(world: World) -> None:
    """No stage can be skipped, only county staff move stages (township staff, who see the
    campaign, are refused with 403), every move is an event, and opening selection enrols
    enterprises and pairable villages (not communities)."""
    admin, _staff, township = _users(world)
    community = factories.village(world.township, 5, "和平社区")
    campaign = campaign_for(world.county)
    with pytest.raises(PairingError):
        services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
    with pytest.raises(PermissionDenied):
        services.campaign_advance(campaign=campaign, user=township, to=Stage.SELECTION)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    campaign.refresh_from_db()
    assert campaign.stage == Stage.SELECTION
    villages = set(campaign.participants.filter(village__isnull=False).values_list("village_id", flat=True))
    assert world.village.pk in villages and world.village_b.pk in villages and community.pk not in villages
    assert world.village2.pk not in villages  # another county
    assert campaign.participants.filter(enterprise=world.enterprise).exists()
    with pytest.raises(PairingError) as refused:
        services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
    assert refused.value.code == "no_rankings"
    kinds = list(CampaignEvent.objects.filter(campaign=campaign).values_list("kind", flat=True))
    assert kinds == [EventKind.STAGE_CHANGED]


@pytest.mark.django_db
def test_rankings_by_contacts_and_on_behalf(world: World) -> None:
    """The enterprise contact ranks for their own enterprise; staff entering a ranking is
    recorded as on-behalf; nobody ranks for an organisation outside their scope; rankings
    only while selection is open; a partner once only."""
    admin, staff, township = _users(world)
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    own = participant(campaign, world.enterprise)
    done = services.preferences_set(
        participant=own, user=world.users[Role.ENTERPRISE_CONTACT], partners=[world.village.pk, world.village_b.pk]
    )
    assert done.on_behalf is False and done.ranking == [world.village.pk, world.village_b.pk]
    assert list(own.preferences.values_list("village_id", flat=True)) == [world.village.pk, world.village_b.pk]
    other = participant(campaign, world.enterprise_b)
    with pytest.raises(Http404):
        services.preferences_set(participant=other, user=world.users[Role.ENTERPRISE_CONTACT], partners=[])
    with pytest.raises(Http404):
        services.preferences_set(participant=other, user=township, partners=[world.village.pk])  # other township
    behalf = services.preferences_set(participant=other, user=staff, partners=[world.village.pk])
    assert behalf.on_behalf is True
    with pytest.raises(PairingError):
        services.preferences_set(participant=own, user=staff, partners=[world.village.pk, world.village.pk])
    with pytest.raises(PairingError):
        services.preferences_set(participant=own, user=staff, partners=[world.village2.pk])  # not a participant


@pytest.mark.django_db
def test_match_run_is_stored_reproducible_and_explained(world: World) -> None:
    """A run stores its inputs and result; solving the stored inputs again gives the same
    pairs; every proposal carries its fit breakdown and the engine's explanation."""
    admin, staff, _township = _users(world)
    campaign = campaign_for(world.county)
    run_to_review(campaign, [(world.enterprise, world.village), (world.enterprise_b, world.village_b)], admin, staff)
    run = MatchRun.objects.get(campaign=campaign)
    assert sorted(map(tuple, run.result["pairs"])) == sorted(
        [(world.enterprise.pk, world.village.pk), (world.enterprise_b.pk, world.village_b.pk)]
    )
    again = market_from_inputs(run.inputs).solve("enterprises")
    assert sorted(again.pairs) == sorted(map(tuple, run.result["pairs"]))
    pair = campaign.pairs.get(village=world.village)
    assert pair.status == PairStatus.PROPOSED and pair.proposed_by == staff
    assert pair.explanation["reason"] == "matched" and pair.fit_score is not None
    assert set(pair.fit_parts) >= {"need", "advantage", "distance", "capacity"}
    assert pair.events.filter(kind=EventKind.PROPOSED).exists()


@pytest.mark.django_db
def test_review_guards_and_lock(world: World) -> None:
    """Township first, county second (no skipping); nobody approves their own entry;
    township staff may not give the county's approval (403); reasons are mandatory for
    returns and reopening; only the administrator reopens; approved pairs are locked."""
    admin, staff, township = _users(world)
    campaign = campaign_for(world.county)
    run_to_review(campaign, [(world.enterprise, world.village)], admin, staff)
    pair = campaign.pairs.get()
    with pytest.raises(PairingError):  # county cannot approve before the township
        services.pair_approve(pair=pair, user=admin)
    with pytest.raises(PairingError) as refused:  # staff ran the matching: their entry
        services.pair_township_approve(pair=pair, user=staff)
    assert refused.value.code == "own_entry"
    with pytest.raises(PairingError):
        services.pair_return(pair=pair, user=township, reason="  ")
    services.pair_township_approve(pair=pair, user=township)
    with pytest.raises(PermissionDenied):  # township staff cannot give the county's approval
        services.pair_approve(pair=pair, user=township)
    with pytest.raises(PairingError) as refused:
        services.pair_approve(pair=pair, user=staff)
    assert refused.value.code == "own_entry"
    services.pair_approve(pair=pair, user=admin)
    pair.refresh_from_db()
    assert pair.status == PairStatus.APPROVED and pair.locked and pair.start_date == campaign.start
    for step in (services.pair_township_approve, services.pair_approve):
        with pytest.raises(PairingError):
            step(pair=pair, user=admin)
    with pytest.raises(PairingError):
        services.pair_reject(pair=pair, user=admin, reason="改主意")
    with pytest.raises(PermissionDenied):
        services.pair_reopen(pair=pair, user=staff, reason="复核")  # only the administrator
    services.pair_reopen(pair=pair, user=admin, reason="企业经营出现变化，重新审议")
    pair.refresh_from_db()
    assert pair.status == PairStatus.TOWNSHIP_APPROVED
    kinds = list(pair.events.values_list("kind", flat=True))
    assert kinds == [EventKind.PROPOSED, EventKind.TOWNSHIP_APPROVED, EventKind.APPROVED, EventKind.REOPENED]
    assert pair.events.get(kind=EventKind.REOPENED).reason.startswith("企业")


@pytest.mark.django_db
def test_override_drop_names_the_blocking_pair(world: World) -> None:
    """Dropping a stable pair leaves both free though they want each other: the warning
    names that blocking pair, the event records it, and the review page shows it."""
    from django.test import Client
    from django.urls import reverse

    admin, staff, _township = _users(world)
    campaign = campaign_for(world.county)
    run_to_review(campaign, [(world.enterprise, world.village), (world.enterprise_b, world.village_b)], admin, staff)
    pair = campaign.pairs.get(village=world.village)
    assert services.override_warnings(campaign) == []
    assert services.override_warnings(campaign, drop=(pair.enterprise_id, pair.village_id)) == [
        (world.enterprise, world.village)
    ]
    with pytest.raises(PairingError):
        services.pair_override_drop(pair=pair, user=admin, reason="")
    services.pair_override_drop(pair=pair, user=admin, reason="企业已迁出本县")
    event = pair.events.get(kind=EventKind.OVERRIDE_DROPPED)
    assert event.data["blocking"] == [[world.enterprise.pk, world.village.pk]]
    client = Client()
    client.force_login(admin)
    page = client.get(
        reverse("pairing:campaign_review", args=[campaign.pk]),
        {"enterprise": world.enterprise_b.pk, "village": world.village.pk},
    ).content.decode()
    assert 'data-testid="blocking-warning"' in page and f"{world.enterprise} — {world.village}" in page


@pytest.mark.django_db
def test_override_add_goes_through_review(world: World) -> None:
    """A county override adds a proposal with its reason; it still needs township and county
    approval, by two different people, neither the one who added it."""
    admin, staff, _township = _users(world)
    campaign = campaign_for(world.county)
    run_to_review(campaign, [(world.enterprise, world.village)], admin, staff)
    with pytest.raises(PairingError):
        services.pair_override_add(
            campaign=campaign, user=admin, enterprise_id=world.enterprise_b.pk, village_id=world.village_b.pk, reason=""
        )
    pair = services.pair_override_add(
        campaign=campaign,
        user=admin,
        enterprise_id=world.enterprise_b.pk,
        village_id=world.village_b.pk,
        reason="县重点帮扶村",
    )
    assert pair.origin == "manual" and pair.status == PairStatus.PROPOSED and pair.reason == "县重点帮扶村"
    with pytest.raises(PairingError):
        services.pair_override_add(
            campaign=campaign,
            user=admin,
            enterprise_id=world.enterprise_b.pk,
            village_id=world.village_b.pk,
            reason="x",
        )
    services.pair_township_approve(pair=pair, user=staff)
    with pytest.raises(PairingError) as refused:
        services.pair_approve(pair=pair, user=admin)
    assert refused.value.code == "own_entry"
    with pytest.raises(PairingError) as refused:
        services.pair_approve(pair=pair, user=staff)
    assert refused.value.code == "same_reviewer"
    other = factories.user("staff1c", Role.COUNTY_STAFF, county=world.county)
    assert services.pair_approve(pair=pair, user=other).status == PairStatus.APPROVED


@pytest.mark.django_db
def test_liaison_appointment_scopes_the_liaison(pworld: object) -> None:
    """A liaison officer sees exactly the pairs they are appointed to; only approved pairs
    and users with the liaison role can be appointed."""
    from tongxin.core.scope import restrict
    from tongxin.pairing.models import Pair

    world = pworld.world  # type: ignore[attr-defined]
    liaison = world.users[Role.LIAISON]
    assert set(restrict(Pair.objects.all(), liaison, "view")) == {pworld.pair}  # type: ignore[attr-defined]
    with pytest.raises(PairingError):
        services.liaison_appoint(
            campaign=pworld.campaign,  # type: ignore[attr-defined]
            user=world.users[Role.COUNTY_ADMIN],
            liaison=world.users[Role.COUNTY_STAFF],
            pairs=[pworld.pair_b],  # type: ignore[attr-defined]
            term_start=date(2026, 1, 1),
            term_end=date(2026, 12, 31),
        )


@pytest.mark.django_db
def test_participant_ranking_is_audited(world: World) -> None:
    """A ranking change is in the change log as the participant's ranking before and after."""
    from django.contrib.contenttypes.models import ContentType

    from tongxin.core.models import ObjectChange

    admin, staff, _township = _users(world)
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    part = participant(campaign, world.village)
    services.preferences_set(participant=part, user=staff, partners=[world.enterprise.pk])
    services.preferences_set(participant=part, user=staff, partners=[world.enterprise_b.pk, world.enterprise.pk])
    change = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Participant), changed_object_id=part.pk
    ).latest("pk")
    assert change.prechange_data["ranking"] == [world.enterprise.pk]
    assert change.postchange_data["ranking"] == [world.enterprise_b.pk, world.enterprise.pk]


@pytest.mark.django_db
def test_capacity_set_with_the_ranking(world: World) -> None:
    """A participant states how many partners it can take; out-of-range values are refused."""
    admin, staff, _township = _users(world)
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    part = participant(campaign, world.enterprise)
    assert services.preferences_set(participant=part, user=staff, partners=[], capacity=3).capacity == 3
    with pytest.raises(PairingError):
        services.preferences_set(participant=part, user=staff, partners=[], capacity=99)


@pytest.mark.django_db
def test_activity_photos_are_images_only(pworld: object) -> None:
    """A photo upload that is not an image is refused with a message; a PNG is stored."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse
    from PIL import Image

    activity = pworld.activity  # type: ignore[attr-defined]
    client = Client()
    client.force_login(pworld.world.users[Role.LIAISON])  # type: ignore[attr-defined]
    url = reverse("pairing:activity_photo", args=[activity.pk])
    client.post(url, {"image": SimpleUploadedFile("x.png", b"not an image", "image/png")})
    assert activity.photos.count() == 0
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    client.post(url, {"image": SimpleUploadedFile("red.png", buffer.getvalue(), "image/png"), "caption": "合影"})
    assert activity.photos.get().caption == "合影"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["pairing:pair_list", "pairing:activity_list", "pairing:report_list", "pairing:support_list"]
)
def test_pairing_lists_have_no_n_plus_one(pworld: object, django_assert_max_num_queries: object, url_name: str) -> None:
    """Pairing list pages cost the same small number of queries with 3 or 40 rows."""
    from datetime import timedelta
    from decimal import Decimal

    from django.test import Client
    from django.urls import reverse

    from tongxin.pairing.models import Activity, Report, Support

    pair = pworld.pair  # type: ignore[attr-defined]
    for n in range(40):
        Activity(pair=pair, head="service", date=date(2026, 4, 1) + timedelta(days=n), title=f"活动{n}").save()
        Support(pair=pair, kind="material", date=date(2026, 4, 1), amount=Decimal(1), description=f"物资{n}").save()
    for month in range(2, 12):
        Report(pair=pair, period=date(2026, month, 1), due_date=date(2026, month, 28)).save()
    client = Client()
    client.force_login(pworld.world.users[Role.COUNTY_STAFF])  # type: ignore[attr-defined]
    client.get(reverse(url_name))
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_why_not_page_answers_for_any_participant(pworld: object) -> None:
    """Staff can ask why an enterprise is not with another village of the campaign; a
    village outside the campaign is 404."""
    from django.test import Client
    from django.urls import reverse

    world = pworld.world  # type: ignore[attr-defined]
    campaign = pworld.campaign  # type: ignore[attr-defined]
    client = Client()
    client.force_login(world.users[Role.COUNTY_STAFF])
    url = reverse("pairing:campaign_why", args=[campaign.pk])
    page = client.get(url, {"enterprise": world.enterprise.pk, "village": world.village_b.pk})
    assert page.status_code == 200
    from django.utils.html import escape

    from tongxin.pairing.explain import explain_pair, explanation_text

    data = explain_pair(campaign, world.enterprise.pk, world.village_b.pk)
    assert data is not None and data["reason"] == "not_mutually_acceptable"  # each ranked only its own partner
    assert escape(explanation_text(data)) in page.content.decode()
    assert client.get(url, {"enterprise": world.enterprise.pk, "village": world.village2.pk}).status_code == 404
    client.force_login(world.users[Role.ENTERPRISE_CONTACT])
    assert client.get(url, {"enterprise": world.enterprise_b.pk, "village": world.village.pk}).status_code == 404


@pytest.mark.django_db
def test_unmatched_party_sees_why_not_its_first_choice(world: World) -> None:
    """Two enterprises want the same village (capacity 1); the village prefers one; the run
    page tells the other enterprise that the village holds an enterprise it ranks higher."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    admin, staff, _township = _users(world)
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    services.preferences_set(
        participant=participant(campaign, world.enterprise), user=staff, partners=[world.village.pk]
    )
    services.preferences_set(
        participant=participant(campaign, world.enterprise_b), user=staff, partners=[world.village.pk]
    )
    services.preferences_set(
        participant=participant(campaign, world.village),
        user=staff,
        partners=[world.enterprise.pk, world.enterprise_b.pk],
    )
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
    run = services.match_run_create(campaign=campaign, user=staff)
    client = Client()
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("pairing:matchrun_detail", args=[run.pk])).content.decode()
    with translation.override("en"):
        assert "The village holds 1 enterprise it ranks higher: " + world.enterprise.name in page
    assert world.enterprise_b.name in page
