"""Member activities: sign-up (by the member or the chamber's staff), attendance (the
staff, on or after the day), feedback (the member who came)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.chambers.choices import ACTIVE_STATUSES
from tongxin.chambers.models import ATTEND, SIGN_UP, ActivitySignup, MemberActivity, Membership
from tongxin.chambers.services.members import speaks_for
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import VIEW, require, restrict

FEEDBACK_MAX = 500


@transaction.atomic
def activity_sign_up(*, user: Any, activity: MemberActivity, membership: Membership) -> ActivitySignup:
    """Sign a member in good standing of the activity's chamber up, before sign-up closes
    and while places are left; once."""
    require(user, activity, SIGN_UP)
    activity = MemberActivity.objects.select_for_update().get(pk=activity.pk)
    if not restrict(Membership.objects.filter(pk=membership.pk), user, VIEW).exists():
        raise WorkflowError(_("Choose one of your members."), "membership")
    if membership.chamber_id != activity.chamber_id or membership.status not in ACTIVE_STATUSES:
        raise WorkflowError(_("Only current members of the chamber sign up."), "membership")
    if timezone.localdate() > activity.last_signup_day:
        raise WorkflowError(_("Sign-up for this activity is closed."), "closed")
    if ActivitySignup.objects.filter(activity=activity, membership=membership).exists():
        raise WorkflowError(_("This member has signed up already."), "twice")
    if activity.capacity and activity.signups.count() >= activity.capacity:
        raise WorkflowError(_("The activity is full."), "full")
    signup = ActivitySignup(activity=activity, membership=membership)
    signup.save()
    return signup


@transaction.atomic
def activity_attendance(*, user: Any, activity: MemberActivity, present: set[int]) -> int:
    """Record who came (the sign-ups in ``present``) and who did not (the others), on or
    after the day of the activity. Returns how many came."""
    require(user, activity, ATTEND)
    if timezone.localdate() < activity.held_on:
        raise WorkflowError(_("Attendance is recorded on or after the day of the activity."), "date")
    came = 0
    for signup in ActivitySignup.objects.select_for_update().filter(activity=activity).order_by("pk"):
        attended = signup.pk in present
        came += attended
        if signup.attended != attended:
            signup.attended = attended
            signup.save()
    return came


@transaction.atomic
def activity_feedback(*, user: Any, signup: ActivitySignup, rating: int, text: str = "") -> ActivitySignup:
    """The member's feedback, 1–5, once they came (a member's hat may sign up: it is theirs)."""
    require(user, signup.activity, SIGN_UP)
    signup = ActivitySignup.objects.select_for_update().get(pk=signup.pk)
    if not speaks_for(user, signup.membership):
        raise WorkflowError(_("Only the member gives feedback."), "member")
    if not signup.attended:
        raise WorkflowError(_("Feedback is given after attending."), "attended")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise WorkflowError(_("Rate from 1 to 5."), "rating")
    text = (text or "").strip()
    if len(text) > FEEDBACK_MAX:
        raise WorkflowError(_("The text is too long."), "text")
    signup.rating, signup.feedback = rating, text
    signup.save()
    return signup
