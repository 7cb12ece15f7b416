"""Reminders before a report is due, for a scheduler to run daily.

Every reminder sent is recorded (:class:`~tongxin.pairing.models.ReminderSent`, unique
per pair, period and person), so running the command twice, or on two days of the same
period, never sends the same reminder twice; a person with several pairs due gets one
message listing them all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tongxin.accounts.choices import Role
from tongxin.pairing.choices import ReminderKind, ReportStatus, Stage
from tongxin.pairing.models import Campaign, LiaisonAppointment, Pair, ReminderSent, Report
from tongxin.pairing.services.reports import active_pairs, period_bounds, periods


@dataclass(frozen=True)
class Recipient:
    """A person to remind: their user id and e-mail address."""

    user_id: int
    email: str


@dataclass(frozen=True)
class Reminder:
    """One pair whose report for ``period`` is due on ``due`` and not yet submitted."""

    pair: Pair
    period: date
    due: date
    recipients: tuple[Recipient, ...]

    @property
    def emails(self) -> tuple[str, ...]:
        return tuple(sorted({r.email for r in self.recipients}))


def _recipients(pairs: list[Pair], today: date) -> dict[int, set[Recipient]]:
    """Liaison officers appointed to each pair (term running on ``today``) and the
    enterprise and village contacts of its two parties (holding the hat now), with an
    e-mail address."""
    from tongxin.accounts.models import RoleAssignment, User
    from tongxin.accounts.roles import active_assignments_q

    by_pair: dict[int, set[Recipient]] = defaultdict(set)
    if not pairs:
        return by_pair
    people = User.objects.filter(is_active=True).exclude(email="")
    appointed = LiaisonAppointment.pairs.through.objects.filter(
        pair__in=pairs,
        liaisonappointment__term_start__lte=today,
        liaisonappointment__term_end__gte=today,
        liaisonappointment__liaison__in=people,
    ).values_list("pair_id", "liaisonappointment__liaison_id", "liaisonappointment__liaison__email")
    for pair_id, user_id, email in appointed:
        by_pair[pair_id].add(Recipient(user_id, email))
    contacts = RoleAssignment.objects.filter(
        active_assignments_q(),  # the people who hold the hat now, when the message goes out
        Q(role=Role.ENTERPRISE_CONTACT, enterprise__in={p.enterprise_id for p in pairs})
        | Q(role=Role.VILLAGE_CONTACT, village__in={p.village_id for p in pairs}),
        user__in=people,
    ).values_list("role", "enterprise_id", "village_id", "user_id", "user__email")
    by_enterprise: dict[int, set[Recipient]] = defaultdict(set)
    by_village: dict[int, set[Recipient]] = defaultdict(set)
    for role, enterprise_id, village_id, user_id, email in contacts:
        if role == Role.ENTERPRISE_CONTACT:
            by_enterprise[enterprise_id].add(Recipient(user_id, email))
        else:
            by_village[village_id].add(Recipient(user_id, email))
    for pair in pairs:
        by_pair[pair.pk] |= by_enterprise[pair.enterprise_id] | by_village[pair.village_id]
    return by_pair


def due_soon(*, today: date, days: int = 3) -> list[Reminder]:
    """Pairs whose report for a period is due within ``days`` and not yet submitted."""
    reminders: list[Reminder] = []
    for campaign in Campaign.objects.filter(stage=Stage.RUNNING):
        for period in periods(campaign, until=today):
            _start, end, due = period_bounds(campaign, period)
            if not (end < today <= due <= today + timedelta(days=days)):
                continue
            expected = active_pairs(Pair.objects.all(), campaign, period).select_related("enterprise", "village")
            done = set(
                Report.objects.filter(
                    pair__in=expected, period=period, status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
                ).values_list("pair_id", flat=True)
            )
            pending = [pair for pair in expected if pair.pk not in done]
            people = _recipients(pending, today)
            for pair in pending:
                recipients = tuple(sorted(people[pair.pk], key=lambda r: (r.email, r.user_id)))
                reminders.append(Reminder(pair=pair, period=period, due=due, recipients=recipients))
    return reminders


def _record(reminder: Reminder, recipient: Recipient) -> bool:
    """Record that ``recipient`` is reminded of ``reminder``; False if they already were."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                kind=ReminderKind.REPORT_DUE,
                pair=reminder.pair,
                period=reminder.period,
                recipient_id=recipient.user_id,
                email=recipient.email,
            )
    except IntegrityError:
        return False
    return True


def _message(email: str, items: list[Reminder]) -> EmailMessage:
    lines = [
        _("%(pair)s: the report for %(period)s is due on %(due)s.")
        % {"pair": r.pair, "period": r.period.strftime("%Y-%m"), "due": r.due}
        for r in sorted(items, key=lambda r: (r.due, str(r.pair)))
    ]
    subject = _("Progress reports due: %(n)d") % {"n": len(items)}
    body = "\n".join(
        [_("These progress reports have not been submitted yet:"), "", *lines, "", _("Please submit them on time.")]
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


@dataclass(frozen=True)
class ReminderRun:
    """What one run found (``reminders``, sent now or earlier) and how many e-mails it sent."""

    reminders: list[Reminder]
    messages: int


def send_reminders(*, today: date, days: int = 3) -> ReminderRun:
    """E-mail each person once, listing the pairs they have not been reminded of yet.

    A reminder is recorded before its message is sent, in the same transaction: if
    sending fails nothing is recorded, so the next run tries again.
    """
    reminders = due_soon(today=today, days=days)
    with transaction.atomic():
        pending: dict[str, list[Reminder]] = defaultdict(list)
        for reminder in reminders:
            for recipient in reminder.recipients:
                if _record(reminder, recipient):
                    pending[recipient.email].append(reminder)
        messages = [_message(email, items) for email, items in sorted(pending.items())]
        if messages:
            get_connection(fail_silently=False).send_messages(messages)
    return ReminderRun(reminders, len(messages))
