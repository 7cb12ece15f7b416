"""Bulk actions: each item through the service that acts on one (the same rules), the
refused ones named with their reason, the others done — on the pages and in the API;
催报 recorded and notified."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.inbox.choices import NotificationKind
from tongxin.inbox.models import Notification, ReportChase
from tongxin.pairing import services
from tongxin.pairing.choices import EventKind, PairStatus, ReportStatus
from tongxin.pairing.models import Report
from tongxin.testing.factories import township
from tongxin.testing.pairing import PairingWorld

from .conftest import InboxWorld, client_for


def said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def api_for(person: Any) -> APIClient:
    api = APIClient()
    api.cookies["django_language"] = "en"
    api.force_authenticate(person)
    return api


@pytest.mark.django_db
def test_township_bulk_review_does_its_own_and_names_the_rest(iworld: InboxWorld) -> None:
    """The township reviewer ticks its own proposal, another township's and an id that
    names nothing: its own is approved; the others are refused as not found, without the
    other township's names. Ticked again, its own is refused by name: already reviewed."""
    town = iworld.user(Role.TOWNSHIP_STAFF)
    client = client_for(town)
    url = reverse("pairing:campaign_review_bulk", args=[iworld.review.pk, "review"])
    ids = [iworld.proposal_a.pk, iworld.proposal_b.pk, 2_000_000_000]
    response = client.post(url, {"pairs": ids})
    assert response.status_code == 302
    messages = said(response)
    assert messages[0] == "Done: 1."
    assert f"No. {iworld.proposal_b.pk}: Not found." in messages and "No. 2000000000: Not found." in messages
    assert not any(iworld.proposal_b.village.name in m for m in messages)
    iworld.proposal_a.refresh_from_db()
    iworld.proposal_b.refresh_from_db()
    assert iworld.proposal_a.status == PairStatus.TOWNSHIP_APPROVED and iworld.proposal_b.status == PairStatus.PROPOSED
    client.get(response["Location"])  # the page shows (and so consumes) the messages
    again = said(client.post(url, {"pairs": [iworld.proposal_a.pk]}))
    assert again == [f"{iworld.proposal_a}: Not possible while the pair is “Approved by the township”."]


@pytest.mark.django_db
def test_county_bulk_approval_keeps_separation_of_duties(iworld: InboxWorld) -> None:
    """Both proposals approved by their townships: the county staff member who ran the
    matching is refused on each (nobody approves their own entry) — through the API the
    same; the administrator approves both in one request."""
    services.pair_township_approve(pair=iworld.proposal_a, user=iworld.user(Role.TOWNSHIP_STAFF))
    services.pair_township_approve(pair=iworld.proposal_b, user=iworld.town_b)
    ids = [iworld.proposal_a.pk, iworld.proposal_b.pk]
    staff = client_for(iworld.user(Role.COUNTY_STAFF))
    url = reverse("pairing:campaign_review_bulk", args=[iworld.review.pk, "approve"])
    assert said(staff.post(url, {"pairs": ids})) == [
        f"{iworld.proposal_a}: Nobody approves their own entry.",
        f"{iworld.proposal_b}: Nobody approves their own entry.",
    ]
    refused = api_for(iworld.user(Role.COUNTY_STAFF)).post(
        "/api/proposals/bulk/", {"action": "approve", "ids": ids}, format="json"
    )
    assert refused.status_code == 200 and refused.json()["done"] == []
    assert {r["code"] for r in refused.json()["refused"]} == {"own_entry"}
    done = api_for(iworld.user(Role.COUNTY_ADMIN)).post(
        "/api/proposals/bulk/", {"action": "approve", "ids": ids}, format="json"
    )
    assert done.status_code == 200 and done.json() == {"done": ids, "refused": []}
    assert set(iworld.review.pairs.values_list("status", flat=True)) == {PairStatus.APPROVED}


@pytest.mark.django_db
def test_bulk_return_needs_a_reason_and_records_it(iworld: InboxWorld) -> None:
    """Returning several needs a reason (without one nothing is returned); with one, each
    proposal is returned with it on its timeline."""
    client = client_for(iworld.town_b)
    url = reverse("pairing:campaign_review_bulk", args=[iworld.review.pk, "return"])
    assert said(client.post(url, {"pairs": [iworld.proposal_b.pk]})) == ["Give a reason."]
    iworld.proposal_b.refresh_from_db()
    assert iworld.proposal_b.status == PairStatus.PROPOSED
    client.post(url, {"pairs": [iworld.proposal_b.pk], "reason": "距离太远"})
    event = iworld.proposal_b.events.get(kind=EventKind.RETURNED)
    assert event.reason == "距离太远"


@pytest.mark.django_db
def test_review_queue_filters_by_status_and_offers_the_bulk_actions(iworld: InboxWorld) -> None:
    """The queue shows one status when asked (the inbox's links), answers 400 for an
    unknown status, and offers exactly the bulk actions the person may take."""
    town = client_for(iworld.user(Role.TOWNSHIP_STAFF))
    page = town.get(reverse("pairing:campaign_review", args=[iworld.review.pk]), {"status": "proposed"})
    html = page.content.decode()
    assert page.status_code == 200 and f"proposal-{iworld.proposal_a.pk}" in html
    assert 'data-testid="bulk-review"' in html and 'data-testid="bulk-return"' in html
    assert 'data-testid="bulk-approve"' not in html
    none = town.get(reverse("pairing:campaign_review", args=[iworld.review.pk]), {"status": "approved"})
    assert f"proposal-{iworld.proposal_a.pk}" not in none.content.decode()
    assert town.get(reverse("pairing:campaign_review", args=[iworld.review.pk]), {"status": "x"}).status_code == 400


@pytest.mark.django_db
def test_bulk_accept_reports_mixed(pworld: PairingWorld) -> None:
    """The township ticks a report submitted by the enterprise (accepted), one it
    submitted itself (refused: nobody accepts their own), a draft (refused: only submitted
    ones), another township's (not found, unnamed); the API refuses bad ids with 400."""
    w = pworld.world
    town, ent = w.users[Role.TOWNSHIP_STAFF], w.users[Role.ENTERPRISE_CONTACT]
    theirs = services.report_submit(pair=pworld.pair, user=ent, period=date(2026, 1, 1))
    own = services.report_submit(pair=pworld.pair, user=town, period=date(2026, 2, 1))
    draft = services.report_save(pair=pworld.pair, user=ent, period=date(2026, 3, 1), data={"jobs": 1})
    other = services.report_submit(pair=pworld.pair_b, user=w.users[Role.COUNTY_STAFF], period=date(2026, 1, 1))
    response = client_for(town).post(
        reverse("pairing:report_bulk_accept"), {"reports": [theirs.pk, own.pk, draft.pk, other.pk]}
    )
    assert said(response) == [
        "Done: 1.",
        f"{own}: Nobody accepts or returns a report they created or submitted.",
        f"{draft}: Only submitted reports can be reviewed.",
        f"No. {other.pk}: Not found.",
    ]
    statuses = dict(Report.objects.filter(pk__in=[theirs.pk, own.pk, draft.pk, other.pk]).values_list("pk", "status"))
    assert statuses == {
        theirs.pk: ReportStatus.ACCEPTED,
        own.pk: ReportStatus.SUBMITTED,
        draft.pk: ReportStatus.DRAFT,
        other.pk: ReportStatus.SUBMITTED,
    }
    api = api_for(w.users[Role.COUNTY_STAFF])
    accepted = api.post("/api/reports/bulk-accept/", {"ids": [own.pk, other.pk]}, format="json")
    assert accepted.json()["refused"] == [
        {
            "id": other.pk,
            "name": str(other),
            "reason": "Nobody accepts or returns a report they created or submitted.",
            "code": "own_entry",
        }
    ]
    assert api.post("/api/reports/bulk-accept/", {"ids": ["x"]}, format="json").status_code == 400
    assert api.post("/api/reports/bulk-accept/", {"ids": []}, format="json").status_code == 400
    assert api.post("/api/proposals/bulk/", {"action": "fly", "ids": [1]}, format="json").status_code == 400


@pytest.mark.django_db
def test_report_list_offers_the_boxes_to_acceptors_only(pworld: PairingWorld) -> None:
    """The report list has the bulk form and a box on each submitted report for those who
    may accept reports; a liaison officer's list has neither; an id that is not a number
    is an error message, nothing done."""
    w = pworld.world
    submitted = services.report_submit(pair=pworld.pair, user=w.users[Role.ENTERPRISE_CONTACT], period=date(2026, 1, 1))
    staff = client_for(w.users[Role.COUNTY_STAFF])
    html = staff.get(reverse("pairing:report_list")).content.decode()
    assert 'data-testid="report-bulk"' in html and f'name="reports" value="{submitted.pk}"' in html
    liaison = client_for(w.users[Role.LIAISON]).get(reverse("pairing:report_list")).content.decode()
    assert 'data-testid="report-bulk"' not in liaison and 'name="reports"' not in liaison
    bad = staff.post(reverse("pairing:report_bulk_accept"), {"reports": ["1; drop"]})
    assert bad.status_code == 302 and said(bad) == ["Give the number (id) of a record."]


@pytest.mark.django_db
def test_chase_is_recorded_and_notifies_the_liaison_officers(pworld: PairingWorld) -> None:
    """County staff call for the missing reports of township A, township B and a township
    without pairs: A and B are recorded (who, which pairs and reports) and the liaison
    officer of A's pair is notified once; the empty township is refused with the reason.
    A township reviewer may not call for another township's; the API does the same."""
    w = pworld.world
    staff, town, liaison = w.users[Role.COUNTY_STAFF], w.users[Role.TOWNSHIP_STAFF], w.users[Role.LIAISON]
    empty = township(w.county, 109, "空镇")
    Notification.objects.all().delete()
    url = reverse("pairing:campaign_late_remind", args=[pworld.campaign.pk])
    late = client_for(staff).get(reverse("pairing:campaign_late", args=[pworld.campaign.pk])).content.decode()
    assert 'data-testid="chase"' in late
    response = client_for(staff).post(url, {"townships": [w.township.pk, w.township_b.pk, empty.pk]})
    assert said(response) == ["Done: 2.", "空镇: No report is missing in 空镇."]
    chase = ReportChase.objects.get(township=w.township)
    assert chase.called_by == staff and list(chase.pairs.all()) == [pworld.pair]
    assert {item["period"] for item in chase.items} >= {"2026-01-01"} and chase.notified == 1
    assert any(item["report"] == pworld.report.pk for item in chase.items)
    note = Notification.objects.get(recipient=liaison)
    assert note.kind == NotificationKind.REPORTS_CALLED_FOR and str(pworld.pair) in note.text
    assert ReportChase.objects.count() == 2

    refused = said(client_for(town).post(url, {"townships": [w.township_b.pk]}))
    assert refused == [f"No. {w.township_b.pk}: Not found."]
    api = api_for(town)
    own = api.post(f"/api/campaigns/{pworld.campaign.pk}/remind/", {"townships": [w.township.pk]}, format="json")
    assert own.status_code == 200 and len(own.json()["done"]) == 1
    assert ReportChase.objects.filter(township=w.township, called_by=town).exists()
    forbidden = api_for(liaison).post(
        f"/api/campaigns/{pworld.campaign.pk}/remind/", {"townships": [w.township.pk]}, format="json"
    )
    assert forbidden.status_code == 403
    assert ReportChase.objects.count() == 3


@pytest.mark.django_db
def test_chase_button_only_for_those_who_may(pworld: PairingWorld) -> None:
    """The late page shows the 催报 form to township and county staff, not to the liaison
    officer, who may read the page."""
    w = pworld.world
    url = reverse("pairing:campaign_late", args=[pworld.campaign.pk])
    assert 'data-testid="chase"' in client_for(w.users[Role.TOWNSHIP_STAFF]).get(url).content.decode()
    liaison: Client = client_for(w.users[Role.LIAISON])
    page = liaison.get(url)
    assert page.status_code == 200 and 'data-testid="chase"' not in page.content.decode()
