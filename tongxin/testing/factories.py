"""Small, explicit builders for test data: two counties' worth of tree, orgs and users."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.accounts.services import grant_for_setup
from tongxin.core.identifiers import make_uscc
from tongxin.core.models import Capability
from tongxin.core.vocabulary import sync_vocabulary
from tongxin.enterprises.models import Enterprise
from tongxin.platforms.models import Association
from tongxin.regions.models import County, Township, Village
from tongxin.surveys.models import Survey

_counter = itertools.count(1)
PASSWORD = "tongxin-test-pw"  # noqa: S105


def _org_body() -> str:
    n = next(_counter)
    return f"MA{n:06d}"


def county(code: str = "330122", name: str = "桐庐县") -> County:
    return County.objects.create(code=code, name=name)


def township(parent: County, number: int = 101, name: str | None = None) -> Township:
    return Township.objects.create(county=parent, code=f"{parent.code}{number:03d}000", name=name or f"镇{number}")


def village(parent: Township, number: int = 201, name: str | None = None, **fields: Any) -> Village:
    return Village.objects.create(
        township=parent, code=f"{parent.code[:9]}{number:03d}", name=name or f"村{number}", **fields
    )


def enterprise(parent: Township, name: str | None = None, **fields: Any) -> Enterprise:
    uscc = make_uscc("91", parent.county.code, _org_body()[:8])
    return Enterprise.objects.create(
        township=parent, name=name or f"企业{uscc[-4:]}", uscc=uscc, industry="C", **fields
    )


def association(parent: County, name: str = "县侨联", kind: str = "overseas_chinese") -> Association:
    """An association of ``parent`` (台联, 侨联, 海联 …) an association staff hat binds to."""
    return Association.objects.create(county=parent, name=name, kind=kind)


def survey(subject: Village | Enterprise, **fields: Any) -> Survey:
    key = "village" if isinstance(subject, Village) else "enterprise"
    defaults: dict[str, Any] = {
        "kind": "visit",
        "date": date(2026, 5, 1),
        "surveyors": "张伟、李娜",
        "findings": "走访",
    }
    defaults.update(fields)
    return Survey.objects.create(**{key: subject}, **defaults)


def user(username: str, role: str | None = None, **binding: Any) -> User:
    """A person with one hat (``role`` bound to the one node in ``binding``), or none."""
    account = User(username=username, full_name=username)
    account.set_password(PASSWORD)
    account.save()
    if role is not None:
        (node,) = binding.values()
        grant_for_setup(account, role, node)
    return account


def hat(account: User, role: str, node: Any) -> User:
    """Give ``account`` one more hat."""
    grant_for_setup(account, role, node)
    return account


@dataclass
class World:
    """Two counties in two provinces; in the first, two townships. Every role has a user in
    the first township/village/enterprise (province and prefecture roles over the first
    county); everything in township B and county 2 is foreign to the township-, village-
    and enterprise-bound users, county 2 is foreign to everyone."""

    county: County
    county2: County
    township: Township
    township_b: Township
    township2: Township
    village: Village
    village_b: Village
    village2: Village
    enterprise: Enterprise
    enterprise_b: Enterprise
    enterprise2: Enterprise
    users: dict[str, User]
    chambers: Any = None  # tongxin.testing.chambers.ChamberWorld


def build_world() -> World:
    sync_vocabulary(Capability)  # transactional tests flush the rows the migration loaded
    c1 = county("330122", "桐庐县")
    c2 = county("320115", "江宁区")  # another province: foreign to everyone
    t1 = township(c1, 101, "分水镇")
    tb = township(c1, 102, "横村镇")
    t2 = township(c2, 101, "东山街道")
    v1 = village(t1, 201, "东溪村", population=1200, households=400)
    vb = village(tb, 202, "西岭村", population=900, households=300)
    v2 = village(t2, 203, "南山村", population=800, households=250)
    e1 = enterprise(t1, "分水笔业有限公司")
    eb = enterprise(tb, "横村针织有限公司")
    e2 = enterprise(t2, "千岛湖茶业有限公司")
    for subject in (v1, vb, v2, e1, eb, e2):
        survey(subject)
    users: dict[str, User] = {
        Role.COUNTY_ADMIN: user("admin1", Role.COUNTY_ADMIN, county=c1),
        Role.COUNTY_STAFF: user("staff1", Role.COUNTY_STAFF, county=c1),
        Role.TOWNSHIP_STAFF: user("town1", Role.TOWNSHIP_STAFF, township=t1),
        Role.LIAISON: user("liaison1", Role.LIAISON, county=c1),
        Role.ENTERPRISE_CONTACT: user("ent1", Role.ENTERPRISE_CONTACT, enterprise=e1),
        Role.VILLAGE_CONTACT: user("vil1", Role.VILLAGE_CONTACT, village=v1),
        Role.REVIEWER: user("rev1", Role.REVIEWER, county=c1),
        Role.CADRE_OFFICER: user("cadre1", Role.CADRE_OFFICER, county=c1),
        Role.EDITOR: user("editor1", Role.EDITOR, county=c1),
        Role.PUBLISHER: user("publisher1", Role.PUBLISHER, county=c1),
        Role.ASSOCIATION_STAFF: user("assoc1", Role.ASSOCIATION_STAFF, association=association(c1, "桐庐县侨联")),
        Role.PROVINCE_ADMIN: user("padmin1", Role.PROVINCE_ADMIN, province=c1.province),
        Role.PROVINCE_STAFF: user("pstaff1", Role.PROVINCE_STAFF, province=c1.province),
        Role.PREFECTURE_ADMIN: user("fadmin1", Role.PREFECTURE_ADMIN, prefecture=c1.prefecture),
        Role.PREFECTURE_STAFF: user("fstaff1", Role.PREFECTURE_STAFF, prefecture=c1.prefecture),
    }
    from tongxin.testing.chambers import build_chambers

    chambers = build_chambers(c1, c2, t1, tb, (e1, eb, e2))
    users[Role.CHAMBER_STAFF] = user("chamber1", Role.CHAMBER_STAFF, chamber=chambers.own)
    return World(c1, c2, t1, tb, t2, v1, vb, v2, e1, eb, e2, users, chambers)
