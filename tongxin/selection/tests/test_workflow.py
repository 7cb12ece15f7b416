"""A selection from nomination to published results, through the services and pages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.core.exceptions import WorkflowError
from tongxin.selection.choices import CriterionKind, NominationStatus, Outcome, Stage
from tongxin.selection.models import Anomaly, Nomination, Selection, Vote, Voter
from tongxin.selection.services import workflow
from tongxin.selection.services.watch import votes_watch
from tongxin.testing import selection as sel
from tongxin.testing.factories import World, user


def _advance(selection: Selection, admin: Any, *stages: str) -> Selection:
    for stage in stages:
        selection = workflow.selection_advance(user=admin, selection=selection, to=stage)
    return selection


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def setup(world: World) -> dict[str, Any]:
    admin = world.users[Role.COUNTY_ADMIN]
    selection = sel.selection(world.county, places=2)
    a = sel.nomination(selection, world.township, name="甲", enterprise=world.enterprise)
    b = sel.nomination(selection, world.township, name="乙", industry="F")
    c = sel.nomination(selection, world.township_b, name="丙", industry="I")
    return {"admin": admin, "selection": selection, "a": a, "b": b, "c": c}


@pytest.mark.django_db
def test_stages_move_one_at_a_time_with_their_conditions(world: World, setup: dict[str, Any]) -> None:
    admin, selection = setup["admin"], setup["selection"]
    with pytest.raises(WorkflowError) as skip:
        workflow.selection_advance(user=admin, selection=selection, to=Stage.QUALIFICATION)
    assert skip.value.code == "stage"
    selection = _advance(selection, admin, Stage.NOMINATION, Stage.RECOMMENDATION, Stage.QUALIFICATION)
    with pytest.raises(WorkflowError) as unreviewed:
        workflow.selection_advance(user=admin, selection=selection, to=Stage.PUBLICITY)
    assert unreviewed.value.code == "unreviewed"
    # Township staff may see the selection, but not move it (403 on the page: visible).
    town = _client(world.users[Role.TOWNSHIP_STAFF])
    response = town.post(reverse("selection:selection_advance", args=[selection.pk]), {"to": "publicity"})
    assert Selection.objects.get(pk=selection.pk).stage == Stage.QUALIFICATION
    assert response.status_code in (302, 403, 404)


@pytest.mark.django_db
def test_qualification_checks_each_criterion_and_the_nominee_reads_the_reason(
    world: World, setup: dict[str, Any]
) -> None:
    admin, selection, a, b = setup["admin"], setup["selection"], setup["a"], setup["b"]
    selection = _advance(selection, admin, Stage.NOMINATION, Stage.RECOMMENDATION, Stage.QUALIFICATION)
    criterion = selection.criteria.get(kind=CriterionKind.ELIGIBILITY)
    with pytest.raises(WorkflowError) as unchecked:
        workflow.nomination_qualify(user=admin, nomination=b)
    assert unchecked.value.code == "unchecked"
    with pytest.raises(WorkflowError) as no_evidence:
        workflow.nomination_check(user=admin, nomination=b, criterion=criterion, met=True, evidence=" ")
    assert no_evidence.value.code == "evidence"
    workflow.nomination_check(user=admin, nomination=b, criterion=criterion, met=True, evidence="税务证明（2026）")
    assert workflow.nomination_qualify(user=admin, nomination=b).status == NominationStatus.QUALIFIED
    with pytest.raises(WorkflowError):
        workflow.nomination_reject(user=admin, nomination=a, reason="")
    workflow.nomination_reject(user=admin, nomination=a, reason="近三年有欠税记录")
    # The nominee's enterprise contact reads the reason on the nomination's page.
    page = _client(world.users[Role.ENTERPRISE_CONTACT]).get(a.get_absolute_url())
    assert page.status_code == 200
    assert "近三年有欠税记录" in page.content.decode()
    # Township staff may not qualify (403: they see the nomination).
    town = _client(world.users[Role.TOWNSHIP_STAFF])
    response = town.post(reverse("selection:nomination_review", args=[b.pk, "reject"]), {"reason": "x"})
    assert response.status_code in (302, 403)
    assert Nomination.objects.get(pk=b.pk).status == NominationStatus.QUALIFIED


def _qualify_all(selection: Selection, admin: Any) -> None:
    criterion = selection.criteria.get(kind=CriterionKind.ELIGIBILITY)
    for n in selection.nominations.all():
        workflow.nomination_check(user=admin, nomination=n, criterion=criterion, met=True, evidence="核实")
        workflow.nomination_qualify(user=admin, nomination=n)


@pytest.mark.django_db
def test_from_nomination_to_published_results(world: World, setup: dict[str, Any]) -> None:
    """Short list with ballot numbers, an objection answered, jury marks with a recusal,
    votes, the tally stored with its parts, the results page public once published."""
    admin, selection, a, b, c = setup["admin"], setup["selection"], setup["a"], setup["b"], setup["c"]
    selection = _advance(selection, admin, Stage.NOMINATION, Stage.RECOMMENDATION, Stage.QUALIFICATION)
    _qualify_all(selection, admin)
    selection = _advance(selection, admin, Stage.PUBLICITY)
    assert list(selection.nominations.order_by("ballot").values_list("name", "ballot")) == [
        ("丙", 1),
        ("乙", 2),
        ("甲", 3),
    ]
    objection = sel.objection(c)
    with pytest.raises(WorkflowError) as unanswered:
        workflow.selection_advance(user=admin, selection=selection, to=Stage.VOTING)
    assert unanswered.value.code == "objections"
    workflow.objection_answer(user=admin, objection=objection, answer="经核实，反映不实。", upheld=False)
    with pytest.raises(WorkflowError) as jury:
        workflow.selection_advance(user=admin, selection=selection, to=Stage.VOTING)
    assert jury.value.code == "jury"
    reviewer = world.users[Role.REVIEWER]
    juror2 = user("rev-b", Role.REVIEWER, county=world.county)
    sel.juror(selection, reviewer)
    sel.juror(selection, juror2)
    selection = _advance(selection, admin, Stage.VOTING)
    deeds, impact = selection.criteria.filter(kind=CriterionKind.SCORING).order_by("pk")
    # The reviewer's page and marks; a recusal from 甲.
    page = _client(reviewer).get(reverse("selection:nomination_score", args=[b.pk]))
    assert page.status_code == 200
    response = _client(reviewer).post(
        reverse("selection:nomination_score", args=[b.pk]), {f"c{deeds.pk}": "9", f"c{impact.pk}": "8"}
    )
    assert response.status_code == 302
    workflow.marks_record(user=reviewer, nomination=c, points={deeds.pk: Decimal(6), impact.pk: Decimal(6)})
    workflow.conflict_declare(user=reviewer, nomination=a, reason="系本人亲属")
    with pytest.raises(WorkflowError) as recused:
        workflow.marks_record(user=reviewer, nomination=a, points={deeds.pk: Decimal(9), impact.pk: Decimal(9)})
    assert recused.value.code == "recused"
    with pytest.raises(WorkflowError) as too_many:
        workflow.marks_record(user=juror2, nomination=a, points={deeds.pk: Decimal(11), impact.pk: Decimal(9)})
    assert too_many.value.code == "points"
    for n, points in ((a, 9), (b, 5), (c, 7)):
        workflow.marks_record(user=juror2, nomination=n, points={deeds.pk: Decimal(points), impact.pk: Decimal(points)})
    # Public votes: 甲 30, 乙 10, 丙 20.
    for n, count in ((a, 30), (b, 10), (c, 20)):
        for index in range(count):
            voter = Voter.objects.create(selection=selection, phone_hash=f"{n.pk}-{index}")
            Vote.objects.create(selection=selection, voter=voter, nomination=n, address_hash="x")
    # Results are not public before the result publicity.
    assert Client().get(reverse("selection:public_results", args=[selection.pk])).status_code == 404
    selection = _advance(selection, admin, Stage.RESULT_PUBLICITY)
    rows = {n.name: n for n in selection.nominations.all()}
    assert rows["甲"].jurors_scored == 1 and rows["甲"].jurors_recused == 1
    assert rows["甲"].votes == 30 and rows["甲"].public_score == Decimal("100.00")
    assert sorted(n.rank for n in rows.values()) == [1, 2, 3]
    assert sum(n.outcome == Outcome.WON for n in rows.values()) == 2
    expected = workflow.compute(selection)
    for result in expected.results:
        stored = Nomination.objects.get(pk=result.candidate)
        assert stored.final_score == Decimal(str(round(result.final, 2)))
    selection = _advance(selection, admin, Stage.PUBLISHED)
    page = Client().get(reverse("selection:public_results", args=[selection.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "甲" in text and 'data-testid="result-won"' in text
    # The API: aggregate votes only.
    api = APIClient()
    api.force_authenticate(admin)
    votes = api.get(reverse("selection-votes", args=[selection.pk])).json()
    assert {row["nomination"]: row["votes"] for row in votes} == {a.pk: 30, b.pk: 10, c.pk: 20}
    assert "phone" not in str(votes)
    # A juror reads only their own marks through the API.
    mine = APIClient()
    mine.force_authenticate(reviewer)
    marks = mine.get(reverse("mark-list")).json()["results"]
    assert marks and {m["juror"] for m in marks} == {selection.jurors.get(user=reviewer).pk}


@pytest.mark.django_db
def test_dashboard_and_its_excel(world: World, setup: dict[str, Any]) -> None:
    admin = _client(world.users[Role.COUNTY_ADMIN])
    selection = setup["selection"]
    page = admin.get(reverse("selection:selection_dashboard", args=[selection.pk]))
    assert page.status_code == 200
    assert 'data-testid="chart-channel"' in page.content.decode()
    sheet = admin.get(reverse("selection:selection_dashboard_export", args=[selection.pk]))
    assert sheet.status_code == 200
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    # The jury sees the selection but not the committee's dashboard.
    sel.juror(selection, world.users[Role.REVIEWER])
    reviewer = _client(world.users[Role.REVIEWER])
    assert reviewer.get(selection.get_absolute_url()).status_code == 200
    assert reviewer.get(reverse("selection:selection_dashboard", args=[selection.pk])).status_code == 404


@pytest.mark.django_db
def test_velocity_watch_flags_a_burst(world: World) -> None:
    vw = sel.voting_selection(world.county, world.township, places=3, candidates=2)
    now = timezone.now()
    burst = vw.candidates[0]
    for index in range(40):
        voter = Voter.objects.create(selection=vw.selection, phone_hash=f"b{index}")
        Vote.objects.create(selection=vw.selection, voter=voter, nomination=burst, address_hash=f"a{index % 2}")
    # A steady candidate: 4 votes, well under the burst minimum.
    for index in range(4):
        voter = Voter.objects.create(selection=vw.selection, phone_hash=f"s{index}")
        Vote.objects.create(selection=vw.selection, voter=voter, nomination=vw.candidates[1], address_hash="z")
    flagged = votes_watch(selection=vw.selection, now=now + timedelta(seconds=1))
    assert [a.nomination_id for a in flagged] == [burst.pk]
    assert flagged[0].votes == 40 and flagged[0].addresses == 2
    assert votes_watch(selection=vw.selection, now=now + timedelta(seconds=2)) == []  # once per window
    assert Anomaly.objects.count() == 1
