"""Selections for tests: a selection with its parts, nominations, a jury and votes."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tongxin.accounts.models import User
from tongxin.enterprises.models import Enterprise
from tongxin.regions.models import County, Township
from tongxin.selection.choices import Channel, Council, CouncilLevel, CriterionKind, NominationStatus, Stage
from tongxin.selection.models import (
    Category,
    Criterion,
    Deputy,
    Juror,
    Mark,
    Nomination,
    Objection,
    Recommendation,
    Selection,
)

_numbers = itertools.count(1)


def selection(county: County, name: str | None = None, **fields: Any) -> Selection:
    number = next(_numbers)
    obj = Selection.objects.create(county=county, name=name or f"评选{number}", year=2027, **fields)
    Category.objects.create(selection=obj, name=f"创业之星{number}")
    Criterion.objects.create(selection=obj, kind=CriterionKind.ELIGIBILITY, name="依法纳税，无不良信用记录")
    Criterion.objects.create(selection=obj, kind=CriterionKind.SCORING, name="创业事迹", weight=60, max_points=10)
    Criterion.objects.create(selection=obj, kind=CriterionKind.SCORING, name="社会贡献", weight=40, max_points=10)
    return obj


def nomination(
    parent: Selection, township: Township, name: str | None = None, enterprise: Enterprise | None = None, **fields: Any
) -> Nomination:
    number = next(_numbers)
    values: dict[str, Any] = {
        "selection": parent,
        "name": name or f"候选人{number}",
        "township": township,
        "enterprise": enterprise,
        "industry": "C",
        "channel": Channel.TOWNSHIP,
        "nominator": f"{township.name}人民政府",
        "deeds": "带动就业，回报乡里。",
        "jobs": 10 + number,
    }
    values.update(fields)
    obj = Nomination(**values)
    obj.full_clean()
    obj.save()
    return obj


def deputy(county: County, name: str | None = None, **fields: Any) -> Deputy:
    values: dict[str, Any] = {
        "county": county,
        "name": name or f"代表{next(_numbers)}",
        "council": Council.NPC,
        "level": CouncilLevel.COUNTY,
        "delegation": "分水镇代表团",
    }
    values.update(fields)
    return Deputy.objects.create(**values)


def recommendation(target: Nomination, by: Deputy) -> Recommendation:
    return Recommendation.objects.create(nomination=target, deputy=by, text="事迹突出，推荐。", date=date(2027, 3, 1))


def objection(target: Nomination) -> Objection:
    return Objection.objects.create(nomination=target, received=date(2027, 4, 1), text="反映纳税情况需核实。")


def juror(parent: Selection, user: User, title: str = "") -> Juror:
    obj = Juror(selection=parent, user=user, title=title)
    obj.full_clean()
    obj.save()
    return obj


def mark(seat: Juror, target: Nomination, points: Decimal = Decimal("8")) -> Mark:
    criterion = seat.selection.criteria.filter(kind=CriterionKind.SCORING).order_by("pk").first()
    assert criterion is not None
    return Mark.objects.create(juror=seat, nomination=target, criterion=criterion, points=points)


def set_stage(obj: Selection, stage: str) -> Selection:
    """Put a selection in a stage directly (tests only: the product goes through
    ``selection_advance``)."""
    obj.stage = stage
    obj.save(update_fields=["stage"])
    return obj


@dataclass
class VotingWorld:
    selection: Selection
    candidates: list[Nomination]


def voting_selection(county: County, township: Township, *, places: int = 3, candidates: int = 4) -> VotingWorld:
    """A selection in the vote with a short list of ``candidates``."""
    obj = selection(county, places=places, min_from_townships=0)
    listed = []
    for index in range(candidates):
        n = nomination(obj, township, name=f"候选{index + 1}")
        n.status = NominationStatus.SHORTLISTED
        n.ballot = index + 1
        n.save(update_fields=["status", "ballot"])
        listed.append(n)
    set_stage(obj, Stage.VOTING)
    return VotingWorld(obj, listed)


def one_of_each(county: County, township: Township, reviewer: User) -> Selection:
    """A selection of ``county`` with a row of every ledger (the tests over every ledger)."""
    obj = selection(county)
    target = nomination(obj, township)
    recommendation(target, deputy(county))
    objection(target)
    mark(juror(obj, reviewer), target)
    return obj
