"""Demo data of the platforms for ``seed_demo``: a year of research and proposals (about
20 topics, 60 proposals in every answer state, with instructions and milestones, and the
non-party people of the cadre files who took part) and of the organisations serving
society (12 registered organisations, 30 charity activities, temple fairs and publicity
sessions). Deterministic for a seed; fictional throughout."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tongxin.cadres.choices import PersonStatus
from tongxin.cadres.models import Person
from tongxin.platforms.choices import (
    AnswerState,
    CharityKind,
    EventKind,
    OrganisationKind,
    ParticipationRole,
    TopicStatus,
)
from tongxin.platforms.models import (
    CharityActivity,
    CharityEvent,
    Instruction,
    Milestone,
    Organisation,
    Participation,
    Proposal,
    ResearchReport,
    ResearchTopic,
)

TOPICS = (
    "村级集体经济薄弱村增收路径",
    "山区农产品冷链物流短板",
    "民营企业融资难融资贵",
    "农村养老服务体系建设",
    "乡村教师队伍稳定",
    "县域医共体建设成效",
    "传统村落保护与利用",
    "农村生活垃圾分类长效机制",
    "小微企业用工难",
    "乡村旅游同质化",
    "农村电商人才培养",
    "县城停车难",
    "农村饮用水安全",
    "非公企业党建与发展",
    "青年返乡创业扶持",
    "茶产业品牌建设",
    "工业园区土地集约利用",
    "农村宅基地闲置盘活",
    "基层矛盾纠纷多元化解",
    "数字乡村建设",
)
ORGANISERS = ("县工商联", "县委统战部", "县知联会", "民盟县委会", "民建县委会", "农工党县委会")
DEPARTMENTS = (
    "县农业农村局",
    "县发展和改革局",
    "县经济和信息化局",
    "县民政局",
    "县教育局",
    "县卫生健康局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县人力资源和社会保障局",
    "县文化广电旅游体育局",
)
PROPOSAL_ENDINGS = ("的建议", "的对策建议", "问题的建议")
LEADERS = ("县委书记", "县长", "常务副县长", "分管副县长", "县委常委、统战部部长")
INSTRUCTIONS = (
    "请相关部门认真研究，抓好落实。",
    "建议很有价值，请牵头部门拿出具体方案。",
    "请纳入明年重点工作统筹考虑。",
)
STEPS = ("制定实施方案", "完成调研论证", "落实资金", "试点推进", "全面推开")
ORGANISATIONS = (
    ("灵溪寺", OrganisationKind.RELIGIOUS_VENUE),
    ("城关基督教堂", OrganisationKind.RELIGIOUS_VENUE),
    ("紫阳观", OrganisationKind.RELIGIOUS_VENUE),
    ("清真寺", OrganisationKind.RELIGIOUS_VENUE),
    ("天主教堂", OrganisationKind.RELIGIOUS_VENUE),
    ("县佛教协会", OrganisationKind.RELIGIOUS_GROUP),
    ("县基督教两会", OrganisationKind.RELIGIOUS_GROUP),
    ("县道教协会", OrganisationKind.RELIGIOUS_GROUP),
    ("县伊斯兰教协会", OrganisationKind.RELIGIOUS_GROUP),
    ("县少数民族联谊会", OrganisationKind.ETHNIC_ASSOCIATION),
    ("畲族文化研究会", OrganisationKind.ETHNIC_ASSOCIATION),
    ("县慈善义工协会", OrganisationKind.OTHER),
)
CHARITY_TITLES = {
    CharityKind.RELIEF: ("冬季送温暖", "受灾群众救助"),
    CharityKind.EDUCATION: ("金秋助学", "困难学生资助"),
    CharityKind.ELDERLY: ("重阳敬老", "独居老人走访慰问"),
    CharityKind.MEDICAL: ("义诊进村", "大病救助"),
    CharityKind.COMMUNITY: ("环境整治志愿服务", "社区邻里节"),
    CharityKind.OTHER: ("无偿献血", "公益植树"),
}


def _save(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def load_platforms(county: Any, townships: list[Any], villages: list[Any], seed: int, today: date) -> dict[str, int]:
    """Write the demo's research, proposals and organisations for ``county``."""
    rng = random.Random(seed * 11 + 13)  # noqa: S311  (demo data, not secrets)
    people = list(Person.objects.filter(county=county, status__in=(PersonStatus.SERVING, PersonStatus.RESERVE)))
    counts = _research(rng, county, townships, people, today)
    counts.update(_charity(rng, county, townships, villages, today))
    return counts


def _research(rng: random.Random, county: Any, townships: list[Any], people: list[Any], today: date) -> dict[str, int]:
    year = today.year
    topics = []
    for index, title in enumerate(TOPICS):
        topic_year = year - 1 if index < 8 else year
        status = TopicStatus.CONCLUDED if topic_year < year else rng.choice((TopicStatus.PLANNED, TopicStatus.STUDYING))
        topic = _save(
            ResearchTopic(
                county=county,
                township=rng.choice(townships) if index % 4 == 0 else None,
                year=topic_year,
                title=title,
                issue=f"围绕{title}开展专题调研，摸清底数，提出对策。",
                organiser=rng.choice(ORGANISERS),
                status=status,
            )
        )
        topics.append(topic)
        group = rng.sample(people, min(len(people), rng.randint(3, 5))) if people else []
        for position, person in enumerate(group):
            role = ParticipationRole.GROUP_LEADER if position == 0 else ParticipationRole.GROUP_MEMBER
            _save(Participation(person=person, role=role, topic=topic))
        if status != TopicStatus.PLANNED:
            for number in range(rng.randint(1, 2)):
                day = date(topic_year, rng.randint(3, 11), rng.randint(1, 28))
                if day > today:
                    day = today - timedelta(days=rng.randint(1, 30))
                _save(
                    ResearchReport(topic=topic, title=f"关于{title}的调研报告" + ("（续）" if number else ""), date=day)
                )
    # Every answer state, plus proposals awaiting an answer and proposals whose answer is overdue.
    plan = (
        [AnswerState.ADOPTED] * 16
        + [AnswerState.PARTLY_ADOPTED] * 12
        + [AnswerState.EXPLAINED] * 10
        + [AnswerState.NOT_ADOPTED] * 8
        + ["waiting"] * 7
        + ["overdue"] * 7
    )
    rng.shuffle(plan)
    proposals = 0
    for number, state in enumerate(plan, start=1):
        topic = rng.choice(topics) if number % 3 else None
        if state == "waiting":
            submitted = today - timedelta(days=rng.randint(5, 40))
            due = today + timedelta(days=rng.randint(10, 60))
        elif state == "overdue":
            submitted = today - timedelta(days=rng.randint(120, 200))
            due = today - timedelta(days=rng.randint(3, 40))
        else:
            submitted = today - timedelta(days=rng.randint(120, 420))
            due = submitted + timedelta(days=90)
        subject = (topic.title if topic else rng.choice(TOPICS)) + rng.choice(PROPOSAL_ENDINGS)
        proposal = _save(
            Proposal(
                code=f"{county.code}-{submitted.year}-{number:03d}",
                county=county,
                township=topic.township if topic else None,
                topic=topic,
                title=f"关于{subject}",
                content="现状、问题与建议三部分（演示）。",
                department=rng.choice(DEPARTMENTS),
                submitted_on=submitted,
                due_on=due,
            )
        )
        proposals += 1
        if people:
            authors = rng.sample(people, min(len(people), rng.randint(1, 3)))
            for position, person in enumerate(authors):
                role = ParticipationRole.PROPOSER if position == 0 else ParticipationRole.CO_PROPOSER
                _save(Participation(person=person, role=role, proposal=proposal))
        if number % 4 == 0:
            _save(
                Instruction(
                    proposal=proposal,
                    leader=rng.choice(LEADERS),
                    date=submitted + timedelta(days=rng.randint(1, 20)),
                    text=rng.choice(INSTRUCTIONS),
                )
            )
        if state in AnswerState.values:
            answered = min(due - timedelta(days=rng.randint(0, 30)), today)
            proposal.answer_state = state
            proposal.answered_on = answered
            proposal.answer_text = "经研究，答复如下（演示）。"
            _save(proposal)
            if proposal.implemented:
                _milestones(rng, proposal, answered, today)
    return {"research topics": len(topics), "proposals": proposals}


def _milestones(rng: random.Random, proposal: Proposal, answered: date, today: date) -> None:
    steps = rng.randint(2, 4)
    for index in range(steps):
        planned = answered + timedelta(days=45 * (index + 1))
        done = planned if planned <= today and rng.random() < 0.8 else None
        progress = round(100 * (index + 1) / steps)
        _save(Milestone(proposal=proposal, title=STEPS[index], planned_on=planned, done_on=done, progress=progress))


def _charity(rng: random.Random, county: Any, townships: list[Any], villages: list[Any], today: date) -> dict[str, int]:
    organisations = [
        _save(
            Organisation(
                name=name,
                registration_number=f"{county.code}-{'ZJ' if kind != OrganisationKind.OTHER else 'ST'}-{index:04d}",
                kind=kind,
                county=county,
                township=townships[index % len(townships)] if townships else None,
            )
        )
        for index, (name, kind) in enumerate(ORGANISATIONS, start=1)
    ]
    kinds = list(CharityKind.values)
    for number in range(1, 31):
        organisation = organisations[(number * 5) % len(organisations)]
        kind = kinds[number % len(kinds)]
        day = today - timedelta(days=rng.randint(1, 365))
        _save(
            CharityActivity(
                code=f"{county.code}-CS-{number:04d}",
                organisation=organisation,
                kind=kind,
                title=rng.choice(CHARITY_TITLES[kind]),
                date=day,
                amount=Decimal(rng.randrange(2_000, 120_000, 500)),
                beneficiaries=rng.randint(10, 400),
                village=rng.choice(villages) if villages and rng.random() < 0.7 else None,
            )
        )
    events = 0
    for organisation in organisations:
        if organisation.kind == OrganisationKind.RELIGIOUS_VENUE:
            _save(
                CharityEvent(
                    organisation=organisation,
                    kind=EventKind.TEMPLE_FAIR,
                    title=f"{organisation.name}和谐庙会",
                    date=today - timedelta(days=rng.randint(10, 300)),
                    attendance=rng.randint(500, 5000),
                )
            )
            events += 1
        _save(
            CharityEvent(
                organisation=organisation,
                kind=EventKind.POLICY_PUBLICITY,
                title="《宗教事务条例》宣传进场所"
                if organisation.kind != OrganisationKind.OTHER
                else "民族团结政策宣讲",
                date=today - timedelta(days=rng.randint(10, 300)),
                attendance=rng.randint(30, 300),
            )
        )
        events += 1
    return {"organisations": len(organisations), "charity activities": 30, "organisation events": events}
