"""The chambers' pages for the people who use them: lists, detail pages, the steps on
them, the certificate, the inbox, and answers to bad input (never a 500)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tongxin.accounts.choices import Role
from tongxin.chambers.choices import ApplicationStatus, MemberStatus
from tongxin.chambers.models import Application, Dues, Membership
from tongxin.inbox.services.items import inbox
from tongxin.testing import chambers as make
from tongxin.testing.factories import World
from tongxin.testing.sheets import table_rows

LISTS = [
    "chambers:chamber_list",
    "chambers:officer_list",
    "chambers:membershiplevel_list",
    "chambers:membership_list",
    "chambers:application_list",
    "chambers:dues_list",
    "chambers:rightscase_list",
]


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CHAMBER_STAFF, Role.COUNTY_STAFF])
def test_lists_and_detail_pages_render(world: World, role: str) -> None:
    client = _client(world, role)
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert "江宁区工商联" not in response.content.decode(), name
    c = world.chambers
    for obj in (c.own, c.officers["own"], c.levels["own"], c.members["own"], c.applications["own"], c.dues["own"]):
        assert client.get(obj.get_absolute_url()).status_code == 200, obj
    page = client.get(c.cases["own"].get_absolute_url()).content.decode()
    assert 'data-testid="step-acknowledge"' in page and 'data-testid="timeline"' in page


@pytest.mark.django_db
def test_member_sees_their_membership_and_certificate(world: World) -> None:
    client = _client(world, Role.ENTERPRISE_CONTACT)
    membership = world.chambers.members["own"]
    page = client.get(membership.get_absolute_url()).content.decode()
    assert 'data-testid="certificate"' in page
    assert 'data-testid="transition-form"' not in page  # the member does not move it
    pdf = client.get(reverse("chambers:membership_certificate", args=[membership.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in pdf["Content-Disposition"]
    sibling = world.chambers.members["sibling"]
    assert client.get(reverse("chambers:membership_certificate", args=[sibling.pk])).status_code == 404
    # An applicant has no number yet: no certificate.
    fresh = Membership.objects.create(
        chamber=world.chambers.own, kind="individual", name="新会员", level=world.chambers.levels["own"]
    )
    staff = _client(world, Role.CHAMBER_STAFF)
    assert staff.get(reverse("chambers:membership_certificate", args=[fresh.pk])).status_code == 404


@pytest.mark.django_db
def test_member_applies_online_and_staff_decide(world: World) -> None:
    member = _client(world, Role.ENTERPRISE_CONTACT)
    form = member.get(reverse("chambers:application_add")).content.decode()
    assert "横村镇商会" not in form  # only their own township's chamber
    response = member.post(
        reverse("chambers:application_add"),
        {
            "chamber": world.chambers.own.pk,
            "kind": "enterprise",
            "enterprise": world.enterprise.pk,
            "level": world.chambers.levels["own"].pk,
            "statement": "申请成为理事单位",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.latest("pk")
    assert application.submitted_by == world.users[Role.ENTERPRISE_CONTACT]
    staff = _client(world, Role.CHAMBER_STAFF)
    url = reverse("chambers:application_action", args=[application.pk, "return"])
    assert staff.post(url, {"reason": ""}).status_code == 302  # a message, nothing written
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    staff.post(url, {"reason": "已是会员"})
    application.refresh_from_db()
    assert (application.status, application.reason) == (ApplicationStatus.RETURNED, "已是会员")
    assert member.post(reverse("chambers:application_action", args=[application.pk, "nonsense"])).status_code == 404


@pytest.mark.django_db
def test_transition_and_payment_pages(world: World) -> None:
    staff = _client(world, Role.CHAMBER_STAFF)
    membership = world.chambers.members["own"]
    url = reverse("chambers:membership_transition", args=[membership.pk])
    for bad in ({"to": "nonsense", "on": "2026-06-01"}, {"to": "grace", "on": "not a date"}, {}):
        assert staff.post(url, bad).status_code == 302
    staff.post(url, {"to": "grace", "on": "2026-06-01"})
    membership.refresh_from_db()
    assert membership.status == MemberStatus.GRACE
    dues = make.dues(membership, year=2025, due_on=date(2025, 3, 31))
    pay = reverse("chambers:dues_pay", args=[dues.pk])
    for bad in ({"amount": "-1", "on": "2026-06-01"}, {"amount": "abc"}, {"amount": "1" * 30, "on": "2026-06-01"}):
        assert staff.post(pay, bad).status_code == 302
    assert Dues.objects.get(pk=dues.pk).paid_on is None
    staff.post(pay, {"amount": "1000", "on": "2026-06-01", "receipt": "NO.1"})
    assert Dues.objects.get(pk=dues.pk).paid_on is not None
    member = _client(world, Role.ENTERPRISE_CONTACT)
    assert member.post(url, {"to": "current", "on": "2026-06-02"}).status_code == 403


@pytest.mark.django_db
def test_raise_dues_page(world: World) -> None:
    staff = _client(world, Role.CHAMBER_STAFF)
    url = reverse("chambers:dues_raise")
    page = staff.get(url).content.decode()
    assert 'data-testid="totals"' in page and "横村镇商会" not in page
    assert (
        staff.post(url, {"chamber": world.chambers.sibling.pk, "year": "2027", "due_on": "2027-03-31"}).status_code
        == 200
    )
    assert staff.post(url, {"chamber": world.chambers.own.pk, "year": "x", "due_on": "2027-03-31"}).status_code == 200
    response = staff.post(url, {"chamber": world.chambers.own.pk, "year": "2027", "due_on": "2027-03-31"})
    assert response.status_code == 302
    assert Dues.objects.filter(year=2027, membership__chamber=world.chambers.own).count() == 1
    assert _client(world, Role.ENTERPRISE_CONTACT).get(url).status_code == 404


@pytest.mark.django_db
def test_inbox_of_chamber_staff_and_member(world: World, django_assert_max_num_queries: Any) -> None:
    staff = world.users[Role.CHAMBER_STAFF]
    make.dues(world.chambers.members["own"], year=2025, due_on=date(2025, 3, 31))  # unpaid, overdue
    with django_assert_max_num_queries(5):  # the hats; applications to review, to approve; cases; dues
        sections = inbox(staff)
    keys = {item.key for section in sections for item in section.items}
    assert {"chamber_review", "case_ack", "dues_overdue"} <= keys
    member = inbox(world.users[Role.ENTERPRISE_CONTACT])
    assert "dues_overdue" in {item.key for section in member for item in section.items}
    assert _client(world, Role.CHAMBER_STAFF).get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_filters_answer_400_on_bad_input(world: World) -> None:
    staff = _client(world, Role.CHAMBER_STAFF)
    for name, query in (
        ("chambers:dues_list", {"year": "abc"}),
        ("chambers:membership_list", {"status": "nonsense"}),
        ("chambers:rightscase_list", {"overdue": "maybe", "chamber": "x"}),
    ):
        assert staff.get(reverse(name), query).status_code == 400, name
    assert staff.get(reverse("chambers:rightscase_list"), {"overdue": "true"}).status_code == 200


@pytest.mark.django_db
def test_dashboard_and_its_excel(world: World, django_assert_max_num_queries: Any) -> None:
    staff = _client(world, Role.COUNTY_STAFF)
    staff.get(reverse("chambers:dashboard"))
    with django_assert_max_num_queries(25):
        page = staff.get(reverse("chambers:dashboard"))
    assert page.status_code == 200
    text = page.content.decode()
    for key in ("chambers", "industries", "townships", "growth", "retention", "dues", "participation", "cases", "sla"):
        assert f'data-testid="chart-{key}"' in text
    assert "江宁区工商联" not in text
    sheet = load_workbook(
        io.BytesIO(staff.get(reverse("chambers:dashboard_export"), {"table": "chambers"}).content)
    ).active
    rows = table_rows(sheet)
    assert {row[0] for row in rows[1:]} == {"分水镇商会", "横村镇商会"}
    assert staff.get(reverse("chambers:dashboard_export"), {"table": "nonsense"}).status_code == 404
    assert _client(world, Role.TOWNSHIP_STAFF).get(reverse("chambers:dashboard")).status_code == 404
    member = _client(world, Role.ENTERPRISE_CONTACT)
    assert member.get(reverse("chambers:dashboard")).status_code == 200
    assert member.get(reverse("chambers:dashboard_export"), {"table": "chambers"}).status_code == 404
