"""Demo selections for ``seed_demo``: "2026 十大创业之星", finished and published, and
"2027 十大经济人物", open for the public vote. The demo ``reviewer`` sits on both juries.
Deterministic for a seed; fictional throughout (names, deeds, figures, deputies)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.accounts.services import grant_for_setup
from tongxin.demo.names import GIVEN_NAME_CHARS, SURNAMES
from tongxin.enterprises.models import Enterprise
from tongxin.regions.models import County, Township
from tongxin.selection.choices import Channel, Council, CouncilLevel, CriterionKind, Stage
from tongxin.selection.models import (
    Category,
    Criterion,
    CriterionCheck,
    Deputy,
    Juror,
    Mark,
    Nomination,
    Objection,
    Recommendation,
    Selection,
    Vote,
    Voter,
)
from tongxin.selection.services import workflow
from tongxin.selection.services.voting import keyed_hash

JURY = (("reviewer", "县工商联副主席"), ("demo_juror_b", "县委统战部经济科科长"), ("demo_juror_c", "县融媒体中心主任"))
JUROR_NAMES = {"demo_juror_b": "方立群", "demo_juror_c": "严思远"}
DEEDS = (
    "返乡创办企业，带动{n}名村民就近就业，连续三年获评县纳税信用A级。",
    "研发新产品打开海外市场，产值三年翻番，设立助学基金资助困难学生。",
    "牵头组建产业联合体，帮扶结对村发展特色种植，村集体年增收二十万元。",
    "坚持诚信经营，疫情期间不裁员不减薪，主动为上下游企业纾困。",
    "推动企业数字化改造，建成省级智能工厂，吸纳高校毕业生就业。",
)
EVIDENCE = "经县税务局、市场监管局核实"
CHANNELS = (Channel.TOWNSHIP, Channel.CHAMBER, Channel.DEPARTMENT, Channel.SELF)
NOMINATORS = {Channel.CHAMBER: "县工商业联合会", Channel.DEPARTMENT: "县经济和信息化局", Channel.SELF: "本人"}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES)[0] + "".join(rng.choice(GIVEN_NAME_CHARS) for _ in range(rng.choice((1, 2))))


def _jury(county: County) -> list[User]:
    people = [User.objects.get(username="reviewer")]
    for username, full_name in JUROR_NAMES.items():
        person = User(username=username, full_name=full_name)
        person.set_unusable_password()  # jurors of the demo without a login of their own
        person.save()
        grant_for_setup(person, Role.REVIEWER, county)
        people.append(person)
    return people


def _selection(county: County, name: str, year: int) -> Selection:
    selection = Selection.objects.create(
        county=county,
        name=name,
        year=year,
        description="表彰在创新创业、带动就业、回报社会中表现突出的非公有制经济人士。",
        places=10,
        max_per_industry=3,
        min_from_townships=6,
    )
    for category in ("创业之星", "青年企业家", "乡村振兴贡献者"):
        Category.objects.create(selection=selection, name=category)
    for criterion in (
        "依法经营、依法纳税，近三年无不良信用记录",
        "在本县注册或实际经营满三年",
        "热心公益，社会评价良好",
    ):
        Criterion.objects.create(selection=selection, kind=CriterionKind.ELIGIBILITY, name=criterion)
    for criterion, weight in (("创业事迹与创新", 40), ("经济效益", 30), ("带动就业与社会贡献", 30)):
        Criterion.objects.create(
            selection=selection, kind=CriterionKind.SCORING, name=criterion, weight=weight, max_points=10
        )
    return selection


def _nominations(
    selection: Selection, rng: random.Random, townships: list[Township], enterprises: list[Enterprise], count: int
) -> list[Nomination]:
    made = []
    categories = list(selection.categories.all())
    for index in range(count):
        enterprise = enterprises[index % len(enterprises)]
        channel = CHANNELS[index % len(CHANNELS)]
        township = enterprise.township
        nomination = Nomination.objects.create(
            selection=selection,
            category=categories[index % len(categories)],
            name=_name(rng),
            post=rng.choice(("董事长", "总经理", "创始人", "负责人")),
            enterprise=enterprise,
            township=township,
            industry=enterprise.industry,
            channel=channel,
            nominator=NOMINATORS.get(channel, f"{township.name}人民政府"),
            deeds=rng.choice(DEEDS).format(n=rng.randint(20, 300)),
            revenue=Decimal(rng.randint(800, 60000)),
            jobs=rng.randint(15, 600),
            taxes=Decimal(rng.randint(30, 3000)),
        )
        made.append(nomination)
    return made


def _deputies(county: County, rng: random.Random) -> list[Deputy]:
    deputies = []
    for index in range(12):
        council = Council.NPC if index % 2 == 0 else Council.CPPCC
        level = (CouncilLevel.COUNTY, CouncilLevel.COUNTY, CouncilLevel.PREFECTURE, CouncilLevel.PROVINCE)[index % 4]
        delegation = "工商联界别" if council == Council.CPPCC else f"第{index // 2 + 1}代表团"
        deputies.append(
            Deputy.objects.create(county=county, name=_name(rng), council=council, level=level, delegation=delegation)
        )
    return deputies


def _recommend(nominations: list[Nomination], deputies: list[Deputy], rng: random.Random, day: date) -> int:
    count = 0
    for nomination in nominations:
        for deputy in rng.sample(deputies, rng.choice((0, 1, 1, 2))):
            Recommendation.objects.create(
                nomination=nomination,
                deputy=deputy,
                text="该同志创业事迹突出，群众口碑好，特此推荐。",
                date=day - timedelta(days=rng.randint(10, 40)),
            )
            count += 1
    return count


def _qualify(selection: Selection, admin: User, rng: random.Random, reject: int) -> None:
    criteria = list(selection.criteria.filter(kind=CriterionKind.ELIGIBILITY))
    nominations = list(selection.nominations.order_by("pk"))
    rejected = set(rng.sample(range(len(nominations)), reject))
    for index, nomination in enumerate(nominations):
        if index in rejected:
            workflow.nomination_reject(
                user=admin, nomination=nomination, reason="近三年有欠缴税款记录，不符合参评条件。"
            )
            continue
        # The checks in bulk (the demo is seeded quickly); the qualification by the service.
        CriterionCheck.objects.bulk_create(
            CriterionCheck(
                nomination=nomination,
                criterion=criterion,
                met=True,
                evidence="经县税务局、市场监管局核实",
                checked_by=admin,
            )
            for criterion in criteria
        )
        workflow.nomination_qualify(user=admin, nomination=nomination)


def _score(selection: Selection, jurors: list[User], rng: random.Random) -> None:
    """Marks of the given jurors (in bulk: the demo is seeded quickly); one declares a
    conflict through the service. One juror is lenient, one severe."""
    criteria = list(selection.criteria.filter(kind=CriterionKind.SCORING))
    candidates = list(selection.nominations.filter(status="shortlisted").order_by("ballot"))
    seats = {seat.user_id: seat for seat in selection.jurors.all()}
    marks = []
    for offset, juror in enumerate(jurors):
        severity = (0, -2, 1)[offset % 3]
        for index, candidate in enumerate(candidates):
            if offset == 1 and index == 2:
                workflow.conflict_declare(user=juror, nomination=candidate, reason="与候选人系同一商会会长单位")
                continue
            base = 6 + (index * 7 + offset * 3) % 4 + severity
            for criterion in criteria:
                points = Decimal(max(0, min(10, base + rng.randint(-1, 1))))
                marks.append(Mark(juror=seats[juror.pk], nomination=candidate, criterion=criterion, points=points))
    Mark.objects.bulk_create(marks)


def _votes(selection: Selection, rng: random.Random, voters: int, now: Any) -> int:
    """Votes of ``voters`` fictional verified numbers (hashes of made-up numbers), in bulk."""
    candidates = list(selection.nominations.filter(status="shortlisted").order_by("ballot"))
    popularity = [rng.randint(1, 10) for _ in candidates]
    rows_voters = [
        Voter(selection=selection, phone_hash=keyed_hash(f"demo-{selection.pk}-{i}"), ballots=0) for i in range(voters)
    ]
    Voter.objects.bulk_create(rows_voters, batch_size=1000)
    made = list(Voter.objects.filter(selection=selection).order_by("pk"))
    votes = []
    for voter in made:
        chosen = set()
        for _ in range(rng.randint(1, selection.places)):
            chosen.add(rng.choices(range(len(candidates)), weights=popularity)[0])
        for index in chosen:
            votes.append(
                Vote(
                    selection=selection, voter=voter, nomination=candidates[index], address_hash=f"demo{voter.pk % 97}"
                )
            )
        voter.ballots = len(chosen)
    Voter.objects.bulk_update(made, ["ballots"], batch_size=1000)
    Vote.objects.bulk_create(votes, batch_size=2000)
    # Spread the votes over the last days (created is set on insert).
    for offset in range(0, 24):
        Vote.objects.filter(selection=selection, voter_id__in=[v.pk for v in made[offset::24]]).update(
            created=now - timedelta(hours=offset)
        )
    return len(votes)


def load_selections(county: County, townships: list[Township], seed: int) -> dict[str, int]:
    rng = random.Random(seed + 12)  # noqa: S311  (demo data, not secrets)
    admin = User.objects.get(username="county_admin")
    jurors = _jury(county)
    enterprises = list(Enterprise.objects.filter(township__county=county).select_related("township").order_by("pk"))
    rng.shuffle(enterprises)
    deputies = _deputies(county, rng)
    today = timezone.localdate()
    now = timezone.now()

    finished = _selection(county, f"{today.year - 1}年度全县“十大创业之星”", today.year - 1)
    open_vote = _selection(county, f"{today.year}年度全县“十大经济人物”", today.year)
    for selection in (finished, open_vote):
        for person, (_username, title) in zip(jurors, JURY, strict=True):
            Juror.objects.create(selection=selection, user=person, title=title)
    counts = {"selections": 2, "recommendations": 0, "votes": 0}
    for selection, count, voters in ((finished, 18, 600), (open_vote, 16, 250)):
        workflow.selection_advance(user=admin, selection=selection, to=Stage.NOMINATION)
        nominations = _nominations(selection, rng, townships, enterprises[: count + 4][::-1], count)
        workflow.selection_advance(user=admin, selection=selection, to=Stage.RECOMMENDATION)
        counts["recommendations"] += _recommend(nominations, deputies, rng, today)
        workflow.selection_advance(user=admin, selection=selection, to=Stage.QUALIFICATION)
        _qualify(selection, admin, rng, reject=2)
        workflow.selection_advance(user=admin, selection=selection, to=Stage.PUBLICITY)
        listed = list(selection.nominations.filter(status="shortlisted").order_by("ballot"))
        objection = Objection.objects.create(
            nomination=listed[3], received=today - timedelta(days=3), text="来电反映该企业曾有劳动纠纷，请核实。"
        )
        workflow.objection_answer(
            user=admin, objection=objection, answer="经县人力社保局核实，纠纷已依法调解结案，不影响参评。", upheld=False
        )
        workflow.selection_advance(user=admin, selection=selection, to=Stage.VOTING)
        _score(selection, jurors if selection is finished else jurors[1:], rng)
        counts["votes"] += _votes(selection, rng, voters, now)
    workflow.selection_advance(user=admin, selection=finished, to=Stage.RESULT_PUBLICITY)
    workflow.selection_advance(user=admin, selection=finished, to=Stage.PUBLISHED)
    return counts
