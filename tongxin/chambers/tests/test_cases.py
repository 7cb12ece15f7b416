"""Rights-protection cases: the steps and their guards, who sees a case, escalation, the
API's answers to bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import SUPERVISOR_ROLES, Role
from tongxin.chambers.choices import CaseStatus, CaseStep
from tongxin.chambers.models import RightsCase
from tongxin.chambers.services import cases as steps
from tongxin.chambers.services.sla import case_times
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import VIEW, restrict
from tongxin.inbox.models import Notification
from tongxin.testing import chambers as make
from tongxin.testing.factories import World, user

# Who sees the case of township A's chamber (own), of township B's (sibling) and of the
# other county (foreign): the member, the chamber's staff and the county FIC only.
SEES = {
    Role.COUNTY_ADMIN: {"own", "sibling"},
    Role.COUNTY_STAFF: {"own", "sibling"},
    Role.CHAMBER_STAFF: {"own"},
    Role.ENTERPRISE_CONTACT: {"own"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_case_visibility_by_role(world: World, role: str) -> None:
    """Supervisors, township staff, liaison officers and the rest see no case details."""
    seen = set(restrict(RightsCase.objects.all(), world.users[role], VIEW))
    expected = {world.chambers.cases[key] for key in SEES.get(role, set())}
    assert seen == expected
    if role in SUPERVISOR_ROLES:
        assert not seen


@pytest.mark.django_db
def test_case_pages_and_api_are_404_outside(world: World) -> None:
    sibling = world.chambers.cases["sibling"]
    for role in (Role.CHAMBER_STAFF, Role.ENTERPRISE_CONTACT, Role.PROVINCE_STAFF, Role.TOWNSHIP_STAFF):
        client = APIClient()
        client.force_login(world.users[role])
        assert client.get(reverse("chambers:rightscase_detail", args=[sibling.pk])).status_code == 404
        assert client.get(reverse("rightscase-detail", args=[sibling.pk])).status_code == 404
        assert (
            client.post(reverse("chambers:rightscase_step", args=[sibling.pk, "note"]), {"text": "x"}).status_code
            == 404
        )


@pytest.mark.django_db
def test_the_whole_way_of_a_case(world: World) -> None:
    staff = world.users[Role.CHAMBER_STAFF]
    member = world.users[Role.ENTERPRISE_CONTACT]
    case = make.case(world.chambers.members["own"], title="拖欠货款案")
    assert case.notes.get().step == CaseStep.RAISED
    with pytest.raises(PermissionDenied):  # the member does not triage
        steps.case_acknowledge(user=member, case=case)
    steps.case_acknowledge(user=staff, case=case, text="已受理")
    with pytest.raises(WorkflowError):  # the member cannot handle a case
        steps.case_assign(user=staff, case=case, handler=member)
    steps.case_assign(user=staff, case=case, handler=staff)
    steps.case_refer(user=staff, case=case, department="县市场监管局")
    steps.case_note(user=staff, case=case, text="已约谈对方")
    with pytest.raises(WorkflowError):
        steps.case_finish(user=staff, case=case, outcome=" ")
    steps.case_finish(user=staff, case=case, outcome="调解成功", recovered=Decimal("30000"))
    with pytest.raises(WorkflowError):
        steps.case_note(user=staff, case=case, text="结案后")
    with pytest.raises(PermissionDenied):  # the staff do not rate
        steps.case_rate(user=staff, case=case, satisfaction=5)
    with pytest.raises(WorkflowError):
        steps.case_rate(user=member, case=case, satisfaction=6)
    steps.case_rate(user=member, case=case, satisfaction=4)
    with pytest.raises(WorkflowError):
        steps.case_reopen(user=member, case=case, reason="")
    steps.case_reopen(user=member, case=case, reason="对方未按约付款")
    case.refresh_from_db()
    assert (case.status, case.reopened, case.satisfaction, case.finished_on) == (CaseStatus.ASSIGNED, 1, None, None)
    assert list(case.notes.values_list("step", flat=True)) == [
        "raised",
        "acknowledged",
        "assigned",
        "referred",
        "note",
        "resolved",
        "rated",
        "reopened",
    ]


@pytest.mark.django_db
def test_due_dates_and_escalation(world: World) -> None:
    """A case received on Friday 13 Feb 2026 is due for acknowledgement on Tue 24 Feb and
    for resolution on Thu 2 Apr; overdue, it is escalated once and the county notified."""
    case = make.case(world.chambers.members["own"])
    case.received_on = date(2026, 2, 13)
    case.acknowledge_due = None
    from tongxin.chambers.services.sla import set_due_dates

    set_due_dates(case)
    case.save()
    assert (case.acknowledge_due, case.resolve_due, case.due_estimated) == (date(2026, 2, 24), date(2026, 4, 2), False)
    times = case_times(case, today=date(2026, 2, 25))
    assert times.acknowledged_late and not times.resolved_late and times.working_days_open == 3
    escalated = steps.cases_escalate(today=date(2026, 2, 25))
    assert case in escalated
    recipients = set(
        Notification.objects.filter(kind="case_overdue", link=case.get_absolute_url()).values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {world.users[Role.COUNTY_ADMIN].pk, world.users[Role.COUNTY_STAFF].pk}
    assert case not in steps.cases_escalate(today=date(2026, 2, 26))  # once
    case.refresh_from_db()
    assert case.notes.filter(step=CaseStep.ESCALATED).count() == 1


@pytest.mark.django_db
def test_a_case_received_now_counts_into_next_year(world: World) -> None:
    """Received in December 2026: 30 working days reach into 2027, beyond the calendar —
    the due date is estimated by weekends only, and the page says so."""
    case = make.case(world.chambers.members["own"])
    case.received_on = date(2026, 12, 1)
    case.acknowledge_due = None
    from tongxin.chambers.services.sla import set_due_dates

    set_due_dates(case)
    case.save()
    assert case.due_estimated
    assert case.resolve_due == date(2027, 1, 12)  # Dec: 22 working days from 2nd to 31st; Jan 1–12: 8
    client = APIClient()
    client.force_login(world.users[Role.CHAMBER_STAFF])
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="estimated"' in page


@pytest.mark.django_db
def test_assign_only_staff_who_may_handle(world: World) -> None:
    county = world.users[Role.COUNTY_STAFF]
    other_chamber = user("sib_staff", Role.CHAMBER_STAFF, chamber=world.chambers.sibling)
    case = world.chambers.cases["own"]
    with pytest.raises(WorkflowError):
        steps.case_assign(user=county, case=case, handler=other_chamber)
    steps.case_assign(user=county, case=case, handler=county)
    with pytest.raises(Http404):
        steps.case_assign(user=other_chamber, case=case, handler=other_chamber)


@pytest.mark.django_db
def test_api_bad_input_is_400(world: World) -> None:
    client = APIClient()
    client.force_authenticate(world.users[Role.CHAMBER_STAFF])
    case = world.chambers.cases["own"]
    url = reverse("rightscase-detail", args=[case.pk])
    for action, body in (
        ("rate", {"satisfaction": "many"}),
        ("assign", {"handler": "x"}),
        ("assign", {"handler": 999999}),
        ("finish", {"outcome": "x", "recovered": "-5"}),
        ("note", {"text": "a" * 2000}),
        ("refer", {"department": ""}),
    ):
        response = client.post(f"{url}{action}/", body, format="json")
        assert response.status_code in (400, 403), (action, response.status_code, response.content)
    create = client.post(
        reverse("rightscase-list"),
        {
            "chamber": world.chambers.own.pk,
            "membership": world.chambers.members["sibling"].pk,
            "kind": "x",
            "title": "",
        },
        format="json",
    )
    assert create.status_code == 400
    member = APIClient()
    member.force_authenticate(world.users[Role.ENTERPRISE_CONTACT])
    made = member.post(
        reverse("rightscase-list"),
        {
            "membership": world.chambers.members["own"].pk,
            "kind": "arrears",
            "title": "政府工程款拖欠",
            "description": "工程款两年未付",
            "amount": "200000.00",
            "counterpart": "某镇政府",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["acknowledge_due"] is not None
    assert RightsCase.objects.get(pk=made.json()["id"]).notes.get().by == world.users[Role.ENTERPRISE_CONTACT]
    assert member.post(f"{url}acknowledge/", {}, format="json").status_code == 403
