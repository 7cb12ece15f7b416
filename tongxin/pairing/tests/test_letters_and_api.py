"""Letters (numbering, PDF content, access) and the pairing API end to end."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.pairing import services
from tongxin.pairing.choices import PairStatus, Stage
from tongxin.pairing.models import Letter, Report
from tongxin.testing.factories import World
from tongxin.testing.pairing import PairingWorld, campaign_for
from tongxin.testing.sheets import table_rows


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.django_db
def test_letters_numbered_without_gaps_and_contain_the_names(pworld: PairingWorld) -> None:
    """Two letters of responsibility get numbers 1 and 2 of the year; issuing again returns
    the same letter; the PDF text names the enterprise, the village and the number."""
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    first = services.letter_issue_responsibility(pair=pworld.pair, user=admin)
    second = services.letter_issue_responsibility(pair=pworld.pair_b, user=admin)
    again = services.letter_issue_responsibility(pair=pworld.pair, user=admin)
    assert (first.number, second.number) == (1, 2) and again.pk == first.pk
    year = first.year
    assert first.doc_number == f"统建〔{year}〕1号"
    text = _text(bytes(first.pdf)).replace(" ", "").replace("\n", "")
    for expected in (pworld.pair.enterprise.name, pworld.pair.village.name, f"〔{year}〕1号"):
        assert expected in text
    appointment = services.letter_issue_appointment(appointment=pworld.appointment, user=admin)
    assert appointment.number == 1 and appointment.kind == "appointment"
    assert str(pworld.world.users[Role.LIAISON]) in _text(bytes(appointment.pdf)).replace(" ", "")
    with pytest.raises(PermissionDenied):  # township staff see the pair but issue no letters
        services.letter_issue_responsibility(pair=pworld.pair, user=pworld.world.users[Role.TOWNSHIP_STAFF])


@pytest.mark.django_db
def test_letter_download_follows_pair_scope(pworld: PairingWorld) -> None:
    """The PDF downloads for people who see the pair and is 404 for everyone else."""
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    letter = services.letter_issue_responsibility(pair=pworld.pair_b, user=admin)
    url = reverse("pairing:letter_pdf", args=[letter.pk])
    client = Client()
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(pworld.world.users[Role.TOWNSHIP_STAFF])  # township A; the pair is in B
    assert client.get(url).status_code == 404
    preview = Client()
    preview.force_login(admin)
    html = preview.get(reverse("pairing:pair_letter_preview", args=[pworld.pair.pk])).content.decode()
    assert pworld.pair.enterprise.name in html
    appointment_html = preview.get(
        reverse("pairing:appointment_letter_preview", args=[pworld.appointment.pk])
    ).content.decode()
    assert str(pworld.world.users[Role.LIAISON]) in appointment_html
    assert Letter.objects.count() == 1


@pytest.mark.django_db
def test_api_journey(world: World, django_capture_on_commit_callbacks: Any) -> None:
    """Rankings, matching, review, approval, letter, report and the reporting numbers,
    all through /api/."""
    admin, staff = world.users[Role.COUNTY_ADMIN], world.users[Role.COUNTY_STAFF]
    township = world.users[Role.TOWNSHIP_STAFF]
    campaign = campaign_for(world.county)
    services.campaign_advance(campaign=campaign, user=admin, to=Stage.SELECTION)
    api = APIClient()
    api.force_authenticate(world.users[Role.ENTERPRISE_CONTACT])
    url = reverse("campaign-preferences", args=[campaign.pk])
    mine = api.get(url).json()
    assert len(mine) == 1 and mine[0]["enterprise"] == world.enterprise.pk
    ranking = {"participant": mine[0]["id"], "partners": [world.village.pk], "version": mine[0]["version"]}
    posted = api.post(url, ranking, format="json")
    assert posted.status_code == 200 and posted.json()[0]["ranking"] == [world.village.pk]
    api.force_authenticate(world.users[Role.VILLAGE_CONTACT])
    mine = api.get(url).json()
    ranking = {"participant": mine[0]["id"], "partners": [world.enterprise.pk], "version": mine[0]["version"]}
    assert api.post(url, ranking, format="json").status_code == 200
    api.force_authenticate(admin)
    assert (
        api.post(reverse("campaign-advance", args=[campaign.pk]), {"to": "matching"}, format="json").status_code == 200
    )
    api.force_authenticate(staff)
    with django_capture_on_commit_callbacks(execute=True):  # the run's task, enqueued on commit
        run = api.post(reverse("campaign-match", args=[campaign.pk]), {}, format="json")
    assert run.status_code == 202 and run.json()["status"] == "pending"
    done = api.get(run.json()["status_url"]).json()
    assert done["status"] == "done" and done["pairs"] == 1
    api.force_authenticate(admin)
    api.post(reverse("campaign-advance", args=[campaign.pk]), {"to": "review"}, format="json")
    api.force_authenticate(township)
    proposals = api.get(reverse("proposal-list")).json()["results"]
    assert (len(proposals) == 1 and "Mutual" in proposals[0]["why"]) or "互" in proposals[0]["why"]
    pk = proposals[0]["id"]
    assert api.post(reverse("proposal-approve", args=[pk])).status_code == 403  # the county approves
    assert api.post(reverse("proposal-review", args=[pk])).status_code == 200
    api.force_authenticate(admin)
    approved = api.post(reverse("proposal-approve", args=[pk]))
    assert approved.status_code == 200 and approved.json()["status"] == PairStatus.APPROVED
    assert api.get(reverse("pair-letter", args=[pk])).status_code == 404
    pdf = api.post(reverse("pair-letter-issue", args=[pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    api.post(reverse("campaign-advance", args=[campaign.pk]), {"to": "approved"}, format="json")
    api.post(reverse("campaign-advance", args=[campaign.pk]), {"to": "running"}, format="json")
    api.force_authenticate(world.users[Role.ENTERPRISE_CONTACT])
    draft = api.post(reverse("report-list"), {"pair": pk, "period": "2026-01-01", "jobs": 2}, format="json")
    assert draft.status_code == 201, draft.content
    submitted = api.post(reverse("report-submit", args=[draft.json()["id"]]))
    assert submitted.json()["status"] == "submitted"
    api.force_authenticate(township)
    assert api.post(reverse("report-accept", args=[draft.json()["id"]])).json()["status"] == "accepted"
    numbers = api.get(reverse("api-reporting"), {"campaign": campaign.pk, "period": "2026-01"}).json()
    total = numbers["rows"][-1]
    assert (total["expected"], total["submitted"]) == (1, 1) and total["completeness"] == 100.0
    assert Report.objects.count() == 1
    api.force_authenticate(world.users[Role.VILLAGE_CONTACT])
    assert api.get(reverse("api-reporting"), {"campaign": campaign.pk, "period": "bad"}).status_code == 400


@pytest.mark.django_db
def test_dashboard_and_exports_render(pworld: PairingWorld) -> None:
    """The dashboard renders every chart and each table behind a chart exports to Excel;
    the pair ledger export has one row per approved pair."""
    from openpyxl import load_workbook

    client = Client()
    client.force_login(pworld.world.users[Role.COUNTY_STAFF])
    campaign = pworld.campaign
    page = client.get(reverse("pairing:campaign_dashboard", args=[campaign.pk]), {"period": "2026-01"})
    assert page.status_code == 200
    for key in ("coverage", "modes", "indicators", "trend", "reporting", "rates", "heads"):
        assert f'data-testid="chart-{key}"' in page.content.decode()
        export = client.get(reverse("pairing:campaign_dashboard_export", args=[campaign.pk, key]))
        assert export.status_code == 200
    ledger = client.get(reverse("pairing:campaign_ledger", args=[campaign.pk]))
    rows = table_rows(load_workbook(io.BytesIO(ledger.content)).active)
    assert len(rows) == 1 + 2 and {r[0] for r in rows[1:]} == {
        pworld.pair.enterprise.name,
        pworld.pair_b.enterprise.name,
    }
    for name in ("campaign_detail", "campaign_review", "campaign_late", "campaign_appoint"):
        assert client.get(reverse(f"pairing:{name}", args=[campaign.pk])).status_code == 200, name
    for obj in (pworld.pair, pworld.report, pworld.activity, pworld.appointment):
        assert client.get(obj.get_absolute_url()).status_code == 200
    report_page = client.get(reverse("pairing:pair_report", args=[pworld.pair.pk, "2026-02-01"]))
    assert report_page.status_code == 200
    assert date(2026, 1, 1) == pworld.report.period
