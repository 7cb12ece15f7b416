"""The membership lifecycle: applied → current → grace → lapsed → resigned / expelled.

Every step is dated and kept (:class:`~tongxin.chambers.models.MembershipEvent`); the step
is the policy's ``transition`` action; which step is allowed from which status is
``TRANSITIONS``; a member becomes current with a certificate number.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.chambers.choices import NEEDS_REASON, TRANSITIONS, MemberStatus
from tongxin.chambers.models import TRANSITION, Membership, MembershipEvent
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import require

REASON_MAX = 300


def speaks_for(user: Any, membership: Membership) -> bool:
    """Whether ``user`` is the member: an enterprise contact of the member enterprise."""
    from tongxin.accounts.roles import hats

    enterprise = membership.enterprise_id
    return enterprise is not None and any(hat.enterprise_id == enterprise for hat in hats(user))


def certificate_number(membership: Membership) -> str:
    """The membership certificate's number: county code, chamber, running number (e.g.
    ``330122-07-0042``), unique for ever (a number is never reused)."""
    prefix = f"{membership.chamber.county.code}-{membership.chamber_id:02d}-"
    taken = Membership.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(number.rsplit("-", 1)[1]) for number in taken if number), default=0)
    return f"{prefix}{highest + 1:04d}"


def record_step(*, membership: Membership, to: str, on: date, reason: str = "", user: Any = None) -> MembershipEvent:
    """Move ``membership`` to ``to`` on ``on`` and keep the step (no permission check: the
    callers — the service below and the approval of an application — have judged it)."""
    before = membership.status
    if to not in TRANSITIONS[before]:
        raise WorkflowError(
            _("A membership cannot go from %(from)s to %(to)s.")
            % {"from": MemberStatus(before).label, "to": MemberStatus(to).label},
            "transition",
        )
    last = membership.events.order_by("-on", "-pk").values_list("on", flat=True).first()
    if last is not None and on < last:
        raise WorkflowError(_("A step cannot be dated before the previous one."), "date")
    if on > timezone.localdate():
        raise WorkflowError(_("A step cannot be dated in the future."), "date")
    reason = (reason or "").strip()
    if to in NEEDS_REASON and not reason:
        raise WorkflowError(_("Give the reason for this step."), "reason")
    if len(reason) > REASON_MAX:
        raise WorkflowError(_("The reason is too long."), "reason")
    membership.status = to
    membership.status_since = on
    if to == MemberStatus.CURRENT and membership.joined_on is None:
        membership.joined_on = on
    if to == MemberStatus.CURRENT and not membership.number:
        membership.number = certificate_number(membership)
    membership.save()
    event = MembershipEvent(membership=membership, on=on, status_from=before, status_to=to, reason=reason, by=user)
    event.save()
    return event


@transaction.atomic
def membership_transition(
    *, user: Any, membership: Membership, to: str, on: date | None = None, reason: str = ""
) -> MembershipEvent:
    """A step of the lifecycle by a person who may take the ``transition`` action."""
    require(user, membership, TRANSITION)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if to not in MemberStatus.values:
        raise WorkflowError(_("Unknown status."), "status")
    return record_step(membership=membership, to=to, on=on or timezone.localdate(), reason=reason, user=user)
