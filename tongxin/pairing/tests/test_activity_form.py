"""The activity form: today's date by default, several photos at once (all or nothing),
and only the village confirms — on the page, in the API and in the admin."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any
from unittest import mock

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.core.models import ObjectChange
from tongxin.pairing.forms import ActivityForm
from tongxin.pairing.models import Activity, ActivityPhoto
from tongxin.testing.pairing import PairingWorld


def _png(name: str) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _fields(pworld: PairingWorld, **extra: Any) -> dict[str, Any]:
    return {
        "pair": pworld.pair.pk,
        "head": "party",
        "date": "2026-05-04",
        "title": "结对座谈会",
        "amount": "0",
        **extra,
    }


def _client(pworld: PairingWorld, role: str = Role.LIAISON) -> Client:
    client = Client()
    client.force_login(pworld.world.users[role])
    return client


@pytest.mark.django_db
def test_date_defaults_to_today_in_the_local_time_zone(pworld: PairingWorld) -> None:
    """At 23:30 UTC it is already the next day in Beijing: the form offers that day."""
    late_evening_utc = datetime(2026, 5, 3, 23, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
        form = ActivityForm(instance=Activity(), user=pworld.world.users[Role.LIAISON])
        assert form.initial["date"] == date(2026, 5, 4)
    page = _client(pworld).get(reverse("pairing:activity_add"))
    assert f'value="{timezone.localdate().isoformat()}"' in page.content.decode()
    assert "multiple" in page.content.decode() and 'enctype="multipart/form-data"' in page.content.decode()
    editing = ActivityForm(instance=pworld.activity, user=pworld.world.users[Role.LIAISON])
    assert "photos" not in editing.fields and editing.initial["date"] == pworld.activity.date


@pytest.mark.django_db
def test_several_photos_are_saved_with_the_activity(pworld: PairingWorld) -> None:
    """Three images in one upload: one activity, three photos, each in the change log."""
    response = _client(pworld).post(
        reverse("pairing:activity_add"), _fields(pworld, photos=[_png("a.png"), _png("b.png"), _png("c.png")])
    )
    errors = response.context["form"].errors if response.context else None
    assert response.status_code == 302, errors
    activity = Activity.objects.get(title="结对座谈会")
    assert activity.photos.count() == 3
    logged = ObjectChange.objects.filter(
        changed_object_type__model="activityphoto", changed_object_id__in=activity.photos.values("pk")
    )
    assert logged.count() == 3


@pytest.mark.django_db
def test_one_bad_file_writes_nothing_and_is_named(pworld: PairingWorld) -> None:
    """Two good images and one text file named like an image: no activity, no photo,
    and the error names the bad file; a photo over 5 MB is refused by name too."""
    before = (Activity.objects.count(), ActivityPhoto.objects.count())
    fake = SimpleUploadedFile("fake.jpg", b"not an image", content_type="image/jpeg")
    response = _client(pworld).post(
        reverse("pairing:activity_add"), _fields(pworld, photos=[_png("a.png"), fake, _png("c.png")])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "fake.jpg" in html and "a.png" not in html
    assert (Activity.objects.count(), ActivityPhoto.objects.count()) == before
    big = _png("big.png")
    big.size = 6 * 1024 * 1024
    form = ActivityForm(
        data=_fields(pworld), files={"photos": [big]}, instance=Activity(), user=pworld.world.users[Role.LIAISON]
    )
    assert not form.is_valid() and "big.png" in str(form.errors["photos"])


@pytest.mark.django_db
def test_only_the_village_confirms_on_page_api_and_admin(pworld: PairingWorld) -> None:
    """A confirmation posted with the form or the API is ignored; the confirm action is
    refused to everyone but the village's contact; the admin offers no such field."""
    world = pworld.world
    _client(pworld).post(reverse("pairing:activity_add"), _fields(pworld, confirmed_by_village="on"))
    created = Activity.objects.get(title="结对座谈会")
    assert not created.confirmed_by_village
    api = APIClient()
    api.force_authenticate(world.users[Role.COUNTY_STAFF])
    posted = api.post(
        reverse("activity-list"),
        {
            "pair": pworld.pair.pk,
            "head": "party",
            "date": "2026-05-05",
            "title": "接口记录",
            "confirmed_by_village": True,
        },
        format="json",
    )
    assert posted.status_code == 201 and posted.json()["confirmed_by_village"] is False
    patched = api.patch(
        reverse("activity-detail", args=[created.pk]),
        {"confirmed_by_village": True, "version": created.version},
        format="json",
    )
    assert patched.status_code in (200, 400) and not Activity.objects.get(pk=created.pk).confirmed_by_village
    for role in (Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.LIAISON, Role.ENTERPRISE_CONTACT):
        api.force_authenticate(world.users[role])
        answer = api.post(reverse("activity-confirm", args=[created.pk]), {"version": created.version}, format="json")
        assert answer.status_code in (403, 404), role
        page = _client(pworld, role).post(
            reverse("pairing:activity_confirm", args=[created.pk]), {"version": created.version}
        )
        assert page.status_code in (302, 403, 404), role
    assert not Activity.objects.get(pk=created.pk).confirmed_by_village
    village = _client(pworld, Role.VILLAGE_CONTACT)
    created.refresh_from_db()
    village.post(reverse("pairing:activity_confirm", args=[created.pk]), {"version": created.version})
    assert Activity.objects.get(pk=created.pk).confirmed_by_village
    if admin.site.is_registered(Activity):
        model_admin = admin.site._registry[Activity]
        form = model_admin.get_form(mock.Mock(user=world.users[Role.COUNTY_ADMIN]), created)
        assert "confirmed_by_village" not in form.base_fields
    field = Activity._meta.get_field("confirmed_by_village")
    assert not field.editable  # no ModelForm (admin, ledger) can offer it
