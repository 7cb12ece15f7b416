"""Writes are judged before and after: the fields that place a row in the tree."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.enterprises.models import Enterprise
from tongxin.regions.models import Village
from tongxin.testing import factories
from tongxin.testing.factories import World


def _page(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _api(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_village_contact_saves_own_village_from_the_page(world: World) -> None:
    """The edit form shows a contact their township read-only, and saving keeps it."""
    contact = world.users[Role.VILLAGE_CONTACT]
    client = _page(contact)
    url = reverse("regions:village_edit", args=[world.village.pk])
    form = client.get(url).context["form"]
    assert form.fields["township"].disabled
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"population": 1300, "township": world.township_b.pk})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    world.village.refresh_from_db()
    assert world.village.population == 1300 and world.village.township_id == world.township.pk


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["township_b", "township2"])
def test_contact_cannot_move_own_enterprise_through_the_api(world: World, target: str) -> None:
    """A PATCH naming another township (same county or another county) moves nothing."""
    contact = world.users[Role.ENTERPRISE_CONTACT]
    enterprise = world.enterprise
    response = _api(contact).patch(
        reverse("enterprise-detail", args=[enterprise.pk]),
        {"township": getattr(world, target).pk, "version": enterprise.version},
        format="json",
    )
    enterprise.refresh_from_db()
    assert enterprise.township_id == world.township.pk
    assert response.status_code == 400 and "township" in response.json()


@pytest.mark.django_db
def test_township_staff_cannot_move_a_village_to_a_sibling_township(world: World) -> None:
    """Township staff change their villages but cannot hand one to another township."""
    staff = world.users[Role.TOWNSHIP_STAFF]
    village = world.village
    response = _api(staff).patch(
        reverse("village-detail", args=[village.pk]),
        {"township": world.township_b.pk, "code": world.township_b.code[:9] + "299", "version": village.version},
        format="json",
    )
    village.refresh_from_db()
    assert village.township_id == world.township.pk
    assert response.status_code == 400 and "township" in response.json()


@pytest.mark.django_db
def test_county_staff_moves_a_village_within_the_county_only(world: World) -> None:
    """A county hat contains both townships: the move is allowed; to another county it is not."""
    staff = world.users[Role.COUNTY_STAFF]
    village = world.village
    client = _api(staff)
    # A village that changes township takes a code under the new township.
    new_code = world.township_b.code[:9] + "299"
    moved = client.patch(
        reverse("village-detail", args=[village.pk]),
        {"township": world.township_b.pk, "code": new_code, "version": village.version},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    village.refresh_from_db()
    assert village.township_id == world.township_b.pk
    away = client.patch(
        reverse("village-detail", args=[village.pk]),
        {"township": world.township2.pk, "code": world.township2.code[:9] + "299", "version": village.version},
        format="json",
    )
    assert away.status_code == 400
    village.refresh_from_db()
    assert village.township_id == world.township_b.pk


@pytest.mark.django_db
def test_two_hats_in_two_townships_do_not_make_a_mover(world: World) -> None:
    """Township hats in both townships still cannot move a village: only a hat bound above
    the township (county, prefecture, province) may."""
    person = factories.user("twotowns", Role.TOWNSHIP_STAFF, township=world.township)
    factories.hat(person, Role.TOWNSHIP_STAFF, world.township_b)
    village = world.village
    response = _api(person).patch(
        reverse("village-detail", args=[village.pk]),
        {"township": world.township_b.pk, "code": world.township_b.code[:9] + "299", "version": village.version},
        format="json",
    )
    village.refresh_from_db()
    assert village.township_id == world.township.pk
    assert response.status_code == 400 and "township" in response.json()


@pytest.mark.django_db
def test_edit_without_version_is_refused(world: World) -> None:
    """Every edit path requires the version it started from: page form and API."""
    staff = world.users[Role.COUNTY_STAFF]
    enterprise = Enterprise.objects.get(pk=world.enterprise.pk)
    api = _api(staff).patch(reverse("enterprise-detail", args=[enterprise.pk]), {"employees": 9}, format="json")
    assert api.status_code == 400 and "version" in api.json()
    client = _page(staff)
    url = reverse("regions:village_edit", args=[world.village.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("version")
    data["population"] = 1
    response = client.post(url, data)
    assert response.status_code == 200 and "version" in response.context["form"].errors
    assert Village.objects.get(pk=world.village.pk).population == 1200
