"""Yearly dues: raised for the members in good standing or in grace, paid, summed.

``dues_raise`` writes one row per member and year (the amount of their level, due on the
chamber's due date); ``dues_pay`` records a payment; ``dues_totals`` sums what was due,
what was paid and the collection rate over the rows a person sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.chambers.choices import ACTIVE_STATUSES
from tongxin.chambers.models import PAY, Chamber, Dues, Membership
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import ADD, VIEW, require, restrict

RECEIPT_MAX = 40


@transaction.atomic
def dues_raise(*, user: Any, chamber: Chamber, year: int, due_on: date) -> list[Dues]:
    """This year's dues of every current or grace member of ``chamber`` not yet billed."""
    require(user, chamber, VIEW)
    if not 2000 <= year <= 2100:
        raise WorkflowError(_("Choose a year between 2000 and 2100."), "year")
    members = restrict(Membership.objects.filter(chamber=chamber, status__in=ACTIVE_STATUSES), user, VIEW)
    billed = set(Dues.objects.filter(membership__chamber=chamber, year=year).values_list("membership_id", flat=True))
    created = []
    for membership in members.select_related("level").exclude(pk__in=billed):
        row = Dues(membership=membership, year=year, amount=membership.level.yearly_dues, due_on=due_on)
        row.save()
        created.append(row)
    allowed_rows = restrict(Dues.objects.filter(pk__in=[row.pk for row in created]), user, ADD).count()
    if allowed_rows != len(created):
        raise WorkflowError(_("You may not raise dues for this chamber."), "scope")
    return created


@transaction.atomic
def dues_pay(*, user: Any, dues: Dues, amount: Decimal, on: date | None = None, receipt: str = "") -> Dues:
    """Record the payment of one year's dues (the whole amount, or more: a donation is
    not dues and is not recorded here)."""
    require(user, dues, PAY)
    dues = Dues.objects.select_for_update().get(pk=dues.pk)
    if dues.paid_on is not None:
        raise WorkflowError(_("These dues are paid already."), "paid")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise WorkflowError(_("A payment cannot be dated in the future."), "date")
    if amount is None or amount < dues.amount:
        raise WorkflowError(_("The payment is less than the dues."), "amount")
    if amount >= Decimal("100000000"):
        raise WorkflowError(_("The amount is too large."), "amount")
    receipt = (receipt or "").strip()
    if len(receipt) > RECEIPT_MAX:
        raise WorkflowError(_("The receipt number is too long."), "receipt")
    dues.paid_on = on
    dues.paid_amount = amount
    dues.receipt = receipt
    dues.save()
    return dues


@dataclass(frozen=True)
class DuesTotals:
    rows: int
    paid_rows: int
    due: Decimal
    paid: Decimal
    overdue_rows: int
    overdue: Decimal

    @property
    def rate(self) -> float | None:
        """The collection rate (paid over due, by amount), None when nothing was due."""
        return float(self.paid / self.due) if self.due else None


def unpaid_q(today: date | None = None, *, overdue: bool) -> Q:
    """Dues not paid; ``overdue``: past their due date, else not yet due."""
    today = today or timezone.localdate()
    return Q(paid_on__isnull=True) & (Q(due_on__lt=today) if overdue else Q(due_on__gte=today))


def dues_totals(queryset: QuerySet[Dues], today: date | None = None) -> DuesTotals:
    """Sums over ``queryset`` (already restricted to what the reader sees), one query."""
    money = DecimalField(max_digits=14, decimal_places=2)
    zero = Value(Decimal(0), output_field=money)
    late = unpaid_q(today, overdue=True)
    row = queryset.aggregate(
        rows=Count("pk"),
        paid_rows=Count("pk", filter=Q(paid_on__isnull=False)),
        due=Coalesce(Sum("amount"), zero),
        paid=Coalesce(Sum("amount", filter=Q(paid_on__isnull=False)), zero),
        overdue_rows=Count("pk", filter=late),
        overdue=Coalesce(Sum("amount", filter=late), zero),
    )
    return DuesTotals(**row)
