"""Demo chambers of commerce for ``seed_demo``: the county federation of industry and
commerce (工商联, the general chamber), six township chambers, three industry chambers,
about 400 memberships with their history, two years of dues (some unpaid), applications,
officers and about 60 rights-protection cases in every state, some overdue.
Deterministic for a seed; fictional throughout. Written in bulk (seed_demo stays quick)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.accounts.services import grant_for_setup
from tongxin.chambers.choices import (
    ActivityKind,
    ApplicationStatus,
    CaseKind,
    CaseStatus,
    CaseStep,
    ChamberKind,
    MemberKind,
    MemberStatus,
    OfficerPosition,
    PostSide,
    PostTopic,
)
from tongxin.chambers.models import (
    ActivitySignup,
    Application,
    BoardPost,
    CaseNote,
    Chamber,
    Dues,
    MemberActivity,
    Membership,
    MembershipEvent,
    MembershipLevel,
    Officer,
    RightsCase,
)
from tongxin.chambers.services.sla import levels_for
from tongxin.chambers.workdays import add_working_days, official_calendar
from tongxin.core.identifiers import make_uscc
from tongxin.core.models import Capability
from tongxin.demo.names import GIVEN_NAME_CHARS, SURNAMES

LEVELS = (("会员", "1000"), ("理事单位", "3000"), ("常务理事单位", "6000"), ("副会长单位", "10000"))
INDUSTRIES = (("C", "制造业商会"), ("A", "农业产业商会"), ("F", "商贸流通商会"))
COUNTERPARTS = ("某建设工程公司", "某镇人民政府", "某县直部门", "某贸易公司", "某银行支行", "某物流公司")
DEPARTMENTS = ("县人民法院", "县市场监督管理局", "县人力资源和社会保障局", "县司法局", "县金融办")
OUTCOMES = ("经调解对方付清欠款", "协调有关部门依法处理", "达成分期还款协议", "企业撤回诉求")
CASE_TITLES = {
    CaseKind.CONTRACT: "合同货款纠纷",
    CaseKind.ARREARS: "政府工程款拖欠",
    CaseKind.ENFORCEMENT: "行政执法争议",
    CaseKind.IP: "商标被仿冒",
    CaseKind.FINANCING: "贷款抽贷续贷",
    CaseKind.LABOUR: "劳动争议",
    CaseKind.OTHER: "其他诉求",
}
STAFF_NAME = "陈立新"


def _person_name(rng: random.Random) -> str:
    surnames = [s for s, _ in SURNAMES]
    weights = [w for _, w in SURNAMES]
    return rng.choices(surnames, weights)[0] + "".join(rng.sample(GIVEN_NAME_CHARS, rng.choice((1, 2))))


def _chamber(county: Any, number: int, **fields: Any) -> Chamber:
    obj = Chamber(county=county, uscc=make_uscc("51", county.code, f"MJ{number:06d}"), **fields)
    obj.full_clean()
    obj.save()
    return obj


def _status(rng: random.Random) -> str:
    roll = rng.random()
    for limit, status in (
        (0.70, MemberStatus.CURRENT),
        (0.80, MemberStatus.GRACE),
        (0.87, MemberStatus.LAPSED),
        (0.94, MemberStatus.RESIGNED),
        (0.96, MemberStatus.EXPELLED),
    ):
        if roll < limit:
            return status
    return MemberStatus.APPLIED


#: The path to each final status (after applied → current).
PATHS: dict[str, list[str]] = {
    MemberStatus.APPLIED: [],
    MemberStatus.CURRENT: [MemberStatus.CURRENT],
    MemberStatus.GRACE: [MemberStatus.CURRENT, MemberStatus.GRACE],
    MemberStatus.LAPSED: [MemberStatus.CURRENT, MemberStatus.GRACE, MemberStatus.LAPSED],
    MemberStatus.RESIGNED: [MemberStatus.CURRENT, MemberStatus.RESIGNED],
    MemberStatus.EXPELLED: [MemberStatus.CURRENT, MemberStatus.EXPELLED],
}
REASONS: dict[str, str] = {
    MemberStatus.LAPSED: "逾期未缴会费",
    MemberStatus.EXPELLED: "严重违反章程",
    MemberStatus.RESIGNED: "企业申请退会",
}


def load_chambers(county: Any, townships: list[Any], enterprises: list[Any], seed: int, today: date) -> dict[str, int]:
    """Write the demo chambers of ``county`` and the ``chamber_staff`` login."""
    rng = random.Random(seed * 11 + 3)  # noqa: S311  (demo data, not secrets)
    numbers = iter(range(1, 100))
    fic = _chamber(county, next(numbers), name=f"{county.name}工商业联合会（总商会）", kind=ChamberKind.GENERAL)
    chambers = [fic]
    by_township: dict[int, Chamber] = {}
    for township in townships[:6]:
        chamber = _chamber(
            county, next(numbers), name=f"{township.name}商会", kind=ChamberKind.TOWNSHIP, parent=fic, township=township
        )
        by_township[township.pk] = chamber
        chambers.append(chamber)
    by_industry: dict[str, Chamber] = {}
    for code, name in INDUSTRIES:
        chamber = _chamber(
            county, next(numbers), name=f"{county.name}{name}", kind=ChamberKind.INDUSTRY, parent=fic, industry=code
        )
        by_industry[code] = chamber
        chambers.append(chamber)
    levels: dict[int, list[MembershipLevel]] = {}
    for chamber in chambers:
        levels[chamber.pk] = [
            MembershipLevel.objects.create(chamber=chamber, name=name, rank=rank, yearly_dues=Decimal(dues))
            for rank, (name, dues) in enumerate(LEVELS, start=1)
        ]
    officers = _officers(rng, chambers, enterprises, today)

    # Members: the enterprises of the six townships in their township chamber, the
    # enterprises of the three industries in their industry chamber, some in the FIC,
    # and individual entrepreneurs.
    contact = User.objects.filter(username="enterprise").first()
    contact_enterprise = None
    if contact is not None:
        hat = contact.assignments.filter(role=Role.ENTERPRISE_CONTACT).first()
        contact_enterprise = hat.enterprise if hat is not None else None
    plan: list[tuple[Chamber, Any]] = []
    for enterprise in enterprises:
        home = by_township.get(enterprise.township_id)
        if home is not None and (rng.random() < 0.55 or enterprise == contact_enterprise):
            plan.append((home, enterprise))
        if enterprise.industry in by_industry and rng.random() < 0.25:
            plan.append((by_industry[enterprise.industry], enterprise))
        if rng.random() < 0.05:
            plan.append((fic, enterprise))
    plan = plan[:380]
    for _n in range(400 - len(plan)):
        plan.append((rng.choice(chambers), None))
    memberships, events = _memberships(rng, plan, levels, today, contact_enterprise)
    dues = _dues(rng, memberships, today, contact_enterprise)
    applications = _applications(rng, chambers, levels, enterprises, today)
    staff = User(username="chamber_staff", full_name=STAFF_NAME)
    staff.set_password("tongxin-demo")
    staff.save()
    first = by_township[townships[0].pk]
    grant_for_setup(staff, Role.CHAMBER_STAFF, first)
    cases = _cases(rng, memberships, staff, today, contact_enterprise)
    activities, signups = _activities(rng, chambers, memberships, today, contact_enterprise)
    posts = _posts(rng, memberships, today, contact_enterprise)
    return {
        "chambers": len(chambers),
        "officers": officers,
        "memberships": len(memberships),
        "membership events": events,
        "dues": dues,
        "applications": applications,
        "cases": cases,
        "member activities": activities,
        "sign-ups": signups,
        "board posts": posts,
    }


def _officers(rng: random.Random, chambers: list[Chamber], enterprises: list[Any], today: date) -> int:
    rows = []
    start = date(today.year - 2, 1, 1)
    for chamber in chambers:
        positions = [OfficerPosition.PRESIDENT, OfficerPosition.VICE_PRESIDENT, OfficerPosition.VICE_PRESIDENT]
        positions += [OfficerPosition.SECRETARY_GENERAL] + [OfficerPosition.COUNCIL_MEMBER] * 3
        for position in positions:
            rows.append(
                Officer(
                    chamber=chamber,
                    name=_person_name(rng),
                    position=position,
                    enterprise=rng.choice(enterprises) if position != OfficerPosition.SECRETARY_GENERAL else None,
                    term_start=start,
                    term_end=start.replace(year=start.year + 5) - timedelta(days=1),
                )
            )
    Officer.objects.bulk_create(rows)
    return len(rows)


def _memberships(
    rng: random.Random,
    plan: list[tuple[Chamber, Any]],
    levels: dict[int, list[MembershipLevel]],
    today: date,
    contact_enterprise: Any,
) -> tuple[list[Membership], int]:
    rows: list[Membership] = []
    histories: list[list[tuple[str, date]]] = []
    seen: set[tuple[int, int]] = set()
    sequence: dict[int, int] = {}
    for chamber, enterprise in plan:
        if enterprise is not None:
            if (chamber.pk, enterprise.pk) in seen:
                continue
            seen.add((chamber.pk, enterprise.pk))
        status = MemberStatus.CURRENT if enterprise is not None and enterprise == contact_enterprise else _status(rng)
        joined = today - timedelta(days=rng.randint(60, 7 * 365))
        steps: list[tuple[str, date]] = []
        day = joined
        for step in PATHS[status]:
            steps.append((step, day))
            day = min(today, day + timedelta(days=rng.randint(90, 500)))
        grade = rng.choices(levels[chamber.pk], (70, 18, 8, 4))[0]
        number = None
        if steps:
            sequence[chamber.pk] = sequence.get(chamber.pk, 0) + 1
            number = f"{chamber.county.code}-{chamber.pk:02d}-{sequence[chamber.pk]:04d}"
        rows.append(
            Membership(
                chamber=chamber,
                kind=MemberKind.ENTERPRISE if enterprise is not None else MemberKind.INDIVIDUAL,
                enterprise=enterprise,
                name="" if enterprise is not None else _person_name(rng),
                work_unit="" if enterprise is not None else "个体工商户",
                level=grade,
                status=status,
                joined_on=steps[0][1] if steps else None,
                status_since=steps[-1][1] if steps else today,
                number=number,
            )
        )
        histories.append(steps)
    made = Membership.objects.bulk_create(rows)
    events = []
    for membership, steps in zip(made, histories, strict=True):
        before: str = MemberStatus.APPLIED
        for step, on in steps:
            events.append(
                MembershipEvent(
                    membership=membership, on=on, status_from=before, status_to=step, reason=REASONS.get(step, "")
                )
            )
            before = step
    MembershipEvent.objects.bulk_create(events)
    return made, len(events)


def _dues(rng: random.Random, memberships: list[Membership], today: date, contact_enterprise: Any) -> int:
    """Last year's dues (mostly paid) and this year's (many unpaid, due end of March)."""
    rows = []
    for membership in memberships:
        if membership.joined_on is None or membership.status == MemberStatus.APPLIED:
            continue
        for year in (today.year - 1, today.year):
            if membership.joined_on.year > year:
                continue
            due = date(year, 3, 31)
            paid_share = 0.92 if year < today.year else 0.6
            if membership.status in (MemberStatus.GRACE, MemberStatus.LAPSED) and year == today.year:
                paid_share = 0
            if membership.enterprise_id is not None and membership.enterprise == contact_enterprise:
                paid_share = 1.0 if year < today.year else 0  # the demo member owes this year's
            paid = rng.random() < paid_share and due <= today
            paid_on = min(today, due - timedelta(days=rng.randint(0, 60)) + timedelta(days=rng.randint(0, 90)))
            rows.append(
                Dues(
                    membership=membership,
                    year=year,
                    amount=membership.level.yearly_dues,
                    due_on=due,
                    paid_on=paid_on if paid else None,
                    paid_amount=membership.level.yearly_dues if paid else None,
                    receipt=f"HF{year}{membership.pk:05d}" if paid else "",
                )
            )
    Dues.objects.bulk_create(rows)
    return len(rows)


def _applications(
    rng: random.Random,
    chambers: list[Chamber],
    levels: dict[int, list[MembershipLevel]],
    enterprises: list[Any],
    today: date,
) -> int:
    rows = []
    statuses = [ApplicationStatus.SUBMITTED] * 8 + [ApplicationStatus.REVIEWED] * 5 + [ApplicationStatus.RETURNED] * 4
    for status in statuses:
        chamber = rng.choice(chambers)
        rows.append(
            Application(
                chamber=chamber,
                kind=MemberKind.INDIVIDUAL,
                name=_person_name(rng),
                work_unit="个体工商户",
                level=levels[chamber.pk][0],
                statement="本人自愿加入商会，遵守商会章程。",
                documents="营业执照复印件、入会申请表",
                status=status,
                submitted_on=today - timedelta(days=rng.randint(1, 40)),
                reason="入会材料不齐全，请补充营业执照复印件" if status == ApplicationStatus.RETURNED else "",
                decided_on=today - timedelta(days=1) if status == ApplicationStatus.RETURNED else None,
            )
        )
    Application.objects.bulk_create(rows)
    return len(rows)


def _cases(rng: random.Random, memberships: list[Membership], staff: User, today: date, contact_enterprise: Any) -> int:
    """About 60 cases: received days spread over the last five months, so that some of the
    open ones are past their due dates; the demo member has one open and one resolved."""
    calendar = official_calendar()
    county_staff = User.objects.filter(username="county_staff").first()
    current = [m for m in memberships if m.status in (MemberStatus.CURRENT, MemberStatus.GRACE)]
    own = [m for m in current if m.enterprise_id is not None and m.enterprise == contact_enterprise]
    chosen = own * 2 + rng.sample(current, min(58, len(current)))
    statuses = [
        CaseStatus.RECEIVED,
        CaseStatus.TRIAGED,
        CaseStatus.ASSIGNED,
        CaseStatus.REFERRED,
        CaseStatus.RESOLVED,
        CaseStatus.CLOSED,
    ]
    cases: list[RightsCase] = []
    notes_of: list[list[tuple[str, Any, str, User | None]]] = []
    for index, membership in enumerate(chosen):
        kind = rng.choice(list(CaseKind))
        status = statuses[index % len(statuses)] if index >= 2 else (CaseStatus.ASSIGNED, CaseStatus.RESOLVED)[index]
        received = today - timedelta(days=rng.randint(0, 150))
        sla = levels_for(kind)
        ack, resolve = (
            add_working_days(received, sla.acknowledge, calendar),
            add_working_days(received, sla.resolve, calendar),
        )
        case = RightsCase(
            chamber=membership.chamber,
            membership=membership,
            kind=kind,
            title=CASE_TITLES[kind],
            description=f"{membership.member_name}反映：{CASE_TITLES[kind]}，请求商会协调。",
            amount=Decimal(rng.randint(2, 200) * 10000),
            counterpart=rng.choice(COUNTERPARTS),
            status=status,
            received_on=received,
            acknowledge_due=ack.due,
            resolve_due=resolve.due,
            due_estimated=ack.estimated or resolve.estimated,
        )
        handler = staff if membership.chamber_id == staff.assignments.get().chamber_id else county_staff
        notes: list[tuple[str, Any, str, User | None]] = [(CaseStep.RAISED, received, "", None)]
        if status != CaseStatus.RECEIVED:
            case.acknowledged_on = min(today, received + timedelta(days=rng.randint(0, 4)))
            notes.append((CaseStep.ACKNOWLEDGED, case.acknowledged_on, "已受理", handler))
        if status in (CaseStatus.ASSIGNED, CaseStatus.REFERRED, CaseStatus.RESOLVED, CaseStatus.CLOSED):
            case.handler = handler
            notes.append((CaseStep.ASSIGNED, case.acknowledged_on, str(handler), handler))
        if status == CaseStatus.REFERRED:
            case.referred_to = rng.choice(DEPARTMENTS)
            notes.append((CaseStep.REFERRED, case.acknowledged_on, case.referred_to, handler))
        if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
            case.finished_on = min(today, received + timedelta(days=rng.randint(5, 60)))
            case.outcome = rng.choice(OUTCOMES)
            case.recovered = (case.amount * Decimal(rng.choice(("0", "0.5", "0.8", "1")))).quantize(Decimal("0.01"))
            case.satisfaction = rng.choice((None, 3, 4, 5, 5))
            step = CaseStep.RESOLVED if status == CaseStatus.RESOLVED else CaseStep.CLOSED
            notes.append((step, case.finished_on, case.outcome, handler))
        cases.append(case)
        notes_of.append(notes)
    made = RightsCase.objects.bulk_create(cases)
    CaseNote.objects.bulk_create(
        CaseNote(case=case, step=step, on=on, text=text, by=by)
        for case, notes in zip(made, notes_of, strict=True)
        for step, on, text, by in notes
    )
    return len(made)


ACTIVITY_TITLES = {
    ActivityKind.BRIEFING: "惠企政策宣讲会",
    ActivityKind.TRAINING: "企业财税培训",
    ActivityKind.MATCHMAKING: "产销对接会",
    ActivityKind.VISIT: "走访会员企业",
    ActivityKind.GUIDANCE: "理想信念教育报告会",
}
POSTS = {
    PostTopic.SUPPLY: (("供应包装材料", ["marketing"]), ("提供电商代运营", ["ecommerce", "marketing"])),
    PostTopic.PURCHASE: (("求购农副产品", ["agri_processing"]), ("采购办公设备", ["technology"])),
    PostTopic.FINANCING: (("寻求设备融资", ["capital"]), ("提供供应链金融", ["capital"])),
    PostTopic.JOBS: (("招聘技术工人", ["employment", "skills_training"]), ("提供技能培训", ["skills_training"])),
}


def _activities(
    rng: random.Random, chambers: list[Chamber], memberships: list[Membership], today: date, contact_enterprise: Any
) -> tuple[int, int]:
    """Three activities per chamber (two held, one coming), sign-ups of current members,
    attendance and feedback of the held ones; the demo member signed up for one of each."""
    current: dict[int, list[Membership]] = {}
    for membership in memberships:
        if membership.status == MemberStatus.CURRENT:
            current.setdefault(membership.chamber_id, []).append(membership)
    made, rows = 0, []
    for chamber in chambers:
        for offset in (-60, -15, 20):
            kind = rng.choice(list(ActivityKind))
            activity = MemberActivity.objects.create(
                chamber=chamber,
                kind=kind,
                title=ACTIVITY_TITLES[kind],
                held_on=today + timedelta(days=offset),
                place=f"{chamber.name}会议室",
                capacity=rng.choice((0, 30, 50)),
                description="欢迎会员企业报名参加。",
            )
            made += 1
            pool = current.get(chamber.pk, [])
            chosen = rng.sample(pool, min(len(pool), rng.randint(5, 20)))
            own = [m for m in pool if m.enterprise_id is not None and m.enterprise == contact_enterprise]
            for membership in {m.pk: m for m in chosen + own}.values():
                held = offset < 0
                attended = (rng.random() < 0.8) if held else None
                rows.append(
                    ActivitySignup(
                        activity=activity,
                        membership=membership,
                        signed_up_on=activity.held_on - timedelta(days=rng.randint(2, 10)),
                        attended=attended,
                        rating=rng.choice((None, 3, 4, 5)) if attended else None,
                        feedback="内容实用" if attended and rng.random() < 0.3 else "",
                    )
                )
    ActivitySignup.objects.bulk_create(rows)
    return made, len(rows)


def _posts(rng: random.Random, memberships: list[Membership], today: date, contact_enterprise: Any) -> int:
    """About 40 needs and offers of current enterprise members, tagged for the matching."""
    authors = [m for m in memberships if m.status == MemberStatus.CURRENT and m.enterprise_id is not None]
    own = [m for m in authors if m.enterprise == contact_enterprise]
    made = 0
    for index, membership in enumerate(own + rng.sample(authors, min(40, len(authors)))):
        topic = rng.choice(list(PostTopic))
        side = PostSide.NEED if index % 2 == 0 else PostSide.OFFER
        title, tags = POSTS[topic][0 if side == PostSide.NEED else 1]
        post = BoardPost.objects.create(
            membership=membership,
            chamber=membership.chamber,
            side=side,
            topic=topic,
            title=title,
            text=f"{membership.member_name}：{title}，欢迎会员单位联系。",
            valid_until=today + timedelta(days=rng.randint(10, 120)),
        )
        post.tags.set(Capability.objects.filter(code__in=tags))
        made += 1
    return made


__all__ = ["load_chambers"]
