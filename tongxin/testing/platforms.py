"""Platform records for tests: research topics, proposals and their answers, organisations
and their charity activities, in a county and one of its townships."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import models

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
from tongxin.regions.models import County, Township

_numbers = itertools.count(1)


_M = TypeVar("_M", bound=models.Model)


def _save(obj: _M) -> _M:
    obj.full_clean()
    obj.save()
    return obj


def topic(county: County, township: Township | None = None, **fields: Any) -> ResearchTopic:
    number = next(_numbers)
    values: dict[str, Any] = {"year": 2026, "title": f"课题{number}", "organiser": "县工商联"}
    values.update(fields)
    return _save(ResearchTopic(county=county, township=township, **values))


def report(parent: ResearchTopic, **fields: Any) -> ResearchReport:
    values: dict[str, Any] = {"title": f"调研报告{next(_numbers)}", "date": date(2026, 5, 1)}
    values.update(fields)
    return _save(ResearchReport(topic=parent, **values))


def proposal(county: County, township: Township | None = None, **fields: Any) -> Proposal:
    number = next(_numbers)
    values: dict[str, Any] = {
        "code": f"{county.code}-2026-{number:03d}",
        "title": f"建议{number}",
        "department": "县农业农村局",
        "submitted_on": date(2026, 1, 10),
        "due_on": date(2026, 3, 1),
    }
    values.update(fields)
    return _save(Proposal(county=county, township=township, **values))


def answered(county: County, township: Township | None = None, state: str = "adopted", **fields: Any) -> Proposal:
    """A proposal with its answer given on 2026-02-01."""
    obj = proposal(county, township, **fields)
    obj.answer_state = state
    obj.answered_on = date(2026, 2, 1)
    return _save(obj)


def instruction(parent: Proposal, **fields: Any) -> Instruction:
    values: dict[str, Any] = {"leader": "县长", "date": date(2026, 1, 20), "text": "请认真研究办理。"}
    values.update(fields)
    return _save(Instruction(proposal=parent, **values))


def milestone(parent: Proposal, **fields: Any) -> Milestone:
    values: dict[str, Any] = {"title": f"节点{next(_numbers)}", "planned_on": date(2026, 4, 1), "progress": 50}
    values.update(fields)
    return _save(Milestone(proposal=parent, **values))


def participation(person: Any, role: str = "group_member", **subject: Any) -> Participation:
    return _save(Participation(person=person, role=role, **subject))


def organisation(county: County, township: Township | None = None, **fields: Any) -> Organisation:
    number = next(_numbers)
    values: dict[str, Any] = {
        "name": f"场所{number}",
        "registration_number": f"{county.code}-ZJ-{number:04d}",
        "kind": "religious_venue",
    }
    values.update(fields)
    return _save(Organisation(county=county, township=township, **values))


def activity(parent: Organisation, **fields: Any) -> CharityActivity:
    number = next(_numbers)
    values: dict[str, Any] = {
        "code": f"{parent.county.code}-CS-{number:04d}",
        "kind": "elderly",
        "title": f"敬老活动{number}",
        "date": date(2026, 4, 1),
        "amount": 5000,
        "beneficiaries": 40,
    }
    values.update(fields)
    return _save(CharityActivity(organisation=parent, **values))


def event(parent: Organisation, **fields: Any) -> CharityEvent:
    values: dict[str, Any] = {"kind": "policy_publicity", "title": f"宣讲{next(_numbers)}", "date": date(2026, 4, 2)}
    values.update(fields)
    return _save(CharityEvent(organisation=parent, **values))


def association(county: County, **fields: Any) -> Association:
    values: dict[str, Any] = {"name": f"台联{next(_numbers)}", "kind": "taiwan"}
    values.update(fields)
    return _save(Association(county=county, **values))


def contact(parent: Association, **fields: Any) -> Contact:
    values: dict[str, Any] = {"name": f"联络人{next(_numbers)}", "origin": "taiwan", "place": "台中市"}
    values.update(fields)
    return _save(Contact(association=parent, **values))


def promotion(parent: Association, **fields: Any) -> PromotionEvent:
    values: dict[str, Any] = {"kind": "promotion", "title": f"推介会{next(_numbers)}", "date": date(2026, 4, 10)}
    values.update(fields)
    return _save(PromotionEvent(association=parent, **values))


def lead(parent: Association, township: Township | None = None, **fields: Any) -> InvestmentLead:
    number = next(_numbers)
    values: dict[str, Any] = {
        "code": f"{parent.county.code}-ZS-{number:04d}",
        "title": f"项目{number}",
        "origin": "taiwan",
        "industry": "精密制造",
        "planned_investment": 3000,
        "responsible_unit": "县投资促进局",
        "owner": "王副局长",
        "stage_on": date(2026, 3, 1),
    }
    values.update(fields)
    return _save(InvestmentLead(association=parent, township=township, **values))


def talent(parent: Association, **fields: Any) -> Talent:
    values: dict[str, Any] = {
        "name": f"人才{next(_numbers)}",
        "origin": "abroad",
        "field": "新材料",
        "introduced_on": date(2026, 5, 1),
    }
    values.update(fields)
    return _save(Talent(association=parent, **values))


def intellectual(person: Any, township: Township | None = None, **fields: Any) -> Intellectual:
    values: dict[str, Any] = {"field": "health", "unit": "县人民医院"}
    values.update(fields)
    return _save(Intellectual(person=person, township=township, **values))


def countryside(county: County, township: Township | None = None, **fields: Any) -> CountrysideActivity:
    number = next(_numbers)
    values: dict[str, Any] = {
        "code": f"{county.code}-XX-{number:04d}",
        "kind": "health",
        "title": f"义诊下乡{number}",
        "date": date(2026, 5, 10),
        "beneficiaries": 80,
    }
    values.update(fields)
    return _save(CountrysideActivity(county=county, township=township, **values))


def service_request(village: Any, **fields: Any) -> ServiceRequest:
    values: dict[str, Any] = {"kind": "health", "title": f"健康讲座{next(_numbers)}"}
    values.update(fields)
    return _save(ServiceRequest(village=village, **values))


def innovation(enterprise: Any, **fields: Any) -> InnovationProject:
    number = next(_numbers)
    values: dict[str, Any] = {
        "code": f"{enterprise.township.county.code}-KC-{number:04d}",
        "title": f"技改项目{number}",
        "problem": "能耗偏高",
        "status": "ongoing",
        "started_on": date(2026, 2, 1),
    }
    values.update(fields)
    return _save(InnovationProject(enterprise=enterprise, **values))


def own_association(world: Any) -> Association:
    """The association the world's association staff member is bound to."""
    from tongxin.accounts.choices import Role

    found: Association = world.users[Role.ASSOCIATION_STAFF].assignments.get().association
    return found


def records_of(
    county: County, township: Township, person: Any, village: Any = None, enterprise: Any = None
) -> dict[str, Any]:
    """One record of each platform ledger in ``county`` (for tests that go over every
    ledger); ``person`` (a file of the county) takes part in the topic and the proposal."""
    found: dict[str, Any] = {"topic": topic(county, township), "proposal": proposal(county, township)}
    found["report"] = report(found["topic"])
    found["instruction"] = instruction(found["proposal"])
    found["answered"] = answered(county, township)
    found["milestone"] = milestone(found["answered"])
    found["member"] = participation(person, topic=found["topic"])
    found["proposer"] = participation(person, "proposer", proposal=found["proposal"])
    found["organisation"] = organisation(county, township)
    found["activity"] = activity(found["organisation"])
    found["event"] = event(found["organisation"])
    found["association"] = association(county)
    found["contact"] = contact(found["association"])
    found["promotion"] = promotion(found["association"])
    found["lead"] = lead(found["association"], township)
    found["talent"] = talent(found["association"])
    found["intellectual"] = intellectual(person, township)
    found["countryside"] = countryside(county, township)
    found["countryside"].volunteers.set([found["intellectual"]])
    if village is not None:
        found["request"] = service_request(village)
    if enterprise is not None:
        found["innovation"] = innovation(enterprise)
    return found


def access_places(world: Any, own_person: Any, sibling_person: Any, foreign_person: Any) -> dict[str, tuple[Any, ...]]:
    """For the generated access tests: per model label, its (own, sibling, foreign) rows —
    in township A of county 1, township B of county 1 and county 2. The proposals are
    unanswered (so the answer can be tried); milestones sit on answered ones."""
    places = ((world.county, world.township), (world.county, world.township_b), (world.county2, world.township2))
    topics = tuple(topic(c, t, title=f"课题{index}") for index, (c, t) in enumerate(places))
    proposals = tuple(proposal(c, t, title=f"建议{index}") for index, (c, t) in enumerate(places))
    adopted = tuple(answered(c, t) for c, t in places)
    organisations = tuple(organisation(c, t) for c, t in places)
    people = (own_person, sibling_person, foreign_person)
    associations = (own_association(world), association(world.county), association(world.county2))
    villages = (world.village, world.village_b, world.village2)
    enterprises = (world.enterprise, world.enterprise_b, world.enterprise2)
    return {
        "platforms.Intellectual": tuple(intellectual(p, t) for p, (_c, t) in zip(people, places, strict=True)),
        "platforms.CountrysideActivity": tuple(countryside(c, t) for c, t in places),
        "platforms.ServiceRequest": tuple(service_request(v) for v in villages),
        "platforms.InnovationProject": tuple(innovation(e) for e in enterprises),
        "platforms.Association": associations,
        "platforms.Contact": tuple(contact(x) for x in associations),
        "platforms.PromotionEvent": tuple(promotion(x) for x in associations),
        "platforms.InvestmentLead": tuple(lead(x, t) for x, (_c, t) in zip(associations, places, strict=True)),
        "platforms.Talent": tuple(talent(x) for x in associations),
        "platforms.ResearchTopic": topics,
        "platforms.ResearchReport": tuple(report(x) for x in topics),
        "platforms.Proposal": proposals,
        "platforms.Instruction": tuple(instruction(x) for x in proposals),
        "platforms.Milestone": tuple(milestone(x) for x in adopted),
        "platforms.Participation": tuple(participation(p, topic=x) for p, x in zip(people, topics, strict=True)),
        "platforms.Organisation": organisations,
        "platforms.CharityActivity": tuple(activity(x) for x in organisations),
        "platforms.CharityEvent": tuple(event(x) for x in organisations),
    }


def in_three_places(world: Any, make: Any) -> dict[str, Any]:
    """``make(county, township)`` in township A (own), township B (sibling) and county 2
    (foreign), for the scope matrix."""
    return {
        "own": make(world.county, world.township),
        "sibling": make(world.county, world.township_b),
        "foreign": make(world.county2, world.township2),
    }


@dataclass
class PlatformWorld:
    """The test world with platform rows in three places each (own, sibling, foreign),
    built before any request (for the scope matrix)."""

    world: Any
    topics: dict[str, Any]
    proposals: dict[str, Any]
    organisations: dict[str, Any]
    activities: dict[str, Any]


def build_platform_world(world: Any) -> PlatformWorld:
    organisations = in_three_places(world, organisation)
    return PlatformWorld(
        world,
        in_three_places(world, topic),
        in_three_places(world, proposal),
        organisations,
        {place: activity(org) for place, org in organisations.items()},
    )
