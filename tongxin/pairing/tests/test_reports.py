"""Progress reports: one per pair and period, review, and DHIS2 completeness/timeliness."""

from __future__ import annotations

import threading
from datetime import date, datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.pairing import services
from tongxin.pairing.choices import ReportStatus
from tongxin.pairing.models import Pair, Report
from tongxin.pairing.services import PairingError
from tongxin.testing.factories import build_world
from tongxin.testing.pairing import PairingWorld, build_pairing_world


def _at(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 15, 0))


@pytest.mark.django_db
def test_submit_accept_return_cycle(pworld: PairingWorld) -> None:
    """A liaison saves a draft and submits; staff return it with a reason, it is corrected
    and submitted again, then accepted and locked."""
    world = pworld.world
    liaison = world.users[Role.LIAISON]
    staff = world.users[Role.TOWNSHIP_STAFF]
    period = date(2026, 2, 1)
    draft = services.report_save(pair=pworld.pair, user=liaison, period=period, data={"jobs": 3})
    assert draft.status == ReportStatus.DRAFT and draft.due_date == date(2026, 3, 10)
    submitted = services.report_submit(pair=pworld.pair, user=liaison, period=period, data={"narrative": "二月"})
    assert submitted.pk == draft.pk and submitted.status == ReportStatus.SUBMITTED and submitted.jobs == 3
    with pytest.raises(PairingError):
        services.report_submit(pair=pworld.pair, user=liaison, period=period)
    with pytest.raises(PermissionDenied):
        services.report_accept(report=submitted, user=liaison)  # liaisons see it but do not review
    with pytest.raises(PairingError):
        services.report_return(report=submitted, user=staff, reason="")
    returned = services.report_return(report=submitted, user=staff, reason="就业数据缺少名单")
    assert returned.status == ReportStatus.RETURNED
    services.report_submit(pair=pworld.pair, user=liaison, period=period, data={"jobs": 4})
    accepted = services.report_accept(report=returned, user=staff)
    assert accepted.status == ReportStatus.ACCEPTED
    with pytest.raises(PairingError):
        services.report_save(pair=pworld.pair, user=liaison, period=period, data={"jobs": 9})
    with pytest.raises(PairingError):  # not a period of the campaign
        services.report_save(pair=pworld.pair, user=liaison, period=date(2025, 1, 1), data={})
    with pytest.raises(Http404):  # another township's pair is out of scope for this liaison
        services.report_save(pair=pworld.pair_b, user=liaison, period=period, data={})


@pytest.mark.django_db
def test_completeness_and_timeliness_hand_computed(pworld: PairingWorld) -> None:
    """January 2026, due 10 February: pair A on time, pair B late, a third pair starting in
    February is not expected. Expected 2, submitted 2, on time 1 → 100 % and 50 %; by
    township A 100/100, B 100/0. February: only A submits → 2 expected, 50 % / 50 %."""
    campaign = pworld.campaign
    a, b = pworld.pair, pworld.pair_b
    Report.objects.filter(pair__in=[a, b]).delete()
    late_starter = Pair.objects.get(pk=b.pk)
    late_starter.pk = None
    late_starter.id = None
    late_starter._state.adding = True
    late_starter.enterprise = pworld.world.enterprise
    late_starter.village = pworld.world.village_b
    late_starter.start_date = date(2026, 2, 1)
    late_starter.save()
    for pair, day in ((a, _at(2026, 2, 5)), (b, _at(2026, 2, 15))):
        Report(
            pair=pair, period=date(2026, 1, 1), due_date=date(2026, 2, 10), status="submitted", submitted_at=day
        ).save()
    Report(
        pair=a, period=date(2026, 2, 1), due_date=date(2026, 3, 10), status="accepted", submitted_at=_at(2026, 3, 1)
    ).save()
    pairs = Pair.objects.all()
    january = services.reporting_summary(campaign=campaign, period=date(2026, 1, 1), pairs=pairs)
    total = january[-1]
    assert (total.expected, total.submitted, total.on_time) == (2, 2, 1)
    assert (total.completeness, total.timeliness) == (100.0, 50.0)
    by_name = {row.label: row for row in january[:-1]}
    assert (by_name["分水镇"].completeness, by_name["分水镇"].timeliness) == (100.0, 100.0)
    assert (by_name["横村镇"].completeness, by_name["横村镇"].timeliness) == (100.0, 0.0)
    february = services.reporting_summary(campaign=campaign, period=date(2026, 2, 1), pairs=pairs)[-1]
    assert (february.expected, february.submitted, february.on_time) == (3, 1, 1)
    assert (february.completeness, february.timeliness) == (33.3, 33.3)
    # A township sees its own row only.
    township = services.reporting_summary(
        campaign=campaign,
        period=date(2026, 1, 1),
        pairs=Pair.objects.filter(township=pworld.world.township),
    )
    assert [row.label for row in township[:-1]] == ["分水镇"]
    late = services.late_and_missing(campaign=campaign, pairs=pairs, today=date(2026, 3, 20))
    states = {(row["pair"].pk, row["period"], row["state"]) for row in late}
    assert (b.pk, date(2026, 1, 1), "late") in states
    assert (b.pk, date(2026, 2, 1), "missing") in states
    assert (late_starter.pk, date(2026, 2, 1), "missing") in states
    assert not any(pk == a.pk for pk, _p, _s in states)


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_make_one_report() -> None:
    """Four requests submitting the same pair's report at once leave exactly one row; one
    succeeds and the others are told it is already submitted."""
    from tongxin.core.models import Capability
    from tongxin.core.vocabulary import sync_vocabulary

    sync_vocabulary(Capability)
    pworld = build_pairing_world(build_world())
    liaison = pworld.world.users[Role.LIAISON]
    period = date(2026, 3, 1)
    barrier = threading.Barrier(4)
    outcomes: list[Any] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            services.report_submit(pair=pworld.pair, user=liaison, period=period, data={"jobs": 1})
            outcomes.append("ok")
        except PairingError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Report.objects.filter(pair=pworld.pair, period=period).count() == 1
    assert sorted(outcomes) == ["ok", "submitted", "submitted", "submitted"], outcomes
