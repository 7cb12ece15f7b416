"""Applications for membership: submitted → reviewed by the chamber → approved by the
council (a member from then on), or returned with a reason at either step.

Separation of duties: the review and the approval are recorded by different people, and
nobody reviews or approves an application they submitted.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.chambers.choices import ApplicationStatus, MemberStatus
from tongxin.chambers.models import APPROVE, RETURN, REVIEW, Application, Membership
from tongxin.chambers.services.members import REASON_MAX, record_step
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import require


def _locked(application: Application) -> Application:
    locked: Application = Application.objects.select_for_update().get(pk=application.pk)
    return locked


def _not_own(application: Application, user: Any) -> None:
    if application.submitted_by_id is not None and application.submitted_by_id == getattr(user, "pk", None):
        raise WorkflowError(_("Nobody reviews or approves an application they submitted."), "own")


@transaction.atomic
def application_review(*, user: Any, application: Application) -> Application:
    """The chamber's review: the application goes to the council."""
    require(user, application, REVIEW)
    application = _locked(application)
    if application.status != ApplicationStatus.SUBMITTED:
        raise WorkflowError(_("Only a submitted application can be reviewed."), "status")
    _not_own(application, user)
    application.status = ApplicationStatus.REVIEWED
    application.reviewed_by = user
    application.save()
    return application


@transaction.atomic
def application_return(*, user: Any, application: Application, reason: str) -> Application:
    """Return a submitted or reviewed application with the reason (shown to the applicant)."""
    require(user, application, RETURN)
    application = _locked(application)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED):
        raise WorkflowError(_("Only an open application can be returned."), "status")
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for returning the application."), "reason")
    if len(reason) > REASON_MAX:
        raise WorkflowError(_("The reason is too long."), "reason")
    application.status = ApplicationStatus.RETURNED
    application.reason = reason
    application.decided_by = user
    application.decided_on = timezone.localdate()
    application.save()
    return application


@transaction.atomic
def application_approve(*, user: Any, application: Application) -> Application:
    """The council's approval, recorded by someone other than the reviewer: the applicant
    becomes a current member of the chamber (an existing membership of theirs, resigned
    or lapsed, is taken up again rather than doubled)."""
    require(user, application, APPROVE)
    application = _locked(application)
    if application.status != ApplicationStatus.REVIEWED:
        raise WorkflowError(_("Only a reviewed application can be approved."), "status")
    _not_own(application, user)
    if application.reviewed_by_id == getattr(user, "pk", None):
        raise WorkflowError(_("The review and the approval are recorded by different people."), "separation")
    membership = None
    if application.enterprise_id is not None:
        membership = Membership.objects.filter(chamber=application.chamber, enterprise=application.enterprise).first()
        if membership is not None and membership.status not in (MemberStatus.LAPSED, MemberStatus.APPLIED):
            raise WorkflowError(_("This enterprise is a member of this chamber already."), "member")
    if membership is None:
        membership = Membership(
            chamber=application.chamber,
            kind=application.kind,
            enterprise=application.enterprise,
            name=application.name,
            work_unit=application.work_unit,
            level=application.level,
        )
        membership.full_clean(exclude=["version"])
        membership.save()
    else:
        membership.level = application.level
    today = timezone.localdate()
    record_step(membership=membership, to=MemberStatus.CURRENT, on=today, reason=_("Application approved"), user=user)
    application.status = ApplicationStatus.APPROVED
    application.decided_by = user
    application.decided_on = today
    application.membership = membership
    application.save()
    return application
