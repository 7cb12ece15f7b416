"""People with several hats: their scope is the union of their hats, and each hat's rights
come and go with its assignment (granted by the rules, revoked, or out of its period).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.accounts.models import RoleAssignment, User
from tongxin.accounts.roles import forget_hats, hats
from tongxin.accounts.services import assignment_grant, assignment_revoke
from tongxin.core.exceptions import OutOfScopeError
from tongxin.core.scope import VIEW, has_policy, policy_of, restrict
from tongxin.pairing.models import LiaisonAppointment, Pair
from tongxin.regions.models import Village
from tongxin.testing.access import module_transaction
from tongxin.testing.factories import build_world, user
from tongxin.testing.pairing import PairingWorld, build_pairing_world

POLICY_MODELS = [m for m in apps.get_models() if m.__module__.startswith("tongxin.") and has_policy(m)]


@pytest.fixture(scope="module")
def shared_pworld(django_db_setup: Any, django_db_blocker: Any) -> Iterator[PairingWorld]:
    """One pairing world for the module; each test runs in a savepoint of it."""
    with module_transaction(django_db_blocker):
        yield build_pairing_world(build_world())


@pytest.fixture
def pworld(shared_pworld: PairingWorld, db: Any) -> PairingWorld:
    for person in shared_pworld.world.users.values():
        forget_hats(person)
    return shared_pworld


def _appoint(pworld: PairingWorld, person: User, pair: Pair) -> LiaisonAppointment:
    appointment = LiaisonAppointment(
        campaign=pworld.campaign, liaison=person, term_start=date(2026, 1, 1), term_end=date(2027, 12, 31)
    )
    appointment.save()
    appointment.pairs.set([pair])
    return appointment


def _grant(pworld: PairingWorld, person: User, role: str, node: Any, **period: Any) -> RoleAssignment:
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    assignment = assignment_grant(granter=admin, user=person, role=role, node=node, **period)
    forget_hats(person)
    return assignment


def _scope(person: User, only: RoleAssignment | None = None) -> dict[tuple[str, str], frozenset[Any]]:
    """Every row every action of every policy reaches for ``person`` — with all their hats,
    or as if ``only`` were their one hat (the same person, so a liaison hat still reaches
    their own appointments)."""
    forget_hats(person)
    fresh = User.objects.get(pk=person.pk)
    if only is not None:
        fresh._hats = tuple(h for h in hats(fresh) if h.assignment_id == only.pk)  # type: ignore[attr-defined]
        assert len(fresh._hats) == 1  # type: ignore[attr-defined]
    result = {}
    for model in POLICY_MODELS:
        for action in sorted(policy_of(model)[1].actions):
            rows = restrict(model._default_manager.all(), fresh, action).values_list("pk", flat=True)
            result[(model._meta.label, action)] = frozenset(rows)
    return result


def _union(*scopes: dict[tuple[str, str], frozenset[Any]]) -> dict[tuple[str, str], frozenset[Any]]:
    keys = scopes[0].keys()
    return {key: frozenset().union(*(s[key] for s in scopes)) for key in keys}


def _diff(actual: dict[Any, frozenset[Any]], expected: dict[Any, frozenset[Any]]) -> dict[Any, Any]:
    return {
        k: (sorted(actual[k] - expected[k]), sorted(expected[k] - actual[k]))
        for k in actual
        if actual[k] != expected[k]
    }


@pytest.fixture
def people(pworld: PairingWorld) -> dict[str, Any]:
    """A person with township staff (township A) and liaison hats, appointed (as liaison)
    to the sibling township's pair only."""
    w = pworld.world
    both = user("both1")
    township_hat = _grant(pworld, both, Role.TOWNSHIP_STAFF, w.township)
    liaison_hat = _grant(pworld, both, Role.LIAISON, w.county)
    _appoint(pworld, both, pworld.pair_b)
    return {"both": both, "township_hat": township_hat, "liaison_hat": liaison_hat}


@pytest.mark.django_db
def test_two_hats_see_the_union_of_their_hats(pworld: PairingWorld, people: dict[str, Any]) -> None:
    """For every model and every action, what the two-hat person reaches is exactly the
    union of what each hat alone reaches: their township's villages and pairs and the
    sibling pair they are appointed to — not the sibling's villages, nothing of county 2."""
    both = people["both"]
    town_only = _scope(both, only=people["township_hat"])
    liaison_only = _scope(both, only=people["liaison_hat"])
    expected = _union(town_only, liaison_only)
    actual = _scope(both)
    assert actual == expected, _diff(actual, expected)
    w = pworld.world
    assert actual[("regions.Village", VIEW)] == frozenset(
        Village.objects.filter(township=w.township).values_list("pk", flat=True)
    )
    assert {pworld.pair.pk, pworld.pair_b.pk} <= actual[("pairing.Pair", VIEW)]
    assert pworld.pair2.pk not in actual[("pairing.Pair", VIEW)]
    assert w.village_b.pk not in actual[("regions.Village", VIEW)]
    # The union is a real gain over either hat alone, both ways.
    assert pworld.pair_b.pk not in town_only[("pairing.Pair", VIEW)]
    assert w.village.pk not in liaison_only[("regions.Village", VIEW)]


@pytest.mark.django_db
def test_two_hats_through_the_pages_and_the_api(pworld: PairingWorld, people: dict[str, Any]) -> None:
    """The pages and the API show the union too: the village list holds only township A's
    villages, the pair list both pairs, and the sibling pair's page opens while the sibling
    village's does not."""
    w = pworld.world
    client = Client()
    client.force_login(people["both"])
    villages = client.get(reverse("regions:village_list"))
    assert villages.status_code == 200
    assert set(villages.context["filter"].qs.values_list("pk", flat=True)) == set(
        Village.objects.filter(township=w.township).values_list("pk", flat=True)
    )
    pairs = client.get(reverse("pairing:pair_list"))
    assert {p.pk for p in pairs.context["filter"].qs} == {pworld.pair.pk, pworld.pair_b.pk}
    api = client.get("/api/pairs/", {"page_size": 100}).json()
    assert {row["id"] for row in api["results"]} == {pworld.pair.pk, pworld.pair_b.pk}
    assert client.get(reverse("pairing:pair_detail", args=[pworld.pair_b.pk])).status_code == 200
    assert client.get(reverse("pairing:activity_detail", args=[pworld.activity_b.pk])).status_code == 200
    assert client.get(reverse("regions:village_detail", args=[w.village_b.pk])).status_code == 404
    assert client.get(reverse("pairing:pair_detail", args=[pworld.pair2.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("revoked", "kept"), [("liaison_hat", "township_hat"), ("township_hat", "liaison_hat")])
def test_revoking_one_hat_removes_exactly_its_rights(
    pworld: PairingWorld, people: dict[str, Any], revoked: str, kept: str
) -> None:
    """After one assignment is revoked the person reaches exactly what the other hat alone
    reaches, for every model and action; a page only the revoked hat opened is 404."""
    both = people["both"]
    client = Client()
    client.force_login(both)
    only_revoked = pworld.pair_b if revoked == "liaison_hat" else pworld.world.village
    url = reverse(
        "pairing:pair_detail" if revoked == "liaison_hat" else "regions:village_detail", args=[only_revoked.pk]
    )
    assert client.get(url).status_code == 200
    expected = _scope(both, only=people[kept])

    assignment_revoke(granter=pworld.world.users[Role.COUNTY_ADMIN], assignment=people[revoked])

    actual = _scope(both)
    assert actual == expected, _diff(actual, expected)
    assert client.get(url).status_code == 404
    people[revoked].refresh_from_db()
    assert people[revoked].revoked is not None  # kept on the record


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period",
    [
        pytest.param({"valid_from": date(2020, 1, 1), "valid_to": date(2020, 12, 31)}, id="ended"),
        pytest.param({"valid_from": date(2020, 1, 1), "valid_to": "yesterday"}, id="ended-yesterday"),
        pytest.param({"valid_from": "tomorrow"}, id="not-yet-started"),
    ],
)
def test_an_assignment_outside_its_period_grants_nothing(pworld: PairingWorld, period: dict[str, Any]) -> None:
    """A hat whose period has ended, or not yet begun, is no hat: no row of any model for
    any action, and the pages are 404."""
    today = timezone.localdate()
    days = {"yesterday": today - timedelta(days=1), "tomorrow": today + timedelta(days=1)}
    resolved = {key: days.get(value, value) if isinstance(value, str) else value for key, value in period.items()}
    person = user("period1")
    _grant(pworld, person, Role.COUNTY_STAFF, pworld.world.county, **resolved)
    assert hats(User.objects.get(pk=person.pk)) == ()
    assert not any(_scope(person).values())
    client = Client()
    client.force_login(person)
    assert client.get(reverse("regions:village_detail", args=[pworld.world.village.pk])).status_code == 404
    assert client.get("/api/villages/").json()["results"] == []


@pytest.mark.django_db
def test_an_assignment_in_force_today_counts(pworld: PairingWorld) -> None:
    """The period includes its first and last day: a hat from today, or until today, works."""
    today = timezone.localdate()
    for name, period in (("from-today", {"valid_from": today}), ("to-today", {"valid_from": today, "valid_to": today})):
        person = user(name)
        _grant(pworld, person, Role.COUNTY_STAFF, pworld.world.county, **period)
        assert pworld.world.village.pk in _scope(person)[("regions.Village", VIEW)]


# ---------------------------------------------------------------------------------------
# Who may grant what, where


GRANTABLE_BY_COUNTY_ADMIN = [
    (Role.COUNTY_STAFF, "county"),
    (Role.TOWNSHIP_STAFF, "township"),
    (Role.LIAISON, "county"),
    (Role.REVIEWER, "county"),
    (Role.VILLAGE_CONTACT, "village"),
    (Role.ENTERPRISE_CONTACT, "enterprise"),
]


def _node(pworld: PairingWorld, kind: str, foreign: bool = False) -> Any:
    w = pworld.world
    if foreign:
        return {"county": w.county2, "township": w.township2, "village": w.village2, "enterprise": w.enterprise2}[kind]
    return {"county": w.county, "township": w.township, "village": w.village, "enterprise": w.enterprise}[kind]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "kind"), GRANTABLE_BY_COUNTY_ADMIN)
def test_county_admin_grants_roles_in_their_county_only(pworld: PairingWorld, role: str, kind: str) -> None:
    """A county administrator grants county staff, township staff, liaison, reviewer and
    contact hats in their county; the same hat in another county is refused and nothing is
    written; county staff (no administrator) grant nothing."""
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    person = user(f"new-{role}")
    granted = assignment_grant(granter=admin, user=person, role=role, node=_node(pworld, kind))
    assert granted.granted_by == admin and granted.active
    count = RoleAssignment.objects.count()
    with pytest.raises(OutOfScopeError):
        assignment_grant(granter=admin, user=person, role=role, node=_node(pworld, kind, foreign=True))
    with pytest.raises(OutOfScopeError):
        assignment_grant(
            granter=pworld.world.users[Role.COUNTY_STAFF], user=person, role=role, node=_node(pworld, kind)
        )
    assert RoleAssignment.objects.count() == count


@pytest.mark.django_db
def test_county_admin_may_not_make_a_county_admin(pworld: PairingWorld) -> None:
    """A county administrator cannot grant another county administrator hat (that is the
    prefecture's or the province's decision), nor revoke one; the province administrator
    can, in their province only."""
    w = pworld.world
    admin = w.users[Role.COUNTY_ADMIN]
    person = user("would-be-admin")
    with pytest.raises(OutOfScopeError):
        assignment_grant(granter=admin, user=person, role=Role.COUNTY_ADMIN, node=w.county)
    assert not RoleAssignment.objects.filter(user=person).exists()
    province_admin = w.users[Role.PROVINCE_ADMIN]
    granted = assignment_grant(granter=province_admin, user=person, role=Role.COUNTY_ADMIN, node=w.county)
    with pytest.raises(OutOfScopeError):
        assignment_grant(granter=province_admin, user=user("far-admin"), role=Role.COUNTY_ADMIN, node=w.county2)
    with pytest.raises(OutOfScopeError):
        assignment_revoke(granter=admin, assignment=granted)
    granted.refresh_from_db()
    assert granted.revoked is None
    assignment_revoke(granter=province_admin, assignment=granted)
    granted.refresh_from_db()
    assert granted.revoked is not None


# --- the same rules through the admin's inline ---------------------------------------------


def _form_data(form: Any) -> dict[str, Any]:
    """What a browser posts back for ``form`` unchanged (only options the select offers)."""
    from django.forms import MultiWidget

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
            offered = {str(key) for key, _label in field.field.choices}
            if isinstance(value, list | tuple):
                data[field.html_name] = [v for v in value if str(v) in offered]
            else:
                data[field.html_name] = value if str(value) in offered else ""
        elif isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif value is not None:
            data[field.html_name] = value
    return data


def _admin_grant(client: Client, person: User, **row: Any) -> Any:
    """Post the person's admin page with one new row in the hats inline."""
    url = reverse("admin:accounts_user_change", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = _form_data(page.context["adminform"].form)
    adding = None
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        data[f"{formset.prefix}-TOTAL_FORMS"] = formset.initial_form_count()
        for form in formset.initial_forms:
            data.update(_form_data(form))
        if inline.has_add_permission:
            adding = formset
    assert adding is not None, "the page offers no row to add a hat"
    index = adding.initial_form_count()
    data[f"{adding.prefix}-TOTAL_FORMS"] = index + 1
    for name, value in row.items():
        data[f"{adding.prefix}-{index}-{name}"] = value
    data.setdefault(f"{adding.prefix}-{index}-valid_from", "2026-01-01")
    return client.post(url, data)


@pytest.fixture
def admin_client(pworld: PairingWorld) -> Client:
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_admin_inline_grants_a_hat_in_the_county(pworld: PairingWorld, admin_client: Client) -> None:
    """Through the admin, the county administrator gives a person of their county a
    township staff hat: it is saved, granted by them and in force."""
    person = User.objects.create_user("inline1", password="x", county=pworld.world.county)
    response = _admin_grant(admin_client, person, role=Role.TOWNSHIP_STAFF, township=pworld.world.township.pk)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    (granted,) = RoleAssignment.objects.filter(user=person)
    assert granted.role == Role.TOWNSHIP_STAFF and granted.township_id == pworld.world.township.pk
    assert granted.granted_by == pworld.world.users[Role.COUNTY_ADMIN] and granted.active


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "status"),
    [
        # Refused by the grant rule (the service): 403.
        pytest.param({"role": Role.COUNTY_ADMIN, "county": "own"}, 403, id="county-admin-hat"),
        # Not even offered (the node choices are scoped): the form comes back with an error.
        pytest.param({"role": Role.TOWNSHIP_STAFF, "township": "foreign"}, 200, id="township-of-another-county"),
        pytest.param({"role": Role.COUNTY_STAFF, "county": "foreign"}, 200, id="another-county"),
    ],
)
def test_admin_inline_refuses_what_the_service_refuses(
    pworld: PairingWorld, admin_client: Client, row: dict[str, Any], status: int
) -> None:
    """Through the admin, a county administrator cannot grant a county administrator hat,
    nor any hat bound in another county: refused (403, or the form back with an error on the
    node it does not offer), and no assignment is written."""
    w = pworld.world
    person = User.objects.create_user("inline2", password="x", county=w.county)
    nodes = {
        ("county", "own"): w.county.pk,
        ("county", "foreign"): w.county2.pk,
        ("township", "foreign"): w.township2.pk,
    }
    posted = {k: nodes.get((k, v), v) for k, v in row.items()}
    count = RoleAssignment.objects.count()
    response = _admin_grant(admin_client, person, **posted)
    assert response.status_code == status
    assert RoleAssignment.objects.count() == count
    assert not RoleAssignment.objects.filter(user=person).exists()


def test_every_policy_model_is_in_the_union_check() -> None:
    """The union and revocation checks cover every model that declares a policy."""
    assert len(POLICY_MODELS) >= 20
    assert all(isinstance(m, type) and issubclass(m, models.Model) for m in POLICY_MODELS)
