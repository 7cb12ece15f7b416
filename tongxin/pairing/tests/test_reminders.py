"""Reminders before the due date reach the liaison officer and the contacts by e-mail."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tongxin.accounts.choices import Role
from tongxin.pairing.services.reminders import due_soon
from tongxin.testing.pairing import PairingWorld


@pytest.mark.django_db
def test_reminders_for_unsubmitted_reports_due_soon(pworld: PairingWorld) -> None:
    """Three days before 10 March, the February reports are due; the liaison and the
    enterprise contact of pair A get an e-mail; nothing is due on 1 March yet."""
    liaison = pworld.world.users[Role.LIAISON]
    liaison.email = "liaison@example.org"
    liaison.save()
    contact = pworld.world.users[Role.ENTERPRISE_CONTACT]
    contact.email = "boss@example.org"
    contact.save()
    assert due_soon(today=date(2026, 3, 1), days=3) == []
    out = StringIO()
    call_command("send_report_reminders", "--today", "2026-03-08", stdout=out)
    reminders = due_soon(today=date(2026, 3, 8), days=3)
    assert {r.pair for r in reminders} == {pworld.pair, pworld.pair_b, pworld.pair2}
    assert "3 reports due soon" in out.getvalue()
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["boss@example.org", "liaison@example.org"]
