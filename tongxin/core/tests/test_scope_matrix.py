"""The generated scope matrix: every ledger model × every role × every read/write path.

For each model a ``Case`` names its objects in the test world (own township, a sibling
township of the same county, another county) and, per role, which of them the role may
see, change and delete. Every path — list page, detail, edit, delete, history, export,
API list/detail/update — is then checked against those sets: rows outside them are
404 (never 403) and lists hold exactly the rows inside them. Adding a model to the
product means adding one ``Case`` here.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tongxin.accounts.choices import SUPERVISOR_ROLES, Role
from tongxin.chambers.models import (
    Application,
    BoardPost,
    Chamber,
    Dues,
    MemberActivity,
    Membership,
    MembershipLevel,
    Officer,
)
from tongxin.core.ledgers import get_ledger
from tongxin.enterprises.models import Enterprise
from tongxin.pairing.models import (
    Activity,
    Campaign,
    Decision,
    GroupMember,
    JointMeeting,
    LeadingGroup,
    LiaisonAppointment,
    Pair,
    Report,
    Support,
)
from tongxin.platforms.models import CharityActivity, Organisation, Proposal, ResearchTopic
from tongxin.regions.models import Township, Village
from tongxin.surveys.models import Survey
from tongxin.testing.factories import World
from tongxin.testing.sheets import table_rows

COUNTY = {Role.COUNTY_ADMIN, Role.COUNTY_STAFF}
ALL_ROLES = list(Role)


@dataclass(frozen=True)
class Case:
    model: type[models.Model]
    api: str | None  # basename of the API resource, None when the model has none
    objects: Callable[[Any], dict[str, models.Model]]
    visible: dict[str, set[str]]
    change_roles: set[str]
    delete_roles: set[str]
    export_column: str  # field whose verbose name heads a column identifying rows in the export
    export_key: Callable[[Any], str]
    world: str = "world"  # fixture that builds the objects
    api_writable: bool = True  # whether the API resource accepts PATCH
    export_roles: set[str] | None = None  # roles that may export (default: county and township staff)
    export_query: str = ""  # what the export asks first (the cadre files: a stated purpose)
    supervised: bool = True  # province and prefecture staff read (and export) the county's rows

    def see(self, role: str) -> set[str]:
        if role in SUPERVISOR_ROLES and self.supervised:  # province and prefecture staff read their county's rows
            return self.visible.get(Role.COUNTY_STAFF, set())
        return self.visible.get(role, set())


def _surveys(w: World) -> dict[str, models.Model]:
    return {
        "v-own": Survey.objects.get(village=w.village),
        "v-sibling": Survey.objects.get(village=w.village_b),
        "v-foreign": Survey.objects.get(village=w.village2),
        "e-own": Survey.objects.get(enterprise=w.enterprise),
        "e-sibling": Survey.objects.get(enterprise=w.enterprise_b),
        "e-foreign": Survey.objects.get(enterprise=w.enterprise2),
    }


CASES = [
    Case(
        model=Township,
        api="township",
        objects=lambda w: {"own": w.township, "sibling": w.township_b, "foreign": w.township2},
        visible={
            Role.COUNTY_ADMIN: {"own", "sibling"},
            Role.COUNTY_STAFF: {"own", "sibling"},
            Role.TOWNSHIP_STAFF: {"own"},
            Role.CADRE_OFFICER: {"own", "sibling"},  # to place a township team of the cadre files
        },
        change_roles={Role.COUNTY_ADMIN},
        delete_roles={Role.COUNTY_ADMIN},
        export_column="code",
        export_key=lambda o: o.code,
    ),
    Case(
        model=Village,
        api="village",
        objects=lambda w: {"own": w.village, "sibling": w.village_b, "foreign": w.village2},
        visible={
            Role.COUNTY_ADMIN: {"own", "sibling"},
            Role.COUNTY_STAFF: {"own", "sibling"},
            Role.TOWNSHIP_STAFF: {"own"},
            Role.VILLAGE_CONTACT: {"own"},
        },
        change_roles=COUNTY | {Role.TOWNSHIP_STAFF, Role.VILLAGE_CONTACT},
        delete_roles=COUNTY,
        export_column="code",
        export_key=lambda o: o.code,
    ),
    Case(
        model=Enterprise,
        api="enterprise",
        objects=lambda w: {"own": w.enterprise, "sibling": w.enterprise_b, "foreign": w.enterprise2},
        visible={
            Role.COUNTY_ADMIN: {"own", "sibling"},
            Role.COUNTY_STAFF: {"own", "sibling"},
            Role.TOWNSHIP_STAFF: {"own"},
            Role.ENTERPRISE_CONTACT: {"own"},
            Role.CHAMBER_STAFF: {"own", "sibling"},  # the enterprises of their chamber's county
            Role.EDITOR: {"own", "sibling"},  # the portal's stories name the county's enterprises
        },
        change_roles=COUNTY | {Role.TOWNSHIP_STAFF, Role.ENTERPRISE_CONTACT},
        delete_roles=COUNTY,
        export_column="uscc",
        export_key=lambda o: o.uscc,
    ),
    Case(
        model=Survey,
        api="survey",
        objects=_surveys,
        visible={
            Role.COUNTY_ADMIN: {"v-own", "v-sibling", "e-own", "e-sibling"},
            Role.COUNTY_STAFF: {"v-own", "v-sibling", "e-own", "e-sibling"},
            Role.TOWNSHIP_STAFF: {"v-own", "e-own"},
            Role.VILLAGE_CONTACT: {"v-own"},
            Role.ENTERPRISE_CONTACT: {"e-own"},
        },
        change_roles=COUNTY | {Role.TOWNSHIP_STAFF, Role.VILLAGE_CONTACT, Role.ENTERPRISE_CONTACT},
        delete_roles=COUNTY,
        export_column="subject",
        export_key=lambda o: str(o.subject),
    ),
]

PAIR_VISIBLE = {
    Role.COUNTY_ADMIN: {"own", "sibling"},
    Role.COUNTY_STAFF: {"own", "sibling"},
    Role.TOWNSHIP_STAFF: {"own"},
    Role.VILLAGE_CONTACT: {"own"},
    Role.ENTERPRISE_CONTACT: {"own"},
    Role.LIAISON: {"own"},
}
RUNNING_CHANGE = COUNTY | {Role.TOWNSHIP_STAFF, Role.LIAISON, Role.VILLAGE_CONTACT, Role.ENTERPRISE_CONTACT}
GROUP_VISIBLE = {
    Role.COUNTY_ADMIN: {"own", "sibling"},
    Role.COUNTY_STAFF: {"own", "sibling"},
    Role.TOWNSHIP_STAFF: {"own"},
}
GROUP_CHANGE = COUNTY | {Role.TOWNSHIP_STAFF}


def _by_pair(kind: str) -> Callable[[Any], dict[str, models.Model]]:
    return lambda p: {"own": getattr(p, kind), "sibling": getattr(p, f"{kind}_b"), "foreign": getattr(p, f"{kind}2")}


def _group_children(relation: str) -> Callable[[Any], dict[str, models.Model]]:
    def objects(p: Any) -> dict[str, models.Model]:
        return {
            "own": _first(p.group, relation),
            "sibling": _first(p.group_b, relation),
            "foreign": _first(p.group2, relation),
        }

    return objects


def _first(group: Any, relation: str) -> models.Model:
    if relation == "members":
        return group.members.get()
    if relation == "meetings":
        return group.meetings.get()
    return group.meetings.get().decisions.get()


CASES += [
    Case(
        model=Campaign,
        api="campaign",
        world="pworld",
        objects=lambda p: {"own": p.campaign, "foreign": p.campaign2},
        visible={role: {"own"} for role in PAIR_VISIBLE},
        change_roles=COUNTY,
        delete_roles={Role.COUNTY_ADMIN},
        export_column="name",
        export_key=lambda o: o.name,
    ),
    Case(
        model=Pair,
        api="pair",
        world="pworld",
        objects=_by_pair("pair"),
        visible=PAIR_VISIBLE,
        change_roles=set(),
        delete_roles=set(),
        export_column="enterprise",
        export_key=lambda o: o.enterprise.name,
        api_writable=False,
    ),
    Case(
        model=LiaisonAppointment,
        api="liaison",
        world="pworld",
        objects=lambda p: {"own": p.appointment},
        visible={
            Role.COUNTY_ADMIN: {"own"},
            Role.COUNTY_STAFF: {"own"},
            Role.TOWNSHIP_STAFF: {"own"},
            Role.LIAISON: {"own"},
        },
        change_roles=set(),
        delete_roles=COUNTY,
        export_column="liaison",
        export_key=lambda o: str(o.liaison),
        api_writable=False,
    ),
    Case(
        model=Activity,
        api="activity",
        world="pworld",
        objects=_by_pair("activity"),
        visible=PAIR_VISIBLE,
        change_roles=RUNNING_CHANGE,
        delete_roles=COUNTY,
        export_column="pair",
        export_key=lambda o: str(o.pair),
    ),
    Case(
        model=Support,
        api=None,
        world="pworld",
        objects=_by_pair("support"),
        visible=PAIR_VISIBLE,
        change_roles=RUNNING_CHANGE,
        delete_roles=COUNTY,
        export_column="pair",
        export_key=lambda o: str(o.pair),
    ),
    Case(
        model=Report,
        api="report",
        world="pworld",
        objects=_by_pair("report"),
        visible=PAIR_VISIBLE,
        change_roles=set(),
        delete_roles=COUNTY,
        export_column="pair",
        export_key=lambda o: str(o.pair),
        api_writable=False,
    ),
    Case(
        model=LeadingGroup,
        api=None,
        world="pworld",
        objects=lambda p: {"own": p.group, "sibling": p.group_b, "foreign": p.group2},
        visible=GROUP_VISIBLE,
        change_roles=GROUP_CHANGE,
        delete_roles=COUNTY,
        export_column="name",
        export_key=lambda o: o.name,
    ),
    Case(
        model=GroupMember,
        api=None,
        world="pworld",
        objects=_group_children("members"),
        visible=GROUP_VISIBLE,
        change_roles=GROUP_CHANGE,
        delete_roles=COUNTY,
        export_column="group",
        export_key=lambda o: o.group.name,
    ),
    Case(
        model=JointMeeting,
        api=None,
        world="pworld",
        objects=_group_children("meetings"),
        visible=GROUP_VISIBLE,
        change_roles=GROUP_CHANGE,
        delete_roles=COUNTY,
        export_column="title",
        export_key=lambda o: o.title,
    ),
    Case(
        model=Decision,
        api=None,
        world="pworld",
        objects=_group_children("decisions"),
        visible=GROUP_VISIBLE,
        change_roles=GROUP_CHANGE,
        delete_roles=COUNTY,
        export_column="text",
        export_key=lambda o: o.text,
    ),
]


@dataclass(frozen=True)
class CadreWorld:
    """One row of each training and friend-making ledger in county 1 and in county 2."""

    world: World
    own: dict[str, models.Model]
    foreign: dict[str, models.Model]


@pytest.fixture
def cworld(world: World) -> CadreWorld:
    from tongxin.testing import cadres

    own = cadres.training_and_friends(cadres.person(world.county))
    foreign = cadres.training_and_friends(cadres.person(world.county2))
    return CadreWorld(world, own, foreign)


def _cadre_case(model: type[models.Model], name: str, api: str | None, column: str, key: Callable[[Any], str]) -> Case:
    """Training and friend-making: the county's cadre officers alone, nobody above them."""
    officer = {Role.CADRE_OFFICER}
    names_a_person = name in ("enrolment", "recommendation", "pair", "contact")
    return Case(
        model=model,
        api=api,
        world="cworld",
        objects=lambda c: {"own": c.own[name], "foreign": c.foreign[name]},
        visible={Role.CADRE_OFFICER: {"own"}},
        change_roles=officer,
        delete_roles=officer,
        export_column=column,
        export_key=key,
        api_writable=name != "enrolment",
        export_roles=officer,
        export_query="?purpose=2026年度统计" if names_a_person else "",
        supervised=False,
    )


def _cadre_cases() -> list[Case]:
    from tongxin.cadres.models import Course, Enrolment, FriendContact, FriendPair, LeadingCadre, Recommendation

    return [
        _cadre_case(Course, "course", "course", "name", lambda o: o.name),
        _cadre_case(Enrolment, "enrolment", "enrolment", "person", lambda o: o.person.name),
        _cadre_case(Recommendation, "recommendation", None, "person", lambda o: o.person.name),
        _cadre_case(LeadingCadre, "leader", None, "name", lambda o: o.name),
        _cadre_case(FriendPair, "pair", "friendpair", "person", lambda o: o.person.name),
        _cadre_case(FriendContact, "contact", "friendcontact", "topics", lambda o: o.topics),
    ]


CASES += _cadre_cases()
# Chambers of commerce: the county (its FIC) sees its chambers, a township chamber's staff
# their chamber, a member (enterprise contact) their own township's chamber and their own
# rows. Rights-protection cases are not read by supervisors: chambers/tests/test_scope.py.
CHAMBER_STAFF = {Role.CHAMBER_STAFF}
CHAMBER_VISIBLE = {**GROUP_VISIBLE, Role.TOWNSHIP_STAFF: set(), Role.CHAMBER_STAFF: {"own"}}
MEMBER_VISIBLE = {**CHAMBER_VISIBLE, Role.ENTERPRISE_CONTACT: {"own"}}
# The county sees its federation (the general chamber) too; a township chamber's staff do not.
CHAMBERS_VISIBLE = {**MEMBER_VISIBLE, **{role: {"own", "sibling", "fic"} for role in COUNTY}}


def _chambers(kind: str) -> Callable[[Any], dict[str, models.Model]]:
    def objects(w: Any) -> dict[str, models.Model]:
        if kind == "chamber":
            c = w.chambers
            return {"own": c.own, "sibling": c.sibling, "foreign": c.foreign, "fic": c.fic}
        return dict(getattr(w.chambers, kind))

    return objects


CASES += [
    Case(
        model=model,
        api=api,
        objects=_chambers(kind),
        visible=visible,
        change_roles=COUNTY | CHAMBER_STAFF,
        delete_roles=COUNTY | (CHAMBER_STAFF if model in (MemberActivity, BoardPost) else set()),
        export_column=column,
        export_key=key,
        export_roles=COUNTY | CHAMBER_STAFF,
    )
    for model, api, kind, visible, column, key in [
        (Chamber, "chamber", "chamber", CHAMBERS_VISIBLE, "uscc", lambda o: o.uscc),
        (Officer, "officer", "officers", CHAMBER_VISIBLE, "name", lambda o: o.name),
        (MembershipLevel, "membershiplevel", "levels", MEMBER_VISIBLE, "chamber", lambda o: o.chamber.name),
        (Membership, "membership", "members", MEMBER_VISIBLE, "number", lambda o: o.number),
        (Application, "application", "applications", CHAMBER_VISIBLE, "chamber", lambda o: o.chamber.name),
        (Dues, "dues", "dues", MEMBER_VISIBLE, "membership", lambda o: o.membership.member_name),
        (MemberActivity, "memberactivity", "activities", MEMBER_VISIBLE, "title", lambda o: o.title),
        (BoardPost, "boardpost", "posts", MEMBER_VISIBLE, "title", lambda o: o.title),
    ]
]
PLATFORM_VISIBLE = {
    Role.COUNTY_ADMIN: {"own", "sibling"},
    Role.COUNTY_STAFF: {"own", "sibling"},
    Role.TOWNSHIP_STAFF: {"own"},
}
CASES += [
    Case(
        model=ResearchTopic,
        api="research-topic",
        world="plworld",
        objects=lambda p: p.topics,
        visible={**PLATFORM_VISIBLE, Role.CADRE_OFFICER: {"own", "sibling"}},
        change_roles=COUNTY,
        delete_roles=COUNTY,
        export_column="title",
        export_key=lambda o: o.title,
    ),
    Case(
        model=Proposal,
        api="research-proposal",
        world="plworld",
        objects=lambda p: p.proposals,
        visible={**PLATFORM_VISIBLE, Role.CADRE_OFFICER: {"own", "sibling"}},
        change_roles=COUNTY,
        delete_roles=COUNTY,
        export_column="code",
        export_key=lambda o: o.code,
    ),
    Case(
        model=Organisation,
        api="charity-organisation",
        world="plworld",
        objects=lambda p: p.organisations,
        visible=PLATFORM_VISIBLE,
        change_roles=COUNTY,
        delete_roles=COUNTY,
        export_column="registration_number",
        export_key=lambda o: o.registration_number,
    ),
    Case(
        model=CharityActivity,
        api="charity-activity",
        world="plworld",
        objects=lambda p: p.activities,
        visible=PLATFORM_VISIBLE,
        change_roles=COUNTY,
        delete_roles=COUNTY,
        export_column="code",
        export_key=lambda o: o.code,
    ),
]

PARAMS = [pytest.param(case, role, id=f"{case.model._meta.model_name}-{role}") for case in CASES for role in ALL_ROLES]


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "role"), PARAMS)
def test_scope_is_obeyed(request: pytest.FixtureRequest, case: Case, role: str) -> None:
    """Pages, the Excel export and the API of one model for one role, over one world (built
    once for the three: the matrix is large)."""
    built = request.getfixturevalue(case.world)
    world = getattr(built, "world", built)
    _pages_obey_scope(built, world, case, role)
    _export_obeys_scope(built, world, case, role)
    if case.api is not None:
        _api_obeys_scope(built, world, case, role)


def _pages_obey_scope(built: Any, world: World, case: Case, role: str) -> None:
    """List holds exactly the visible rows; detail/history/edit/delete are 404 outside the
    role's view/change/delete sets and 200 inside them."""
    client = _client(world, role)
    ledger = get_ledger(case.model._meta.label_lower)
    objects = case.objects(built)
    visible = case.see(role)
    changeable = visible if role in case.change_roles and ledger.form is not None else set()
    deletable = visible if role in case.delete_roles else set()

    response = client.get(reverse(ledger.url_name("list")))
    if visible:
        assert response.status_code == 200
        listed = {obj.pk for obj in response.context["filter"].qs}
        assert listed == {objects[name].pk for name in visible}
    else:
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert not response.context["filter"].qs.exists()

    for name, obj in objects.items():
        for view, allowed in (
            ("detail", visible),
            ("history", visible),
            ("edit", changeable),
            ("delete", deletable),
        ):
            status = client.get(reverse(ledger.url_name(view), args=[obj.pk])).status_code
            assert status == (200 if name in allowed else 404), (view, name, status)


def _export_obeys_scope(built: Any, world: World, case: Case, role: str) -> None:
    """The Excel export holds exactly the rows the role may see (404 for roles that may not export)."""
    client = _client(world, role)
    ledger = get_ledger(case.model._meta.label_lower)
    response = client.get(reverse(ledger.url_name("export")) + case.export_query)
    visible = case.see(role)
    exporters = (case.export_roles if case.export_roles is not None else COUNTY | {Role.TOWNSHIP_STAFF}) | (
        SUPERVISOR_ROLES if case.supervised else set()
    )
    if response.status_code == 404:
        assert role not in exporters
        return
    assert role in exporters
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = table_rows(sheet)
    field = case.model._meta.get_field(case.export_column) if case.export_column != "subject" else None
    header = str(field.verbose_name) if field is not None else gettext("subject")
    headers = [str(h).lower() for h in rows[0]]
    column = headers.index(header.lower())
    exported = {str(row[column]) for row in rows[1:]}
    objects = case.objects(built)
    assert exported == {case.export_key(objects[name]) for name in visible}


def _api_obeys_scope(built: Any, world: World, case: Case, role: str) -> None:
    """API list holds exactly the visible rows; detail is 404 outside them; a write to a
    row the role may not change is 404 as well."""
    assert case.api is not None
    client = _api(world, role)
    objects = case.objects(built)
    visible = case.see(role)
    changeable = visible if role in case.change_roles else set()
    response = client.get(reverse(f"{case.api}-list"), {"page_size": 500})
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {objects[name].pk for name in visible}
    for name, obj in objects.items():
        detail = client.get(reverse(f"{case.api}-detail", args=[obj.pk]))
        assert detail.status_code == (200 if name in visible else 404)
        if case.api_writable:
            patch = client.patch(reverse(f"{case.api}-detail", args=[obj.pk]), {"version": 1}, format="json")
            assert (patch.status_code != 404) == (name in changeable), (name, patch.status_code, patch.content)


@pytest.mark.django_db
def test_anonymous_gets_nothing(world: World) -> None:
    """Anonymous users are sent to the login page and refused by the API."""
    for case in CASES:
        ledger = get_ledger(case.model._meta.label_lower)
        response = Client().get(reverse(ledger.url_name("list")))
        assert response.status_code == 302
        if case.api is not None:
            assert APIClient().get(reverse(f"{case.api}-list")).status_code in (401, 403)
