"""Cadre files for tests: people in the first county and in the foreign one."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from tongxin.cadres.models import (
    AccessLog,
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
    StageRecord,
)
from tongxin.core.identifiers import resident_id_check_char
from tongxin.regions.models import County

_numbers = itertools.count(1)


def resident_id(county: County, born: date, *, male: bool = True, sequence: int = 1) -> str:
    """A valid 18-character ID number for someone born in ``county`` on ``born``."""
    seq = f"{sequence:02d}{1 if male else 2}"
    first17 = f"{county.code}{born:%Y%m%d}{seq}"
    return first17 + resident_id_check_char(first17)


def person(county: County, name: str | None = None, **fields: Any) -> Person:
    number = next(_numbers)
    born = fields.pop("birth_date", date(1980, 1, 1) if number % 2 else date(1990, 6, 15))
    values: dict[str, Any] = {
        "code": f"{county.code}-{number:04d}",
        "name": name or f"测试{number}",
        "gender": "male",
        "birth_date": born,
        "education": "bachelor",
        "affiliation": "non_party",
        "county": county,
        "expertise": "农学",
        "work_unit": "县农业农村局",
        "post": "副局长",
        "rank": "section_deputy",
        "resident_id": resident_id(county, born, sequence=number % 99),
        "mobile": f"139{number:08d}",
    }
    values.update(fields)
    obj = Person(**values)
    obj.full_clean()
    obj.save()
    PostHistory.objects.create(person=obj, work_unit=obj.work_unit, post=obj.post, start=date(2020, 1, 1))
    return obj


def access_entry(user: Any, subject: Any) -> AccessLog:
    return AccessLog.objects.create(
        user=user, user_name=user.get_username(), county_id=subject.county_id, kind="page", person=subject
    )


def stage(subject: Person, stage: str = "found", on: date = date(2026, 1, 1), **fields: Any) -> StageRecord:
    """A reserve stage of ``subject`` (written as the pipeline's service would)."""
    obj = StageRecord(person=subject, stage=stage, date=on, **fields)
    obj.full_clean()
    obj.save()
    return obj


def body(county: County, kind: str = "township_team", township: Any = None, **fields: Any) -> Body:
    number = next(_numbers)
    obj = Body(name=fields.pop("name", f"班子{number}"), kind=kind, county=county, township=township, **fields)
    obj.full_clean()
    obj.save()
    return obj


def post(parent: Any, holder: Any = None, **fields: Any) -> Post:
    values: dict[str, Any] = {
        "title": "副职",
        "role": "deputy",
        "start": date(2022, 1, 1),
        "term_end": date(2027, 1, 1),
    }
    values.update(fields)
    obj = Post(body=parent, person=holder, **values)
    obj.full_clean()
    obj.save()
    return obj


def rule(county: County, kind: str = "township_team", **fields: Any) -> StaffingRule:
    values: dict[str, Any] = {
        "name": "每个乡镇班子至少一名党外干部",
        "mode": "each",
        "minimum": 1,
        "source_document": "测试〔2026〕1号",
        "source_date": date(2026, 1, 1),
    }
    values.update(fields)
    obj = StaffingRule(county=county, body_kind=kind, **values)
    obj.full_clean()
    obj.save()
    return obj


def files_of(county: County, officer: Any) -> Person:
    """One record of each cadre ledger in ``county`` (for tests that go over every ledger):
    a person holding a post of a body, a staffing rule and ``officer``'s read of the file."""
    someone = person(county)
    post(body(county), holder=someone)
    rule(county)
    access_entry(officer, someone)
    training_and_friends(someone)
    return someone


def course(county: County, **fields: Any) -> Course:
    number = next(_numbers)
    values: dict[str, Any] = {
        "name": f"党外干部培训班{number}",
        "kind": "county_college",
        "organiser": "县委统战部",
        "start": date(2026, 3, 2),
        "end": date(2026, 3, 6),
        "hours": Decimal("40"),
    }
    values.update(fields)
    obj = Course(county=county, **values)
    obj.full_clean()
    obj.save()
    return obj


def enrolment(parent: Course, someone: Person, **fields: Any) -> Enrolment:
    obj = Enrolment(course=parent, person=someone, **fields)
    obj.full_clean()
    obj.save()
    return obj


def recommendation(someone: Person, **fields: Any) -> Recommendation:
    values: dict[str, Any] = {"college": "city_college", "date": date(2026, 2, 1), "recommended_by": "县委统战部"}
    values.update(fields)
    obj = Recommendation(person=someone, **values)
    obj.full_clean()
    obj.save()
    return obj


def leader(county: County, name: str = "", **fields: Any) -> LeadingCadre:
    number = next(_numbers)
    obj = LeadingCadre(county=county, name=name or f"领导{number}", post=fields.pop("post", "副县长"), **fields)
    obj.full_clean()
    obj.save()
    return obj


def friend_pair(head: LeadingCadre, someone: Person, **fields: Any) -> FriendPair:
    values: dict[str, Any] = {"frequency": "quarterly", "since": date(2025, 1, 1)}
    values.update(fields)
    obj = FriendPair(leader=head, person=someone, **values)
    obj.full_clean()
    obj.save()
    return obj


def contact(pair: FriendPair, on: date, **fields: Any) -> FriendContact:
    values: dict[str, Any] = {"form": "talk", "topics": "近期工作"}
    values.update(fields)
    obj = FriendContact(pair=pair, date=on, **values)
    obj.full_clean()
    obj.save()
    return obj


def training_and_friends(someone: Person) -> dict[str, Any]:
    """One row of each training and friend-making ledger about ``someone``."""
    taught = course(someone.county)
    pair = friend_pair(leader(someone.county), someone)
    return {
        "course": taught,
        "enrolment": enrolment(taught, someone, hours_attended=Decimal("32")),
        "recommendation": recommendation(someone),
        "leader": pair.leader,
        "pair": pair,
        "contact": contact(pair, date(2025, 6, 1), topics=f"与{someone.name}谈心"),
    }


def reader_of(model: Any, usual: Any, officer: Any) -> Any:
    """``usual`` where they may view ``model``'s rows; else the cadre officer (the cadre
    files are theirs alone)."""
    from tongxin.core.scope import VIEW, can

    return usual if can(usual, model, VIEW) else officer
