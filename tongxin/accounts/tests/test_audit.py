"""Audit of the keys: people and their hats in the change log, sign-ins in the security log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.forms import BaseForm, MultiWidget
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role, SecurityEventKind
from tongxin.accounts.models import RoleAssignment, SecurityEvent, User
from tongxin.core.choices import ChangeAction
from tongxin.core.models import ObjectChange
from tongxin.testing.factories import PASSWORD, World

NEW_PASSWORD = "Fenshui-2026-new"


def _changes(model: type[Any], pk: int) -> list[ObjectChange]:
    kind = ContentType.objects.get_for_model(model)
    return list(ObjectChange.objects.filter(changed_object_type=kind, changed_object_id=pk).order_by("pk"))


def _admin_client(world: World) -> tuple[Client, User]:
    admin = world.users[Role.COUNTY_ADMIN]
    admin.is_staff = True
    admin.save()
    client = Client()
    client.force_login(admin)
    return client, admin


def _form_data(form: BaseForm) -> dict[str, Any]:
    """What the browser would post back for ``form`` unchanged."""
    data: dict[str, Any] = {}
    for field in form:
        if field.field.disabled:
            continue
        widget, value = field.field.widget, field.value()
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for suffix, part in zip(widget.widgets_names, parts, strict=True):
                data[f"{field.html_name}{suffix}"] = "" if part is None else part
        elif hasattr(field.field, "choices") and value not in (None, ""):
            # A browser posts only an option the select offers (scoped choices).
            offered = {str(key) for key, _label in field.field.choices}
            data[field.html_name] = value if str(value) in offered else ""
        elif isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif value is not None:
            data[field.html_name] = value
    return data


def _change_form_data(client: Client, person: User) -> dict[str, Any]:
    """The admin change form of ``person`` with its role inline, as the page shows it."""
    page = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    assert page.status_code == 200
    data = _form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        data[f"{formset.prefix}-TOTAL_FORMS"] = formset.initial_form_count()
        for form in formset.initial_forms:
            data.update(_form_data(form))
    return data


def _errors(response: Any) -> Any:
    if not response.context:
        return response
    return response.context["adminform"].form.errors, [
        form.errors for inline in response.context["inline_admin_formsets"] for form in inline.formset
    ]


def _no_secrets(change: ObjectChange, person: User) -> None:
    text = json.dumps([change.prechange_data, change.postchange_data])
    assert person.password not in text and "md5$" not in text and "last_login" not in text


@pytest.mark.django_db
def test_creating_a_user_is_in_the_change_log_without_the_hash(world: World) -> None:
    """A county administrator adds a person in the admin: one change record, created by the
    administrator, with the password shown as "(changed)" and never its hash."""
    client, admin = _admin_client(world)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
            "assignments-2-TOTAL_FORMS": 0,
            "assignments-2-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    person = User.objects.get(username="newbie")
    (change,) = _changes(User, person.pk)
    assert change.action == ChangeAction.CREATE and change.user == admin and change.source == "admin"
    assert change.prechange_data is None
    assert change.postchange_data["username"] == "newbie"
    assert change.postchange_data["password"] == "(changed)"
    assert change.postchange_data["county_id"] == world.county.pk
    _no_secrets(change, person)


@pytest.mark.django_db
def test_changing_a_user_is_in_the_change_log_with_before_and_after(world: World) -> None:
    """Changing a person's name in the admin records before and after; changing the
    password records "(changed)" only; a sign-in (last_login) records nothing."""
    client, admin = _admin_client(world)
    # Joined on a whole second: the admin's date and time fields have no microseconds.
    joined = timezone.now().replace(microsecond=0)
    person = User.objects.create_user(
        "town9", password=PASSWORD, county=world.county, full_name="town9", date_joined=joined
    )
    before = len(_changes(User, person.pk))
    data = _change_form_data(client, person)
    data["full_name"] = "王分水"
    response = client.post(reverse("admin:accounts_user_change", args=[person.pk]), data)
    assert response.status_code == 302, _errors(response)
    change = _changes(User, person.pk)[-1]
    assert len(_changes(User, person.pk)) == before + 1
    assert change.action == ChangeAction.UPDATE and change.user == admin
    assert change.diff() == [("full_name", "town9", "王分水")]
    assert "password" not in (change.postchange_data or {})

    response = client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    change = _changes(User, person.pk)[-1]
    assert change.diff() == [("password", None, "(changed)")]
    _no_secrets(change, person)

    count = len(_changes(User, person.pk))
    assert Client().post(reverse("accounts:login"), {"username": "town9", "password": NEW_PASSWORD}).status_code == 302
    assert len(_changes(User, person.pk)) == count


@pytest.mark.django_db
def test_granting_and_revoking_a_role_are_in_the_change_log(world: World) -> None:
    """Granting a hat in the admin writes a create record (role, node, granted by); revoking
    it (the inline's delete box) an update record from "not revoked" to "revoked"."""
    client, admin = _admin_client(world)
    person = User.objects.create_user("newstaff", password=PASSWORD, county=world.county)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    data = _change_form_data(client, person)
    data.update(
        {
            "assignments-2-TOTAL_FORMS": 1,
            "assignments-2-0-role": Role.TOWNSHIP_STAFF,
            "assignments-2-0-township": world.township.pk,
            "assignments-2-0-valid_from": "2026-01-01",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    assignment = RoleAssignment.objects.get(user=person)
    (granted,) = _changes(RoleAssignment, assignment.pk)
    assert granted.action == ChangeAction.CREATE and granted.user == admin and granted.prechange_data is None
    after = granted.postchange_data
    assert after["role"] == Role.TOWNSHIP_STAFF and after["township_id"] == world.township.pk
    assert after["granted_by_id"] == admin.pk and after["revoked"] is None

    data = _change_form_data(client, person)
    data["assignments-0-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    assignment.refresh_from_db()
    assert assignment.revoked is not None  # kept on the record
    _granted, revoked = _changes(RoleAssignment, assignment.pk)
    assert revoked.action == ChangeAction.UPDATE and revoked.user == admin
    assert revoked.prechange_data["revoked"] is None and revoked.postchange_data["revoked"] is not None
    assert revoked.prechange_data["revoked_by_id"] is None and revoked.postchange_data["revoked_by_id"] == admin.pk


def _events(**filters: Any) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(**filters).order_by("pk"))


@pytest.mark.django_db
def test_login_logout_and_failed_login_are_security_events(world: World) -> None:
    """Signing in and out through the pages writes a login and a logout event with the user
    name and address; a wrong password for a known user a failed event linked to them."""
    person = world.users[Role.TOWNSHIP_STAFF]
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post(reverse("accounts:login"), {"username": "town1", "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": "town1", "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    failed, login, logout = _events(username="town1")
    assert failed.kind == SecurityEventKind.LOGIN_FAILED and failed.user == person
    assert login.kind == SecurityEventKind.LOGIN and login.user == person
    assert logout.kind == SecurityEventKind.LOGOUT and logout.user == person
    assert {e.ip_address for e in (failed, login, logout)} == {"10.1.2.3"}


@pytest.mark.django_db
def test_failed_login_of_an_unknown_user_keeps_the_name_as_typed(world: World) -> None:
    """An unknown user name is recorded as typed (cut to 150 characters), with no user and
    never the password; the token endpoint's failures are recorded the same way."""
    typed = "不存在的用户" + "x" * 300  # longer than django-axes' own column (255)
    response = Client().post(reverse("accounts:login"), {"username": typed, "password": "secret-guess"})
    assert response.status_code == 200  # the form again, not a database error
    (event,) = _events(kind=SecurityEventKind.LOGIN_FAILED)
    assert event.username == typed[:150] and event.user is None and event.ip_address == "127.0.0.1"
    token = APIClient().post(reverse("api-token"), {"username": "ghost" * 60, "password": "secret-guess"})
    assert token.status_code == 400
    assert _events(kind=SecurityEventKind.LOGIN_FAILED, username=("ghost" * 60)[:150])
    assert not SecurityEvent.objects.filter(username__contains="secret-guess").exists()


@pytest.mark.django_db
def test_lockout_is_a_security_event(world: World) -> None:
    """The fifth failure locks the user name (django-axes) and writes a lock-out event; a
    further try while locked writes another."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "staff1", "password": "wrong"})
    locked = _events(kind=SecurityEventKind.LOCKED_OUT)
    assert len(locked) == 1 and locked[0].username == "staff1"
    assert locked[0].user == world.users[Role.COUNTY_STAFF] and locked[0].ip_address == "127.0.0.1"
    assert len(_events(kind=SecurityEventKind.LOGIN_FAILED, username="staff1")) == settings.AXES_FAILURE_LIMIT
    client.post(reverse("accounts:login"), {"username": "staff1", "password": PASSWORD})
    assert len(_events(kind=SecurityEventKind.LOCKED_OUT)) == 2
    assert not _events(kind=SecurityEventKind.LOGIN)


@pytest.mark.django_db
def test_client_address_trusts_only_the_configured_proxies(world: World) -> None:
    """X-Forwarded-For is ignored without a trusted proxy (it can be forged); behind one
    proxy its last entry is the client's address."""
    forged = {"HTTP_X_FORWARDED_FOR": "6.6.6.6", "REMOTE_ADDR": "10.0.0.1"}
    Client(**forged).post(reverse("accounts:login"), {"username": "nobody1", "password": "x"})
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}):
        proxied = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9", "REMOTE_ADDR": "127.0.0.1"}
        Client(**proxied).post(reverse("accounts:login"), {"username": "nobody2", "password": "x"})
    assert _events(username="nobody1")[0].ip_address == "10.0.0.1"
    assert _events(username="nobody2")[0].ip_address == "203.0.113.9"


@pytest.mark.django_db
def test_admin_saves_a_person_who_holds_roles(world: World) -> None:
    """The hats a person holds are shown read-only: saving their page changes the name and
    leaves the hats as they were (a hat is revoked and granted anew, never re-bound)."""
    client, _admin = _admin_client(world)
    person = world.users[Role.TOWNSHIP_STAFF]
    data = _change_form_data(client, person)
    data["full_name"] = "分水镇干部"
    response = client.post(reverse("admin:accounts_user_change", args=[person.pk]), data)
    assert response.status_code == 302, _errors(response)
    person.refresh_from_db()
    assert person.full_name == "分水镇干部"
    (assignment,) = RoleAssignment.objects.filter(user=person)
    assert assignment.revoked is None and assignment.township_id == world.township.pk
