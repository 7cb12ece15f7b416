"""A small pairing campaign on top of the test world, driven through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.test import Client

from tongxin.accounts.choices import Role
from tongxin.pairing import services
from tongxin.pairing.choices import ActivityHead, Mode, PairStatus, Stage
from tongxin.pairing.models import (
    Activity,
    Campaign,
    Decision,
    GroupMember,
    JointMeeting,
    LeadingGroup,
    LiaisonAppointment,
    Pair,
    PairPlan,
    Participant,
    Report,
    Support,
)
from tongxin.testing.factories import World, user


@dataclass
class PairingWorld:
    world: World
    campaign: Campaign
    campaign2: Campaign
    pair: Pair  # township A: enterprise ↔ village
    pair_b: Pair  # township B
    pair2: Pair  # the other county
    appointment: LiaisonAppointment
    activity: Activity
    activity_b: Activity
    activity2: Activity
    support: Support
    support_b: Support
    support2: Support
    report: Report
    report_b: Report
    report2: Report
    group: LeadingGroup
    group_b: LeadingGroup
    group2: LeadingGroup


def campaign_for(county: Any, name: str = "2026村企共建") -> Campaign:
    campaign = Campaign(county=county, name=name, year=2026, start=date(2026, 1, 1), end=date(2027, 12, 31))
    campaign.save()
    return campaign


def logged_in(user: Any) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def participant(campaign: Campaign, obj: Any) -> Participant:
    key = "enterprise" if obj.__class__.__name__ == "Enterprise" else "village"
    return Participant.objects.get(campaign=campaign, **{key: obj})


def run_to_review(campaign: Campaign, pairs: list[tuple[Any, Any]], admin: Any, staff: Any) -> None:
    """Open selection, let each listed enterprise and village rank each other, match."""
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    for enterprise, village in pairs:
        services.preferences_set(participant=participant(campaign, enterprise), user=staff, partners=[village.pk])
        services.preferences_set(participant=participant(campaign, village), user=staff, partners=[enterprise.pk])
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
    services.match_run_create(campaign=campaign, user=staff)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.REVIEW)


def approve_all(campaign: Campaign, admin: Any, reviewers: dict[int, Any]) -> None:
    """Township approval by the township's reviewer (``reviewers`` by township id), then
    the county's by ``admin``: two different people, neither the one who ran the matching."""
    for pair in campaign.pairs.filter(status=PairStatus.PROPOSED):
        services.pair_township_approve(pair=pair, user=reviewers[pair.township_id])
        services.pair_approve(pair=pair, user=admin)


def build_pairing_world(world: World) -> PairingWorld:
    admin = world.users[Role.COUNTY_ADMIN]
    staff = world.users[Role.COUNTY_STAFF]
    admin2 = user("admin2", Role.COUNTY_ADMIN, county=world.county2)
    staff2 = user("staff2", Role.COUNTY_STAFF, county=world.county2)
    # Township reviewers: the township's approval and the county's are different people.
    reviewers = {
        world.township.pk: world.users[Role.TOWNSHIP_STAFF],
        world.township_b.pk: user("town_b1", Role.TOWNSHIP_STAFF, township=world.township_b),
        world.township2.pk: user("town2_1", Role.TOWNSHIP_STAFF, township=world.township2),
    }
    campaign = campaign_for(world.county)
    campaign2 = campaign_for(world.county2, "淳安共建")
    run_to_review(campaign, [(world.enterprise, world.village), (world.enterprise_b, world.village_b)], admin, staff)
    run_to_review(campaign2, [(world.enterprise2, world.village2)], admin2, staff2)
    approve_all(campaign, admin, reviewers)
    approve_all(campaign2, admin2, reviewers)
    for c, a in ((campaign, admin), (campaign2, admin2)):
        services.campaign_advance(campaign=c, user=a, to=Stage.APPROVED)
        services.campaign_advance(campaign=c, user=a, to=Stage.RUNNING)
    pair = campaign.pairs.get(village=world.village)
    pair_b = campaign.pairs.get(village=world.village_b)
    pair2 = campaign2.pairs.get()
    appointment = services.liaison_appoint(
        campaign=campaign,
        user=admin,
        liaison=world.users[Role.LIAISON],
        pairs=[pair],
        term_start=date(2026, 1, 1),
        term_end=date(2027, 12, 31),
    )
    for p in (pair, pair_b, pair2):
        PairPlan(pair=p, mode=Mode.EMPLOYMENT, investment=Decimal(100), jobs=10).save()

    def activity(p: Pair) -> Activity:
        a = Activity(pair=p, head=ActivityHead.PARTY, date=date(2026, 3, 1), title="联合主题党日")
        a.save()
        return a

    def support(p: Pair) -> Support:
        s = Support(pair=p, kind="financial", date=date(2026, 3, 2), amount=Decimal(5), description="资金支持")
        s.save()
        return s

    def report(p: Pair) -> Report:
        r = Report(pair=p, period=date(2026, 1, 1), due_date=date(2026, 2, 10), narrative="一月进展")
        r.save()
        return r

    def group(county: Any, township: Any, name: str) -> LeadingGroup:
        g = LeadingGroup(county=county, township=township, name=name)
        g.save()
        GroupMember(group=g, name="张三", post="组长", role="leader").save()
        meeting = JointMeeting(group=g, date=date(2026, 2, 1), title=f"{name}联席会议")
        meeting.save()
        Decision(meeting=meeting, text=f"{name}推进结对", owner="统战部", due_date=date(2026, 3, 1)).save()
        return g

    return PairingWorld(
        world=world,
        campaign=campaign,
        campaign2=campaign2,
        pair=pair,
        pair_b=pair_b,
        pair2=pair2,
        appointment=appointment,
        activity=activity(pair),
        activity_b=activity(pair_b),
        activity2=activity(pair2),
        support=support(pair),
        support_b=support(pair_b),
        support2=support(pair2),
        report=report(pair),
        report_b=report(pair_b),
        report2=report(pair2),
        group=group(world.county, world.township, "分水镇共建小组"),
        group_b=group(world.county, world.township_b, "横村镇共建小组"),
        group2=group(world.county2, None, "淳安县领导小组"),
    )
