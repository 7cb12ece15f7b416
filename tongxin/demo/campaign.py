"""The demo pairing campaign: 18 months of a county's 村企共建 on top of the demo ledgers.

It runs the real services for every workflow step (stages, rankings, matching, review,
overrides, approval, appointments, letters) and writes the running record (plans,
activities, monthly reports with realistic gaps and lateness) through the models, so
the change log holds all of it and every dashboard shows something true.

Separation of duties holds as in real use: county staff run the matching and add the
overrides, each township's cadre gives the township's review, the county administrator
decides.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.accounts.models import RoleAssignment, User
from tongxin.accounts.services import grant_for_setup
from tongxin.demo.names import GIVEN_NAME_CHARS, SURNAMES
from tongxin.pairing import services
from tongxin.pairing.choices import ActivityHead, Mode, PairStatus, ReportStatus, Side, Stage
from tongxin.pairing.models import (
    Activity,
    Campaign,
    Decision,
    GroupMember,
    JointMeeting,
    LeadingGroup,
    Pair,
    PairPlan,
    Report,
    Support,
)
from tongxin.regions.models import County

MEMBERS = (
    ("县委书记", "leader", "县委"),
    ("县长", "deputy", "县政府"),
    ("县委统战部部长", "office", "县委统战部"),
    ("县委组织部副部长", "member", "县委组织部"),
    ("县工商联主席", "member", "县工商联"),
    ("县农业农村局局长", "member", "县农业农村局"),
)
NAMES = ("王建国", "李卫东", "张海燕", "刘志强", "陈晓红", "杨国平", "赵立新", "黄美玲", "周文斌", "吴秀英")
ACTIVITY_TITLES: dict[str, tuple[str, ...]] = {
    ActivityHead.PARTY: ("联合主题党日", "党建共建签约", "党员结对帮扶"),
    ActivityHead.LEADERSHIP: ("村企班子座谈", "发展思路研讨", "企业负责人列席村两委会"),
    ActivityHead.SERVICE: ("农技培训进村", "农产品直播带货", "就业岗位对接会"),
    ActivityHead.FRIENDSHIP: ("重阳敬老慰问", "村企篮球联谊赛", "春节走访慰问"),
    ActivityHead.MEETING: ("季度推进会",),
    ActivityHead.DONATION: ("捐建村道路灯", "助学金发放"),
    ActivityHead.PROJECT: ("共建种植基地", "合作社仓储项目"),
}


def cadre_name(n: int) -> str:
    """A fictional personal name for the login-less reviewing cadre of the n-th township:
    a common surname and a two-character given name, the same for the same n."""
    surname = SURNAMES[(7 * n + 3) % len(SURNAMES)][0]
    chars = GIVEN_NAME_CHARS
    return surname + chars[(13 * n + 5) % len(chars)] + chars[(29 * n + 11) % len(chars)]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _organisation(county: County, rng: random.Random, today: date) -> None:
    group = LeadingGroup(county=county, name=f"{county.name}村企共建工作领导小组", established=date(2025, 3, 12))
    group.save()
    for i, (post, role, dept) in enumerate(MEMBERS):
        GroupMember(group=group, name=NAMES[i], post=post, role=role, department=dept).save()
    for n, day in enumerate((date(2025, 4, 8), date(2025, 9, 16), date(2026, 3, 20), date(2026, 9, 10))):
        meeting = JointMeeting(
            group=group,
            date=day,
            title=f"村企共建联席会议（第{n + 1}次）",
            departments="统战部、组织部、工商联、农业农村局、人社局",
            minutes="听取各乡镇结对进展汇报，研究部署下一阶段重点工作。",
        )
        meeting.save()
        for text, owner, due in (
            ("督促未按时报送进展的结对对象限期报送", "县委统战部", day + timedelta(days=30)),
            ("组织农产品产销对接活动", "县工商联", day + timedelta(days=60)),
        ):
            Decision(
                meeting=meeting, text=text, owner=owner, due_date=due, done=due < today - timedelta(days=20)
            ).save()
    for township in county.townships.all()[:5]:
        LeadingGroup(county=county, township=township, name=f"{township.name}村企共建工作小组").save()


def _rankings(campaign: Campaign, staff: User, rng: random.Random) -> None:
    model = services.build_fit_model(campaign)
    for_villages = model.top_enterprises(6, 30.0, 200.0)
    for_enterprises = model.top_villages(4, 30.0, 200.0)
    for part in campaign.participants.select_related("enterprise", "village"):
        row = part.village_id if part.side == Side.VILLAGE else part.enterprise_id
        top = for_villages if part.side == Side.VILLAGE else for_enterprises
        try:
            partners = [int(str(c)) for c in top.ids(row)]
        except KeyError:
            continue
        if rng.random() < 0.25 and len(partners) > 2:  # some reorder the suggestion
            partners[0], partners[1] = partners[1], partners[0]
        if rng.random() < 0.06:  # a few never rank
            continue
        services.preferences_set(participant=part, user=staff, partners=partners)


def _township_reviewers(county: County) -> dict[int, User]:
    """One cadre per township who gives the township's review (the demo's township user
    for their own township, a login-less cadre for the others)."""
    demo = RoleAssignment.objects.get(user__username="township_staff")
    reviewers: dict[int, User] = {demo.township_id: demo.user}  # type: ignore[dict-item]
    for n, township in enumerate(county.townships.order_by("code"), 1):
        if township.pk in reviewers:
            continue
        cadre = User(username=f"town{n:02d}", full_name=cadre_name(n))
        cadre.set_unusable_password()
        cadre.save()
        grant_for_setup(cadre, Role.TOWNSHIP_STAFF, township)
        reviewers[township.pk] = cadre
    return reviewers


def _review(campaign: Campaign, admin: User, reviewers: dict[int, User], rng: random.Random) -> None:
    proposals = list(campaign.pairs.filter(status=PairStatus.PROPOSED).order_by("pk"))
    for pair in proposals:
        township = reviewers[pair.township_id]
        if rng.random() < 0.04:
            services.pair_return(pair=pair, user=township, reason="企业经营范围与村发展方向不匹配，建议重新对接")
        else:
            services.pair_township_approve(pair=pair, user=township)
    for pair in campaign.pairs.filter(status=PairStatus.RETURNED):
        services.pair_reject(pair=pair, user=admin, reason="经乡镇复核，暂不结对")
    for pair in campaign.pairs.filter(status=PairStatus.TOWNSHIP_APPROVED).order_by("-pk")[:2]:
        services.pair_override_drop(pair=pair, user=admin, reason="企业已与邻县结对，精力有限")


def _overrides(campaign: Campaign, staff: User, rng: random.Random) -> list[Pair]:
    paired = set(campaign.pairs.exclude(status=PairStatus.DROPPED).values_list("village_id", flat=True))
    free_villages = list(
        campaign.participants.filter(side=Side.VILLAGE)
        .exclude(village_id__in=paired)
        .values_list("village_id", flat=True)
    )
    enterprises = list(
        campaign.participants.filter(side=Side.ENTERPRISE, capacity__gte=2).values_list("enterprise_id", flat=True)
    )
    added = []
    for village_id in free_villages[:3]:
        enterprise_id = rng.choice(enterprises)
        if campaign.pairs.filter(enterprise_id=enterprise_id, village_id=village_id).exists():
            continue
        added.append(
            services.pair_override_add(
                campaign=campaign,
                user=staff,
                enterprise_id=enterprise_id,
                village_id=village_id,
                reason="该村为县级重点帮扶村，经联席会议研究指定结对",
            )
        )
    return added


def _running(campaign: Campaign, rng: random.Random, today: date, liaisons: list[User]) -> None:
    pairs = list(campaign.pairs.filter(status=PairStatus.APPROVED).select_related("village", "enterprise"))
    modes = list(Mode.values)
    for pair in pairs:
        PairPlan(
            pair=pair,
            mode=rng.choices(modes, weights=(5, 3, 2, 1, 3, 2, 1))[0],
            investment=Decimal(rng.choice((20, 50, 80, 100, 150, 300))),
            projects=rng.randint(1, 4),
            jobs=rng.randint(3, 40),
            farmer_income=Decimal(rng.choice((10, 20, 30, 50))),
            collective_income=Decimal(rng.choice((3, 5, 8, 10, 20))),
        ).save()
    heads = list(ActivityHead.values)
    for pair in pairs:
        for _n in range(rng.randint(3, 8)):
            head = rng.choices(heads, weights=(4, 3, 4, 3, 1, 1, 1))[0]
            day = campaign.start + timedelta(days=rng.randint(5, (today - campaign.start).days - 1))
            Activity(
                pair=pair,
                head=head,
                date=day,
                title=rng.choice(ACTIVITY_TITLES[head]),
                participants=f"{pair.enterprise.name}、{pair.village.name}党员群众",
                amount=Decimal(rng.choice((0, 0, 0.5, 1, 2, 5)))
                if head in (ActivityHead.DONATION, ActivityHead.PROJECT)
                else 0,
                description="活动按计划开展，群众反响良好。",
                confirmed_by_village=rng.random() < 0.7,  # the village's confirmation (not a form field)
            ).save()
        if rng.random() < 0.4:
            Support(
                pair=pair,
                kind=rng.choice(("human", "financial", "material")),
                date=campaign.start + timedelta(days=rng.randint(30, 400)),
                amount=Decimal(rng.choice((1, 2, 5, 10))),
                description="为村里提供技术人员、资金或物资支持",
            ).save()
    _reports(campaign, pairs, rng, today, liaisons)


def _reports(campaign: Campaign, pairs: list[Pair], rng: random.Random, today: date, liaisons: list[User]) -> None:
    sloppy = {pair.pk for pair in pairs if rng.random() < 0.12}  # pairs that often report late or not at all
    for period in services.periods(campaign, until=today):
        _start, end, due = services.period_bounds(campaign, period)
        if end >= today:
            continue
        for pair in pairs:
            roll = rng.random()
            missing = roll < (0.25 if pair.pk in sloppy else 0.03)
            if missing:
                continue
            late = rng.random() < (0.45 if pair.pk in sloppy else 0.1)
            submitted = (
                due + timedelta(days=rng.randint(1, 12))
                if late
                else end + timedelta(days=rng.randint(1, campaign.report_due_days))
            )
            if submitted >= today:
                continue
            accepted = submitted < today - timedelta(days=10)
            Report(
                pair=pair,
                period=period,
                due_date=due,
                status=ReportStatus.ACCEPTED if accepted else ReportStatus.SUBMITTED,
                investment=Decimal(rng.choice((0, 0, 2, 5, 10))),
                projects=1 if rng.random() < 0.08 else 0,
                jobs=rng.choice((0, 0, 1, 2)),
                farmer_income=Decimal(rng.choice((0, 0.5, 1, 2))),
                collective_income=Decimal(rng.choice((0, 0.2, 0.5, 1))),
                narrative="本月按计划推进结对共建项目。",
                submitted_at=_at(submitted, rng.randint(8, 18)),
                submitted_by=(author := rng.choice(liaisons)),
                created_by=author,
            ).save()


def load_campaign(county: County, seed: int = 2027) -> dict[str, int]:
    """Create the campaign and its whole history (call inside the demo transaction)."""
    rng = random.Random(seed)
    today = timezone.localdate()
    admin = User.objects.get(username="county_admin")
    staff = User.objects.get(username="county_staff")
    _organisation(county, rng, today)
    start = _add_months(today.replace(day=1), -18)
    campaign = Campaign(
        county=county,
        name=f"{start.year}—{start.year + 2}年村企共建",
        year=start.year,
        start=start,
        end=date(start.year + 2, 12, 31),
        report_due_days=10,
        enterprise_capacity=1,
        village_capacity=1,
        letter_prefix="示范统建",
        appointment_prefix="示范统聘",
        issuer=f"{county.name.split('（')[0]}村企共建工作领导小组办公室",
    )
    campaign.save()
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    for part in campaign.participants.all():
        part.capacity = rng.choice((1, 1, 2)) if part.side == Side.VILLAGE else rng.choice((1, 1, 1, 2, 3))
        part.save()
    _rankings(campaign, staff, rng)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.MATCHING)
    services.match_run_create(campaign=campaign, user=staff)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.REVIEW)
    reviewers = _township_reviewers(county)
    _review(campaign, admin, reviewers, rng)
    for pair in _overrides(campaign, staff, rng):
        services.pair_township_approve(pair=pair, user=reviewers[pair.township_id])
    for pair in campaign.pairs.filter(status=PairStatus.TOWNSHIP_APPROVED):
        services.pair_approve(pair=pair, user=admin)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.APPROVED)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.RUNNING)
    liaisons = _liaisons(campaign, county, admin, rng)
    _running(campaign, rng, today, liaisons)
    return {"pairs": campaign.pairs.filter(status=PairStatus.APPROVED).count()}


def _liaisons(campaign: Campaign, county: County, admin: User, rng: random.Random) -> list[User]:
    demo = User.objects.get(username="liaison")
    users = [demo]
    for i in range(6):
        user = User(username=f"liaison{i + 2}", full_name=NAMES[(i + 4) % len(NAMES)])
        user.set_unusable_password()
        user.save()
        grant_for_setup(user, Role.LIAISON, county)
        users.append(user)
    pairs = list(campaign.pairs.filter(status=PairStatus.APPROVED).order_by("township__code", "pk"))
    chunk = max(1, len(pairs) // len(users) + 1)
    for i, user in enumerate(users):
        mine = pairs[i * chunk : (i + 1) * chunk]
        if not mine:
            continue
        appointment = services.liaison_appoint(
            campaign=campaign, user=admin, liaison=user, pairs=mine, term_start=campaign.start, term_end=campaign.end
        )
        if i < 2:
            services.letter_issue_appointment(appointment=appointment, user=admin)
    for pair in pairs[:3]:
        services.letter_issue_responsibility(pair=pair, user=admin)
    return users


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def rebind_demo_users(campaign_pairs: Any) -> None:
    """Bind the enterprise and village demo users to organisations that have a pair."""
    pair = campaign_pairs.filter(status=PairStatus.APPROVED, appointments__liaison__username="liaison").first()
    if pair is None:
        return
    rebinds = (
        ("enterprise", "enterprise", pair.enterprise),
        ("village", "village", pair.village),
        ("township_staff", "township", pair.township),
    )
    for username, field, value in rebinds:
        assignment = RoleAssignment.objects.get(user__username=username)
        setattr(assignment, field, value)
        assignment.save()
