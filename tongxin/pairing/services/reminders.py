"""Reminders before a report is due, for a scheduler to run daily."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _

from tongxin.pairing.choices import ReportStatus, Stage
from tongxin.pairing.models import Campaign, Pair, Report
from tongxin.pairing.services.reports import active_pairs, period_bounds, periods


@dataclass(frozen=True)
class Reminder:
    pair: Pair
    period: date
    due: date
    recipients: tuple[str, ...]


def due_soon(*, today: date, days: int = 3) -> list[Reminder]:
    """Pairs whose report for a period is due within ``days`` and not yet submitted."""
    from tongxin.accounts.models import User

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
            for pair in expected:
                if pair.pk in done:
                    continue
                people = User.objects.filter(is_active=True).exclude(email="")
                emails = {
                    *people.filter(appointments__pairs=pair).values_list("email", flat=True),
                    *people.filter(enterprise=pair.enterprise_id).values_list("email", flat=True),
                    *people.filter(village=pair.village_id).values_list("email", flat=True),
                }
                reminders.append(Reminder(pair=pair, period=period, due=due, recipients=tuple(sorted(emails))))
    return reminders


def send_reminders(*, today: date, days: int = 3) -> list[Reminder]:
    """E-mail every reminder that has recipients; return all reminders found."""
    reminders = due_soon(today=today, days=days)
    messages: list[tuple[str, str, str, list[str]]] = []
    for reminder in reminders:
        if not reminder.recipients:
            continue
        subject = _("Progress report due %(due)s: %(pair)s") % {"due": reminder.due, "pair": reminder.pair}
        body = _("The progress report of %(pair)s for %(period)s is due on %(due)s and has not been submitted yet.") % {
            "pair": reminder.pair,
            "period": reminder.period.strftime("%Y-%m"),
            "due": reminder.due,
        }
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, list(reminder.recipients)))
    send_mass_mail(tuple(messages), fail_silently=False)
    return reminders
