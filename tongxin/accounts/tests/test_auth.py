"""Login, lockout and API tokens."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.testing.factories import PASSWORD, World


@pytest.mark.django_db
def test_login_and_logout(world: World) -> None:
    """A user logs in with the form and lands on the dashboard; logout ends the session."""
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "town1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_lockout_after_five_failures_same_for_unknown_users(world: World) -> None:
    """After 5 failures a username is locked, even with the right password; an unknown
    username gets exactly the same answers."""
    for username in ("town1", "nobody-here"):
        client = Client()
        answers = []
        for _ in range(5):
            answers.append(
                client.post(reverse("accounts:login"), {"username": username, "password": "wrong"}).status_code
            )
        assert answers[:4] == [200] * 4
        locked = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
        assert locked.status_code in (403, 429)
    other = Client().post(reverse("accounts:login"), {"username": "staff1", "password": PASSWORD})
    assert other.status_code == 302


@pytest.mark.django_db
def test_token_endpoint(world: World) -> None:
    """POST /api/token/ with username and password gives a token accepted by the API."""
    response = APIClient().post(reverse("api-token"), {"username": "staff1", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(reverse("village-list")).status_code == 200
    assert APIClient().get(reverse("village-list")).status_code in (401, 403)


@pytest.mark.django_db
def test_schema_and_docs_served_locally(world: World) -> None:
    """The OpenAPI schema and the browsable docs are served, the docs without a CDN."""
    client = Client()
    client.force_login(world.users[Role.COUNTY_STAFF])
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"/api/villages/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "cdn" not in docs.lower() and "jsdelivr" not in docs.lower()


@pytest.mark.django_db
def test_county_admin_manages_own_county_users_only(world: World) -> None:
    """The county administrator sees and edits the users of their county in the admin site,
    never another county's; other roles cannot open user management."""
    from tongxin.testing.factories import user

    outsider = user("far1", Role.COUNTY_STAFF, county=world.county2)
    admin = world.users[Role.COUNTY_ADMIN]
    admin.is_staff = True
    admin.save()
    client = Client()
    client.force_login(admin)
    listing = client.get(reverse("admin:accounts_user_changelist"))
    assert listing.status_code == 200
    assert "town1" in listing.content.decode() and "far1" not in listing.content.decode()
    assert client.get(reverse("admin:accounts_user_change", args=[outsider.pk])).status_code in (302, 404)
    staff = world.users[Role.COUNTY_STAFF]
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


@pytest.mark.django_db
def test_person_names_refuse_control_characters() -> None:
    """A person's name is checked like every other text: a control character is a field
    error, never stored (and so never breaks an export)."""
    from django.core.exceptions import ValidationError

    from tongxin.accounts.models import User

    person = User(username="ctrl", full_name="王\x01伟")
    person.set_unusable_password()
    with pytest.raises(ValidationError) as caught:
        person.full_clean()
    assert "full_name" in caught.value.message_dict
