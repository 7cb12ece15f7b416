"""A province at (small) scale: the bulk generator, the pre-aggregated reporting numbers,
and pages whose number of queries does not grow with the province.

The province is the test world's (33, with 桐庐县 330122) plus two more counties built
with the factories; ``seed_province`` fills them with campaigns, pairs, liaison officers,
reports, activities and surveys exactly as it fills Zhejiang for the benchmark
(``bench/province.py``), only smaller.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.accounts.models import RoleAssignment, User
from tongxin.core.identifiers import validate_uscc
from tongxin.core.ledgers import all_ledgers
from tongxin.core.models import ObjectChange
from tongxin.core.scope import VIEW, restrict
from tongxin.demo.province import ProvincePlan, ProvinceSeedError, seed_province
from tongxin.enterprises.models import Enterprise
from tongxin.pairing import services
from tongxin.pairing.choices import PAIR_STATUSES, PairStatus, ReportStatus, Stage
from tongxin.pairing.models import (
    Activity,
    Campaign,
    LiaisonAppointment,
    Pair,
    Report,
    ReportingTally,
)
from tongxin.pairing.models.pairs import holds_liaison_hat
from tongxin.pairing.services import tally
from tongxin.pairing.services.dashboard import reporting_matrix, reporting_over_periods
from tongxin.regions.models import County, Division, Village
from tongxin.surveys.models import Survey
from tongxin.testing import factories
from tongxin.testing.factories import World
from tongxin.testing.pairing import PairingWorld

AS_OF = date(2026, 11, 20)
SMALL = ProvincePlan(enterprises=24, pairs=20, months=4, pairs_per_liaison=5)
LARGER = ProvincePlan(enterprises=90, pairs=80, months=6, pairs_per_liaison=5)
MORE_COUNTIES = (("330127", "淳安县"), ("330182", "建德市"))


def _load_province(world: World) -> None:
    """The official table's row of the province, and a third township with more villages
    in the world's county (so that pairs spread over several villages)."""
    Division.objects.create(code="33", level="province", name="浙江省", loaded=date(2026, 1, 1))
    extra = factories.township(world.county, 103, "瑶琳镇")
    for number in range(211, 217):
        factories.village(extra, number)


def _add_counties() -> list[County]:
    """Two more counties of province 33, each with two townships of five villages."""
    made = []
    for code, name in MORE_COUNTIES:
        county = factories.county(code, name)
        for t in (101, 102):
            township = factories.township(county, t)
            for number in range(201, 206):
                factories.village(township, number)
        made.append(county)
    return made


def _seed(plan: ProvincePlan, counties: list[str], seed: int = 7) -> dict[str, int]:
    return seed_province("33", seed=seed, as_of=AS_OF, plan=plan, counties=counties)


def _staff(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --------------------------------------------------------------------------- the generator


@pytest.mark.django_db
def test_seed_refuses_a_province_that_is_not_loaded(world: World) -> None:
    """Without the official table's rows of the province the command stops and says how
    to load them; a county of another province is refused by name."""
    with pytest.raises(ProvinceSeedError, match="load_divisions --province 33"):
        seed_province("33", as_of=AS_OF, plan=SMALL)
    with pytest.raises(CommandError, match="make divisions"):
        call_command("seed_province", "--province", "33")
    Division.objects.create(code="33", level="province", name="浙江省", loaded=date(2026, 1, 1))
    with pytest.raises(ProvinceSeedError, match="320115"):
        seed_province("33", as_of=AS_OF, plan=SMALL, counties=["320115"])


@pytest.mark.django_db
def test_seed_writes_a_consistent_province(world: World) -> None:
    """The generated workload obeys the rules the services enforce: approved pairs of
    running campaigns in the same county, one report per pair and period with the
    period's due date, liaison officers holding a liaison hat of the county, valid and
    unique credit codes; the change log holds one summary record per table."""
    _load_province(world)
    _add_counties()
    counts = _seed(LARGER, ["330122", *(code for code, _name in MORE_COUNTIES)])
    campaigns = list(Campaign.objects.filter(county__province__code="33"))
    assert len(campaigns) == 3 and {c.stage for c in campaigns} == {Stage.RUNNING}
    generated = Enterprise.objects.exclude(pk__in=[world.enterprise.pk, world.enterprise_b.pk, world.enterprise2.pk])
    assert generated.count() == LARGER.enterprises
    usccs = list(generated.values_list("uscc", flat=True))
    assert len(set(usccs)) == len(usccs) and all(validate_uscc(code) == code for code in usccs)
    pairs = Pair.objects.filter(campaign__in=campaigns, status__in=PAIR_STATUSES)
    assert pairs.count() == LARGER.pairs
    for pair in pairs.select_related("campaign", "enterprise__township", "village__township"):
        assert pair.enterprise.township.county_id == pair.campaign.county_id == pair.village.township.county_id
        assert pair.township_id == pair.village.township_id
    reports = Report.objects.filter(pair__campaign__in=campaigns).select_related("pair__campaign")
    assert reports.count() > LARGER.pairs * 3  # most pairs report most months
    for report in reports:
        assert report.pair.status in PAIR_STATUSES
        assert report.period in services.periods(report.pair.campaign)
        assert report.due_date == services.period_bounds(report.pair.campaign, report.period)[2]
        assert (report.submitted_at is None) == (report.status == ReportStatus.DRAFT)
    statuses = Counter(reports.values_list("status", flat=True))
    assert statuses[ReportStatus.ACCEPTED] > statuses[ReportStatus.SUBMITTED] > 0
    for appointment in LiaisonAppointment.objects.filter(campaign__in=campaigns).select_related("campaign"):
        assert holds_liaison_hat(appointment.liaison_id, appointment.campaign.county_id)
        assert set(appointment.pairs.values_list("campaign_id", flat=True)) == {appointment.campaign_id}
    assert not Pair.objects.filter(campaign__in=campaigns, status=PairStatus.APPROVED, appointments=None).exists()
    assert Activity.objects.filter(pair__campaign__in=campaigns).exists()
    assert Survey.objects.filter(county__province__code="33").count() > 3
    summaries = ObjectChange.objects.filter(changed_object_id=0, postchange_data__bulk_load=True)
    assert summaries.count() == len(counts) - 2  # every table but the derived tally and the log itself
    assert {s.source for s in summaries} == {"command"}
    report_summary = summaries.get(postchange_data__table=Report._meta.db_table).postchange_data
    assert report_summary is not None and report_summary["rows"] == counts[Report._meta.db_table] == reports.count()
    per_row = ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(Report))
    assert list(per_row.values_list("changed_object_id", flat=True)) == [0]
    assert User.objects.filter(username="p33_staff", assignments__role=Role.PROVINCE_STAFF).exists()
    assert RoleAssignment.objects.filter(user__username="c330127_staff", county__code="330127").exists()


@pytest.mark.django_db
def test_seed_is_deterministic(world: World) -> None:
    """The same seed and day give the same province (compared by natural keys, since
    keys drawn from a PostgreSQL sequence differ between runs); another seed does not."""
    _load_province(world)

    def snapshot(seed: int) -> tuple[Any, ...]:
        with transaction.atomic():
            _seed(SMALL, ["330122"], seed)
            enterprises = sorted(Enterprise.objects.values_list("uscc", "name", "township__code", "employees"))
            pairs = sorted(Pair.objects.values_list("enterprise__uscc", "village__code", "status", "start_date"))
            reports = sorted(
                Report.objects.values_list("pair__enterprise__uscc", "pair__village__code", "period", "status")
            )
            submitted = sorted(Report.objects.exclude(submitted_at=None).values_list("submitted_at", flat=True))
            transaction.set_rollback(True)
        return enterprises, pairs, reports, submitted

    first = snapshot(7)
    assert first == snapshot(7)
    assert first != snapshot(8)


@pytest.mark.django_db
def test_seed_command_loads_chosen_counties(world: World) -> None:
    """The command loads the chosen county only, and refuses to fill it twice."""
    _load_province(world)
    _add_counties()
    call_command("seed_province", "--province", "33", "--county", "330127", "--enterprises", "10", "--pairs", "8",
                 "--months", "3", "--as-of", AS_OF.isoformat())  # fmt: skip
    assert list(Campaign.objects.values_list("county__code", flat=True)) == ["330127"]
    with pytest.raises(CommandError, match="already holds pairing campaigns"):
        call_command("seed_province", "--province", "33", "--county", "330127", "--as-of", AS_OF.isoformat())


# --------------------------------------------------------------------------- the reporting numbers


def _live(campaign: Campaign) -> dict[tuple[int, int, date], list[int]]:
    cells = tally.count_cells(Pair.objects.all(), [campaign])
    return {key: value for key, value in cells.items() if any(value)}


def _kept(campaign: Campaign) -> dict[tuple[int, int, date], list[int]]:
    rows = ReportingTally.objects.filter(campaign=campaign).values_list(
        "campaign_id", "township_id", "period", "expected", "submitted", "on_time"
    )
    return {(c, t, p): [e, s, o] for c, t, p, e, s, o in rows if e or s or o}


@pytest.mark.django_db
def test_tally_follows_every_change(pworld: PairingWorld) -> None:
    """Submitting, returning, accepting and deleting reports, closing a pair, changing
    its dates and the campaign's due days all leave the kept numbers equal to a recount."""
    w = pworld.world
    campaign, pair, pair_b = pworld.campaign, pworld.pair, pworld.pair_b
    liaison, town = w.users[Role.LIAISON], w.users[Role.TOWNSHIP_STAFF]
    staff = w.users[Role.COUNTY_STAFF]
    Pair.objects.filter(pk__in=[pair.pk, pair_b.pk]).update(start_date=date(2026, 1, 1))
    tally.rebuild()
    assert _kept(campaign) == _live(campaign)
    steps: list[Callable[[], Any]] = [
        lambda: services.report_submit(pair=pair, user=liaison, period=date(2026, 1, 1)),
        lambda: services.report_submit(pair=pair, user=liaison, period=date(2026, 2, 1), data={"jobs": 2}),
        lambda: services.report_accept(report=Report.objects.get(pair=pair, period=date(2026, 1, 1)), user=town),
        lambda: services.report_return(
            report=Report.objects.get(pair=pair, period=date(2026, 2, 1)), user=town, reason="补充数据"
        ),
        lambda: services.report_submit(pair=pair_b, user=staff, period=date(2026, 3, 1)),
        lambda: Report.objects.get(pair=pair_b, period=date(2026, 1, 1)).delete(),
        lambda: _set(Pair.objects.get(pk=pair_b.pk), start_date=date(2026, 3, 15)),
        lambda: _set(Pair.objects.get(pk=pair.pk), status=PairStatus.CLOSED, end_date=date(2026, 2, 20)),
        lambda: _set(Campaign.objects.get(pk=campaign.pk), report_due_days=40),
    ]
    for number, step in enumerate(steps):
        step()
        assert _kept(campaign) == _live(campaign), f"after step {number}"
    assert any(_kept(campaign).values())


def _set(instance: Any, **values: Any) -> None:
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()


@pytest.mark.django_db
def test_reporting_matrix_matches_the_reporting_summary(world: World) -> None:
    """For every kind of person, each cell of the matrix (read from the kept numbers or
    counted from their pairs) equals the total row of ``reporting_summary`` over the
    pairs they see, and the campaign dashboard's rates too."""
    _load_province(world)
    _add_counties()
    _seed(LARGER, ["330122", *(code for code, _name in MORE_COUNTIES)])
    today = AS_OF + timedelta(days=3)
    liaison = LiaisonAppointment.objects.filter(campaign__county__code="330122").first()
    assert liaison is not None
    people = [
        User.objects.get(username="p33_staff"),
        User.objects.get(username="c330127_staff"),
        User.objects.filter(assignments__role=Role.TOWNSHIP_STAFF, assignments__county__code="330182").first(),
        liaison.liaison,
    ]
    for person in people:
        pairs = restrict(Pair.objects.all(), person, VIEW)
        matrix = reporting_matrix(person, today)
        assert matrix, person
        for row in matrix:
            rates = reporting_over_periods(row.campaign, pairs, today)
            # The dashboard passes the person: read from the tally where it may, the same numbers.
            assert reporting_over_periods(row.campaign, pairs, today, person) == rates, person
            for cell, rate in zip(row.cells, rates, strict=True):
                total = services.reporting_summary(campaign=row.campaign, period=cell.period, pairs=pairs)[-1]
                assert (cell.expected, cell.submitted, cell.on_time) == (
                    total.expected,
                    total.submitted,
                    total.on_time,
                ), (person, row.campaign, cell.period)
                assert (rate["expected"], rate["submitted"], rate["on_time"]) == (
                    cell.expected,
                    cell.submitted,
                    cell.on_time,
                )
    assert len(reporting_matrix(people[0], today)) == 3
    assert sum(cell.submitted for row in reporting_matrix(people[0], today) for cell in row.cells) > 0


# --------------------------------------------------------------------------- queries per page

# Ceilings: today's counts for a province staff member. They must not move with the size.
LIST_QUERIES = {
    "township": 6,
    "village": 11,
    "enterprise": 9,
    "survey": 7,
    "campaign": 6,
    "pair": 8,
    "liaisonappointment": 8,
    "activity": 6,
    "support": 6,
    "report": 7,
    "leadinggroup": 7,
    "groupmember": 7,
    "jointmeeting": 7,
    "decision": 6,
    # The cadre files: a province's staff see none of them (the pages answer, empty).
    "person": 5,
    "accesslog": 5,
    "body": 4,
    "post": 4,
    "staffingrule": 4,
    "course": 4,
    "enrolment": 4,
    "cadres.recommendation": 4,
    "leadingcadre": 4,
    "friendpair": 4,
    "friendcontact": 4,
    # Selections: a province's staff read their counties' selections.
    "selection": 5,
    "category": 6,
    "criterion": 6,
    "juror": 6,
    "deputy": 5,
    "nomination": 6,
    "selection.recommendation": 6,
    "objection": 6,
    # The chambers of commerce (cases: not read by supervisors, the page answers, empty).
    "chamber": 7,
    "officer": 7,
    "membershiplevel": 7,
    "membership": 7,
    "application": 7,
    "dues": 7,
    "rightscase": 7,
    "memberactivity": 7,
    "boardpost": 7,
    # The platforms (province staff read them; the participations and profiles name
    # people and are the cadre officers'; the pages answer, empty or not).
    "researchtopic": 6,
    "researchreport": 6,
    "proposal": 7,
    "instruction": 6,
    "milestone": 6,
    "participation": 6,
    "organisation": 6,
    "charityactivity": 6,
    "charityevent": 6,
    "association": 6,
    "contact": 6,
    "promotionevent": 6,
    "investmentlead": 6,
    "talent": 6,
    "intellectual": 5,
    "countrysideactivity": 6,
    "servicerequest": 5,
    "innovationproject": 5,
}
# The dashboard's map (pairs by township) and the late list's township filter: one query each.
# The home page counts every ledger the person may view: one capped count per ledger.
PAGE_QUERIES = {"home": 60, "dashboard": 17, "late": 8, "matrix": 2}


def _counts(client: Client, person: User) -> dict[str, int]:
    """Queries of every list page, the home page, the pairing dashboard and late reports of
    the world's county, and the reporting matrix, each measured after a warm-up request."""
    campaign = Campaign.objects.get(county__code="330122")
    # Keyed by the model's name, or by app and model where two apps share a name.
    names = Counter(ledger.name for ledger in all_ledgers())
    urls = {
        ledger.name if names[ledger.name] == 1 else ledger.key: reverse(ledger.url_name("list"))
        for ledger in all_ledgers()
    }
    urls |= {
        "home": reverse("core:home"),
        "dashboard": reverse("pairing:campaign_dashboard", args=[campaign.pk]),
        "late": reverse("pairing:campaign_late", args=[campaign.pk]),
    }
    counts = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[name] = len(queries)
    reporting_matrix(person, timezone.localdate())  # the person's hats are read once, then kept
    with CaptureQueriesContext(connection) as queries:
        reporting_matrix(person, timezone.localdate())
    counts["matrix"] = len(queries)
    return counts


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_province(world: World) -> None:
    """For a province staff member every list page, the home page with its county
    roll-up, the pairing dashboard and the reporting matrix cost the same number of
    queries with one county seeded as with three counties holding about four times the
    rows (and more periods) — and no more than the pinned ceilings."""
    _load_province(world)
    person = world.users[Role.PROVINCE_STAFF]
    client = _staff(person)
    _seed(SMALL, ["330122"])
    small = Report.objects.count()
    one = _counts(client, person)
    _add_counties()
    _seed(LARGER, [code for code, _name in MORE_COUNTIES], seed=8)
    assert Report.objects.count() > 4 * small
    three = _counts(client, person)
    assert one == three
    ceilings = LIST_QUERIES | PAGE_QUERIES
    over = {name: (count, ceilings.get(name)) for name, count in three.items() if count > ceilings.get(name, 0)}
    assert not over, three


@pytest.mark.django_db
def test_county_rollup_reports_reporting_rates(world: World) -> None:
    """The province's home page lists each county with its completeness and timeliness
    of the last period already due, from the same numbers as the matrix."""
    _load_province(world)
    _add_counties()
    _seed(LARGER, ["330122", *(code for code, _name in MORE_COUNTIES)])
    person = world.users[Role.PROVINCE_STAFF]
    page = _staff(person).get(reverse("core:home"))
    rollup = {row["code"]: row for row in page.context["rollup"]}
    assert set(rollup) >= {"330122", "330127", "330182"}
    today = timezone.localdate()
    for row in reporting_matrix(person, today):
        due = [cell for cell in row.cells if services.period_bounds(row.campaign, cell.period)[2] < today]
        if due:
            assert rollup[row.campaign.county.code]["completeness"] == due[-1].completeness
            assert rollup[row.campaign.county.code]["timeliness"] == due[-1].timeliness
    assert Decimal(0) <= Decimal(str(rollup["330127"]["completeness"])) <= Decimal(100)


@pytest.mark.django_db
def test_migration_counts_what_the_tally_counts(pworld: PairingWorld) -> None:
    """The migration that creates the kept numbers fills them for the reports already
    filed, with the same numbers as a recount."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("tongxin.pairing.migrations.0005_province_indexes")
    liaison = pworld.world.users[Role.LIAISON]
    Pair.objects.filter(pk=pworld.pair.pk).update(start_date=date(2026, 1, 1))
    services.report_submit(pair=pworld.pair, user=liaison, period=date(2026, 1, 1))
    ReportingTally.objects.all().delete()
    migration.count_existing(apps, None)
    assert _kept(pworld.campaign) == _live(pworld.campaign)
    assert any(cells[1] for cells in _kept(pworld.campaign).values())


@pytest.mark.django_db
def test_supervisor_overview_is_counted_once_per_scope_and_says_when(world: World) -> None:
    """With ``OVERVIEW_CACHE_SECONDS`` set, a supervisor's home page counts once and then
    reads the counts kept (fewer queries, the page says when they were counted); a person
    whose hats see other rows never gets them, and county staff always count live."""
    from django.core.cache import cache
    from django.test import override_settings

    from tongxin.settings.test import TONGXIN

    _load_province(world)
    _add_counties()
    _seed(SMALL, ["330122", *(code for code, _name in MORE_COUNTIES)])
    province = world.users[Role.PROVINCE_STAFF]
    county = world.users[Role.COUNTY_STAFF]
    cache.clear()
    with override_settings(TONGXIN={**TONGXIN, "OVERVIEW_CACHE_SECONDS": 60}):
        client = _staff(province)
        with CaptureQueriesContext(connection) as first:
            page = client.get(reverse("core:home"))
        rows = {row["code"]: row["villages"] for row in page.context["rollup"]}
        assert set(rows) >= {"330122", "330127", "330182"}
        assert 'data-testid="overview-as-of"' in page.content.decode()
        factories.village(world.township, 555)  # counted again only when the kept counts expire
        with CaptureQueriesContext(connection) as second:
            again = client.get(reverse("core:home"))
        assert len(second) < len(first) - 5, (len(first), len(second))
        assert {row["code"]: row["villages"] for row in again.context["rollup"]} == rows
        # County staff see one county, counted live, and never the province's kept counts.
        mine = _staff(county).get(reverse("core:home"))
        assert mine.context["rollup"] is None and mine.context["as_of"] is None
        cards = {card["ledger"].name: card["count"] for card in mine.context["cards"]}
        assert cards["village"] == restrict(Village.objects.all(), county, VIEW).count()
        # Another province's staff: their own counties, never the kept counts of province 33.
        other = factories.user("p_other", Role.PROVINCE_STAFF, province=world.county2.province)
        theirs = _staff(other).get(reverse("core:home"))
        assert {row["code"] for row in theirs.context["rollup"]} <= {world.county2.code}
        cache.clear()
        fresh = client.get(reverse("core:home"))
        assert {row["code"]: row["villages"] for row in fresh.context["rollup"]}["330122"] == rows["330122"] + 1
    cache.clear()
