"""Investment and talent through the associations: the association staff role bound to
one association, moving projects along the pipeline, stale projects in the inbox, the
funnel, the API and the import."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.accounts.roles import hats
from tongxin.core.exceptions import WorkflowError
from tongxin.core.imports import Importer
from tongxin.inbox.services.items import inbox
from tongxin.platforms.choices import Origin
from tongxin.platforms.forms import InvestmentLeadImportForm
from tongxin.platforms.models import Contact, InvestmentLead
from tongxin.platforms.services.investment import lead_advance, stale_q
from tongxin.platforms.tests.conftest import api_for, client_for, sheet
from tongxin.testing import platforms
from tongxin.testing.factories import World, user


@pytest.fixture
def mine(world: World) -> Any:
    return platforms.own_association(world)


@pytest.fixture
def staff(world: World) -> Any:
    return world.users[Role.ASSOCIATION_STAFF]


@pytest.mark.django_db
def test_association_staff_see_their_association_only(world: World, mine: Any, staff: Any) -> None:
    """The hat is bound to one association (named in the header); its staff list, open
    and change that association's contacts and projects, never another's (404), and may
    not add a contact to another association."""
    (hat,) = hats(staff)
    assert hat.association_id == mine.pk and hat.county_id == world.county.pk and mine.name in hat.label
    other = platforms.association(world.county)
    own_lead, other_lead = platforms.lead(mine), platforms.lead(other)
    own_contact, other_contact = platforms.contact(mine), platforms.contact(other)
    client = client_for(staff)
    listing = client.get(reverse("platforms:investmentlead_list"))
    assert {row.pk for row in listing.context["filter"].qs} == {own_lead.pk}
    assert client.get(other_lead.get_absolute_url()).status_code == 404
    assert client.get(other_contact.get_absolute_url()).status_code == 404
    assert client.get(reverse("platforms:contact_edit", args=[own_contact.pk])).status_code == 200
    form = client.get(reverse("platforms:contact_add")).context["form"]
    assert list(form.fields["association"].queryset) == [mine]
    refused = client.post(
        reverse("platforms:contact_add"),
        {"association": other.pk, "name": "林志明", "origin": "taiwan", "place": "台北"},
    )
    assert refused.status_code == 200 and not Contact.objects.filter(name="林志明").exists()
    county = client_for(world.users[Role.COUNTY_STAFF]).get(reverse("platforms:investmentlead_list"))
    assert {row.pk for row in county.context["filter"].qs} == {own_lead.pk, other_lead.pk}


@pytest.mark.django_db
def test_projects_move_one_step_at_a_time(world: World, mine: Any, staff: Any) -> None:
    """Only the next stage, or lost with a reason; never dated before the last step; the
    township reads its projects but may not move them (403); another association's staff
    do not see them (404)."""
    lead = platforms.lead(mine, world.township, stage_on=date(2026, 3, 1))
    with pytest.raises(WorkflowError):
        lead_advance(user=staff, lead=lead, stage="signed", on=date(2026, 3, 5))
    with pytest.raises(WorkflowError):
        lead_advance(user=staff, lead=lead, stage="contacted", on=date(2026, 2, 1))
    with pytest.raises(WorkflowError):
        lead_advance(user=staff, lead=lead, stage="lost", on=date(2026, 3, 5))
    with pytest.raises(PermissionDenied):
        lead_advance(user=world.users[Role.TOWNSHIP_STAFF], lead=lead, stage="contacted", on=date(2026, 3, 5))
    outsider = user("assoc9", Role.ASSOCIATION_STAFF, association=platforms.association(world.county))
    with pytest.raises(Http404):
        lead_advance(user=outsider, lead=lead, stage="contacted", on=date(2026, 3, 5))
    for index, stage in enumerate(("contacted", "site_visit", "negotiating", "signed", "landed", "producing")):
        lead_advance(user=staff, lead=lead, stage=stage, on=date(2026, 3, 2 + index))
    lead.refresh_from_db()
    assert (lead.stage, lead.stage_on) == ("producing", date(2026, 3, 7))
    assert list(lead.steps.values_list("stage", flat=True))[-1] == "producing"
    with pytest.raises(WorkflowError):
        lead_advance(user=staff, lead=lead, stage="lost", on=date(2026, 3, 8), reason="x")
    other = platforms.lead(mine, stage_on=date(2026, 3, 1))
    lead_advance(user=staff, lead=other, stage="lost", on=date(2026, 3, 3), reason="投资方撤回")
    other.refresh_from_db()
    assert (other.stage, other.lost_reason) == ("lost", "投资方撤回")


@pytest.mark.django_db
def test_stale_projects_are_flagged_and_wait_in_the_inbox(world: World, mine: Any, staff: Any) -> None:
    """An open project with no step for more than 30 days is stale: flagged on its page and
    counted in the inbox of the county and of its association's staff; a recent one, a
    producing or a lost one is not."""
    today = timezone.localdate()
    old = platforms.lead(mine, stage_on=today - timedelta(days=45))
    platforms.lead(mine, stage_on=today - timedelta(days=3))
    platforms.lead(mine, stage_on=today - timedelta(days=90), stage="lost", lost_reason="撤资")
    platforms.lead(platforms.association(world.county), stage_on=today - timedelta(days=60))
    assert InvestmentLead.objects.filter(stale_q(today)).count() == 2
    assert InvestmentLead.objects.filter(stale_q(today, days=50)).count() == 1

    def stale_count(person: Any) -> list[int]:
        return [i.count for s in inbox(person, today) for i in s.items if i.key == "stale"]

    assert stale_count(staff) == [1]
    assert stale_count(world.users[Role.COUNTY_STAFF]) == [2]
    assert stale_count(world.users[Role.TOWNSHIP_STAFF]) == []
    page = client_for(staff).get(old.get_absolute_url())
    assert page.context["stale"] and 'data-testid="stale"' in page.content.decode()
    listing = client_for(staff).get(reverse("platforms:investmentlead_list"), {"stale": "true"})
    assert [row.pk for row in listing.context["filter"].qs] == [old.pk]


@pytest.mark.django_db
def test_step_through_the_page_and_the_api(world: World, mine: Any, staff: Any) -> None:
    """The page's form and the API call the same service."""
    lead = platforms.lead(mine, stage_on=date(2026, 3, 1))
    url = reverse("platforms:lead_step", args=[lead.pk])
    assert client_for(staff).post(url, {"stage": "contacted", "date": "2026-03-02"}).status_code == 302
    api = api_for(staff)
    path = f"/api/platforms/investment/projects/{lead.pk}/step/"
    assert api.post(path, {"stage": "site_visit", "date": "2026-03-03"}, format="json").status_code == 201
    assert api.post(path, {"stage": "landed", "date": "2026-03-04"}, format="json").status_code == 400
    assert api.patch(f"/api/platforms/investment/projects/{lead.pk}/", {"stage": "producing"}).status_code == 400
    lead.refresh_from_db()
    assert lead.stage == "site_visit"


@pytest.mark.django_db
def test_funnel_and_conversion_by_origin_and_association(world: World, mine: Any, staff: Any) -> None:
    """The dashboard's funnel and conversion tables count the projects in scope."""
    other = platforms.association(world.county, name="县台联")
    signed = platforms.lead(mine, origin="taiwan", stage_on=date(2026, 3, 1))
    for index, stage in enumerate(("contacted", "site_visit", "negotiating", "signed")):
        lead_advance(user=staff, lead=signed, stage=stage, on=date(2026, 3, 2 + index))
    platforms.lead(mine, origin="abroad")
    platforms.lead(other, origin="abroad")
    page = client_for(world.users[Role.COUNTY_STAFF]).get(reverse("platforms:investment_dashboard"))
    tables = {t.key: t for t in page.context["tables"]}
    funnel = {row["stage"]: row["projects"] for row in tables["funnel"].rows}
    assert list(funnel.values())[:5] == [3, 1, 1, 1, 1]
    origins = {row["group"]: (row["projects"], row["signed"]) for row in tables["origins"].rows}
    assert origins == {str(Origin.TAIWAN.label): (1, 1), str(Origin.ABROAD.label): (2, 0)}
    by_association = {row["group"]: row["projects"] for row in tables["associations"].rows}
    assert by_association == {mine.name: 2, "县台联": 1}
    own = client_for(staff).get(reverse("platforms:investment_dashboard"))
    assert {row["group"] for row in {t.key: t for t in own.context["tables"]}["associations"].rows} == {mine.name}


@pytest.mark.django_db
def test_import_of_an_existing_project_list(world: World, mine: Any, staff: Any) -> None:
    """Projects are imported by number, the association named; another association's is
    refused for its staff; an imported project starts as a lead."""
    other = platforms.association(world.county, name="县海联")
    header = ["code", "association", "title", "origin", "industry", "planned_investment", "responsible_unit", "owner"]
    row = ["330122-ZS-0901", mine.name, "精密零部件", "taiwan", "精密制造", 5000, "县投资促进局", "王副局长"]

    def run(rows: list[list[Any]]) -> Any:
        importer = Importer(model=InvestmentLead, form_class=InvestmentLeadImportForm, key_field="code", user=staff)
        return importer.run(sheet(header, rows), dry_run=False)

    refused = run([row, ["330122-ZS-0902", other.name, "外会", "abroad", "新材料", 1, "局", "李"]])
    assert refused.errors and not InvestmentLead.objects.exists()
    assert run([row]).ok
    assert InvestmentLead.objects.get().stage == "lead"
