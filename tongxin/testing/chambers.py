"""Chambers of commerce for tests: in the first county the county FIC with a township
chamber for each of its two townships; in the foreign county its FIC. Each chamber has a
level, a current member (the township's enterprise; the FIC of county 2 its enterprise),
its dues, an application, an officer and a rights-protection case."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tongxin.chambers.choices import ChamberKind, MemberStatus, OfficerPosition
from tongxin.chambers.models import (
    ActivitySignup,
    Application,
    BoardPost,
    Chamber,
    Dues,
    MemberActivity,
    Membership,
    MembershipEvent,
    MembershipLevel,
    Officer,
    RightsCase,
)
from tongxin.core.identifiers import make_uscc
from tongxin.regions.models import County, Township

_numbers = itertools.count(1)


def chamber(county: County, kind: str = ChamberKind.GENERAL, parent: Chamber | None = None, **fields: Any) -> Chamber:
    number = next(_numbers)
    values: dict[str, Any] = {
        "name": fields.pop("name", f"商会{number}"),
        "kind": kind,
        "county": county,
        "parent": parent,
        "uscc": make_uscc("51", county.code, f"MJ{number:06d}"),
    }
    values.update(fields)
    obj = Chamber(**values)
    obj.full_clean()
    obj.save()
    return obj


def township_chamber(parent: Chamber, township: Township, **fields: Any) -> Chamber:
    return chamber(parent.county, ChamberKind.TOWNSHIP, parent, township=township, **fields)


def level(owner: Chamber, name: str = "会员", dues: str = "1000", rank: int = 1) -> MembershipLevel:
    return MembershipLevel.objects.create(chamber=owner, name=name, yearly_dues=Decimal(dues), rank=rank)


def member(owner: Chamber, enterprise: Any = None, *, status: str = MemberStatus.CURRENT, **fields: Any) -> Membership:
    """A member of ``owner`` in ``status`` (with the history that led there)."""
    grade = fields.pop("level", None) or owner.levels.order_by("rank").first() or level(owner)
    kind = "enterprise" if enterprise is not None else "individual"
    name = fields.pop("name", "" if enterprise is not None else f"个人会员{next(_numbers)}")
    obj = Membership(chamber=owner, kind=kind, enterprise=enterprise, name=name, level=grade, **fields)
    obj.full_clean()
    obj.save()
    joined = date(2025, 3, 1)
    if status != MemberStatus.APPLIED:
        obj.status, obj.joined_on, obj.status_since = status, joined, joined
        obj.number = f"{owner.county.code}-{owner.pk:02d}-{obj.pk:04d}"
        obj.save()
        MembershipEvent.objects.create(
            membership=obj, on=joined, status_from=MemberStatus.APPLIED, status_to=MemberStatus.CURRENT
        )
    return obj


def dues(
    membership: Membership, year: int = 2026, due_on: date = date(2026, 3, 31), paid_on: date | None = None
) -> Dues:
    amount = membership.level.yearly_dues
    return Dues.objects.create(
        membership=membership,
        year=year,
        amount=amount,
        due_on=due_on,
        paid_on=paid_on,
        paid_amount=amount if paid_on else None,
        receipt="R-0001" if paid_on else "",
    )


def application(owner: Chamber, enterprise: Any = None, **fields: Any) -> Application:
    grade = owner.levels.order_by("rank").first() or level(owner)
    values: dict[str, Any] = {"chamber": owner, "level": grade, "statement": "申请入会"}
    if enterprise is not None:
        values |= {"kind": "enterprise", "enterprise": enterprise}
    else:
        values |= {"kind": "individual", "name": f"申请人{next(_numbers)}"}
    values.update(fields)
    obj = Application(**values)
    obj.full_clean()
    obj.save()
    return obj


def officer(owner: Chamber, position: str = OfficerPosition.PRESIDENT, **fields: Any) -> Officer:
    values: dict[str, Any] = {
        "chamber": owner,
        "name": fields.pop("name", f"会长{next(_numbers)}"),
        "position": position,
        "term_start": date(2024, 1, 1),
        "term_end": date(2028, 12, 31),
    }
    values.update(fields)
    return Officer.objects.create(**values)


def case(membership: Membership, **fields: Any) -> RightsCase:
    values: dict[str, Any] = {
        "membership": membership,
        "kind": "contract",
        "title": fields.pop("title", f"合同纠纷{next(_numbers)}"),
        "description": "对方拖欠货款",
        "amount": Decimal("50000"),
        "counterpart": "某公司",
    }
    values.update(fields)
    obj = RightsCase(**values)
    obj.full_clean()
    obj.save()
    return obj


def activity(owner: Chamber, held_on: date = date(2026, 6, 1), **fields: Any) -> MemberActivity:
    values: dict[str, Any] = {
        "chamber": owner,
        "kind": "briefing",
        "title": fields.pop("title", f"政策宣讲会{next(_numbers)}"),
        "held_on": held_on,
        "place": "商会会议室",
    }
    values.update(fields)
    obj = MemberActivity(**values)
    obj.full_clean()
    obj.save()
    return obj


def post(membership: Membership, side: str = "need", topic: str = "purchase", **fields: Any) -> BoardPost:
    tags = fields.pop("tags", ())
    obj = BoardPost(
        membership=membership,
        side=side,
        topic=topic,
        title=fields.pop("title", f"求购原材料{next(_numbers)}"),
        text="长期合作",
        **fields,
    )
    obj.save()
    if tags:
        obj.tags.set(tags)
    return obj


@dataclass
class ChamberWorld:
    """own: township A's chamber; sibling: township B's; foreign: county 2's FIC."""

    fic: Chamber
    own: Chamber
    sibling: Chamber
    foreign: Chamber
    members: dict[str, Membership]
    dues: dict[str, Dues]
    applications: dict[str, Application]
    officers: dict[str, Officer]
    cases: dict[str, RightsCase]
    levels: dict[str, MembershipLevel]
    activities: dict[str, MemberActivity]
    posts: dict[str, BoardPost]


def build_chambers(
    county1: County,
    county2: County,
    own_township: Township,
    sibling_township: Township,
    enterprises: tuple[Any, Any, Any],
) -> ChamberWorld:
    fic = chamber(county1, name="桐庐县工商联")
    own = township_chamber(fic, own_township, name="分水镇商会")
    sibling = township_chamber(fic, sibling_township, name="横村镇商会")
    foreign = chamber(county2, name="江宁区工商联")
    places = {"own": own, "sibling": sibling, "foreign": foreign}
    levels = {key: level(place, f"会员{place.pk}") for key, place in places.items()}
    members = {key: member(place, enterprises[i]) for i, (key, place) in enumerate(places.items())}
    activities = {key: activity(place) for key, place in places.items()}
    for key, one in activities.items():
        ActivitySignup.objects.create(activity=one, membership=members[key], signed_up_on=date(2026, 5, 20))
    return ChamberWorld(
        fic=fic,
        own=own,
        sibling=sibling,
        foreign=foreign,
        members=members,
        # Paid: the shared world keeps everyone's inbox as the other apps' tests expect it.
        dues={key: dues(m, paid_on=date(2026, 3, 1)) for key, m in members.items()},
        applications={key: application(place) for key, place in places.items()},
        officers={key: officer(place) for key, place in places.items()},
        cases={key: case(m) for key, m in members.items()},
        levels=levels,
        activities=activities,
        posts={key: post(m) for key, m in members.items()},
    )
