"""Whose inbox each workflow step lands in, and the notification they get.

Called by the services in the transaction of the step. The people are asked of the
access policy (:func:`~tongxin.inbox.services.notifications.people_who_may`) and of the
same separation-of-duties rules the next step's service applies, so a notification goes
only to someone who may take that next step.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from tongxin.accounts.choices import COUNTY_ROLES, Role
from tongxin.inbox.choices import NotificationKind
from tongxin.inbox.services.notifications import Note, notify, people_who_may, recipients_of
from tongxin.pairing.choices import PairStatus
from tongxin.pairing.models import Activity, Campaign, LiaisonAppointment, Pair, Participant, Report

if TYPE_CHECKING:
    from tongxin.pairing.services.review import ReviewStep

FILERS = frozenset({Role.LIAISON, Role.ENTERPRISE_CONTACT})
CONTACTS = frozenset({Role.ENTERPRISE_CONTACT, Role.VILLAGE_CONTACT})


def review_url(campaign_id: int, status: str) -> str:
    """The review queue of a campaign showing the proposals of one status."""
    return reverse("pairing:campaign_review", args=[campaign_id]) + f"?status={status}"


def proposal_step_waiting(*, pair: Pair, user: Any, kind: str, step: ReviewStep, reason: str = "") -> None:
    """The county people who may take ``step`` next on ``pair`` (not the proposer, not
    whoever gave the township's approval where the step says so, not ``user``)."""
    people = people_who_may(Pair.objects.filter(pk=pair.pk), step.action, roles=COUNTY_ROLES)
    exclude = [user.pk]
    if step.not_own:
        exclude.append(pair.proposed_by_id)
    if step.not_township_reviewer:
        exclude.append(pair.township_approved_by_id)
    args = {"actor": user, "pair": pair, "reason": reason}
    link = review_url(pair.campaign_id, pair.status)
    notify(Note(pk, kind, args, link) for pk in sorted(recipients_of(people, pair.pk, exclude=exclude)))


def review_opened(*, campaign: Campaign, user: Any, step: ReviewStep) -> None:
    """When the campaign enters review: each township reviewer, with how many proposals
    wait for them (those they may take ``step`` on: in their township, not their own)."""
    proposals = Pair.objects.filter(campaign=campaign, status__in=step.statuses)
    people = people_who_may(proposals, step.action, roles=frozenset({Role.TOWNSHIP_STAFF}))
    proposer = dict(proposals.values_list("pk", "proposed_by_id"))
    counts: dict[int, int] = defaultdict(int)
    for pair_id, users in people.items():
        for person in users:
            if not (step.not_own and proposer.get(pair_id) == person):
                counts[person] += 1
    link = review_url(campaign.pk, PairStatus.PROPOSED)
    notify(
        Note(person, NotificationKind.REVIEW_OPENED, {"campaign": campaign, "count": n}, link)
        for person, n in sorted(counts.items())
        if person != user.pk
    )


def report_submitted(*, report: Report, user: Any) -> None:
    """The township staff who may accept the report (the county's if the township has
    nobody), never whoever created or submitted it."""
    rows = Report.objects.filter(pk=report.pk)
    exclude = [user.pk, report.created_by_id, report.submitted_by_id]
    people = recipients_of(people_who_may(rows, "accept", roles={Role.TOWNSHIP_STAFF}), report.pk, exclude=exclude)
    if not people:
        people = recipients_of(people_who_may(rows, "accept", roles=COUNTY_ROLES), report.pk, exclude=exclude)
    args = {"actor": user, "pair": report.pair, "period": report.period.strftime("%Y-%m")}
    link = report.get_absolute_url()
    notify(Note(pk, NotificationKind.REPORT_SUBMITTED, args, link) for pk in sorted(people))


def report_returned(*, report: Report, user: Any, reason: str) -> None:
    """Whoever submitted or started the report, if they may still submit it."""
    may = people_who_may(Report.objects.filter(pk=report.pk), "submit").get(report.pk, set())
    people = {report.submitted_by_id, report.created_by_id} & may - {user.pk}
    args = {"actor": user, "pair": report.pair, "period": report.period.strftime("%Y-%m"), "reason": reason}
    link = reverse("pairing:pair_report", args=[report.pair_id, report.period.isoformat()])
    notify(Note(pk, NotificationKind.REPORT_RETURNED, args, link) for pk in sorted(p for p in people if p))


def ranking_opened(*, campaign: Campaign, user: Any) -> None:
    """Each contact of a participating enterprise or village, once per participant."""
    participants = Participant.objects.filter(campaign=campaign)
    people = people_who_may(participants, "rank", roles=CONTACTS)
    if not people:
        return
    names = {p.pk: str(p) for p in participants.filter(pk__in=list(people)).select_related("enterprise", "village")}
    notify(
        Note(
            person,
            NotificationKind.RANKING_OPENED,
            {"campaign": campaign, "party": names[pk]},
            reverse("pairing:campaign_rank", args=[campaign.pk, pk]),
        )
        for pk in sorted(people)
        for person in sorted(people[pk] - {user.pk})
    )


def activity_recorded(*, activity: Activity, user: Any) -> None:
    """The village contacts who may confirm the activity (never whoever recorded it)."""
    people = people_who_may(Activity.objects.filter(pk=activity.pk), "confirm", roles={Role.VILLAGE_CONTACT})
    exclude = [user.pk if user is not None else None, activity.created_by_id]
    args = {"actor": user or "", "activity": activity.title, "pair": activity.pair}
    notify(
        Note(pk, NotificationKind.ACTIVITY_AWAITING_CONFIRMATION, args, activity.get_absolute_url())
        for pk in sorted(recipients_of(people, activity.pk, exclude=exclude))
    )


def liaison_appointed(*, appointment: LiaisonAppointment, user: Any, pairs: int) -> None:
    """The liaison officer appointed (when the appointment is theirs to see)."""
    people = people_who_may(LiaisonAppointment.objects.filter(pk=appointment.pk), "view", roles={Role.LIAISON})
    args = {
        "campaign": appointment.campaign,
        "count": pairs,
        "start": appointment.term_start.isoformat(),
        "end": appointment.term_end.isoformat(),
    }
    notify(
        Note(pk, NotificationKind.LIAISON_APPOINTED, args, appointment.get_absolute_url())
        for pk in sorted(recipients_of(people, appointment.pk, exclude=[user.pk]))
    )
