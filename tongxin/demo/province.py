"""A province at scale on the official division table: ``manage.py seed_province``.

For a province already loaded with ``manage.py load_divisions`` (its counties, townships
and villages are the real ones), this writes a synthetic but plausible pairing workload
sized like a whole province in its second year of 村企共建:

* about 30,000 enterprises spread over the townships (more where there are more
  villages), each with a valid unified social credit code of its county
  (:func:`tongxin.core.identifiers.make_uscc`) and one to three things it can offer;
* one running campaign per county (started 18 months before ``as_of``), every enterprise
  and administrative village of the county enrolled, one match run, and about 30,000
  approved pairs in all (a few closed early), plus some rejected and dropped proposals;
* a plan per pair; liaison officers (a person and a liaison hat of the county each)
  appointed to about 20 pairs each; province, county and township staff with their hats;
* the monthly progress reports of 18 periods (about 500,000 rows) with gaps, late
  submissions, a few returned and draft reports, and a tail of "sloppy" pairs that report
  late or not at all; activities (about three per pair) and some support;
* some surveys of villages and enterprises; a county leading group with members,
  meetings and decisions.

Everything is deterministic for a given ``seed``, ``as_of`` date and division table.

Bulk load, not per-row services: the rows are written in batches straight into the tables
(PostgreSQL ``COPY`` through psycopg, multi-row ``INSERT`` elsewhere), inside one
transaction, bypassing ``save()``, the services and their signals — half a million
reports through the services would take hours. The workflow rules hold by construction
(approved pairs of running campaigns only, one report per pair and period, liaison
officers of the campaign's county, the same county everywhere). The change log is marked
as a bulk load: instead of one record per row, one :class:`~tongxin.core.models.ObjectChange`
per table, action "create", source "command", object id 0, with the number of rows, the
seed and a note in its "after" data. On PostgreSQL the tables are ANALYZEd at the end so
the planner sees the new sizes at once (and VACUUMed when not inside an outer transaction).
"""

from __future__ import annotations

import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from itertools import islice
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.accounts.models import RoleAssignment, User
from tongxin.core.choices import ChangeAction, ChangeSource, Need
from tongxin.core.identifiers import USCC_ALPHABET, is_pairable_village_code, make_uscc
from tongxin.core.models import ObjectChange
from tongxin.core.statistics import refresh_statistics
from tongxin.demo import names
from tongxin.enterprises.models import Enterprise
from tongxin.pairing.choices import (
    ActivityHead,
    EventKind,
    GroupRole,
    Mode,
    Origin,
    PairStatus,
    ReportStatus,
    Side,
    Stage,
    SupportKind,
)
from tongxin.pairing.models import (
    Activity,
    Campaign,
    CampaignEvent,
    Decision,
    GroupMember,
    JointMeeting,
    LeadingGroup,
    LiaisonAppointment,
    MatchRun,
    Pair,
    PairPlan,
    Participant,
    Report,
    ReportingTally,
    Support,
)
from tongxin.pairing.services import tally
from tongxin.regions.models import County, Division, Province, Township, Village
from tongxin.surveys.models import Survey

__all__ = ["PASSWORD", "ProvincePlan", "ProvinceSeedError", "seed_province", "usernames"]

#: Password of the province's staff logins (the liaison officers have none).
PASSWORD = "tongxin-demo"  # noqa: S105  (documented demo password)
BATCH = 5_000
NOTE = (
    "seed_province: synthetic province workload written in bulk (COPY / multi-row INSERT); "
    "one change record per table instead of one per row"
)

_DONE = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
_NEEDS = [str(value) for value in Need.values]
_HEAD_WEIGHTS = {
    ActivityHead.PARTY: 4,
    ActivityHead.LEADERSHIP: 3,
    ActivityHead.SERVICE: 4,
    ActivityHead.FRIENDSHIP: 3,
    ActivityHead.MEETING: 1,
    ActivityHead.DONATION: 1,
    ActivityHead.PROJECT: 1,
}
_TITLES = {
    ActivityHead.PARTY: ("联合主题党日", "党建共建签约", "党员结对帮扶"),
    ActivityHead.LEADERSHIP: ("村企班子座谈", "发展思路研讨", "企业负责人列席村两委会"),
    ActivityHead.SERVICE: ("农技培训进村", "农产品直播带货", "就业岗位对接会"),
    ActivityHead.FRIENDSHIP: ("重阳敬老慰问", "村企篮球联谊赛", "春节走访慰问"),
    ActivityHead.MEETING: ("季度推进会",),
    ActivityHead.DONATION: ("捐建村道路灯", "助学金发放"),
    ActivityHead.PROJECT: ("共建种植基地", "合作社仓储项目"),
}
_MODE_WEIGHTS = (5, 3, 2, 1, 3, 2, 1)
_MEMBERS = (
    ("县委书记", GroupRole.LEADER, "县委"),
    ("县长", GroupRole.DEPUTY, "县政府"),
    ("县委统战部部长", GroupRole.OFFICE, "县委统战部"),
    ("县工商联主席", GroupRole.MEMBER, "县工商联"),
)


class ProvinceSeedError(Exception):
    """The province cannot be seeded: not loaded, or already holding campaigns."""


@dataclass(frozen=True)
class ProvincePlan:
    """How big the generated workload is (the defaults are a province like Zhejiang)."""

    enterprises: int = 30_000
    pairs: int = 30_000
    months: int = 18
    pairs_per_liaison: int = 20
    activities_per_pair: int = 3  # on average (1 … 2n-1)
    survey_share: float = 0.2  # of villages and of enterprises, one survey each


def usernames(province_code: str, county_code: str | None = None) -> dict[str, str]:
    """The login names the seed creates: province staff and administrator, and for
    ``county_code`` its county staff and administrator (password :data:`PASSWORD`)."""
    names_ = {"province_staff": f"p{province_code}_staff", "province_admin": f"p{province_code}_admin"}
    if county_code:
        names_ |= {"county_staff": f"c{county_code}_staff", "county_admin": f"c{county_code}_admin"}
    return names_


# ---------------------------------------------------------------------------
# Bulk writing
# ---------------------------------------------------------------------------


class _Writer:
    """Writes rows of plain values straight into a model's table, in batches.

    Columns not given get the field's default (``created``/``last_updated`` the load's
    time). On PostgreSQL the rows go through ``COPY … FROM STDIN``; elsewhere through
    multi-row ``INSERT`` with every value prepared by its field.
    """

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.postgres = connection.vendor == "postgresql"
        self.counts: Counter[type[models.Model]] = Counter()

    def reserve_ids(self, model: type[models.Model], n: int) -> list[int]:
        """``n`` fresh primary keys of ``model`` (from its sequence on PostgreSQL)."""
        if n == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + n))

    def _default(self, field: models.Field[Any, Any]) -> Any:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value: Any = self.now
        else:
            value = field.get_default()
        return field.get_db_prep_save(value, connection)

    def insert(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert ``rows`` (tuples of values for ``columns``, given by attribute name)."""
        meta = model._meta
        # ``get_field`` knows attribute names too ("pair_id"); "id" is the primary key.
        fields: list[Any] = [meta.pk if name == "id" else meta.get_field(name) for name in columns]
        rest = [f for f in meta.concrete_fields if f not in fields and not f.primary_key]
        constants = tuple(self._default(f) for f in rest)
        names_ = [f.column for f in fields] + [f.column for f in rest]
        # Values that need their field's preparation: JSON on PostgreSQL, everything else
        # on other databases (SQLite stores dates, datetimes and decimals as text).
        prepare = [
            i for i, f in enumerate(fields) if not self.postgres or isinstance(f, models.JSONField | models.BinaryField)
        ]

        def prepared(row: Sequence[Any]) -> tuple[Any, ...]:
            if not prepare:
                return (*row, *constants)
            values = list(row)
            for i in prepare:
                values[i] = fields[i].get_db_prep_save(values[i], connection)
            return (*values, *constants)

        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        column_list = ", ".join(quote(name) for name in names_)
        written = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(prepared(row))
                        written += 1
            else:
                placeholders = "(" + ", ".join(["%s"] * len(names_)) + ")"
                sql = f"INSERT INTO {table} ({column_list}) VALUES {placeholders}"  # noqa: S608
                for chunk in _chunks(rows, BATCH):
                    cursor.executemany(sql, [prepared(row) for row in chunk])
                    written += len(chunk)
        self.counts[model] += written
        return written


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# ---------------------------------------------------------------------------
# The tree as loaded
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _County:
    id: int
    code: str
    name: str
    prefecture_id: int


@dataclass(frozen=True)
class _Township:
    id: int
    code: str
    name: str
    county_id: int


@dataclass(frozen=True)
class _Village:
    id: int
    code: str
    name: str
    township_id: int
    pairable: bool


@dataclass
class _Tree:
    province: Province
    counties: list[_County]
    townships: list[_Township]
    villages: list[_Village]

    def townships_of(self) -> dict[int, list[_Township]]:
        result: dict[int, list[_Township]] = defaultdict(list)
        for township in self.townships:
            result[township.county_id].append(township)
        return result

    def villages_of(self) -> dict[int, list[_Village]]:
        result: dict[int, list[_Village]] = defaultdict(list)
        for village in self.villages:
            result[village.township_id].append(village)
        return result


def _load_tree(code: str, only: Sequence[str] | None = None) -> _Tree:
    province = Province.objects.filter(code=code).first()
    hint = f"Load it first: `make divisions`, then `manage.py load_divisions --province {code}`."
    if province is None or not Division.objects.filter(code=code).exists():
        raise ProvinceSeedError(f"Province {code} is not loaded from the official division table. {hint}")
    found = County.objects.filter(province=province, is_demo=False, withdrawn=False)
    if only is not None:
        found = found.filter(code__in=list(only))
        missing = sorted(set(only) - set(found.values_list("code", flat=True)))
        if missing:
            raise ProvinceSeedError(f"Not a loaded county of province {code}: {', '.join(missing)}.")
    counties = [_County(*row) for row in found.order_by("code").values_list("id", "code", "name", "prefecture_id")]
    townships = [
        _Township(*row)
        for row in Township.objects.filter(county__in=[c.id for c in counties], withdrawn=False)
        .order_by("code")
        .values_list("id", "code", "name", "county_id")
    ]
    villages = [
        _Village(row[0], row[1], row[2], row[3], is_pairable_village_code(row[1]))
        for row in Village.objects.filter(township__in=[t.id for t in townships], withdrawn=False)
        .order_by("code")
        .values_list("id", "code", "name", "township_id")
    ]
    if not villages:
        raise ProvinceSeedError(f"Province {code} has no townships and villages loaded. {hint}")
    if Campaign.objects.filter(county__in=[c.id for c in counties]).exists():
        raise ProvinceSeedError(
            f"Province {code} already holds pairing campaigns in these counties; "
            "seed_province only fills counties without any."
        )
    return _Tree(province, counties, townships, villages)


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _body(n: int) -> str:
    """The 8-character organisation body of the n-th enterprise ("P" and 7 digits base 31)."""
    digits = []
    for _ in range(7):
        n, rest = divmod(n, len(USCC_ALPHABET))
        digits.append(USCC_ALPHABET[rest])
    return "P" + "".join(reversed(digits))


def _person(rng: random.Random) -> str:
    surname = rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    return surname + "".join(rng.choice(names.GIVEN_NAME_CHARS) for _ in range(rng.choice((1, 2))))


_SURNAMES = [surname for surname, _w in names.SURNAMES]
_SURNAME_WEIGHTS = [weight for _s, weight in names.SURNAMES]


@dataclass
class _PairRow:
    id: int
    campaign_id: int
    county_id: int
    township_id: int
    enterprise_id: int
    village_id: int
    status: str
    start_date: date
    end_date: date | None
    liaison_id: int | None = None


class _Seed:
    """One run of the generator: the random stream, the writer and what was made."""

    def __init__(self, tree: _Tree, seed: int, as_of: date, plan: ProvincePlan, log: Callable[[str], None]) -> None:
        self.tree = tree
        self.rng = random.Random(seed)
        self.seed = seed
        self.as_of = as_of
        self.plan = plan
        self.log = log
        self.now = timezone.now()
        self.tz: tzinfo = timezone.get_current_timezone()
        self.writer = _Writer(self.now)
        self.start = _add_months(as_of.replace(day=1), -plan.months)
        self.end = date(self.start.year + 2, 12, 31)
        self.periods = [_add_months(self.start, i) for i in range(plan.months)]
        self.townships = tree.townships_of()
        self.villages = tree.villages_of()
        self.campaign_of: dict[int, int] = {}
        self.run_of: dict[int, int] = {}
        self.staff_of: dict[int, int] = {}
        self.admin_of: dict[int, int] = {}
        self.township_staff: dict[int, int] = {}
        self.enterprises: dict[int, list[tuple[int, str]]] = defaultdict(list)  # township -> (id, name)
        self.pairs: list[_PairRow] = []

    def at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randrange(60)), tzinfo=self.tz)

    # -- people ---------------------------------------------------------------

    def people(self) -> None:
        """Staff logins (province, county, township) and their hats."""
        code = self.tree.province.code
        login = make_password(PASSWORD)
        users: list[tuple[Any, ...]] = []
        hats: list[tuple[Any, ...]] = []
        county_ids = [c.id for c in self.tree.counties]
        # The province's own logins exist once (a later load of other counties keeps them).
        province_logins = [
            (role, username)
            for role, username in ((Role.PROVINCE_STAFF, f"p{code}_staff"), (Role.PROVINCE_ADMIN, f"p{code}_admin"))
            if not User.objects.filter(username=username).exists()
        ]
        ids = iter(self.writer.reserve_ids(User, len(province_logins) + 2 * len(county_ids) + len(self.tree.townships)))
        valid_from = self.start - timedelta(days=60)
        province = self.tree.province
        for role, username in province_logins:
            uid = next(ids)
            users.append((uid, username, login, f"{province.name}统战部干部", province.id, None, False))
            hats.append((uid, role, province.id, None, None, None, valid_from))
        for county in self.tree.counties:
            for role, suffix, label in ((Role.COUNTY_STAFF, "staff", "干部"), (Role.COUNTY_ADMIN, "admin", "管理员")):
                uid = next(ids)
                users.append(
                    (
                        uid,
                        f"c{county.code}_{suffix}",
                        login,
                        f"{county.name}统战部{label}",
                        province.id,
                        county.id,
                        False,
                    )
                )
                hats.append((uid, role, province.id, county.prefecture_id, county.id, None, valid_from))
                (self.staff_of if suffix == "staff" else self.admin_of)[county.id] = uid
        prefecture = {c.id: c.prefecture_id for c in self.tree.counties}
        for township in self.tree.townships:
            uid = next(ids)
            users.append(
                (uid, f"t{township.code}", "!", f"{township.name}干部", province.id, township.county_id, False)
            )
            hats.append(
                (
                    uid,
                    Role.TOWNSHIP_STAFF,
                    province.id,
                    prefecture[township.county_id],
                    township.county_id,
                    township.id,
                    valid_from,
                )
            )
            self.township_staff[township.id] = uid
        self._users(users)
        self._hats(hats)

    def _users(self, users: list[tuple[Any, ...]]) -> None:
        self.writer.insert(
            User, ("id", "username", "password", "full_name", "province_id", "county_id", "is_staff"), users
        )

    def _hats(self, hats: list[tuple[Any, ...]]) -> None:
        self.writer.insert(
            RoleAssignment,
            ("user_id", "role", "province_id", "prefecture_id", "county_id", "township_id", "valid_from"),
            hats,
        )

    # -- enterprises ----------------------------------------------------------

    def enterprise_rows(self) -> None:
        rng = self.rng
        townships = self.tree.townships
        weights = [1 + len(self.villages[t.id]) for t in townships]
        per_township = Counter(t.id for t in rng.choices(townships, weights=weights, k=self.plan.enterprises))
        county_code = {c.id: c.code for c in self.tree.counties}
        short = {c.id: c.name for c in self.tree.counties}
        sections = list(names.SECTION_WEIGHTS)
        section_weights = list(names.SECTION_WEIGHTS.values())
        ids = iter(self.writer.reserve_ids(Enterprise, self.plan.enterprises))
        rows: list[tuple[Any, ...]] = []
        offers: list[tuple[int, str]] = []
        used: set[str] = set()
        n = 0
        for township in townships:
            for _k in range(per_township.get(township.id, 0)):
                n += 1
                eid = next(ids)
                section = rng.choices(sections, weights=section_weights)[0]
                trade, _business = rng.choice(names.TRADES.get(section) or names.TRADES["C"])
                name = f"{short[township.county_id]}{rng.choice(names.BRAND_WORDS)}{trade}有限公司"
                if name in used:
                    name = (
                        f"{short[township.county_id]}{township.name[:2]}{rng.choice(names.BRAND_WORDS)}{trade}有限公司"
                    )
                if name in used:
                    name = f"{name.removesuffix('有限公司')}{n}号有限公司"
                used.add(name)
                size = rng.choices(("micro", "small", "medium", "large"), weights=(40, 40, 15, 5))[0]
                employees = {"micro": 5, "small": 40, "medium": 200, "large": 900}[size] + rng.randrange(30)
                revenue = Decimal(rng.randrange(50, 200_000)) / 10
                rows.append(
                    (
                        eid,
                        name,
                        make_uscc("91", county_code[township.county_id], _body(n)),
                        township.id,
                        section,
                        size,
                        employees,
                        revenue,
                        f"{township.name}{rng.choice(names.ROADS)}{rng.randint(1, 188)}号",
                        rng.random() < 0.3,
                        _person(rng),
                        f"1349{rng.randrange(10**7):07d}",
                    )
                )
                for need in rng.sample(_NEEDS, rng.randint(1, 3)):
                    offers.append((eid, need))
                self.enterprises[township.id].append((eid, name))
        self.writer.insert(
            Enterprise,
            (
                "id",
                "name",
                "uscc",
                "township_id",
                "industry",
                "size",
                "employees",
                "revenue",
                "address",
                "has_party_org",
                "contact_name",
                "contact_mobile",
            ),
            rows,
        )
        through = Enterprise.offers.through
        self.writer.insert(through, ("enterprise_id", "capability_id"), offers)
        self.log(f"enterprises: {len(rows):,}, offering {len(offers):,} things")

    # -- campaigns, participants, pairs ----------------------------------------

    def campaigns(self) -> None:
        counties = self.tree.counties
        ids = self.writer.reserve_ids(Campaign, len(counties))
        rows = []
        for cid, county in zip(ids, counties, strict=True):
            self.campaign_of[county.id] = cid
            rows.append(
                (
                    cid,
                    county.id,
                    f"{self.start.year}—{self.start.year + 2}年村企共建",
                    self.start.year,
                    self.start,
                    self.end,
                    Stage.RUNNING,
                    f"{county.name[:2]}统建",
                    f"{county.name[:2]}统聘",
                    f"{county.name}村企共建工作领导小组办公室",
                )
            )
        columns = ("id", "county_id", "name", "year", "start", "end", "stage", "letter_prefix", "appointment_prefix")
        self.writer.insert(Campaign, (*columns, "issuer"), rows)
        events = [
            (
                cid,
                EventKind.STAGE_CHANGED,
                self.now,
                "seed_province",
                {"before": Stage.APPROVED, "after": Stage.RUNNING},
            )
            for cid in ids
        ]
        self.writer.insert(CampaignEvent, ("campaign_id", "kind", "time", "reason", "data"), events)

    def participants_and_pairs(self) -> None:
        rng = self.rng
        # The pairs are shared out by enterprises among the counties that have villages to pair.
        total_enterprises = (
            sum(
                len(self.enterprises[t.id])
                for county in self.tree.counties
                if any(v.pairable for t in self.townships[county.id] for v in self.villages[t.id])
                for t in self.townships[county.id]
            )
            or 1
        )
        participants: list[tuple[Any, ...]] = []
        planned: list[tuple[int, int, int, int, str, str]] = []  # campaign, county, enterprise, village, status, origin
        runs = self.writer.reserve_ids(MatchRun, len(self.tree.counties))
        run_rows = []
        for run_id, county in zip(runs, self.tree.counties, strict=True):
            campaign = self.campaign_of[county.id]
            self.run_of[county.id] = run_id
            townships = self.townships[county.id]
            enterprises = [(e, t.id) for t in townships for e, _name in self.enterprises[t.id]]
            villages = [v for t in townships for v in self.villages[t.id] if v.pairable]
            for eid, tid in enterprises:
                participants.append((campaign, Side.ENTERPRISE, eid, None, tid, rng.choice((1, 1, 1, 2))))
            for village in villages:
                participants.append((campaign, Side.VILLAGE, None, village.id, village.township_id, rng.choice((1, 2))))
            if not enterprises or not villages:
                continue
            wanted = round(self.plan.pairs * len(enterprises) / total_enterprises)
            order = list(enterprises)
            rng.shuffle(order)
            free: dict[int, list[_Village]] = defaultdict(list)
            for village in villages:
                free[village.township_id].append(village)
            for bucket in free.values():
                rng.shuffle(bucket)
            spare = list(villages)
            rng.shuffle(spare)
            taken: set[tuple[int, int]] = set()
            matched: list[list[int]] = []
            made = 0
            i = 0
            while made < wanted and i < 4 * wanted:
                eid, tid = order[i % len(order)]
                i += 1
                bucket = free.get(tid) or next((b for b in free.values() if b), [])
                village = bucket.pop() if bucket else spare[rng.randrange(len(spare))]
                if (eid, village.id) in taken:
                    continue
                taken.add((eid, village.id))
                made += 1
                origin = Origin.MANUAL if rng.random() < 0.03 else Origin.MATCHED
                if origin == Origin.MATCHED:
                    matched.append([eid, village.id])
                planned.append((campaign, county.id, eid, village.id, PairStatus.APPROVED, origin))
            # Proposals that never became pairs: rejected after the township returned
            # them, or dropped by a county override.
            for _n in range(max(1, wanted // 40)):
                eid, _tid = order[rng.randrange(len(order))]
                village = spare[rng.randrange(len(spare))]
                if (eid, village.id) in taken:
                    continue
                taken.add((eid, village.id))
                status = PairStatus.REJECTED if rng.random() < 0.6 else PairStatus.DROPPED
                planned.append((campaign, county.id, eid, village.id, status, Origin.MATCHED))
            run_rows.append(
                (
                    run_id,
                    campaign,
                    Side.ENTERPRISE,
                    # The shape of a real run's record, without the rankings (none were entered).
                    {
                        "capacity": {"enterprise": {}, "village": {}},
                        "preferences": {"enterprise": {}, "village": {}},
                        "bulk_load": NOTE,
                    },
                    {"pairs": matched, "unmatched_enterprises": [], "unmatched_villages": [], "written": len(matched)},
                    rng.randint(800, 4000),
                    self.staff_of[county.id],
                )
            )
        self.writer.insert(
            Participant, ("campaign_id", "side", "enterprise_id", "village_id", "township_id", "capacity"), participants
        )
        self.writer.insert(
            MatchRun, ("id", "campaign_id", "proposing", "inputs", "result", "duration_ms", "run_by_id"), run_rows
        )
        self._pairs(planned)

    def _pairs(self, planned: list[tuple[int, int, int, int, str, str]]) -> None:
        rng = self.rng
        village_township = {v.id: v.township_id for v in self.tree.villages}
        ids = self.writer.reserve_ids(Pair, len(planned))
        rows = []
        late_start = _add_months(self.start, 6)
        for pid, (campaign, county, eid, vid, status, origin) in zip(ids, planned, strict=True):
            tid = village_township[vid]
            start = self.start + timedelta(days=rng.randrange(0, 45))
            if rng.random() < 0.1:  # joined later in the campaign
                start = self.start + timedelta(days=rng.randrange(60, (late_start - self.start).days))
            end = None
            pair_status = status
            if status == PairStatus.APPROVED and rng.random() < 0.01:
                pair_status = PairStatus.CLOSED
                end = self.start + timedelta(days=rng.randrange(200, 400))
            approved = status == PairStatus.APPROVED
            row = _PairRow(pid, campaign, county, tid, eid, vid, pair_status, start, end)
            if approved:
                self.pairs.append(row)
            rows.append(
                (
                    pid,
                    campaign,
                    eid,
                    vid,
                    tid,
                    pair_status,
                    origin,
                    self.run_of[county] if origin == Origin.MATCHED else None,
                    self.staff_of[county],
                    self.township_staff.get(tid) if approved else None,
                    "县委统战部研究指定结对" if origin == Origin.MANUAL else "",
                    round(rng.uniform(40, 95), 1) if origin == Origin.MATCHED else None,
                    start if approved else None,
                    end,
                )
            )
        self.writer.insert(
            Pair,
            (
                "id",
                "campaign_id",
                "enterprise_id",
                "village_id",
                "township_id",
                "status",
                "origin",
                "match_run_id",
                "proposed_by_id",
                "township_approved_by_id",
                "reason",
                "fit_score",
                "start_date",
                "end_date",
            ),
            rows,
        )
        modes = list(Mode.values)
        self.writer.insert(
            PairPlan,
            ("pair_id", "mode", "investment", "projects", "jobs", "farmer_income", "collective_income"),
            (
                (
                    p.id,
                    rng.choices(modes, weights=_MODE_WEIGHTS)[0],
                    Decimal(rng.choice((20, 50, 80, 100, 150, 300))),
                    rng.randint(1, 4),
                    rng.randint(3, 40),
                    Decimal(rng.choice((10, 20, 30, 50))),
                    Decimal(rng.choice((3, 5, 8, 10, 20))),
                )
                for p in self.pairs
            ),
        )
        self.log(f"pairs: {len(self.pairs):,} approved or closed, {len(rows) - len(self.pairs):,} other proposals")

    # -- liaison officers -------------------------------------------------------

    def liaisons(self) -> None:
        rng = self.rng
        by_county: dict[int, list[_PairRow]] = defaultdict(list)
        for pair in self.pairs:
            by_county[pair.county_id].append(pair)
        township_code = {t.id: t.code for t in self.tree.townships}
        chunks: list[tuple[_County, list[_PairRow]]] = []
        size = self.plan.pairs_per_liaison
        for county in self.tree.counties:
            mine = sorted(by_county[county.id], key=lambda p: (township_code[p.township_id], p.id))
            chunks += [(county, mine[i : i + size]) for i in range(0, len(mine), size)]
        user_ids = self.writer.reserve_ids(User, len(chunks))
        appointment_ids = self.writer.reserve_ids(LiaisonAppointment, len(chunks))
        users, hats, appointments, links = [], [], [], []
        number: Counter[int] = Counter()
        for uid, aid, (county, pairs) in zip(user_ids, appointment_ids, chunks, strict=True):
            number[county.id] += 1
            users.append(
                (
                    uid,
                    f"l{county.code}_{number[county.id]:03d}",
                    "!",
                    _person(rng),
                    self.tree.province.id,
                    county.id,
                    False,
                )
            )
            hats.append((uid, Role.LIAISON, self.tree.province.id, county.prefecture_id, county.id, None, self.start))
            appointments.append((aid, self.campaign_of[county.id], uid, self.start, self.end))
            for pair in pairs:
                pair.liaison_id = uid
                links.append((aid, pair.id))
        self._users(users)
        self._hats(hats)
        self.writer.insert(
            LiaisonAppointment, ("id", "campaign_id", "liaison_id", "term_start", "term_end"), appointments
        )
        self.writer.insert(LiaisonAppointment.pairs.through, ("liaisonappointment_id", "pair_id"), links)
        self.log(f"liaison officers: {len(users):,}, appointed to {len(links):,} pairs")

    # -- the running record ---------------------------------------------------

    def report_rows(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        as_of = self.as_of
        due_days = 10
        bounds = [(p, _add_months(p, 1) - timedelta(days=1)) for p in self.periods]
        narratives = ("本月按计划推进结对共建项目。", "组织村民参加技能培训，推进产销对接。", "项目建设有序推进。")
        for pair in self.pairs:
            sloppy = rng.random() < 0.12
            for start, end in bounds:
                if pair.start_date > end or (pair.end_date is not None and pair.end_date < start):
                    continue
                due = end + timedelta(days=due_days)
                if rng.random() < (0.25 if sloppy else 0.03):
                    continue  # never reported
                late = rng.random() < (0.45 if sloppy else 0.08)
                submitted = (
                    due + timedelta(days=rng.randint(1, 12)) if late else end + timedelta(days=rng.randint(1, due_days))
                )
                status = ReportStatus.ACCEPTED
                roll = rng.random()
                if submitted > as_of or roll < 0.005:
                    if end >= as_of or rng.random() < 0.5:
                        continue
                    status, submitted_at, submitter = ReportStatus.DRAFT, None, None
                else:
                    if submitted > as_of - timedelta(days=10):
                        status = ReportStatus.SUBMITTED
                    elif roll < 0.015:
                        status = ReportStatus.RETURNED
                    submitted_at, submitter = self.at(submitted, rng.randint(8, 18)), pair.liaison_id
                yield (
                    pair.id,
                    start,
                    due,
                    status,
                    Decimal(rng.choice((0, 0, 2, 5, 10))),
                    1 if rng.random() < 0.08 else 0,
                    rng.choice((0, 0, 1, 2)),
                    Decimal(rng.choice((0, 5, 10, 20))) / 10,
                    Decimal(rng.choice((0, 2, 5, 10))) / 10,
                    rng.choice(narratives),
                    submitted_at,
                    submitter,
                    "请补充本月项目进度数据" if status == ReportStatus.RETURNED else "",
                    pair.liaison_id,
                )

    def reports(self) -> None:
        written = self.writer.insert(
            Report,
            (
                "pair_id",
                "period",
                "due_date",
                "status",
                "investment",
                "projects",
                "jobs",
                "farmer_income",
                "collective_income",
                "narrative",
                "submitted_at",
                "submitted_by_id",
                "return_reason",
                "created_by_id",
            ),
            self.report_rows(),
        )
        self.log(f"reports: {written:,} over {len(self.periods)} periods")

    def activities(self) -> None:
        rng = self.rng
        heads = list(_HEAD_WEIGHTS)
        weights = list(_HEAD_WEIGHTS.values())
        span = max(1, (self.as_of - self.start).days - 1)
        names_of = {e: n for bucket in self.enterprises.values() for e, n in bucket}
        village_name = {v.id: v.name for v in self.tree.villages}

        def activity_rows() -> Iterator[tuple[Any, ...]]:
            for pair in self.pairs:
                for _n in range(rng.randint(1, 2 * self.plan.activities_per_pair - 1)):
                    head = rng.choices(heads, weights=weights)[0]
                    day = self.start + timedelta(days=rng.randrange(span))
                    confirmed = rng.random() < 0.7
                    yield (
                        pair.id,
                        head,
                        day,
                        rng.choice(_TITLES[head]),
                        f"{names_of[pair.enterprise_id]}、{village_name[pair.village_id]}党员群众"[:300],
                        Decimal(rng.choice((0, 5, 10, 20, 50))) / 10
                        if head in (ActivityHead.DONATION, ActivityHead.PROJECT)
                        else Decimal(0),
                        "活动按计划开展，群众反响良好。",
                        confirmed,
                        self.at(day + timedelta(days=3), 10) if confirmed else None,
                        pair.liaison_id,
                    )

        written = self.writer.insert(
            Activity,
            (
                "pair_id",
                "head",
                "date",
                "title",
                "participants",
                "amount",
                "description",
                "confirmed_by_village",
                "confirmed_at",
                "created_by_id",
            ),
            activity_rows(),
        )
        kinds = list(SupportKind.values)
        supports = [
            (
                pair.id,
                rng.choice(kinds),
                self.start + timedelta(days=rng.randrange(span)),
                Decimal(rng.choice((1, 2, 5, 10))),
                "为村里提供技术人员、资金或物资支持",
            )
            for pair in self.pairs
            if rng.random() < 0.3
        ]
        self.writer.insert(Support, ("pair_id", "kind", "date", "amount", "description"), supports)
        self.log(f"activities: {written:,}; support: {len(supports):,}")

    # -- surveys and organisation ---------------------------------------------

    def surveys(self) -> None:
        rng = self.rng
        county_of = {t.id: t.county_id for t in self.tree.townships}
        share = self.plan.survey_share
        kinds = ("discussion", "visit", "questionnaire")
        rows: list[tuple[Any, ...]] = []
        span = max(1, (self.as_of - self.start).days + 365)
        first = self.start - timedelta(days=365)
        for village in self.tree.villages:
            if rng.random() < share:
                rows.append(
                    (
                        rng.choice(kinds),
                        first + timedelta(days=rng.randrange(span)),
                        village.id,
                        None,
                        village.township_id,
                        county_of[village.township_id],
                        f"{_person(rng)}、{_person(rng)}",
                        rng.choice(names.VILLAGE_FINDINGS),
                        {"population": rng.randint(300, 4000)},
                    )
                )
        for township_id, bucket in self.enterprises.items():
            for eid, _name in bucket:
                if rng.random() < share:
                    rows.append(
                        (
                            rng.choice(kinds),
                            first + timedelta(days=rng.randrange(span)),
                            None,
                            eid,
                            township_id,
                            county_of[township_id],
                            f"{_person(rng)}、{_person(rng)}",
                            rng.choice(names.ENTERPRISE_FINDINGS),
                            {"employees": rng.randint(3, 900)},
                        )
                    )
        self.writer.insert(
            Survey,
            (
                "kind",
                "date",
                "village_id",
                "enterprise_id",
                "township_id",
                "county_id",
                "surveyors",
                "findings",
                "figures",
            ),
            rows,
        )

    def organisation(self) -> None:
        rng = self.rng
        counties = self.tree.counties
        group_ids = self.writer.reserve_ids(LeadingGroup, len(counties))
        meeting_ids = self.writer.reserve_ids(JointMeeting, 2 * len(counties))
        groups, members, meetings, decisions = [], [], [], []
        for n, (gid, county) in enumerate(zip(group_ids, counties, strict=True)):
            groups.append((gid, county.id, None, f"{county.name}村企共建工作领导小组", self.start - timedelta(days=30)))
            for post, role, department in _MEMBERS:
                members.append((gid, _person(rng), post, role, department))
            for k in range(2):
                mid = meeting_ids[2 * n + k]
                day = self.start + timedelta(days=90 + 240 * k)
                meetings.append((mid, gid, day, f"村企共建联席会议（第{k + 1}次）", "统战部、组织部、工商联"))
                due = day + timedelta(days=45)
                decisions.append((mid, "督促未按时报送进展的结对对象限期报送", "县委统战部", due, due < self.as_of))
        self.writer.insert(LeadingGroup, ("id", "county_id", "township_id", "name", "established"), groups)
        self.writer.insert(GroupMember, ("group_id", "name", "post", "role", "department"), members)
        self.writer.insert(JointMeeting, ("id", "group_id", "date", "title", "departments"), meetings)
        self.writer.insert(Decision, ("meeting_id", "text", "owner", "due_date", "done"), decisions)

    # -- the change log -------------------------------------------------------

    def change_log(self) -> None:
        """One summary change record per table written (see the module docstring)."""
        request_id = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        rows = []
        for model, count in sorted(self.writer.counts.items(), key=lambda item: item[0]._meta.label):
            if not count:
                continue
            meta = model._meta
            # A many-to-many table is recorded on the model that declares it.
            owner: type[models.Model] = meta.auto_created if isinstance(meta.auto_created, type) else model
            content_type = ContentType.objects.get_for_model(owner, for_concrete_model=False)
            rows.append(
                (
                    self.now,
                    "seed_province",
                    request_id,
                    ChangeSource.COMMAND,
                    ChangeAction.CREATE,
                    content_type.pk,
                    0,
                    f"bulk load: {count:,} rows of {meta.db_table}"[:200],
                    {
                        "bulk_load": True,
                        "table": meta.db_table,
                        "rows": count,
                        "province": self.tree.province.code,
                        "seed": self.seed,
                        "as_of": self.as_of.isoformat(),
                        "note": NOTE,
                    },
                )
            )
        self.writer.insert(
            ObjectChange,
            (
                "time",
                "user_name",
                "request_id",
                "source",
                "action",
                "changed_object_type_id",
                "changed_object_id",
                "object_repr",
                "postchange_data",
            ),
            rows,
        )


def seed_province(
    code: str,
    *,
    seed: int = 2027,
    as_of: date | None = None,
    plan: ProvincePlan | None = None,
    counties: Sequence[str] | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Generate the province workload (one transaction); returns rows written per table.

    ``counties`` (6-digit codes) limits the load to those counties of the province (the
    plan's sizes are then shared among them). Raises :class:`ProvinceSeedError` when the
    province is not loaded from the official division table or a chosen county already
    holds campaigns.
    """
    say = log or (lambda _message: None)
    with transaction.atomic():
        tree = _load_tree(code, counties)
        run = _Seed(tree, seed, as_of or timezone.localdate(), plan or ProvincePlan(), say)
        say(f"{len(tree.counties)} counties, {len(tree.townships):,} townships, {len(tree.villages):,} villages")
        run.people()
        run.enterprise_rows()
        run.campaigns()
        run.participants_and_pairs()
        run.liaisons()
        run.reports()
        run.activities()
        run.surveys()
        run.organisation()
        run.change_log()
        cells = tally.rebuild(Campaign.objects.filter(pk__in=run.campaign_of.values()))
        run.writer.counts[ReportingTally] += cells
    refresh_statistics([Province, County, Township, Village, Division, *run.writer.counts])
    return {model._meta.db_table: count for model, count in run.writer.counts.items()}
