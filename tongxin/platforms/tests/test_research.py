"""Research and proposals: answer states, overdue answers in the county's inbox,
implementation progress, people named only to readers of their files (reads logged),
the performance record, the API, the dashboard and the import."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.cadres.models import AccessLog
from tongxin.core.exceptions import WorkflowError
from tongxin.core.imports import Importer
from tongxin.inbox.services.items import inbox
from tongxin.platforms.choices import AnswerState
from tongxin.platforms.forms import ProposalImportForm
from tongxin.platforms.models import Proposal
from tongxin.platforms.services.research import members_of, overdue_q, performance, progress_of, proposal_answer
from tongxin.platforms.tests.conftest import api_for, client_for, sheet
from tongxin.testing import cadres, platforms
from tongxin.testing.factories import World, user
from tongxin.testing.sheets import exported_sheet, table_rows


@pytest.fixture
def staff(world: World) -> Any:
    return world.users[Role.COUNTY_STAFF]


@pytest.mark.django_db
@pytest.mark.parametrize("state", AnswerState.values)
def test_every_answer_state_is_recorded_once(world: World, staff: Any, state: str) -> None:
    """Each answer state is recorded with its date; a second answer is refused."""
    proposal = platforms.proposal(world.county, world.township)
    answered = proposal_answer(user=staff, proposal=proposal, state=state, on=date(2026, 2, 1), text="答复")
    assert (answered.answer_state, answered.answered_on) == (state, date(2026, 2, 1))
    with pytest.raises(WorkflowError):
        proposal_answer(user=staff, proposal=proposal, state=AnswerState.ADOPTED, on=date(2026, 2, 2))


@pytest.mark.django_db
def test_answer_rules_and_rights(world: World, staff: Any) -> None:
    """An answer before the submission or of an unknown state is refused; township staff
    see their township's proposal but may not answer it (403); another county's staff do
    not see it (404)."""
    proposal = platforms.proposal(world.county, world.township)
    with pytest.raises(WorkflowError):
        proposal_answer(user=staff, proposal=proposal, state=AnswerState.ADOPTED, on=date(2025, 12, 31))
    with pytest.raises(WorkflowError):
        proposal_answer(user=staff, proposal=proposal, state="maybe", on=date(2026, 2, 1))
    with pytest.raises(PermissionDenied):
        proposal_answer(
            user=world.users[Role.TOWNSHIP_STAFF], proposal=proposal, state=AnswerState.ADOPTED, on=date(2026, 2, 1)
        )
    outsider = user("staff9", Role.COUNTY_STAFF, county=world.county2)
    with pytest.raises(Http404):
        proposal_answer(user=outsider, proposal=proposal, state=AnswerState.ADOPTED, on=date(2026, 2, 1))
    proposal.refresh_from_db()
    assert not proposal.answered


@pytest.mark.django_db
def test_overdue_answers_wait_in_the_county_inbox(world: World, staff: Any) -> None:
    """A proposal past its due date without an answer is overdue and counted in the county
    staff's inbox (linking to the filtered list); answered or not yet due ones are not;
    township staff, who do not answer, have no such item."""
    today = timezone.localdate()
    late = platforms.proposal(
        world.county, world.township, submitted_on=today - timedelta(days=60), due_on=today - timedelta(days=5)
    )
    platforms.proposal(world.county, submitted_on=today - timedelta(days=5), due_on=today + timedelta(days=20))
    done = platforms.proposal(world.county, submitted_on=today - timedelta(days=60), due_on=today - timedelta(days=9))
    proposal_answer(user=staff, proposal=done, state=AnswerState.EXPLAINED, on=today)
    assert list(Proposal.objects.filter(overdue_q(today))) == [late]
    items = [item for section in inbox(staff, today) for item in section.items if item.key == "answers"]
    assert [(item.count, item.oldest) for item in items] == [(1, late.due_on)]
    assert items[0].url == reverse("platforms:proposal_list") + "?overdue=true"
    listing = client_for(staff).get(items[0].url)
    assert [row.pk for row in listing.context["filter"].qs] == [late.pk]
    township = [s for s in inbox(world.users[Role.TOWNSHIP_STAFF], today) for i in s.items if i.key == "answers"]
    assert township == []


@pytest.mark.django_db
def test_milestones_only_for_adopted_proposals_and_progress(world: World, staff: Any) -> None:
    """Milestones belong to adopted or partly adopted proposals; the progress is the
    highest percentage of the milestones done."""
    explained = platforms.answered(world.county, state=AnswerState.EXPLAINED)
    with pytest.raises(ValidationError):
        platforms.milestone(explained)
    adopted = platforms.answered(world.county, state=AnswerState.PARTLY_ADOPTED)
    platforms.milestone(adopted, progress=40, done_on=date(2026, 3, 1))
    platforms.milestone(adopted, progress=100)
    assert progress_of(adopted) == 40
    assert progress_of(explained) is None
    with pytest.raises(ValidationError):
        platforms.milestone(adopted, done_on=date(2026, 1, 1))  # before the answer


@pytest.mark.django_db
def test_names_only_for_readers_of_the_files_and_reads_logged(world: World, staff: Any) -> None:
    """County staff see the topic's group by role, without names; the cadre officer sees
    the names; opening a participation logs a read of the person's file; the performance
    record is the cadre officer's only."""
    officer = world.users[Role.CADRE_OFFICER]
    person = cadres.person(world.county, "欧阳明")
    records = platforms.records_of(world.county, world.township, person)
    topic = records["topic"]
    assert [m.name for m in members_of(staff, topic.participations.all())] == [None]
    assert [m.name for m in members_of(officer, topic.participations.all())] == ["欧阳明"]
    page = client_for(staff).get(topic.get_absolute_url())
    assert page.status_code == 200 and "欧阳明" not in page.content.decode()
    assert "欧阳明" in client_for(officer).get(topic.get_absolute_url()).content.decode()
    assert client_for(staff).get(records["member"].get_absolute_url()).status_code == 404
    before = AccessLog.objects.filter(person=person).count()
    assert client_for(officer).get(records["member"].get_absolute_url()).status_code == 200
    assert AccessLog.objects.filter(person=person, user=officer).count() == before + 1
    assert client_for(staff).get(reverse("platforms:performance")).status_code == 404
    mine = client_for(officer).get(reverse("platforms:performance"))
    assert mine.status_code == 200 and "欧阳明" in mine.content.decode()
    assert client_for(officer).get(reverse("platforms:performance"), {"year": "x"}).status_code == 400


@pytest.mark.django_db
def test_performance_counts_topics_reports_proposals_and_adoption(world: World) -> None:
    """A person's record: their topics, the reports of those topics, the proposals they are
    named on, how many were answered and adopted (fully or partly)."""
    officer = world.users[Role.CADRE_OFFICER]
    person = cadres.person(world.county)
    topic = platforms.topic(world.county)
    platforms.report(topic)
    platforms.report(topic)
    platforms.participation(person, "group_leader", topic=topic)
    for state in ("adopted", "not_adopted"):
        platforms.participation(person, "proposer", proposal=platforms.answered(world.county, state=state))
    platforms.participation(person, "co_proposer", proposal=platforms.proposal(world.county))
    (row,) = performance(user=officer)
    assert (row.topics, row.reports, row.proposals, row.answered, row.adopted, row.adoption) == (1, 2, 3, 2, 1, 50.0)
    assert performance(user=world.users[Role.COUNTY_STAFF]) == []


@pytest.mark.django_db
def test_answer_through_the_page_and_the_api(world: World, staff: Any) -> None:
    """The page's form and the API call the same service: the answer is recorded; a second
    one is a message on the page and a 400 in the API; township staff get 403."""
    first = platforms.proposal(world.county, world.township)
    second = platforms.proposal(world.county, world.township)
    url = reverse("platforms:proposal_answer", args=[first.pk])
    payload = {"state": "partly_adopted", "date": "2026-02-01", "text": "部分采纳"}
    assert client_for(world.users[Role.TOWNSHIP_STAFF]).post(url, payload).status_code == 403
    assert client_for(staff).post(url, payload).status_code == 302
    first.refresh_from_db()
    assert first.answer_state == "partly_adopted"
    api = api_for(staff)
    path = f"/api/platforms/research/proposals/{second.pk}/answer/"
    response = api.post(path, {"state": "adopted", "date": "2026-02-01"}, format="json")
    assert response.status_code == 200 and response.json()["answer_state"] == "adopted"
    assert response.json()["progress"] == 0
    assert api.post(path, {"state": "adopted", "date": "2026-02-01"}, format="json").status_code == 400
    assert api.post(path, {"state": "soon", "date": "x"}, format="json").status_code == 400


@pytest.mark.django_db
def test_dashboard_counts_the_rows_in_scope_and_exports(world: World, staff: Any) -> None:
    """The dashboard's tables count the proposals each person sees (township staff: their
    township's); each table downloads as Excel."""
    platforms.answered(world.county, world.township, state="adopted", department="甲局")
    platforms.answered(world.county, world.township_b, state="explained", department="乙局")
    platforms.proposal(world.county2, department="丙局")
    page = client_for(staff).get(reverse("platforms:research_dashboard"))
    assert page.status_code == 200
    tables = {t.key: t for t in page.context["tables"]}
    assert {row["department"] for row in tables["departments"].rows} == {"甲局", "乙局"}
    mine = client_for(world.users[Role.TOWNSHIP_STAFF]).get(reverse("platforms:research_dashboard"))
    assert {row["department"] for row in {t.key: t for t in mine.context["tables"]}["departments"].rows} == {"甲局"}
    export = client_for(staff).get(reverse("platforms:research_dashboard_export"), {"table": "departments"})
    rows = table_rows(exported_sheet(export.getvalue()))
    assert len(rows) == 3 and {r[0] for r in rows[1:]} == {"甲局", "乙局"}
    assert client_for(staff).get(reverse("platforms:research_dashboard_export"), {"table": "nope"}).status_code == 404
    assert client_for(world.users[Role.VILLAGE_CONTACT]).get(page.request["PATH_INFO"]).status_code == 404


@pytest.mark.django_db
def test_import_of_an_existing_proposal_list(world: World, staff: Any) -> None:
    """A list of proposals is imported by number (dry run writes nothing; a bad row names
    its row and writes nothing; another county's row is refused)."""
    header = ["code", "county", "township", "title", "department", "submitted_on", "due_on"]
    good = [
        [
            "330122-2025-001",
            world.county.code,
            world.township.code,
            "建议甲",
            "县交通运输局",
            "2025-03-01",
            "2025-06-01",
        ],
        ["330122-2025-002", world.county.code, "", "建议乙", "县教育局", "2025-03-02", "2025-06-02"],
    ]
    bad = [*good, ["330122-2025-003", world.county.code, "", "建议丙", "县教育局", "2025-06-02", "2025-03-02"]]

    def run(rows: list[list[Any]], *, dry_run: bool) -> Any:
        importer = Importer(model=Proposal, form_class=ProposalImportForm, key_field="code", user=staff)
        return importer.run(sheet(header, rows), dry_run=dry_run)

    failed = run(bad, dry_run=False)
    assert failed.errors and not Proposal.objects.exists()
    assert run(good, dry_run=True).ok and not Proposal.objects.exists()
    done = run(good, dry_run=False)
    assert done.ok and done.created == 2
    foreign = run(
        [["320115-2025-001", world.county2.code, "", "外县", "局", "2025-03-01", "2025-06-01"]], dry_run=False
    )
    assert foreign.errors and not Proposal.objects.filter(code="320115-2025-001").exists()
