"""The daily e-mail digest of unread notifications, for the people who opt in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tongxin.inbox.choices import Digest
from tongxin.inbox.models import DigestSent, Notification

WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class DigestRun:
    """What one run found (people with unread notifications of the last day who opted in)
    and how many e-mails it sent (one per person and day, however often it runs)."""

    people: int
    messages: int


def absolute_url(path: str) -> str:
    """``path`` of this site as an address to open from an e-mail (``TONGXIN_SITE_URL``)."""
    return settings.TONGXIN_SITE_URL.rstrip("/") + path


def _message(email: str, name: str, notes: list[Notification]) -> EmailMessage:
    local = timezone.get_current_timezone()
    lines = []
    for note in notes:
        lines += [
            f"{note.created.astimezone(local):%Y-%m-%d %H:%M}  {note.text}",
            f"    {absolute_url(note.get_absolute_url())}",
        ]
    subject = _("Tongxin: %(n)d unread notifications") % {"n": len(notes)}
    body = "\n".join(
        [
            _("Dear %(name)s,") % {"name": name},
            "",
            _("These notifications of the last day are still unread:"),
            "",
            *lines,
            "",
            _("All your notifications: %(url)s") % {"url": absolute_url(reverse("inbox:notifications"))},
            _("You chose this daily e-mail in your notification settings: %(url)s")
            % {"url": absolute_url(reverse("inbox:preferences"))},
        ]
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def send_digests(*, now: datetime | None = None) -> DigestRun:
    """E-mail each person who chose the daily digest their notifications of the last day
    that are still unread: one message per person and day.

    Each digest is recorded (:class:`DigestSent`, unique per person and day) before the
    messages leave, in the same transaction: a second run the same day sends nothing
    more; if sending fails nothing is recorded and the next run tries again.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    unread = (
        Notification.objects.filter(
            recipient__is_active=True,
            recipient__notification_preference__email_digest=Digest.DAILY,
            read_at__isnull=True,
            created__gt=now - WINDOW,
            created__lte=now,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created", "pk")
    )
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for note in unread:
        by_person[note.recipient_id].append(note)
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        messages = []
        for notes in by_person.values():
            person = notes[0].recipient
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user=person, day=day, email=person.email, count=len(notes))
            except IntegrityError:
                continue  # today's digest went out already
            messages.append(_message(person.email, str(person), notes))
        if messages:
            get_connection(fail_silently=False).send_messages(messages)
    return DigestRun(len(by_person), len(messages))
