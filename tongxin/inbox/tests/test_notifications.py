"""Notifications: written by the services in the step's transaction, for the people who
may take the next step; read through the bell, the list and opening them; another
person's are 404; the daily e-mail digest goes out once."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.core.models import ObjectChange
from tongxin.inbox.choices import Digest, NotificationKind
from tongxin.inbox.models import DigestSent, Notification, NotificationPreference
from tongxin.inbox.services.digest import send_digests
from tongxin.inbox.services.notifications import Note, notify
from tongxin.pairing import services
from tongxin.pairing.models import Activity, Report
from tongxin.pairing.services import PairingError
from tongxin.testing.factories import user
from tongxin.testing.pairing import PairingWorld, campaign_for, participant

from .conftest import InboxWorld, client_for


def forget_notifications() -> None:
    """Start from empty inboxes (building the world through the services notified people)."""
    Notification.objects.all().delete()


def kinds_of(person: object) -> list[str]:
    return list(Notification.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True))


@pytest.mark.django_db
def test_review_steps_notify_the_county_who_may_decide(iworld: InboxWorld) -> None:
    """A township approval reaches the county administrator (not the county staff member
    who proposed it by running the matching, not the township reviewer), linking to the
    queue of proposals awaiting approval; a return reaches them with the reason."""
    admin, staff, town = (iworld.user(r) for r in (Role.COUNTY_ADMIN, Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF))
    forget_notifications()
    services.pair_township_approve(pair=iworld.proposal_a, user=town)
    note = Notification.objects.get(recipient=admin, kind=NotificationKind.PROPOSAL_AWAITING_APPROVAL)
    assert note.link == reverse("pairing:campaign_review", args=[iworld.review.pk]) + "?status=township_approved"
    assert str(iworld.proposal_a) in note.text and str(town) in note.text
    assert NotificationKind.PROPOSAL_AWAITING_APPROVAL not in kinds_of(staff) + kinds_of(town)

    services.pair_return(pair=iworld.proposal_b, user=iworld.town_b, reason="村里不同意")
    returned = Notification.objects.get(recipient=admin, kind=NotificationKind.PROPOSAL_RETURNED)
    assert "村里不同意" in returned.text and returned.args["pair"] == str(iworld.proposal_b)
    assert NotificationKind.PROPOSAL_RETURNED not in kinds_of(staff)
    # Written in the step's transaction and logged like every write.
    notes = ContentType.objects.get_for_model(Notification)
    assert ObjectChange.objects.filter(changed_object_type=notes, changed_object_id=returned.pk).exists()


@pytest.mark.django_db
def test_opening_review_and_selection_notify_township_and_contacts(pworld: PairingWorld) -> None:
    """Opening selection tells each contact of an enrolled enterprise or village to rank,
    linking to its own ranking page; entering review tells each township reviewer how
    many proposals wait for them. Nobody outside the county hears of it."""
    w = pworld.world
    admin, staff = w.users[Role.COUNTY_ADMIN], w.users[Role.COUNTY_STAFF]
    campaign = campaign_for(w.county, "2028村企共建")
    forget_notifications()
    services.campaign_advance(campaign=campaign, user=admin, to="selection")
    ent = Notification.objects.get(recipient=w.users[Role.ENTERPRISE_CONTACT], kind=NotificationKind.RANKING_OPENED)
    assert ent.link == reverse("pairing:campaign_rank", args=[campaign.pk, participant(campaign, w.enterprise).pk])
    assert Notification.objects.filter(recipient=w.users[Role.VILLAGE_CONTACT], kind="ranking_opened").count() == 1
    for enterprise, village in ((w.enterprise, w.village), (w.enterprise_b, w.village_b)):
        services.preferences_set(participant=participant(campaign, enterprise), user=staff, partners=[village.pk])
        services.preferences_set(participant=participant(campaign, village), user=staff, partners=[enterprise.pk])
    services.campaign_advance(campaign=campaign, user=admin, to="matching")
    services.match_run_create(campaign=campaign, user=staff)
    services.campaign_advance(campaign=campaign, user=admin, to="review")
    review = Notification.objects.get(recipient=w.users[Role.TOWNSHIP_STAFF], kind=NotificationKind.REVIEW_OPENED)
    assert review.args["count"] == 1
    assert not Notification.objects.filter(recipient__username__in=["admin2", "staff2", "town2_1"]).exists()


@pytest.mark.django_db
def test_reports_notify_acceptors_and_filers(pworld: PairingWorld) -> None:
    """A submitted report reaches the township staff who may accept it (not the
    submitter); a returned report reaches whoever submitted it, linking to its form."""
    w = pworld.world
    ent, town, staff = w.users[Role.ENTERPRISE_CONTACT], w.users[Role.TOWNSHIP_STAFF], w.users[Role.COUNTY_STAFF]
    forget_notifications()
    report = services.report_submit(pair=pworld.pair, user=ent, period=date(2026, 1, 1))
    note = Notification.objects.get(kind=NotificationKind.REPORT_SUBMITTED)
    assert note.recipient == town and note.link == report.get_absolute_url()
    services.report_return(report=report, user=town, reason="缺少照片")
    back = Notification.objects.get(kind=NotificationKind.REPORT_RETURNED)
    assert back.recipient == ent and "缺少照片" in back.text
    assert back.link == reverse("pairing:pair_report", args=[pworld.pair.pk, "2026-01-01"])
    assert NotificationKind.REPORT_SUBMITTED not in kinds_of(staff)  # the township answers first


@pytest.mark.django_db
def test_activity_and_appointment_notify_the_village_and_the_liaison(pworld: PairingWorld) -> None:
    """An activity recorded on the page or through the API waits for the village's
    confirmation (never notifying whoever recorded it); an appointment reaches the
    liaison officer appointed."""
    w = pworld.world
    liaison, vil = w.users[Role.LIAISON], w.users[Role.VILLAGE_CONTACT]
    forget_notifications()
    page = client_for(liaison).post(
        reverse("pairing:activity_add"),
        {"pair": pworld.pair.pk, "head": "service", "date": "2026-04-01", "title": "送技术下乡", "amount": "0"},
    )
    assert page.status_code == 302, page.content.decode()[:500]
    recorded = Activity.objects.get(title="送技术下乡")
    note = Notification.objects.get(recipient=vil, kind=NotificationKind.ACTIVITY_AWAITING_CONFIRMATION)
    assert note.link == recorded.get_absolute_url() and "送技术下乡" in note.text
    api = APIClient()
    api.force_authenticate(liaison)
    made = api.post(
        "/api/activities/",
        {"pair": pworld.pair.pk, "head": "party", "date": "2026-04-02", "title": "主题党日", "amount": "0"},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert Notification.objects.filter(recipient=vil, kind="activity_awaiting_confirmation").count() == 2
    assert not Notification.objects.filter(recipient=liaison).exists()

    other = user("liaison7", Role.LIAISON, county=w.county)
    services.liaison_appoint(
        campaign=pworld.campaign,
        user=w.users[Role.COUNTY_ADMIN],
        liaison=other,
        pairs=[pworld.pair_b],
        term_start=date(2026, 1, 1),
        term_end=date(2026, 12, 31),
    )
    assert kinds_of(other) == [NotificationKind.LIAISON_APPOINTED]


@pytest.mark.django_db
def test_a_refused_step_notifies_nobody(iworld: InboxWorld) -> None:
    """The notification is written in the step's transaction: a step that is refused
    (here: the county staff member who ran the matching approving it) leaves none."""
    services.pair_township_approve(pair=iworld.proposal_a, user=iworld.user(Role.TOWNSHIP_STAFF))
    before = Notification.objects.count()
    with pytest.raises(PairingError):
        services.pair_approve(pair=iworld.proposal_a, user=iworld.user(Role.COUNTY_STAFF))
    with pytest.raises(Http404):  # another township's proposal
        services.pair_township_approve(pair=iworld.proposal_b, user=iworld.user(Role.TOWNSHIP_STAFF))
    with pytest.raises(PermissionDenied):  # seen, but the county's approval is not the township's
        services.pair_approve(pair=iworld.proposal_a, user=iworld.user(Role.TOWNSHIP_STAFF))
    assert Notification.objects.count() == before


def _three_notes(pworld: PairingWorld) -> list[Notification]:
    forget_notifications()
    w = pworld.world
    town = w.users[Role.TOWNSHIP_STAFF]
    return notify(
        [
            Note(town.pk, NotificationKind.REPORT_SUBMITTED, {"actor": "甲", "pair": "一", "period": "2026-01"}, "/"),
            Note(town.pk, NotificationKind.REPORT_SUBMITTED, {"actor": "乙", "pair": "二", "period": "2026-02"}, "/x/"),
            Note(w.users[Role.COUNTY_STAFF].pk, NotificationKind.REPORT_SUBMITTED, {"pair": "别人"}, "/"),
        ]
    )


@pytest.mark.django_db
def test_bell_list_open_and_read_all(pworld: PairingWorld) -> None:
    """Every page has the bell; it counts the person's unread notifications; the list
    filters read and unread; opening one (GET) shows it unchanged, its button (POST) marks
    it read and goes to its page; "mark all
    read" (POST with the CSRF token) empties the bell."""
    town = pworld.world.users[Role.TOWNSHIP_STAFF]
    mine = _three_notes(pworld)[:2]
    client = client_for(town)
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="bell"' in home and reverse("inbox:bell") in home
    assert 'data-testid="bell-count">2<' in client.get(reverse("inbox:bell")).content.decode()

    shown = client.get(mine[1].get_absolute_url())
    assert shown.status_code == 200 and 'data-testid="open-notification"' in shown.content.decode()
    mine[1].refresh_from_db()
    assert mine[1].read_at is None  # looking at it (GET) changes nothing
    opened = client.post(mine[1].get_absolute_url())
    assert opened.status_code == 302 and opened["Location"] == "/x/"
    mine[1].refresh_from_db()
    assert mine[1].read_at is not None
    assert 'data-testid="bell-count">1<' in client.get(reverse("inbox:bell")).content.decode()
    unread = client.get(reverse("inbox:notifications"), {"state": "unread"}).content.decode()
    read = client.get(reverse("inbox:notifications"), {"state": "read"}).content.decode()
    assert f"notification-{mine[0].pk}" in unread and f"notification-{mine[1].pk}" not in unread
    assert f"notification-{mine[1].pk}" in read and f"notification-{mine[0].pk}" not in read
    assert client.get(reverse("inbox:notifications"), {"state": "nonsense"}).status_code == 400

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(town)
    assert strict.post(reverse("inbox:notifications_read")).status_code == 403
    assert Notification.objects.filter(recipient=town, read_at__isnull=True).count() == 1
    done = client.post(reverse("inbox:notifications_read"))
    assert done.status_code == 302
    assert not Notification.objects.filter(recipient=town, read_at__isnull=True).exists()
    assert "bell-count" not in client.get(reverse("inbox:bell")).content.decode()
    # Others' notifications stay unread; the change log has the read marks.
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    notes = ContentType.objects.get_for_model(Notification)
    assert ObjectChange.objects.filter(
        changed_object_type=notes, changed_object_id=mine[0].pk, action="update"
    ).exists()


@pytest.mark.django_db
def test_other_peoples_notifications_are_404(pworld: PairingWorld) -> None:
    """Opening someone else's notification is 404 for everyone, the county administrator
    and a superuser included, and it stays unread; no list shows it."""
    from tongxin.accounts.models import User

    others = _three_notes(pworld)[2]
    w = pworld.world
    root = User.objects.create_superuser("root-inbox", password="x")
    for person in (w.users[Role.TOWNSHIP_STAFF], w.users[Role.COUNTY_ADMIN], root):
        client = client_for(person)
        assert client.get(others.get_absolute_url()).status_code == 404
        assert client.post(others.get_absolute_url()).status_code == 404
        assert f"notification-{others.pk}" not in client.get(reverse("inbox:notifications")).content.decode()
    assert (
        client_for(w.users[Role.TOWNSHIP_STAFF]).get(reverse("inbox:notification_open", args=[10**12])).status_code
        == 404
    )
    others.refresh_from_db()
    assert others.read_at is None


@pytest.mark.django_db
def test_preference_page(pworld: PairingWorld) -> None:
    """A person chooses the daily digest for themselves (recorded in the change log); a
    value that is not a choice is a form error (400)."""
    town = pworld.world.users[Role.TOWNSHIP_STAFF]
    client = client_for(town)
    assert client.get(reverse("inbox:preferences")).status_code == 200
    assert client.post(reverse("inbox:preferences"), {"email_digest": "hourly"}).status_code == 400
    assert client.post(reverse("inbox:preferences"), {"email_digest": "daily"}).status_code == 302
    preference = NotificationPreference.objects.get(user=town)
    assert preference.email_digest == Digest.DAILY
    kind = ContentType.objects.get_for_model(NotificationPreference)
    assert ObjectChange.objects.filter(changed_object_type=kind, changed_object_id=preference.pk).exists()


@pytest.mark.django_db
def test_digest_sends_once_a_day(pworld: PairingWorld) -> None:
    """Only people who chose the digest and have an e-mail address get one message, with
    their unread notifications of the last day (not older, not read); running it twice the
    same day — command or service — sends nothing more; the next day sends again."""
    w = pworld.world
    town, staff = w.users[Role.TOWNSHIP_STAFF], w.users[Role.COUNTY_STAFF]
    for person, address in ((town, "town@example.org"), (staff, "staff@example.org")):
        person.email = address
        person.save()
    NotificationPreference(user=town, email_digest=Digest.DAILY).save()
    notes = _three_notes(pworld)  # two for the township, one for county staff (no digest chosen)
    old = notes[1]
    Notification.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=2))

    out = StringIO()
    call_command("send_notification_digest", stdout=out)
    assert "1 e-mails sent" in out.getvalue()
    (message,) = mail.outbox
    assert message.to == ["town@example.org"]
    with translation.override(settings.LANGUAGE_CODE):  # the digest is written in the site's language
        assert notes[0].text in message.body and old.text not in message.body
    assert DigestSent.objects.get(user=town).count == 1

    call_command("send_notification_digest", stdout=StringIO())
    assert send_digests().messages == 0
    assert len(mail.outbox) == 1
    tomorrow = timezone.now() + timedelta(days=1)
    Notification.objects.filter(pk=notes[0].pk).update(created=tomorrow - timedelta(hours=1))
    assert send_digests(now=tomorrow).messages == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_digest_links_are_absolute(pworld: PairingWorld, settings: Any) -> None:
    """The digest's links are whole addresses built from ``TONGXIN_SITE_URL``: each
    notification's page, the list and the e-mail settings (a relative path in an e-mail
    opens nothing)."""
    settings.TONGXIN_SITE_URL = "https://tongxin.example.gov.cn/"
    town = pworld.world.users[Role.TOWNSHIP_STAFF]
    town.email = "town@example.org"
    town.save()
    NotificationPreference(user=town, email_digest=Digest.DAILY).save()
    notes = _three_notes(pworld)
    send_digests()
    (message,) = mail.outbox
    for path in (
        notes[0].get_absolute_url(),
        notes[1].get_absolute_url(),
        "/notifications/",
        "/notifications/preferences/",
    ):
        assert f"https://tongxin.example.gov.cn{path}" in message.body.split(), path
    assert "https://tongxin.example.gov.cn//" not in message.body


@pytest.mark.django_db
def test_digest_task_runs_the_same_service(pworld: PairingWorld) -> None:
    """The django-tasks task ``send_notification_digest`` sends the same digest."""
    from tongxin.inbox.tasks import send_notification_digest

    town = pworld.world.users[Role.TOWNSHIP_STAFF]
    town.email = "town@example.org"
    town.save()
    NotificationPreference(user=town, email_digest=Digest.DAILY).save()
    _three_notes(pworld)
    result = send_notification_digest.enqueue()
    assert result.return_value == 1
    assert [m.to for m in mail.outbox] == [["town@example.org"]]


@pytest.mark.django_db
def test_notifications_do_not_leak_through_reports(pworld: PairingWorld) -> None:
    """A township reviewer is never notified about a report of another township."""
    w = pworld.world
    forget_notifications()
    services.report_submit(pair=pworld.pair_b, user=w.users[Role.COUNTY_STAFF], period=date(2026, 1, 1))
    assert not Notification.objects.filter(recipient=w.users[Role.TOWNSHIP_STAFF]).exists()
    assert Notification.objects.filter(recipient__username="town_b1", kind="report_submitted").count() == 1
    assert Report.objects.get(pair=pworld.pair_b, period=date(2026, 1, 1)).status == "submitted"
