"""Demo data of the platforms for ``seed_demo``: a year of research and proposals (about
20 topics, 60 proposals in every answer state, with instructions and milestones, and the
non-party people of the cadre files who took part), of the organisations serving society
(12 registered organisations, 30 charity activities, temple fairs and publicity sessions)
and of investment through the associations (three associations, 40 projects through
every stage, contacts, promotions, talents). Deterministic for a seed; fictional
throughout."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tongxin.cadres.choices import PersonStatus
from tongxin.cadres.models import Person
from tongxin.enterprises.models import Enterprise
from tongxin.platforms import pipeline
from tongxin.platforms.choices import (
    AnswerState,
    AssociationKind,
    CharityKind,
    EventKind,
    OrganisationKind,
    Origin,
    ParticipationRole,
    ProjectStatus,
    PromotionKind,
    RequestStatus,
    ServiceField,
    TopicStatus,
)
from tongxin.platforms.models import (
    Association,
    CharityActivity,
    CharityEvent,
    Contact,
    CountrysideActivity,
    InnovationProject,
    Instruction,
    Intellectual,
    InvestmentLead,
    LeadStep,
    Milestone,
    Organisation,
    Participation,
    PromotionEvent,
    Proposal,
    ResearchReport,
    ResearchTopic,
    ServiceRequest,
    Talent,
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
CHARITY_TITLES: dict[str, tuple[str, ...]] = {
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
    counts.update(_investment(rng, county, townships, today))
    counts.update(_intellectuals(rng, county, townships, villages, people, today))
    return counts


ASSOCIATIONS = (
    ("县台联", AssociationKind.TAIWAN),
    ("县侨联", AssociationKind.OVERSEAS_CHINESE),
    ("县海联", AssociationKind.OVERSEAS_FRIENDSHIP),
)
PLACES = {
    Origin.TAIWAN: ("台北市", "台中市", "高雄市", "新竹市"),
    Origin.HONG_KONG: ("香港九龙", "香港新界"),
    Origin.MACAO: ("澳门",),
    Origin.ABROAD: ("新加坡", "马来西亚吉隆坡", "美国旧金山", "德国慕尼黑", "日本大阪"),
}
INDUSTRIES = ("精密制造", "新材料", "生物医药", "电子信息", "现代农业", "文化旅游", "健康养老")
PROJECTS = (
    "精密零部件生产基地",
    "功能性膜材料项目",
    "中药饮片加工",
    "智能传感器产线",
    "高山蔬菜种植基地",
    "民宿集群",
    "康养综合体",
)
CURRENCIES = {Origin.TAIWAN: "TWD", Origin.HONG_KONG: "HKD", Origin.MACAO: "HKD", Origin.ABROAD: "USD"}
SURNAMES_ABROAD = ("林", "陈", "黄", "张", "李", "吴", "蔡", "郑")
GIVEN = ("志明", "美玲", "家豪", "淑芬", "建华", "雅婷", "国强", "慧敏")


def _investment(rng: random.Random, county: Any, townships: list[Any], today: date) -> dict[str, int]:
    """Three associations, their contacts, promotions and talents, and 40 projects
    through every stage of the pipeline (some lost, some stale)."""
    associations = [_save(Association(name=name, kind=kind, county=county)) for name, kind in ASSOCIATIONS]
    origins = list(PLACES)
    for number in range(24):
        origin = origins[number % len(origins)]
        _save(
            Contact(
                association=associations[number % 3],
                name=rng.choice(SURNAMES_ABROAD) + rng.choice(GIVEN),
                origin=origin,
                place=rng.choice(PLACES[origin]),
                field=rng.choice(INDUSTRIES),
                relationship=rng.choice(("乡贤", "校友", "商会会长", "同乡会理事")),
            )
        )
    for number in range(12):
        _save(
            PromotionEvent(
                association=associations[number % 3],
                kind=(PromotionKind.PROMOTION, PromotionKind.VISIT_OUT, PromotionKind.VISIT_IN)[number % 3],
                title=("两岸产业对接会", "海外乡贤恳谈会", "招商推介会")[number % 3],
                date=today - timedelta(days=rng.randint(5, 360)),
                place=rng.choice(("县城", "厦门", "香港", "新加坡")),
            )
        )
    # The furthest stage each of the 40 projects reaches; every fifth is lost on the way.
    furthest = [pipeline.ORDER[number % len(pipeline.ORDER)] for number in range(40)]
    steps_total = 0
    for number, last in enumerate(furthest, start=1):
        origin = origins[number % len(origins)]
        association = associations[(number // 2) % 3]
        stages = list(pipeline.ORDER[1 : pipeline.ORDER.index(last) + 1])
        lost = number % 5 == 0 and last != pipeline.PRODUCING
        if lost:
            stages.append(pipeline.LOST)
        stale = number % 6 == 2 and not lost and last != pipeline.PRODUCING
        start = today - timedelta(days=rng.randint(200, 360) if stages or stale else rng.randint(2, 20))
        planned = Decimal(rng.randrange(500, 30_000, 100))
        reached_landing = pipeline.LANDED in stages or pipeline.PRODUCING in stages
        lead = _save(
            InvestmentLead(
                code=f"{county.code}-ZS-{number:04d}",
                association=association,
                title=rng.choice(PROJECTS),
                origin=origin,
                investor=rng.choice(SURNAMES_ABROAD) + "氏集团",
                industry=rng.choice(INDUSTRIES),
                currency=CURRENCIES.get(origin, "CNY"),
                planned_investment=planned,
                actual_investment=(planned * Decimal("0.6")).quantize(Decimal("1")) if reached_landing else 0,
                responsible_unit=rng.choice(("县投资促进局", "县经济和信息化局", "开发区管委会")),
                owner=rng.choice(("王副局长", "李主任", "赵科长")),
                township=rng.choice(townships) if townships else None,
                stage_on=start,
            )
        )
        day = start
        for index, stage in enumerate(stages):
            day = day + timedelta(days=rng.randint(5, 25))
            if index == len(stages) - 1 and stage not in pipeline.FINAL:
                # The current step of an open project: recent, or long ago for a stale one.
                day = max(day, today - timedelta(days=rng.randint(40, 90) if stale else rng.randint(1, 20)))
            day = min(day, today)
            reason = "投资方战略调整" if stage == pipeline.LOST else ""
            _save(LeadStep(lead=lead, stage=stage, date=day, note=reason))
            lead.stage, lead.stage_on = stage, day
            lead.lost_reason = reason
            steps_total += 1
        _save(lead)
    for number in range(10):
        origin = origins[number % len(origins)]
        _save(
            Talent(
                association=associations[number % 3],
                name=rng.choice(SURNAMES_ABROAD) + rng.choice(GIVEN),
                origin=origin,
                field=rng.choice(INDUSTRIES),
                unit=rng.choice(("县人民医院", "开发区企业", "县职业技术学校")),
                introduced_on=today - timedelta(days=rng.randint(10, 360)),
            )
        )
    return {"associations": len(associations), "investment projects": len(furthest), "project steps": steps_total}


def demo_association(county: Any) -> Any:
    """The association the demo's ``association_staff`` login is bound to (the 侨联)."""
    return Association.objects.get(county=county, name="县侨联")


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


FIELD_UNITS: dict[str, tuple[str, ...]] = {
    ServiceField.POLICY: ("县委党校", "县发展和改革局"),
    ServiceField.LAW: ("县律师协会", "县司法局"),
    ServiceField.CULTURE: ("县文化馆", "县图书馆"),
    ServiceField.SCIENCE: ("县农业技术推广中心", "县科技局"),
    ServiceField.HEALTH: ("县人民医院", "县中医院"),
}
COUNTRYSIDE_TITLES: dict[str, tuple[str, ...]] = {
    ServiceField.POLICY: ("惠农政策宣讲", "乡村振兴政策解读"),
    ServiceField.LAW: ("法律进村讲座", "法律咨询日"),
    ServiceField.CULTURE: ("文艺演出进村", "农家书屋送书"),
    ServiceField.SCIENCE: ("茶叶种植技术培训", "农机使用指导"),
    ServiceField.HEALTH: ("义诊下乡", "健康知识讲座"),
}
INNOVATIONS = (
    ("节能窑炉改造", "烧成能耗高"),
    ("茶叶精深加工", "夏秋茶利用率低"),
    ("笔头耐磨涂层", "笔头寿命短"),
    ("针织面料抗起球", "面料起球投诉多"),
    ("农产品冷链保鲜", "损耗率高"),
    ("竹材综合利用", "竹材附加值低"),
    ("智能仓储", "人工分拣效率低"),
    ("废水循环利用", "用水成本高"),
    ("中药材规范种植", "品质不稳定"),
    ("数字化车间", "订单交付慢"),
)


def _intellectuals(
    rng: random.Random, county: Any, townships: list[Any], villages: list[Any], people: list[Any], today: date
) -> dict[str, int]:
    """Profiles for about half the cadre files, 80 countryside activities across the
    villages, 15 village requests (open, proposed, accepted) and 10 innovation projects."""
    fields = list(ServiceField.values)
    profiles = [
        _save(
            Intellectual(
                person=person,
                field=fields[index % len(fields)],
                speciality=person.expertise,
                unit=rng.choice(FIELD_UNITS[fields[index % len(fields)]]),
                township=rng.choice(townships) if townships else None,
                volunteer=index % 6 != 5,
            )
        )
        for index, person in enumerate(people[: max(0, len(people) // 2)])
    ]
    for number in range(1, 81):
        kind = fields[number % len(fields)]
        township = rng.choice(townships) if townships else None
        local = [v for v in villages if township is None or v.township_id == township.pk] or villages
        activity = _save(
            CountrysideActivity(
                code=f"{county.code}-XX-{number:04d}",
                county=county,
                township=township,
                kind=kind,
                title=rng.choice(COUNTRYSIDE_TITLES[kind]),
                date=today - timedelta(days=rng.randint(1, 365)),
                beneficiaries=rng.randint(20, 300),
            )
        )
        if local:
            activity.villages.set(rng.sample(local, min(len(local), rng.randint(1, 3))))
        same = [p for p in profiles if p.field == kind] or profiles
        if same:
            activity.volunteers.set(rng.sample(same, min(len(same), rng.randint(1, 3))))
    requests = 0
    for number in range(15):
        if not villages:
            break
        kind = fields[number % len(fields)]
        request = _save(
            ServiceRequest(
                village=rng.choice(villages),
                kind=kind,
                title=rng.choice(COUNTRYSIDE_TITLES[kind]),
                wanted_on=today + timedelta(days=rng.randint(7, 60)),
            )
        )
        requests += 1
        same = [p for p in profiles if p.field == kind and p.volunteer]
        if number % 3 and same:
            request.volunteer = rng.choice(same)
            request.score = round(rng.uniform(0.7, 0.95), 4)
            request.status = RequestStatus.ACCEPTED if number % 3 == 2 else RequestStatus.MATCHED
            request.accepted_on = today - timedelta(days=rng.randint(0, 5)) if number % 3 == 2 else None
            _save(request)
    enterprises = list(Enterprise.objects.filter(township__county=county).order_by("pk")[:40])
    statuses = list(ProjectStatus.values)
    for number, (title, problem) in enumerate(INNOVATIONS, start=1):
        if not enterprises:
            break
        status = statuses[number % len(statuses)]
        done = status == ProjectStatus.COMPLETED
        project = _save(
            InnovationProject(
                code=f"{county.code}-KC-{number:04d}",
                enterprise=rng.choice(enterprises),
                title=title,
                problem=problem,
                status=status,
                started_on=today - timedelta(days=rng.randint(60, 500)),
                milestones="立项调研\n方案论证\n中试" + ("\n验收" if done else ""),
                patents=rng.randint(1, 4) if done else 0,
                new_products=rng.randint(1, 3) if done else 0,
                output_value=Decimal(rng.randrange(100, 3000, 10)) if done else Decimal(0),
            )
        )
        if profiles:
            project.intellectuals.set(rng.sample(profiles, min(len(profiles), 2)))
    return {
        "intellectuals": len(profiles),
        "countryside activities": 80,
        "service requests": requests,
        "innovation projects": len(INNOVATIONS) if enterprises else 0,
    }
