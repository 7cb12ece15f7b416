"""Every write path leaves one change record; stale edits are refused, never merged."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.core.context import change_context
from tongxin.core.exceptions import StaleObjectError
from tongxin.core.models import ObjectChange
from tongxin.regions.models import Village
from tongxin.testing.factories import World


def _changes(obj: Village) -> list[ObjectChange]:
    ct = ContentType.objects.get_for_model(obj)
    return list(ObjectChange.objects.filter(changed_object_type=ct, changed_object_id=obj.pk).order_by("pk"))


def _form_data(village: Village, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "township": village.township_id,
        "code": village.code,
        "name": village.name,
        "urban_rural": village.urban_rural,
        "population": village.population,
        "households": village.households,
        "area_km2": "3.5",
        "per_capita_income": 20000,
        "collective_income": 100000,
        "industries": "茶叶",
        "needs": ["capital", "marketing"],
        "advantages": ["forest"],
        "party_members": 30,
        "version": village.version,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_ui_edit_writes_one_record_with_before_and_after(world: World) -> None:
    """An edit through the page writes one update record with user, request id, before/after
    (many-to-many included) and the history page shows it."""
    client = Client()
    client.force_login(world.users[Role.TOWNSHIP_STAFF])
    village = world.village
    response = client.post(reverse("regions:village_edit", args=[village.pk]), _form_data(village, name="东溪新村"))
    assert response.status_code == 302, response.content
    records = _changes(village)
    update = records[-1]
    assert update.action == "update" and update.source == "ui"
    assert update.user == world.users[Role.TOWNSHIP_STAFF]
    assert update.prechange_data["name"] == "东溪村"
    assert update.postchange_data["name"] == "东溪新村"
    assert update.prechange_data["needs"] == [] and update.postchange_data["needs"] == ["capital", "marketing"]
    assert response["X-Request-ID"] if hasattr(response, "headers") else True
    history = client.get(reverse("regions:village_history", args=[village.pk]))
    assert "东溪新村" in history.content.decode()


@pytest.mark.django_db
def test_api_create_update_delete_are_logged(world: World) -> None:
    """Create, update and delete through the API each write one record, source api."""
    client = APIClient()
    client.force_authenticate(world.users[Role.COUNTY_STAFF])
    created = client.post(
        reverse("village-list"),
        {"township": world.township.pk, "code": f"{world.township.code[:9]}250", "name": "新村", "needs": ["capital"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    village = Village.objects.get(pk=created.json()["id"])
    patched = client.patch(
        reverse("village-detail", args=[village.pk]), {"name": "新名村", "version": 1}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert client.delete(reverse("village-detail", args=[village.pk])).status_code == 204
    actions = [(c.action, c.source) for c in _changes(village)]
    assert actions == [("create", "api"), ("update", "api"), ("delete", "api")]


@pytest.mark.django_db
def test_command_and_service_writes_are_logged(world: World) -> None:
    """Writes outside a request (commands, imports) are logged with their own source."""
    with change_context(user=world.users[Role.COUNTY_ADMIN], source="command"):
        world.village.population = 1300
        world.village.save()
    record = _changes(world.village)[-1]
    assert record.source == "command" and record.user_name == "admin1"
    assert record.prechange_data["population"] == 1200 and record.postchange_data["population"] == 1300


@pytest.mark.django_db
def test_stale_save_is_refused(world: World) -> None:
    """Two editors load the same row; the second save raises instead of overwriting."""
    first = Village.objects.get(pk=world.village.pk)
    second = Village.objects.get(pk=world.village.pk)
    first.name = "甲"
    first.save()
    second.name = "乙"
    with pytest.raises(StaleObjectError):
        second.save()
    assert Village.objects.get(pk=world.village.pk).name == "甲"


@pytest.mark.django_db
def test_stale_api_edit_is_409(world: World) -> None:
    """A PATCH with an old version answers 409 Conflict and changes nothing."""
    client = APIClient()
    client.force_authenticate(world.users[Role.COUNTY_STAFF])
    url = reverse("village-detail", args=[world.village.pk])
    assert client.patch(url, {"name": "一", "version": 1}, format="json").status_code == 200
    stale = client.patch(url, {"name": "二", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale"
    assert Village.objects.get(pk=world.village.pk).name == "一"
    assert client.patch(url, {"name": "三"}, format="json").status_code == 400


@pytest.mark.django_db
def test_stale_ui_edit_shows_conflict(world: World) -> None:
    """A form posted with an old version shows a clear message and keeps the newer data."""
    client = Client()
    client.force_login(world.users[Role.COUNTY_STAFF])
    village = world.village
    Village.objects.get(pk=village.pk).save()  # someone else saved meanwhile
    response = client.post(reverse("regions:village_edit", args=[village.pk]), _form_data(village, name="旧"))
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode() or "他人" in response.content.decode()
    assert Village.objects.get(pk=village.pk).name == "东溪村"


@pytest.mark.django_db
def test_moving_out_of_scope_is_refused(world: World) -> None:
    """Township staff cannot move their village into another township: nothing is written."""
    client = Client()
    client.force_login(world.users[Role.TOWNSHIP_STAFF])
    village = world.village
    data = _form_data(village, township=world.township_b.pk, code=f"{world.township_b.code[:9]}299")
    response = client.post(reverse("regions:village_edit", args=[village.pk]), data)
    assert response.status_code == 200  # the form is shown again with an error
    assert Village.objects.get(pk=village.pk).township_id == world.township.pk


@pytest.mark.django_db
def test_bad_identifier_is_a_field_error(world: World) -> None:
    """A wrong credit code or division code is a field error (never a 500, nothing written)."""
    client = APIClient()
    client.force_authenticate(world.users[Role.COUNTY_STAFF])
    response = client.post(
        reverse("enterprise-list"),
        {"name": "坏码公司", "uscc": "91350100M000100Y4Z", "township": world.township.pk, "industry": "C"},
        format="json",
    )
    assert response.status_code == 400 and "uscc" in response.json()
    bad_village = client.post(
        reverse("village-list"), {"township": world.township.pk, "code": "320115101201", "name": "错村"}, format="json"
    )
    assert bad_village.status_code == 400 and "code" in bad_village.json()


@pytest.mark.django_db
def test_admin_and_import_writes_are_logged(world: World) -> None:
    """The admin site and an Excel import write change records with their own source."""
    admin = world.users[Role.COUNTY_ADMIN]
    admin.is_staff = True
    admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    county = world.county
    response = client.post(
        reverse("admin:regions_county_change", args=[county.pk]),
        {
            "prefecture": county.prefecture_id,
            "code": county.code,
            "name": "桐庐县（改）",
            "latitude": "",
            "longitude": "",
            "version": county.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    ct = ContentType.objects.get_for_model(county)
    record = ObjectChange.objects.filter(changed_object_type=ct, changed_object_id=county.pk).latest("pk")
    assert record.source == "admin" and record.postchange_data["name"] == "桐庐县（改）"

    from tongxin.core.imports import Importer
    from tongxin.core.tests.test_imports import _xlsx
    from tongxin.regions.forms import VillageImportForm

    data = _xlsx([[world.village.code, "东溪村", world.township.name, 1500, 400, ""]])
    with change_context(user=admin, source="import"):
        result = Importer(model=Village, form_class=VillageImportForm, key_field="code", user=admin).run(
            data, dry_run=False
        )
    assert result.updated == 1
    record = _changes(world.village)[-1]
    assert record.source == "import" and record.postchange_data["population"] == 1500
