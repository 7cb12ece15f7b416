"""The world the generated access tests run in, and the machinery to judge one request.

:func:`build_access_world` puts, for every model that a URL can name, objects in three
places relative to the users of :func:`~tongxin.testing.factories.build_world`:

- ``own``: in township A of county 1 (where the township-, village- and enterprise-bound
  users sit), or county-wide in county 1;
- ``sibling``: in township B of the same county;
- ``foreign``: in county 2, in another province — foreign to every user.

Every role has a user (``users[role]``, bound as in ``build_world``) and one more person,
``users["multi"]``, wears two hats: township staff of township A and liaison officer of
the sibling pair only, so what they see is a union no single role has.

:func:`judge` sends one request inside a savepoint that is always rolled back, so a
test can try every write on a shared world, and reports whether anything was written.
"""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.test import Client

from tongxin.accounts.choices import Role, SecurityEventKind
from tongxin.accounts.models import SecurityEvent, User
from tongxin.accounts.roles import forget_hats
from tongxin.core.models import ChangeLoggedModel, ImportJob, ObjectChange
from tongxin.enterprises.models import Enterprise
from tongxin.inbox.choices import NotificationKind
from tongxin.inbox.services.notifications import Note, notify
from tongxin.pairing.choices import LetterKind, PairStatus
from tongxin.pairing.models import Letter, LiaisonAppointment, MatchRun, Pair, Participant
from tongxin.regions.models import Village
from tongxin.surveys.models import Survey
from tongxin.testing import cadres, platforms, portal
from tongxin.testing import selection as sel
from tongxin.testing.factories import World, build_world, hat, user, village
from tongxin.testing.pairing import PairingWorld, build_pairing_world

OWN, SIBLING, FOREIGN, MISSING = "own", "sibling", "foreign", "missing"
MISSING_PK = 2_000_000_000  # fits every integer key column, names no row
MULTI = "multi"
# Roles bound at or below a township (or to their appointments): nothing of township B is
# ever theirs to read or write, whatever a policy says.
LOWER_ROLES = frozenset(
    {Role.TOWNSHIP_STAFF, Role.VILLAGE_CONTACT, Role.ENTERPRISE_CONTACT, Role.LIAISON, Role.REVIEWER}
)
_letters = itertools.count(1)


@dataclass(frozen=True)
class Subject:
    """One object a route is tried with, and where it lies for the world's users."""

    label: str
    place: str  # OWN, SIBLING or FOREIGN
    obj: models.Model


@dataclass
class AccessWorld:
    pworld: PairingWorld
    users: dict[str, User]
    subjects: dict[str, list[Subject]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def world(self) -> World:
        return self.pworld.world

    def of(self, key: str) -> list[Subject]:
        """The subjects of a model label (``"regions.Village"``) or a named set."""
        return self.subjects[key]

    def one(self, key: str, label: str = OWN) -> Any:
        return next(s.obj for s in self.subjects[key] if s.label == label)


def _three(own: models.Model, sibling: models.Model | None, foreign: models.Model) -> list[Subject]:
    subjects = [Subject(OWN, OWN, own), Subject(FOREIGN, FOREIGN, foreign)]
    if sibling is not None:
        subjects.insert(1, Subject(SIBLING, SIBLING, sibling))
    return subjects


def _letter(campaign: Any, kind: str, **link: Any) -> Letter:
    number = next(_letters)
    letter = Letter(
        campaign=campaign,
        kind=kind,
        year=2026,
        number=number,
        doc_number=f"测试〔2026〕{number}号",
        pdf=b"%PDF-1.4\n% tongxin access test\n",
        **link,
    )
    letter.save()
    return letter


def _appointment(campaign: Any, liaison: User, pair: Pair) -> LiaisonAppointment:
    appointment = LiaisonAppointment(
        campaign=campaign, liaison=liaison, term_start=date(2026, 1, 1), term_end=date(2027, 12, 31)
    )
    appointment.save()
    appointment.pairs.set([pair])
    return appointment


def _proposal(campaign: Any, enterprise: Enterprise, village_: Village) -> Pair:
    pair = Pair(campaign=campaign, enterprise=enterprise, village=village_, status=PairStatus.PROPOSED)
    pair.save()
    return pair


def build_access_world() -> AccessWorld:
    """The pairing world plus what the URLs name beyond it (proposals, letters, a sibling
    and a foreign liaison appointment, people and their hats, import jobs, log rows)."""
    w = build_world()
    p = build_pairing_world(w)
    users = dict(w.users)
    admin2 = User.objects.get(username="admin2")
    staff2 = User.objects.get(username="staff2")

    multi = user("multi1", Role.TOWNSHIP_STAFF, township=w.township)
    hat(multi, Role.LIAISON, w.county)
    forget_hats(multi)
    users[MULTI] = multi
    liaison2 = user("liaison2", Role.LIAISON, county=w.county2)
    appointment_b = _appointment(p.campaign, multi, p.pair_b)
    appointment2 = _appointment(p.campaign2, liaison2, p.pair2)

    proposals = _three(
        _proposal(p.campaign, w.enterprise, village(w.township, 211)),
        _proposal(p.campaign, w.enterprise_b, village(w.township_b, 212)),
        _proposal(p.campaign2, w.enterprise2, village(w.township2, 213)),
    )
    letters = _three(
        _letter(p.campaign, LetterKind.RESPONSIBILITY, pair=p.pair),
        _letter(p.campaign, LetterKind.RESPONSIBILITY, pair=p.pair_b),
        _letter(p.campaign2, LetterKind.RESPONSIBILITY, pair=p.pair2),
    )
    letters += [
        Subject("own-appointment", OWN, _letter(p.campaign, LetterKind.APPOINTMENT, appointment=p.appointment)),
        Subject("foreign-appointment", FOREIGN, _letter(p.campaign2, LetterKind.APPOINTMENT, appointment=appointment2)),
    ]

    person_a = user("subject_a", Role.TOWNSHIP_STAFF, township=w.township)
    person_b = user("subject_b", Role.TOWNSHIP_STAFF, township=w.township_b)
    jobs = {
        name: ImportJob.objects.create(user=owner, ledger="village", file_name="x.xlsx", data=b"x")
        for name, owner in (
            ("county-staff-job", users[Role.COUNTY_STAFF]),
            ("township-staff-job", users[Role.TOWNSHIP_STAFF]),
            ("foreign-job", staff2),
        )
    }
    village_type = ContentType.objects.get_for_model(Village)
    # One notification each for township A's reviewer, township B's and county 2's staff.
    notes = notify(
        Note(person.pk, NotificationKind.REPORT_SUBMITTED, {"actor": "测试", "pair": "测试", "period": "2026-01"}, "/")
        for person in (users[Role.TOWNSHIP_STAFF], User.objects.get(username="town_b1"), staff2)
    )

    def change_of(obj: models.Model) -> ObjectChange:
        change = ObjectChange.objects.filter(changed_object_type=village_type, changed_object_id=obj.pk).first()
        assert change is not None, "every save writes a change record"
        return change

    def security_event(person: User) -> SecurityEvent:
        event = SecurityEvent(kind=SecurityEventKind.LOGIN, user=person, username=person.username)
        event.save()
        return event

    def participant(campaign: Any, **party: Any) -> Participant:
        return Participant.objects.get(campaign=campaign, **party)

    subjects: dict[str, list[Subject]] = {
        "regions.Province": _three(w.county.province, None, w.county2.province),
        "regions.Prefecture": _three(w.county.prefecture, None, w.county2.prefecture),
        "regions.County": _three(w.county, None, w.county2),
        "regions.Township": _three(w.township, w.township_b, w.township2),
        "regions.Village": _three(w.village, w.village_b, w.village2),
        "enterprises.Enterprise": _three(w.enterprise, w.enterprise_b, w.enterprise2),
        "surveys.Survey": [
            *_three(
                Survey.objects.get(village=w.village),
                Survey.objects.get(village=w.village_b),
                Survey.objects.get(village=w.village2),
            ),
            Subject("own-enterprise", OWN, Survey.objects.get(enterprise=w.enterprise)),
            Subject("foreign-enterprise", FOREIGN, Survey.objects.get(enterprise=w.enterprise2)),
        ],
        "pairing.Campaign": _three(p.campaign, None, p.campaign2),
        "pairing.Participant": [
            *_three(
                participant(p.campaign, enterprise=w.enterprise),
                participant(p.campaign, enterprise=w.enterprise_b),
                participant(p.campaign2, enterprise=w.enterprise2),
            ),
            Subject("own-village", OWN, participant(p.campaign, village=w.village)),
        ],
        "pairing.MatchRun": _three(
            MatchRun.objects.filter(campaign=p.campaign).earliest("pk"),
            None,
            MatchRun.objects.filter(campaign=p.campaign2).earliest("pk"),
        ),
        "pairing.Pair": _three(p.pair, p.pair_b, p.pair2),
        "pairing.Pair:proposal": proposals,
        "pairing.PairPlan": _three(p.pair.plan, p.pair_b.plan, p.pair2.plan),
        "pairing.LiaisonAppointment": _three(p.appointment, appointment_b, appointment2),
        "pairing.Letter": letters,
        "pairing.Activity": _three(p.activity, p.activity_b, p.activity2),
        "pairing.Support": _three(p.support, p.support_b, p.support2),
        "pairing.Report": _three(p.report, p.report_b, p.report2),
        "pairing.LeadingGroup": _three(p.group, p.group_b, p.group2),
        "pairing.GroupMember": _three(p.group.members.get(), p.group_b.members.get(), p.group2.members.get()),
        "pairing.JointMeeting": _three(p.group.meetings.get(), p.group_b.meetings.get(), p.group2.meetings.get()),
        "pairing.Decision": _three(
            p.group.meetings.get().decisions.get(),
            p.group_b.meetings.get().decisions.get(),
            p.group2.meetings.get().decisions.get(),
        ),
        "accounts.User": _three(person_a, person_b, staff2),
        "accounts.RoleAssignment": _three(
            person_a.assignments.get(), person_b.assignments.get(), staff2.assignments.get()
        ),
        "accounts.SecurityEvent": _three(security_event(person_a), None, security_event(staff2)),
        "core.ImportJob": [
            Subject("county-staff-job", OWN, jobs["county-staff-job"]),
            Subject("township-staff-job", OWN, jobs["township-staff-job"]),
            Subject("foreign-job", FOREIGN, jobs["foreign-job"]),
        ],
        "core.ObjectChange": _three(change_of(w.village), change_of(w.village_b), change_of(w.village2)),
        "auth.Group": [Subject(OWN, OWN, Group.objects.create(name="县委统战部"))],
        "inbox.Notification": _three(*notes),
        "cadres.Person": _three(cadres.person(w.county), None, cadres.person(w.county2)),
        "cadres.Body": _three(
            cadres.body(w.county, township=w.township),
            cadres.body(w.county, township=w.township_b),
            cadres.body(w.county2, township=w.township2),
        ),
        "cadres.StaffingRule": _three(cadres.rule(w.county), None, cadres.rule(w.county2)),
    }
    officer2 = user("cadre2", Role.CADRE_OFFICER, county=w.county2)
    files = [subject.obj for subject in subjects["cadres.Person"]]
    subjects["cadres.AccessLog"] = _three(
        cadres.access_entry(users[Role.CADRE_OFFICER], files[0]), None, cadres.access_entry(officer2, files[-1])
    )
    people: list[Any] = files
    subjects["cadres.StageRecord"] = _three(cadres.stage(people[0]), None, cadres.stage(people[-1]))
    bodies = [subject.obj for subject in subjects["cadres.Body"]]
    subjects["cadres.Post"] = _three(
        cadres.post(bodies[0], files[0]), cadres.post(bodies[1]), cadres.post(bodies[2], files[-1])
    )
    own_files = cadres.training_and_friends(files[0])  # type: ignore[arg-type]
    foreign_files = cadres.training_and_friends(files[-1])  # type: ignore[arg-type]
    for key, name in (
        ("cadres.Course", "course"),
        ("cadres.Enrolment", "enrolment"),
        ("cadres.Recommendation", "recommendation"),
        ("cadres.LeadingCadre", "leader"),
        ("cadres.FriendPair", "pair"),
        ("cadres.FriendContact", "contact"),
    ):
        subjects[key] = _three(own_files[name], None, foreign_files[name])
    subjects.update(_chamber_subjects(w))
    editor = users[Role.EDITOR]
    articles = _three(portal.article(w.county, writer=editor), None, portal.article(w.county2))
    subjects["portal.Article"] = articles
    subjects["portal.ArticleRevision"] = _three(
        articles[0].obj.revisions.get(),  # type: ignore[attr-defined]
        None,
        articles[-1].obj.revisions.get(),  # type: ignore[attr-defined]
    )
    subjects["portal.ArticleImage"] = _three(portal.picture(articles[0].obj), None, portal.picture(articles[-1].obj))
    subjects.update(_selection_subjects(w, users))
    places = platforms.access_places(w, files[0], cadres.person(w.county), files[-1])
    subjects.update({key: _three(*rows) for key, rows in places.items()})
    extra = {"admin2": admin2, "staff2": staff2, "liaison2": liaison2}
    return AccessWorld(pworld=p, users=users, subjects=subjects, extra=extra)


def _chamber_subjects(w: World) -> dict[str, list[Subject]]:
    """The chambers of the test world: township A's (own), township B's (sibling) and the
    foreign county's FIC, with a row of each of their ledgers."""
    c = w.chambers
    rows = {
        "chambers.Officer": c.officers,
        "chambers.MembershipLevel": c.levels,
        "chambers.Membership": c.members,
        "chambers.Application": c.applications,
        "chambers.Dues": c.dues,
        "chambers.RightsCase": c.cases,
        "chambers.MemberActivity": c.activities,
        "chambers.BoardPost": c.posts,
    }
    subjects = {key: _three(row["own"], row["sibling"], row["foreign"]) for key, row in rows.items()}
    subjects["chambers.Chamber"] = _three(c.own, c.sibling, c.foreign)
    return subjects


def _selection_subjects(w: World, users: dict[str, User]) -> dict[str, list[Subject]]:
    """Selections: the world's reviewer sits on the jury of the own one; the sibling
    nomination (township B) is in another selection of the same county, whose jury they
    are not on; the foreign ones are in county 2 with a jury of its own."""
    own, other, foreign = sel.selection(w.county), sel.selection(w.county), sel.selection(w.county2)
    nominations = _three(
        sel.nomination(own, w.township, enterprise=w.enterprise),
        sel.nomination(other, w.township_b),
        sel.nomination(foreign, w.township2),
    )
    reviewer2 = user("rev2", Role.REVIEWER, county=w.county2)
    seats = (sel.juror(own, users[Role.REVIEWER]), sel.juror(foreign, reviewer2))
    deputies = (sel.deputy(w.county), sel.deputy(w.county2))
    objs: list[Any] = [subject.obj for subject in nominations]
    by_county = {own.pk: deputies[0], other.pk: deputies[0], foreign.pk: deputies[1]}

    def part(parent: Any, related: str) -> Any:
        return getattr(parent, related).order_by("pk").first()

    return {
        "selection.Selection": _three(own, None, foreign),
        "selection.Category": _three(part(own, "categories"), None, part(foreign, "categories")),
        "selection.Criterion": _three(part(own, "criteria"), None, part(foreign, "criteria")),
        "selection.Juror": _three(seats[0], None, seats[1]),
        "selection.Deputy": _three(deputies[0], None, deputies[1]),
        "selection.Nomination": nominations,
        "selection.Recommendation": _three(*(sel.recommendation(n, by_county[n.selection_id]) for n in objs)),
        "selection.Objection": _three(*(sel.objection(n) for n in objs)),
        "selection.Mark": _three(sel.mark(seats[0], objs[0]), None, sel.mark(seats[1], objs[2])),
    }


@contextmanager
def module_transaction(django_db_blocker: Any) -> Iterator[None]:
    """A transaction around a whole test module, rolled back at its end: data built in it
    once is seen by every test of the module, each of which (marked ``django_db``) runs in
    a savepoint of its own. For modules whose tests share one expensive world."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# ---------------------------------------------------------------------------------------
# Judging one request


def _unchanging_models() -> list[type[models.Model]]:
    """The change log, and the models whose rows it does not record (counted instead)."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("tongxin.") and not issubclass(model, ChangeLoggedModel)
    ]


_COUNTS_SQL: list[str] = []


def _counts() -> tuple[int, ...]:
    """The row count of every table the change log does not cover, in one query."""
    if not _COUNTS_SQL:
        quote = connection.ops.quote_name
        tables = [quote(model._meta.db_table) for model in _unchanging_models()]
        # Table names of the project's own models, quoted: nothing here comes from input.
        _COUNTS_SQL.append("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL[0])
        return tuple(cursor.fetchone())


@dataclass(frozen=True)
class Snapshot:
    row: dict[str, Any] | None
    counts: tuple[int, ...]

    @classmethod
    def take(cls, obj: models.Model | None) -> Snapshot:
        row = None
        if obj is not None:
            row = type(obj)._base_manager.filter(pk=obj.pk).values().first()
        return cls(row, _counts())

    def columns(self, other: Snapshot) -> list[str]:
        """The watched row's columns that differ (all of them when it was deleted)."""
        before, after = self.row or {}, other.row or {}
        return [key for key in {**before, **after} if before.get(key) != after.get(key)]

    def differs(self, other: Snapshot) -> list[str]:
        """What changed between two snapshots, in words (empty: nothing)."""
        changed: list[str] = []
        if self.row != other.row:
            if other.row is None:
                changed.append("the row was deleted")
            else:
                before = self.row or {}
                keys = [k for k in other.row if before.get(k) != other.row.get(k)]
                changed.append(f"the row changed: {keys}")
        for model, a, b in zip(_unchanging_models(), self.counts, other.counts, strict=True):
            if a != b:
                changed.append(f"{model._meta.label} rows {a} → {b}")
        return changed


@dataclass
class Outcome:
    status: int
    error: str | None  # the exception a view raised (a 500), with its traceback
    written: list[str]  # what changed (empty: nothing)
    location: str = ""
    content: bytes = b""
    changed: list[str] = field(default_factory=list)  # the watched row's columns that changed


def judge(
    client: Client,
    method: str,
    path: str,
    *,
    data: Any = None,
    json: bool = False,
    watch: models.Model | None = None,
    keep: bool = False,
    look: bool = True,
) -> Outcome:
    """Send one request inside a savepoint that is rolled back (unless ``keep``); report
    its status, any exception and what it wrote (the watched row and every count) —
    for writes, unless ``look`` is false."""
    watching = method != "get" and look
    with transaction.atomic():
        before = Snapshot.take(watch) if watching else None
        error = None
        try:
            if json:
                response = client.generic(method.upper(), path, data=_json_body(data), content_type="application/json")
            elif method == "get":
                response = client.get(path, data or {})
            elif method == "post":
                response = client.post(path, data or {})
            else:
                response = client.generic(method.upper(), path)
            status = response.status_code
            location = response.get("Location", "")
            content = response.content if not getattr(response, "streaming", False) else b""
        except Exception as exc:
            status, location, content = 500, "", b""
            error = "".join(traceback.format_exception(exc, limit=-3)).strip()
        after = Snapshot.take(watch) if before is not None else None
        written = before.differs(after) if before is not None and after is not None else []
        changed = before.columns(after) if before is not None and after is not None else []
        if not keep:
            transaction.set_rollback(True)
    return Outcome(status, error, written, location, content, changed)


def _json_body(data: Any) -> str:
    import json as json_module

    from django.core.serializers.json import DjangoJSONEncoder

    return json_module.dumps(data if data is not None else {}, cls=DjangoJSONEncoder)


def logged_in_clients(users: dict[str, User]) -> dict[str, Client]:
    """One signed-in client per user (sessions are made once, outside any test's savepoint)."""
    clients: dict[str, Client] = {}
    for key, person in users.items():
        client = Client()
        client.force_login(person)
        clients[key] = client
    return clients
