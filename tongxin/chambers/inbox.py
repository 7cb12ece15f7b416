"""What waits in the inbox for a chamber's staff and for members (enterprise contacts).

Registered with :func:`tongxin.inbox.services.items.register_items` from the app's
``ready()``. Each item is one query through the policy (``restrict(…, roles=…)``) and the
predicates the services use (``unpaid_q``, ``overdue_q``). County staff learn of overdue
cases by notification when they are escalated (``manage.py escalate_cases``), so their
inbox costs no extra query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.chambers.choices import ApplicationStatus, CaseStatus
from tongxin.chambers.models import APPROVE, REVIEW, TRIAGE, Application, Dues, RightsCase
from tongxin.chambers.services.dues import unpaid_q
from tongxin.chambers.services.sla import overdue_q
from tongxin.core.scope import VIEW, restrict
from tongxin.inbox.services.items import DUE, Item, _Ask, _list_url, _total, register_items


def _applications(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Applications to review (submitted) and to approve (reviewed, not by this person)."""
    to_review = restrict(Application.objects.all(), ask.user, REVIEW, roles=roles).filter(
        status=ApplicationStatus.SUBMITTED
    )
    to_approve = (
        restrict(Application.objects.all(), ask.user, APPROVE, roles=roles)
        .filter(status=ApplicationStatus.REVIEWED)
        .exclude(Q(reviewed_by=ask.user) | Q(submitted_by=ask.user))
    )
    items = []
    n, oldest = _total(to_review, "submitted_on")
    if n:
        url = _list_url("chambers:application_list", status=ApplicationStatus.SUBMITTED)
        items.append(Item("chamber_review", _("Membership applications to review"), n, oldest, url))
    n, oldest = _total(to_approve, "submitted_on")
    if n:
        url = _list_url("chambers:application_list", status=ApplicationStatus.REVIEWED)
        items.append(Item("chamber_approve", _("Membership applications to approve"), n, oldest, url))
    return items


def _overdue_dues(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Dues past their due date, unpaid (a member's own, or the chamber's to collect)."""
    late = restrict(Dues.objects.all(), ask.user, VIEW, roles=roles).filter(unpaid_q(ask.today, overdue=True))
    n, oldest = _total(late, "due_on")
    url = _list_url("chambers:dues_list", state="overdue")
    return [Item("dues_overdue", _("Overdue dues"), n, oldest, url, date_label=DUE)] if n else []


def _member_dues(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """A member's unpaid dues, overdue and not yet due (one query for both)."""
    rows = restrict(Dues.objects.all(), ask.user, VIEW, roles=roles).order_by()
    found = rows.aggregate(
        **{
            f"{key}_n": Count("pk", filter=unpaid_q(ask.today, overdue=late))
            for key, late in (("late", True), ("due", False))
        },
        **{
            f"{key}_first": Min("due_on", filter=unpaid_q(ask.today, overdue=late))
            for key, late in (("late", True), ("due", False))
        },
    )
    items = []
    if found["late_n"]:
        url = _list_url("chambers:dues_list", state="overdue")
        items.append(Item("dues_overdue", _("Overdue dues"), found["late_n"], found["late_first"], url, date_label=DUE))
    if found["due_n"]:
        url = _list_url("chambers:dues_list", state="due")
        items.append(Item("dues_due", _("Dues to pay"), found["due_n"], found["due_first"], url, date_label=DUE))
    return items


def _cases(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Cases to acknowledge, and open cases past a due date (one query for both)."""
    seen = restrict(RightsCase.objects.all(), ask.user, TRIAGE, roles=roles).order_by()
    received, late = Q(status=CaseStatus.RECEIVED), overdue_q(ask.today)
    found = seen.aggregate(
        ack_n=Count("pk", filter=received),
        ack_first=Min("acknowledge_due", filter=received),
        late_n=Count("pk", filter=late),
        late_first=Min("resolve_due", filter=late),
    )
    items = []
    if found["ack_n"]:
        url = _list_url("chambers:rightscase_list", status=CaseStatus.RECEIVED)
        label = _("Cases to acknowledge")
        items.append(Item("case_ack", label, found["ack_n"], found["ack_first"], url, date_label=DUE))
    if found["late_n"]:
        url = _list_url("chambers:rightscase_list", overdue="true")
        items.append(
            Item("case_overdue", _("Overdue cases"), found["late_n"], found["late_first"], url, date_label=DUE)
        )
    return items


def register() -> Any:
    register_items(Role.CHAMBER_STAFF, _applications, _cases, _overdue_dues)
    register_items(Role.ENTERPRISE_CONTACT, _member_dues)
