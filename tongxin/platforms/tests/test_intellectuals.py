"""Non-party intellectuals: village requests matched to volunteers by field and distance
with the fit engine, proposed then accepted; profiles name people only to readers of the
files (reads logged, history masked); the dashboard."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.cadres.models import AccessLog
from tongxin.core.exceptions import WorkflowError
from tongxin.platforms.models import ServiceRequest
from tongxin.platforms.services.intellectuals import candidates, request_accept, request_match
from tongxin.platforms.tests.conftest import api_for, client_for
from tongxin.regions.models import Township, Village
from tongxin.testing import cadres, platforms
from tongxin.testing.factories import World


def _place(node: Any, lat: float, lon: float) -> None:
    type(node).objects.filter(pk=node.pk).update(latitude=Decimal(str(lat)), longitude=Decimal(str(lon)))
    node.refresh_from_db()


@pytest.fixture
def placed(world: World) -> World:
    """The village in township A at (29.80, 119.70); township A there too, township B
    about 33 km away."""
    _place(world.village, 29.80, 119.70)
    _place(world.township, 29.80, 119.70)
    _place(world.township_b, 30.10, 119.70)
    return world


@pytest.mark.django_db
def test_volunteers_are_ranked_by_field_then_distance(placed: World) -> None:
    """The request's kind is the need, each volunteer's field the offer: a volunteer of the
    field outranks one of another field even nearer; among those of the field the nearer
    ranks first; non-volunteers and another county's people are never proposed."""
    w = placed
    staff = w.users[Role.COUNTY_STAFF]
    near_health = platforms.intellectual(cadres.person(w.county), w.township, field="health")
    far_health = platforms.intellectual(cadres.person(w.county), w.township_b, field="health")
    near_law = platforms.intellectual(cadres.person(w.county), w.township, field="law")
    platforms.intellectual(cadres.person(w.county), w.township, field="health", volunteer=False)
    platforms.intellectual(cadres.person(w.county2), w.township2, field="health")
    request = platforms.service_request(w.village, kind="health")
    ranked = candidates(user=staff, request=request)
    assert [s.intellectual for s in ranked] == [near_health, far_health, near_law]
    assert ranked[0].field_matches and not ranked[2].field_matches
    assert ranked[0].score.distance_km < 1 < 30 < ranked[1].score.distance_km < 40


@pytest.mark.django_db
def test_request_is_proposed_then_accepted(placed: World) -> None:
    """A volunteer is proposed (with the engine's score), then the acceptance recorded;
    acceptance before a proposal, a volunteer of another county, and a second proposal
    after acceptance are refused; the village may ask but not propose (403)."""
    w = placed
    staff = w.users[Role.COUNTY_STAFF]
    volunteer = platforms.intellectual(cadres.person(w.county), w.township, field="law")
    foreign = platforms.intellectual(cadres.person(w.county2), w.township2, field="law")
    request = platforms.service_request(w.village, kind="law", title="法律讲座")
    with pytest.raises(WorkflowError):
        request_accept(user=staff, request=request, on=date(2026, 6, 1))
    with pytest.raises(WorkflowError):
        request_match(user=staff, request=request, intellectual=foreign)
    with pytest.raises(PermissionDenied):
        request_match(user=w.users[Role.VILLAGE_CONTACT], request=request, intellectual=volunteer)
    matched = request_match(user=staff, request=request, intellectual=volunteer)
    assert (matched.status, matched.volunteer, matched.score) == ("matched", volunteer, pytest.approx(1.0, abs=0.01))
    accepted = request_accept(user=staff, request=request, on=date(2026, 6, 1))
    assert (accepted.status, accepted.accepted_on) == ("accepted", date(2026, 6, 1))
    with pytest.raises(WorkflowError):
        request_match(user=staff, request=request, intellectual=volunteer)
    village = client_for(w.users[Role.VILLAGE_CONTACT])
    asked = village.post(
        reverse("platforms:servicerequest_add"), {"village": w.village.pk, "kind": "health", "title": "健康日"}
    )
    assert asked.status_code == 302 and ServiceRequest.objects.filter(title="健康日").exists()


@pytest.mark.django_db
def test_match_and_accept_through_the_page_and_the_api(placed: World) -> None:
    """The request's page ranks the volunteers; its buttons and the API call the services."""
    w = placed
    staff = w.users[Role.COUNTY_STAFF]
    volunteer = platforms.intellectual(cadres.person(w.county, "司马青"), w.township, field="culture")
    request = platforms.service_request(w.village, kind="culture")
    page = client_for(staff).get(request.get_absolute_url())
    assert [s.intellectual for s, _name in page.context["candidates"]] == [volunteer]
    assert "司马青" not in page.content.decode()  # county staff do not read the files
    officer_page = client_for(w.users[Role.COUNTY_ADMIN]).get(request.get_absolute_url())
    assert officer_page.status_code == 200
    url = reverse("platforms:request_match", args=[request.pk])
    assert client_for(staff).post(url, {"volunteer": volunteer.pk}).status_code == 302
    api = api_for(staff)
    path = f"/api/platforms/intellectuals/requests/{request.pk}/accept/"
    response = api.post(path, {"date": "2026-06-02"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert api.post(path, {"date": "2026-06-02"}, format="json").status_code == 400
    assert api.post(f"/api/platforms/intellectuals/requests/{request.pk}/match/", {"volunteer": 0}).status_code == 400


@pytest.mark.django_db
def test_profiles_name_people_only_to_readers_of_the_files(world: World) -> None:
    """County staff see a profile, its list row and its history without the person's name;
    the cadre officer sees the name, and the read is logged."""
    person = cadres.person(world.county, "上官云")
    profile = platforms.intellectual(person, world.township)
    staff = client_for(world.users[Role.COUNTY_STAFF])
    officer = client_for(world.users[Role.CADRE_OFFICER])
    for path in (
        profile.get_absolute_url(),
        reverse("platforms:intellectual_history", args=[profile.pk]),
        reverse("platforms:intellectual_list"),
    ):
        response = staff.get(path)
        assert response.status_code == 200 and "上官云" not in response.content.decode(), path
    export = staff.get(reverse("platforms:intellectual_export"))
    assert export.status_code == 200 and "上官云".encode() not in export.getvalue()
    before = AccessLog.objects.filter(person=person).count()
    assert "上官云" in officer.get(profile.get_absolute_url()).content.decode()
    assert "上官云" in officer.get(reverse("platforms:intellectual_list")).content.decode()
    assert AccessLog.objects.filter(person=person).count() == before + 1


@pytest.mark.django_db
def test_countryside_dashboard_counts_villages_and_beneficiaries(world: World) -> None:
    """Per kind: activities, beneficiaries and distinct villages served, in scope."""
    one = platforms.countryside(world.county, world.township, kind="law", beneficiaries=30)
    two = platforms.countryside(world.county, world.township, kind="law", beneficiaries=20)
    one.villages.set([world.village])
    two.villages.set(
        [world.village, Village.objects.exclude(pk=world.village.pk).filter(township__county=world.county).first()]
    )
    platforms.countryside(world.county2, kind="law", beneficiaries=999)
    page = client_for(world.users[Role.COUNTY_STAFF]).get(reverse("platforms:intellectuals_dashboard"))
    kinds = {t.key: t for t in page.context["tables"]}["kinds"].rows
    assert [(r["activities"], r["beneficiaries"], r["villages"]) for r in kinds] == [(2, 50, 2)]
    assert Township.objects.count() >= 2
