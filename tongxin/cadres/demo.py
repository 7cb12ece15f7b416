"""Demo cadre files for ``seed_demo``: about 300 people, the county's leadership bodies,
five staffing rules with real gaps, courses with enrolments and friend-making pairs (some
overdue). Deterministic for a seed; fictional throughout."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tongxin.cadres.choices import (
    COLLEGES,
    FREQUENCY_MONTHS,
    Affiliation,
    BodyKind,
    ContactForm,
    CourseKind,
    Education,
    EnrolmentStatus,
    PersonStatus,
    PostRole,
    RankLevel,
    RecommendationOutcome,
    RuleMode,
)
from tongxin.cadres.demo_reserve import load_reserve_history
from tongxin.cadres.models import (
    Body,
    Course,
    Enrolment,
    FriendContact,
    FriendPair,
    LeadingCadre,
    Person,
    Post,
    PostHistory,
    Recommendation,
    StaffingRule,
)
from tongxin.core.identifiers import resident_id_check_char
from tongxin.demo.names import GIVEN_NAME_CHARS, SURNAMES

FIELDS = (
    "农业经济",
    "水利工程",
    "法律",
    "教育",
    "医疗卫生",
    "财务会计",
    "城乡规划",
    "文化旅游",
    "生态环境",
    "信息技术",
)
UNITS = ("县农业农村局", "县水利局", "县人民法院", "县教育局", "县人民医院", "县财政局", "县自然资源局", "县文广旅体局")
POSTS = ("副局长", "科长", "副科长", "副院长", "主任", "副主任")
DEPARTMENTS = (
    ("县农业农村局", "农业经济 水利"),
    ("县教育局", "教育"),
    ("县卫生健康局", "医疗卫生"),
    ("县财政局", "财务会计"),
    ("县自然资源和规划局", "城乡规划"),
    ("县文化广电旅游体育局", "文化旅游"),
    ("县生态环境分局", "生态环境"),
    ("县科技局", "信息技术"),
)
SOURCE = "县委组织部、县委统战部关于加强党外干部队伍建设的实施意见（演示）"


def _name(rng: random.Random, taken: set[str]) -> str:
    surnames = [s for s, _ in SURNAMES]
    weights = [w for _, w in SURNAMES]
    while True:
        name = rng.choices(surnames, weights)[0] + "".join(rng.sample(GIVEN_NAME_CHARS, rng.choice((1, 2))))
        if name not in taken:
            taken.add(name)
            return name


def _person(rng: random.Random, county: Any, number: int, taken: set[str], status: str) -> Person:
    young = status == PersonStatus.RESERVE and rng.random() < 0.5
    born = date(rng.randint(1988, 1994) if young else rng.randint(1964, 1987), rng.randint(1, 12), rng.randint(1, 28))
    gender = rng.choice(("male", "female"))
    field = rng.choice(FIELDS)
    resident_id = None
    if number % 3:  # two files in three carry an ID number
        first17 = f"{county.code}{born:%Y%m%d}{number % 100:02d}{rng.choice('13579' if gender == 'male' else '02468')}"
        resident_id = first17 + resident_id_check_char(first17)
    affiliations = list(Affiliation.values)
    person = Person(
        code=f"{county.code}-{number:04d}",
        name=_name(rng, taken),
        gender=gender,
        birth_date=born,
        education=rng.choice((Education.BACHELOR, Education.BACHELOR, Education.MASTER, Education.DOCTORATE)),
        expertise=field,
        work_unit=rng.choice(UNITS),
        post=rng.choice(POSTS),
        rank=rng.choice((RankLevel.SECTION_DEPUTY, RankLevel.SECTION, RankLevel.SECTION, RankLevel.DIVISION_DEPUTY)),
        affiliation=rng.choices(affiliations, weights=[6, 1, 2, 1, 2, 1, 1, 2, 1])[0],
        npc_level=rng.choice(("", "", "county")),
        cppcc_level=rng.choice(("", "county", "county")),
        status=status,
        county=county,
        resident_id=resident_id,
        mobile=f"139{rng.randint(10_000_000, 99_999_999)}",
    )
    person.full_clean()
    person.save()
    PostHistory.objects.create(
        person=person, work_unit=person.work_unit, post=person.post, rank=person.rank, start=date(2019, 3, 1)
    )
    return person


def load_cadres(county: Any, townships: list[Any], seed: int, today: date) -> dict[str, int]:
    """Write the demo's cadre files, bodies, posts and rules for ``county``."""
    rng = random.Random(seed * 7 + 10)  # noqa: S311  (demo data, not secrets)
    taken: set[str] = set()
    statuses = [PersonStatus.SERVING] * 200 + [PersonStatus.RESERVE] * 70 + [PersonStatus.RETIRED] * 20
    statuses += [PersonStatus.LEFT] * 10
    people = [_person(rng, county, n, taken, status) for n, status in enumerate(statuses, start=1)]
    serving = iter(p for p in people if p.status == PersonStatus.SERVING)

    def body(name: str, kind: str, township: Any = None, area: str = "") -> Body:
        obj = Body(name=name, kind=kind, county=county, township=township, area=area)
        obj.full_clean()
        obj.save()
        return obj

    def post(parent: Body, title: str, role: str, holder: Person | None = None, other: str = "", **kw: Any) -> None:
        obj = Post(body=parent, title=title, role=role, person=holder, other_holder=other, **kw)
        obj.full_clean()
        obj.save()

    term: dict[str, Any] = {"start": date(2022, 1, 1), "term_end": date(2029, 1, 1)}
    soon: dict[str, Any] = {
        "start": date(2021, 6, 1),
        "term_end": date(today.year, today.month, 1).replace(year=today.year + 1),
    }
    leaders = (
        ("县人大常委会", BodyKind.NPC_STANDING),
        ("县人民政府领导班子", BodyKind.GOVERNMENT),
        ("县政协领导班子", BodyKind.CPPCC),
        ("县人民法院领导班子", BodyKind.COURT),
        ("县人民检察院领导班子", BodyKind.PROCURATORATE),
    )
    made: dict[str, Body] = {}
    for name, kind in leaders:
        made[kind] = body(name, kind)
        post(made[kind], "主要负责人", PostRole.LEADER, other=_name(rng, taken), **term)
    post(made[BodyKind.NPC_STANDING], "副主任", PostRole.DEPUTY, next(serving), **term)
    post(made[BodyKind.GOVERNMENT], "副县长", PostRole.DEPUTY, next(serving), **soon)  # term ends within a year
    post(made[BodyKind.CPPCC], "副主席", PostRole.DEPUTY, next(serving), **term)
    post(made[BodyKind.COURT], "副院长", PostRole.DEPUTY, next(serving), **term)
    post(made[BodyKind.PROCURATORATE], "副检察长", PostRole.DEPUTY, other=_name(rng, taken), **term)  # a gap
    for index, (name, area) in enumerate(DEPARTMENTS):
        dept = body(name, BodyKind.DEPARTMENT, area=area)
        post(dept, "局长", PostRole.LEADER, other=_name(rng, taken), **term)
        if index < 3:  # three of the five departments the rule asks for
            post(dept, "科长", PostRole.SECTION_CHIEF, next(serving), **term)
        else:
            post(dept, "科长", PostRole.SECTION_CHIEF, other=_name(rng, taken), **term)
    for index, township in enumerate(townships):
        team = body(f"{township.name}领导班子", BodyKind.TOWNSHIP_TEAM, township=township)
        post(team, "党委书记", PostRole.LEADER, other=_name(rng, taken), **term)
        if index % 4:  # every fourth team has no non-party member
            post(team, "副镇长", PostRole.DEPUTY, next(serving), **term)
    rules = (
        ("县政府领导班子至少配备一名党外副职", BodyKind.GOVERNMENT, RuleMode.EACH, 1, PostRole.DEPUTY),
        ("法院、检察院领导班子各至少配备一名党外干部", BodyKind.COURT, RuleMode.EACH, 1, ""),
        ("法院、检察院领导班子各至少配备一名党外干部", BodyKind.PROCURATORATE, RuleMode.EACH, 1, ""),
        ("至少五个政府工作部门配备党外正职科长", BodyKind.DEPARTMENT, RuleMode.BODIES, 5, PostRole.SECTION_CHIEF),
        ("每个乡镇领导班子至少配备一名党外干部", BodyKind.TOWNSHIP_TEAM, RuleMode.EACH, 1, ""),
    )
    for name, kind, mode, minimum, role in rules:
        rule = StaffingRule(
            name=name,
            county=county,
            body_kind=kind,
            mode=mode,
            minimum=minimum,
            post_role=role,
            source_document=SOURCE,
            source_date=date(2024, 3, 1),
        )
        rule.full_clean()
        rule.save()
    load_reserve_history(people, seed, today)
    return {
        "cadre files": len(people),
        "leadership bodies": Body.objects.filter(county=county).count(),
        **load_training_and_friends(county, people, rng, today),
    }


COURSES = (
    ("全省党外代表人士理论研修班", CourseKind.PROVINCE_COLLEGE, "省社会主义学院", 80),
    ("全市党外干部履职能力提升班", CourseKind.CITY_COLLEGE, "市社会主义学院", 40),
    ("全县党外干部培训班", CourseKind.COUNTY_COLLEGE, "县社会主义学院", 24),
    ("党外知识分子乡村振兴专题班", CourseKind.LOCAL_CLASS, "县委统战部", 16),
    ("党外干部网络专题培训", CourseKind.ONLINE, "县委统战部", 12),
)
LEADERS = (
    ("县委书记", "县委"),
    ("县长", "县人民政府"),
    ("县委副书记", "县委"),
    ("县委常委、统战部部长", "县委统战部"),
    ("县委常委、组织部部长", "县委组织部"),
    ("县人大常委会主任", "县人大常委会"),
    ("县政协主席", "县政协"),
    ("常务副县长", "县人民政府"),
)
TOPICS = ("近期工作和思想情况", "乡村振兴建言", "本单位发展难题", "民主党派组织建设", "履职建议", "家庭和健康")


def load_training_and_friends(county: Any, people: list[Person], rng: random.Random, today: date) -> dict[str, int]:
    """Courses of the last four years with enrolments (attended, most completed, some with
    a certificate), a few recommendations to a college, and eight leading cadres each
    paired with non-party people — some pairs overdue for a contact."""
    active = [p for p in people if p.status in (PersonStatus.SERVING, PersonStatus.RESERVE)]
    enrolments: list[Enrolment] = []
    count = 0
    for year in range(today.year - 3, today.year + 1):
        for index, (name, kind, organiser, hours) in enumerate(COURSES):
            start = date(year, 3 + 2 * index, 10)
            if start > today:
                continue
            count += 1
            course = Course(
                name=f"{year}年{name}",
                kind=kind,
                organiser=organiser,
                county=county,
                start=start,
                end=start + timedelta(days=max(1, hours // 8) - 1),
                hours=Decimal(hours),
                place=organiser,
            )
            course.full_clean()
            course.save()
            for person in rng.sample(active, 6 if kind == CourseKind.PROVINCE_COLLEGE else 14):
                done = course.end < today and rng.random() < 0.9
                enrolment = Enrolment(
                    course=course,
                    person=person,
                    status=EnrolmentStatus.COMPLETED if done else EnrolmentStatus.ENROLLED,
                    hours_attended=Decimal(hours - rng.choice((0, 0, 0, 2, 4))) if course.end < today else None,
                    completed_on=course.end if done else None,
                    certificate_number=f"{year}-{count:02d}-{len(enrolments) + 1:04d}" if done and index < 3 else "",
                    certificate_date=course.end if done and index < 3 else None,
                )
                enrolments.append(enrolment)
    Enrolment.objects.bulk_create(enrolments)
    for person in rng.sample(active, 8):
        Recommendation(
            person=person,
            college=rng.choice([c.value for c in COLLEGES]),
            date=today - timedelta(days=rng.randint(30, 400)),
            recommended_by=rng.choice(("县委统战部", "县委组织部")),
            outcome=rng.choice(RecommendationOutcome.values),
        ).save()
    contacts: list[FriendContact] = []
    pairs = 0
    friends = rng.sample(active, 5 * len(LEADERS))
    for index, (post, unit) in enumerate(LEADERS):
        leader = LeadingCadre(name=_name(rng, set()), post=post, unit=unit, county=county)
        leader.save()
        for number, person in enumerate(friends[5 * index : 5 * index + 5]):
            frequency = rng.choice(list(FREQUENCY_MONTHS))
            months = FREQUENCY_MONTHS[frequency]
            pair = FriendPair(leader=leader, person=person, frequency=frequency, since=date(today.year - 2, 1, 1))
            pair.save()
            pairs += 1
            # Every third pair's last contact is older than its frequency allows (overdue).
            gap = months * 30 + 20 if number % 3 == 0 else rng.randint(5, max(6, months * 30 - 10))
            last = today - timedelta(days=gap)
            for step in range(rng.randint(1, 4)):
                on = last - timedelta(days=step * months * 30)
                if on < pair.since:
                    break
                follow = rng.random() < 0.4
                contacts.append(
                    FriendContact(
                        pair=pair,
                        date=on,
                        form=rng.choice(ContactForm.values),
                        topics=rng.choice(TOPICS),
                        concerns="反映基层调研中发现的问题" if follow else "",
                        follow_up="协调有关部门答复" if follow else "",
                        follow_up_owner="县委统战部" if follow else "",
                        follow_up_done=follow and step > 0,
                    )
                )
    FriendContact.objects.bulk_create(contacts)
    return {"courses": count, "enrolments": len(enrolments), "friend-making pairs": pairs}
