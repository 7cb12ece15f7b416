"""Reminders before the due date reach the liaison officer and the contacts by e-mail,
once per person and period, however often the command runs."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tongxin.accounts.choices import Role
from tongxin.pairing import services
from tongxin.pairing.models import ReminderSent
from tongxin.pairing.services.reminders import due_soon, send_reminders
from tongxin.testing.pairing import PairingWorld


def _emails(pworld: PairingWorld) -> None:
    for role, address in ((Role.LIAISON, "liaison@example.org"), (Role.ENTERPRISE_CONTACT, "boss@example.org")):
        person = pworld.world.users[role]
        person.email = address
        person.save()


@pytest.mark.django_db
def test_reminders_for_unsubmitted_reports_due_soon(pworld: PairingWorld) -> None:
    """Three days before 10 March, the February reports are due; the liaison and the
    enterprise contact of pair A each get one e-mail; nothing is due on 1 March yet."""
    _emails(pworld)
    assert due_soon(today=date(2026, 3, 1), days=3) == []
    out = StringIO()
    call_command("send_report_reminders", "--today", "2026-03-08", stdout=out)
    reminders = due_soon(today=date(2026, 3, 8), days=3)
    assert {r.pair for r in reminders} == {pworld.pair, pworld.pair_b, pworld.pair2}
    assert "3 reports due soon; 2 e-mails sent" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.org", "liaison@example.org"]
    assert all(len(m.to) == 1 and str(pworld.pair) in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_a_second_run_sends_nothing(pworld: PairingWorld) -> None:
    """Running the command twice the same day, and again the next day of the same period,
    sends each reminder once: the second and third runs send no e-mail and record nothing."""
    _emails(pworld)
    call_command("send_report_reminders", "--today", "2026-03-08", stdout=StringIO())
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2
    call_command("send_report_reminders", "--today", "2026-03-08", stdout=StringIO())
    assert send_reminders(today=date(2026, 3, 9), days=3).messages == 0
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2
    # The next period is a new reminder.
    send_reminders(today=date(2026, 4, 8), days=3)
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_one_message_per_person_listing_all_their_pairs(pworld: PairingWorld) -> None:
    """A liaison officer appointed to two pairs that are both due gets one e-mail naming
    both pairs; a submitted report is not reminded."""
    _emails(pworld)
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    services.liaison_appoint(
        campaign=pworld.campaign,
        user=admin,
        liaison=pworld.world.users[Role.LIAISON],
        pairs=[pworld.pair_b],
        term_start=date(2026, 1, 1),
        term_end=date(2027, 12, 31),
    )
    send_reminders(today=date(2026, 3, 8), days=3)
    to_liaison = [m for m in mail.outbox if m.to == ["liaison@example.org"]]
    assert len(to_liaison) == 1
    assert str(pworld.pair) in to_liaison[0].body and str(pworld.pair_b) in to_liaison[0].body
    mail.outbox.clear()
    services.report_submit(pair=pworld.pair, user=pworld.world.users[Role.LIAISON], period=date(2026, 3, 1))
    send_reminders(today=date(2026, 4, 8), days=3)
    (message,) = [m for m in mail.outbox if m.to == ["liaison@example.org"]]
    assert str(pworld.pair_b) in message.body and str(pworld.pair) + ":" not in message.body
