"""Members: the lifecycle and its guards, applications with separation of duties, dues and
their totals, the certificate, the hierarchy and the registration code."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.chambers.choices import ApplicationStatus, ChamberKind, MemberStatus
from tongxin.chambers.models import Chamber, Dues, Membership
from tongxin.chambers.services.applications import application_approve, application_return, application_review
from tongxin.chambers.services.dues import dues_pay, dues_raise, dues_totals
from tongxin.chambers.services.members import membership_transition
from tongxin.core.exceptions import WorkflowError
from tongxin.core.identifiers import make_uscc
from tongxin.core.scope import VIEW, restrict
from tongxin.testing import chambers as make
from tongxin.testing import factories
from tongxin.testing.factories import World, user

TODAY = timezone.localdate()


def _staff(world: World) -> object:
    return world.users[Role.CHAMBER_STAFF]


@pytest.mark.django_db
def test_lifecycle_steps_and_guards(world: World) -> None:
    staff = _staff(world)
    membership = world.chambers.members["own"]
    on = TODAY - timedelta(days=10)
    membership_transition(user=staff, membership=membership, to=MemberStatus.GRACE, on=on)
    with pytest.raises(WorkflowError):  # lapsing needs a reason
        membership_transition(user=staff, membership=membership, to=MemberStatus.LAPSED, on=on)
    with pytest.raises(WorkflowError):  # never dated before the previous step
        membership_transition(
            user=staff, membership=membership, to=MemberStatus.LAPSED, on=on - timedelta(1), reason="欠费"
        )
    with pytest.raises(WorkflowError):  # nor in the future
        membership_transition(
            user=staff, membership=membership, to=MemberStatus.LAPSED, on=TODAY + timedelta(1), reason="欠费"
        )
    membership_transition(user=staff, membership=membership, to=MemberStatus.LAPSED, on=on, reason="欠费")
    membership_transition(user=staff, membership=membership, to=MemberStatus.CURRENT, on=TODAY)
    membership_transition(user=staff, membership=membership, to=MemberStatus.RESIGNED, on=TODAY)
    with pytest.raises(WorkflowError):  # resigned is final
        membership_transition(user=staff, membership=membership, to=MemberStatus.CURRENT, on=TODAY)
    membership.refresh_from_db()
    assert membership.status == MemberStatus.RESIGNED
    steps = list(membership.events.values_list("status_from", "status_to"))
    assert steps[-4:] == [
        ("current", "grace"),
        ("grace", "lapsed"),
        ("lapsed", "current"),
        ("current", "resigned"),
    ]
    with pytest.raises(WorkflowError):  # an unknown status
        membership_transition(user=staff, membership=world.chambers.members["own"], to="nonsense")


@pytest.mark.django_db
def test_transition_needs_the_right(world: World) -> None:
    """A member sees their membership but may not move it (403); the sibling chamber's
    member is not even there for the chamber's staff (404)."""
    from django.http import Http404

    contact = world.users[Role.ENTERPRISE_CONTACT]
    with pytest.raises(PermissionDenied):
        membership_transition(user=contact, membership=world.chambers.members["own"], to=MemberStatus.GRACE)
    with pytest.raises(Http404):
        membership_transition(user=_staff(world), membership=world.chambers.members["sibling"], to=MemberStatus.GRACE)


@pytest.mark.django_db
def test_application_review_approve_and_separation(world: World) -> None:
    staff = _staff(world)
    county = world.users[Role.COUNTY_STAFF]
    application = make.application(world.chambers.own, world.enterprise)
    # The enterprise is a member already: approval is refused then (after review).
    application_review(user=staff, application=application)
    with pytest.raises(WorkflowError):  # the reviewer does not approve too
        application_approve(user=staff, application=application)
    with pytest.raises(WorkflowError):
        application_approve(user=county, application=application)  # a member already
    fresh = make.application(world.chambers.own, name="张三", kind="individual")
    with pytest.raises(WorkflowError):
        application_approve(user=county, application=fresh)  # not reviewed yet
    application_review(user=staff, application=fresh)
    approved = application_approve(user=county, application=fresh)
    assert approved.status == ApplicationStatus.APPROVED
    membership = approved.membership
    assert membership is not None and membership.status == MemberStatus.CURRENT
    assert membership.number and membership.number.startswith(f"{world.county.code}-")
    assert membership.events.get().status_to == MemberStatus.CURRENT


@pytest.mark.django_db
def test_application_returned_with_reason(world: World) -> None:
    staff = _staff(world)
    application = world.chambers.applications["own"]
    with pytest.raises(WorkflowError):
        application_return(user=staff, application=application, reason="  ")
    returned = application_return(user=staff, application=application, reason="材料不全")
    assert (returned.status, returned.reason) == (ApplicationStatus.RETURNED, "材料不全")
    with pytest.raises(WorkflowError):
        application_review(user=staff, application=returned)


@pytest.mark.django_db
def test_nobody_reviews_what_they_submitted(world: World) -> None:
    staff = _staff(world)
    application = make.application(world.chambers.own, name="李四", kind="individual", submitted_by=staff)
    with pytest.raises(WorkflowError):
        application_review(user=staff, application=application)


@pytest.mark.django_db
def test_dues_raised_paid_and_totals(world: World) -> None:
    staff = _staff(world)
    own = world.chambers.own
    second = make.member(own, factories.enterprise(world.township, "第二会员企业"))
    make.member(own, name="已退会员", status=MemberStatus.APPLIED)  # applied: not billed
    created = dues_raise(user=staff, chamber=own, year=2027, due_on=date(2027, 3, 31))
    assert {row.membership_id for row in created} == {world.chambers.members["own"].pk, second.pk}
    assert dues_raise(user=staff, chamber=own, year=2027, due_on=date(2027, 3, 31)) == []  # once a year
    with pytest.raises(WorkflowError):
        dues_raise(user=staff, chamber=own, year=1990, due_on=date(1990, 3, 31))
    row = created[0]
    with pytest.raises(WorkflowError):
        dues_pay(user=staff, dues=row, amount=Decimal("999.99"))
    with pytest.raises(WorkflowError):
        dues_pay(user=staff, dues=row, amount=Decimal("1000"), on=TODAY + timedelta(days=1))
    dues_pay(user=staff, dues=row, amount=Decimal("1000"), receipt="R-1")
    with pytest.raises(WorkflowError):
        dues_pay(user=staff, dues=row, amount=Decimal("1000"))
    mine = restrict(Dues.objects.all(), staff, VIEW)
    # 2026 (paid in the world) and the two of 2027 (one paid, one overdue since 31 March).
    totals = dues_totals(mine, today=date(2027, 6, 1))
    assert (totals.rows, totals.paid_rows, totals.overdue_rows) == (3, 2, 1)
    assert (totals.due, totals.paid, totals.overdue) == (Decimal(3000), Decimal(2000), Decimal(1000))
    assert totals.rate == pytest.approx(2 / 3)
    assert dues_totals(Dues.objects.none()).rate is None
    # The county sees the dues of both townships' chambers; the member their own.
    assert dues_totals(restrict(Dues.objects.all(), world.users[Role.COUNTY_STAFF], VIEW)).rows == 4
    assert dues_totals(restrict(Dues.objects.all(), world.users[Role.ENTERPRISE_CONTACT], VIEW)).rows == 2


@pytest.mark.django_db
def test_enterprise_contact_may_not_pay(world: World) -> None:
    with pytest.raises(PermissionDenied):
        dues_pay(user=world.users[Role.ENTERPRISE_CONTACT], dues=world.chambers.dues["own"], amount=Decimal(1000))


@pytest.mark.django_db
def test_chamber_staff_see_their_sub_chambers(world: World) -> None:
    """A chamber's staff see their chamber and every chamber under it; the FIC's staff
    therefore see the whole county's chambers, a township chamber's only its own."""
    fic_staff = user("fic_staff", Role.CHAMBER_STAFF, chamber=world.chambers.fic)
    sub = make.chamber(world.county, ChamberKind.INDUSTRY, world.chambers.own, industry="C", name="分水制笔商会")
    assert set(restrict(Chamber.objects.all(), _staff(world), VIEW)) == {world.chambers.own, sub}
    assert set(restrict(Chamber.objects.all(), fic_staff, VIEW)) == {
        world.chambers.fic,
        world.chambers.own,
        world.chambers.sibling,
        sub,
    }
    member = make.member(sub, name="王五")
    assert member in restrict(Membership.objects.all(), _staff(world), VIEW)
    # Moving the sub-chamber under the sibling chamber takes it out of township A's view.
    sub.parent = world.chambers.sibling
    sub.save()
    assert sub not in restrict(Chamber.objects.all(), _staff(world), VIEW)
    assert member not in restrict(Membership.objects.all(), _staff(world), VIEW)


@pytest.mark.django_db
def test_hierarchy_and_registration_rules(world: World) -> None:
    fic = world.chambers.fic
    with pytest.raises(ValidationError) as error:  # a second FIC in the county
        make.chamber(world.county)
    assert "__all__" in error.value.message_dict or "county" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # an enterprise's code (type 91), not a social group
        make.chamber(world.county, ChamberKind.INDUSTRY, fic, industry="C", uscc=make_uscc("91", "330122", "MA000001"))
    assert "uscc" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make.chamber(world.county, ChamberKind.INDUSTRY, fic, industry="C", uscc="51330122MJ0000011X")
    assert "uscc" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # a township chamber names its township
        make.chamber(world.county, ChamberKind.TOWNSHIP, fic)
    assert "township" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # under a chamber of another county
        make.chamber(world.county, ChamberKind.ELSEWHERE, world.chambers.foreign, origin="温州")
    assert "parent" in error.value.message_dict
    own = world.chambers.own
    own.parent = make.chamber(world.county, ChamberKind.INDUSTRY, own, industry="C")
    with pytest.raises(ValidationError) as error:  # a cycle
        own.full_clean()
    assert "parent" in error.value.message_dict
