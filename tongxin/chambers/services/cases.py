"""Rights-protection cases: triage → handler → referral → notes → resolved or closed →
the member's rating; reopened with a reason. Each step is the policy's action on the case,
is judged by its status, and is kept in the case's timeline (and the change log).
Overdue cases are escalated to the county federation (its staff are notified once)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.accounts.choices import COUNTY_ROLES
from tongxin.chambers.choices import FINISHED_CASE_STATUSES, CaseStatus, CaseStep
from tongxin.chambers.models import ASSIGN, HANDLE, RATE, REOPEN, TRIAGE, CaseNote, RightsCase
from tongxin.chambers.services.sla import overdue_q
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import allowed, require

TEXT_MAX = 1000
OUTCOME_MAX = 500
HANDLING = (CaseStatus.ASSIGNED, CaseStatus.REFERRED)


def _locked(case: RightsCase) -> RightsCase:
    locked: RightsCase = RightsCase.objects.select_for_update().get(pk=case.pk)
    return locked


def _text(text: str, *, required: bool, limit: int = TEXT_MAX, what: str = "text") -> str:
    text = (text or "").strip()
    if required and not text:
        raise WorkflowError(_("This step needs a text."), what)
    if len(text) > limit:
        raise WorkflowError(_("The text is too long."), what)
    return text


def _keep(case: RightsCase, step: str, user: Any, text: str = "") -> CaseNote:
    case.save()
    note = CaseNote(case=case, step=step, text=text, by=user if getattr(user, "pk", None) else None)
    note.save()
    return note


@transaction.atomic
def case_acknowledge(*, user: Any, case: RightsCase, text: str = "") -> RightsCase:
    """Triage: the chamber acknowledges the case (the first service level)."""
    require(user, case, TRIAGE)
    case = _locked(case)
    if case.status != CaseStatus.RECEIVED:
        raise WorkflowError(_("Only a received case can be acknowledged."), "status")
    case.status = CaseStatus.TRIAGED
    case.acknowledged_on = timezone.localdate()
    _keep(case, CaseStep.ACKNOWLEDGED, user, _text(text, required=False))
    return case


@transaction.atomic
def case_assign(*, user: Any, case: RightsCase, handler: Any) -> RightsCase:
    """Give the case a handler: a person of the chamber's or the county's staff who may
    handle it (a received case is acknowledged by the same step)."""
    require(user, case, ASSIGN)
    case = _locked(case)
    if case.status not in (CaseStatus.RECEIVED, CaseStatus.TRIAGED, *HANDLING):
        raise WorkflowError(_("A finished case is reopened before it is assigned."), "status")
    if handler is None or not allowed(handler, case, HANDLE):
        raise WorkflowError(_("The handler must be staff of the chamber or the county who may handle it."), "handler")
    if case.acknowledged_on is None:
        case.acknowledged_on = timezone.localdate()
    case.handler = handler
    case.status = CaseStatus.ASSIGNED if case.status != CaseStatus.REFERRED else case.status
    _keep(case, CaseStep.ASSIGNED, user, str(handler))
    return case


@transaction.atomic
def case_refer(*, user: Any, case: RightsCase, department: str, text: str = "") -> RightsCase:
    """Refer the case to a department (a court, market regulation …)."""
    require(user, case, HANDLE)
    case = _locked(case)
    if case.status not in HANDLING:
        raise WorkflowError(_("Only a case with a handler can be referred."), "status")
    case.referred_to = _text(department, required=True, limit=100, what="department")
    case.status = CaseStatus.REFERRED
    _keep(case, CaseStep.REFERRED, user, " · ".join(filter(None, [case.referred_to, _text(text, required=False)])))
    return case


@transaction.atomic
def case_note(*, user: Any, case: RightsCase, text: str) -> CaseNote:
    """A handling note on an open case."""
    require(user, case, HANDLE)
    case = _locked(case)
    if case.status in FINISHED_CASE_STATUSES:
        raise WorkflowError(_("A finished case takes no more notes; reopen it first."), "status")
    note = CaseNote(case=case, step=CaseStep.NOTE, text=_text(text, required=True), by=user)
    note.save()
    return note


@transaction.atomic
def case_finish(
    *, user: Any, case: RightsCase, outcome: str, recovered: Decimal | None = None, resolved: bool = True
) -> RightsCase:
    """Resolve (or close without resolution) a case with a handler, with its outcome and
    the amount recovered."""
    require(user, case, HANDLE)
    case = _locked(case)
    if case.status not in HANDLING:
        raise WorkflowError(_("Only a case with a handler can be resolved or closed."), "status")
    if recovered is not None and (recovered < 0 or recovered >= Decimal("1e12")):
        raise WorkflowError(_("The amount recovered is not valid."), "recovered")
    case.outcome = _text(outcome, required=True, limit=OUTCOME_MAX, what="outcome")
    case.recovered = recovered
    case.status = CaseStatus.RESOLVED if resolved else CaseStatus.CLOSED
    case.finished_on = timezone.localdate()
    _keep(case, CaseStep.RESOLVED if resolved else CaseStep.CLOSED, user, case.outcome)
    return case


@transaction.atomic
def case_rate(*, user: Any, case: RightsCase, satisfaction: int, text: str = "") -> RightsCase:
    """The member's satisfaction with a finished case, 1–5, once per finishing."""
    require(user, case, RATE)
    case = _locked(case)
    if case.status not in FINISHED_CASE_STATUSES:
        raise WorkflowError(_("Only a resolved or closed case can be rated."), "status")
    if case.satisfaction is not None:
        raise WorkflowError(_("This case is rated already."), "rated")
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise WorkflowError(_("Rate from 1 to 5."), "satisfaction")
    case.satisfaction = satisfaction
    _keep(case, CaseStep.RATED, user, f"{satisfaction} · {_text(text, required=False, limit=300)}".strip(" ·"))
    return case


@transaction.atomic
def case_reopen(*, user: Any, case: RightsCase, reason: str) -> RightsCase:
    """Reopen a finished case with the reason: back to its handler (or to triage)."""
    require(user, case, REOPEN)
    case = _locked(case)
    if case.status not in FINISHED_CASE_STATUSES:
        raise WorkflowError(_("Only a resolved or closed case can be reopened."), "status")
    reason = _text(reason, required=True, limit=300, what="reason")
    case.status = CaseStatus.ASSIGNED if case.handler_id is not None else CaseStatus.TRIAGED
    case.finished_on = None
    case.satisfaction = None
    case.reopened += 1
    _keep(case, CaseStep.REOPENED, user, reason)
    return case


@transaction.atomic
def cases_escalate(*, today: date | None = None) -> list[RightsCase]:
    """Escalate every overdue open case not escalated yet to the county federation: the
    step is kept and the county's administrators and staff who see the case are notified.
    Run daily (``manage.py escalate_cases``); a case is escalated once."""
    from tongxin.inbox.choices import NotificationKind
    from tongxin.inbox.services.notifications import Note, notify, people_who_may

    today = today or timezone.localdate()
    late = list(
        RightsCase.objects.select_for_update()
        .filter(overdue_q(today), escalated_on__isnull=True)
        .select_related("chamber")
        .order_by("pk")
    )
    if not late:
        return []
    who = people_who_may(RightsCase.objects.filter(pk__in=[case.pk for case in late]), "view", roles=COUNTY_ROLES)
    notes = []
    for case in late:
        case.escalated_on = today
        _keep(case, CaseStep.ESCALATED, None, case.get_status_display())
        for person in sorted(who.get(case.pk, ())):
            notes.append(
                Note(
                    person,
                    NotificationKind.CASE_OVERDUE,
                    {"case": case.title, "chamber": case.chamber.name, "due": case.resolve_due},
                    case.get_absolute_url(),
                )
            )
    notify(notes)
    return late
