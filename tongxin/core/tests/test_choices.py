"""Choices are scoped reads: no form, filter or serializer offers or accepts a row its user
may not see.

Every choice field (``ModelChoiceField``/``ModelMultipleChoiceField``) of every model form
built on ``ScopedModelForm`` (the ledgers' edit and import forms among them), every ledger
filter set and every related field of every API serializer is built for every role, for a
new row and for an existing one: its options lie within what that role may view, never
include a row of the other county and, for a person bound at or below a township, nothing
of the sibling township. Then a foreign id is submitted to each form and to each API create
and update: refused (a form error, 400), with nothing written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.db import models
from django.test import Client, RequestFactory
from rest_framework import serializers
from rest_framework.request import Request

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.core.forms import ScopedModelForm
from tongxin.core.ledgers import all_ledgers
from tongxin.core.scope import ADD, CHANGE, VIEW, allowed, can, has_policy, policy_of, restrict
from tongxin.testing.access import (
    LOWER_ROLES,
    MULTI,
    OWN,
    AccessWorld,
    build_access_world,
    judge,
    module_transaction,
)
from tongxin.testing.routes import all_routes

WHO = [*Role.values, MULTI]


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def _model_forms() -> list[type[ScopedModelForm]]:
    """Every scoped model form of the project (the ledgers' forms and import forms included)."""
    for ledger in all_ledgers():  # importing the ledgers imports their forms
        assert ledger.form is None or issubclass(ledger.form, ScopedModelForm)
    return sorted(
        {form for form in _subclasses(ScopedModelForm) if form.__module__.startswith("tongxin.")},
        key=lambda f: f"{f.__module__}.{f.__name__}",
    )


def _viewsets() -> list[Any]:
    seen: dict[str, Any] = {}
    for route in all_routes():
        if route.viewset_actions is not None:
            seen.setdefault(route.view_class.__name__, route.view_class)
    return [seen[name] for name in sorted(seen)]


FORMS = _model_forms()
FILTERSETS = sorted({ledger.filterset for ledger in all_ledgers()}, key=lambda f: f.__name__)
VIEWSETS = _viewsets()


# ---------------------------------------------------------------------------------------
# The world, built once for the module.


@pytest.fixture(scope="module")
def shared(django_db_setup: Any, django_db_blocker: Any) -> Iterator[AccessWorld]:
    with module_transaction(django_db_blocker):
        yield build_access_world()


@pytest.fixture
def world(shared: AccessWorld, db: Any) -> AccessWorld:
    return shared


@dataclass(frozen=True)
class Reach:
    """Rows of a model that are out of reach: the other county's, and the sibling
    township's (those reachable from township B and not from township A)."""

    foreign: frozenset[Any]
    sibling: frozenset[Any]


def reach(model: type[models.Model], world: AccessWorld) -> Reach:
    scope = policy_of(model)[0]
    w = world.world
    rows = model._default_manager.all()
    if scope.path("county") is not None:
        foreign = rows.filter(**{scope.path("county"): w.county2.pk})  # type: ignore[misc]
    else:
        foreign = rows.filter(**{scope.path("province"): w.county2.province_id})  # type: ignore[misc]
    sibling = rows.none()
    township = scope.path("township")
    if township is not None:
        sibling = rows.filter(**{township: w.township_b.pk}).exclude(**{township: w.township.pk})
    return Reach(frozenset(foreign.values_list("pk", flat=True)), frozenset(sibling.values_list("pk", flat=True)))


def _own(world: AccessWorld, model: type[models.Model]) -> models.Model | None:
    subjects = world.subjects.get(model._meta.label, [])
    own = next((s.obj for s in subjects if s.place == OWN), None)
    return type(own)._default_manager.get(pk=own.pk) if own is not None else None


def _check_options(
    where: str, target: type[models.Model], queryset: Any, who: str, user: User, world: AccessWorld
) -> list[str]:
    if queryset is None or not has_policy(target):
        return []
    offered = set(queryset.values_list("pk", flat=True))
    out = reach(target, world)
    problems = []
    if offered & out.foreign:
        problems.append(f"{where} offers {who} rows of the other county: {sorted(offered & out.foreign)}")
    if who in LOWER_ROLES and offered & out.sibling:
        problems.append(f"{where} offers {who} rows of the sibling township: {sorted(offered & out.sibling)}")
    visible = set(restrict(target._default_manager.all(), user, VIEW).values_list("pk", flat=True))
    if offered - visible:
        problems.append(f"{where} offers {who} rows they may not view: {sorted(offered - visible)}")
    return problems


def _choice_fields(form: Any) -> Iterator[tuple[str, forms.ModelChoiceField[Any]]]:
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):  # multiple choices included
            yield name, field


# ---------------------------------------------------------------------------------------
# Options


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_form_choices_stay_in_scope(world: AccessWorld, form_class: type[ScopedModelForm]) -> None:
    """Each choice of each scoped model form, for every role, new row and existing row:
    only rows the role may view; never the other county; never the sibling township for a
    person bound at or below a township."""
    model = form_class._meta.model
    instances = [None, _own(world, model)]
    problems: list[str] = []
    checked = 0
    for who in WHO:
        user = world.users[who]
        for instance in instances:
            if instance is not None and not allowed(user, instance, CHANGE):
                continue  # they never see this form: the edit page is 404 to them
            form = form_class(instance=instance, user=user) if instance is not None else form_class(user=user)
            for name, field in _choice_fields(form):
                if field.disabled and instance is not None:
                    # A placement they may not change: shown read-only with its current value.
                    current = getattr(instance, f"{name}_id", None)
                    assert set(field.queryset.values_list("pk", flat=True)) <= {current}, (who, name)
                    continue
                where = f"{form_class.__name__}.{name} ({'edit' if instance else 'new'})"
                problems += _check_options(where, field.queryset.model, field.queryset, who, user, world)
                checked += 1
    assert not problems, "\n".join(problems)
    has_choices = any(True for _ in _choice_fields(form_class(user=None)))
    assert checked or not has_choices


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda f: f.__name__)
def test_filter_choices_stay_in_scope(world: AccessWorld, filterset_class: Any) -> None:
    """Each choice of each ledger filter set, for every role: only rows the role may view."""
    model = filterset_class._meta.model
    problems: list[str] = []
    for who in WHO:
        request = RequestFactory().get("/")
        request.user = world.users[who]
        filterset = filterset_class(data={}, queryset=model._default_manager.all(), request=request)
        for name, field in _choice_fields(filterset.form):
            where = f"{filterset_class.__name__}.{name}"
            problems += _check_options(where, field.queryset.model, field.queryset, who, request.user, world)
    assert not problems, "\n".join(problems)


def _related_fields(serializer: Any) -> Iterator[tuple[str, Any]]:
    for name, field in serializer.fields.items():
        relation = getattr(field, "child_relation", field)
        if getattr(field, "read_only", False) or not isinstance(relation, serializers.RelatedField):
            continue
        yield name, relation


def _drf_request(user: User) -> Request:
    request = Request(RequestFactory().get("/"))
    request.user = user
    return request


# Known leaks, each a strict xfail: when it is fixed the test says so, and the entry goes.
SERIALIZER_LEAKS: dict[str, str] = {}


def _serializer_params() -> list[Any]:
    return [
        pytest.param(
            viewset,
            id=viewset.__name__,
            marks=[pytest.mark.xfail(strict=True, reason=SERIALIZER_LEAKS[viewset.__name__])]
            if viewset.__name__ in SERIALIZER_LEAKS
            else [],
        )
        for viewset in VIEWSETS
    ]


@pytest.mark.parametrize("viewset", _serializer_params())
def test_serializer_choices_stay_in_scope(world: AccessWorld, viewset: Any) -> None:
    """The related fields of each API serializer accept (and describe) only rows the role
    may view, for a new row and an existing one."""
    serializer_class = viewset.serializer_class
    model = serializer_class.Meta.model
    problems: list[str] = []
    for who in WHO:
        user = world.users[who]
        context = {"request": _drf_request(user)}
        for instance in (None, _own(world, model)):
            if instance is not None and not allowed(user, instance, CHANGE):
                continue  # an update of this row is 404 to them
            serializer = serializer_class(instance=instance, context=context)
            for name, relation in _related_fields(serializer):
                where = f"{serializer_class.__name__}.{name} ({'edit' if instance else 'new'})"
                problems += _check_options(where, relation.queryset.model, relation.queryset, who, user, world)
    assert not problems, "\n".join(problems)


def test_every_form_and_serializer_is_checked() -> None:
    """The lists above are found, not written: every ledger form, import form and filter set,
    and every API resource, is among them."""
    for ledger in all_ledgers():
        for form in (ledger.form, ledger.import_form):
            assert form is None or form in FORMS, form
        assert ledger.filterset in FILTERSETS
    assert len(VIEWSETS) >= 8, VIEWSETS


# ---------------------------------------------------------------------------------------
# Submitting a foreign id


def _foreign_row(target: type[models.Model], world: AccessWorld) -> Any:
    pks = sorted(reach(target, world).foreign)
    return target._default_manager.get(pk=pks[0]) if pks else None


def _sibling_row(target: type[models.Model], world: AccessWorld) -> Any:
    pks = sorted(reach(target, world).sibling)
    return target._default_manager.get(pk=pks[0]) if pks else None


def _form_data(form: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
        if isinstance(field, forms.ModelChoiceField) and getattr(field, "keys", None):
            data[name] = str(value)  # a natural-key field takes the id as well
    return data


def _bad_value(field: forms.ModelChoiceField[Any], row: models.Model) -> Any:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [str(row.pk)]
    keys = getattr(field, "keys", None)  # natural keys (spreadsheets): the code, as a row would say it
    if keys and hasattr(row, keys[0]):
        return str(getattr(row, keys[0]))
    return str(row.pk)


def _superuser() -> User:
    return User.objects.get_or_create(username="root-choices", defaults={"is_superuser": True, "is_staff": True})[0]


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_forms_refuse_a_foreign_id(world: AccessWorld, form_class: type[ScopedModelForm]) -> None:
    """For each choice field of each form, every role that may add or change the model is
    refused a row of the other county (and a person bound at or below a township one of
    the sibling township): the form is invalid and names the field."""
    model = form_class._meta.model
    own = _own(world, model)
    template = form_class(instance=own, user=_superuser()) if own is not None else None
    problems: list[str] = []
    tried = 0
    for name, field in _choice_fields(form_class(user=_superuser())):
        target = field.queryset.model
        if not has_policy(target):
            continue
        for who in WHO:
            user = world.users[who]
            rows = [("foreign", _foreign_row(target, world))]
            if who in LOWER_ROLES:
                rows.append(("sibling", _sibling_row(target, world)))
            for action, instance in ((ADD, None), (CHANGE, own)):
                if not can(user, model, action) or (action == CHANGE and instance is None):
                    continue
                for label, row in rows:
                    if row is None:
                        continue
                    data = _form_data(template) if template is not None else {}
                    data[name] = _bad_value(field, row)
                    form = form_class(data=data, instance=instance, user=user)
                    tried += 1
                    valid = form.is_valid()
                    if form.fields[name].disabled:
                        # A placement this person may not change: the value sent is ignored.
                        kept = valid and form.cleaned_data.get(name) == getattr(instance, name, None)
                        if not kept:
                            problems.append(f"{who} {action} {form_class.__name__}.{name} = {label}: not kept")
                    elif valid or name not in form.errors:
                        problems.append(f"{who} {action} {form_class.__name__}.{name} = {label} {row!r}: accepted")
    assert not problems, "\n".join(problems)
    if any(has_policy(f.queryset.model) for _n, f in _choice_fields(form_class(user=_superuser()))):
        assert tried, f"{form_class.__name__}: no role may add or change {model._meta.label}?"


LEDGERS_WITH_FORMS = [ledger for ledger in all_ledgers() if ledger.form is not None]


@pytest.mark.parametrize("ledger", LEDGERS_WITH_FORMS, ids=lambda ledger: ledger.name)
def test_pages_refuse_a_foreign_id(world: AccessWorld, ledger: Any) -> None:
    """Through the add and edit pages, the county administrator submitting a foreign row in
    any choice field gets the form back with an error on that field, and nothing is written
    (a placement they may not change keeps its value)."""
    from django.urls import reverse

    user = world.users[Role.COUNTY_ADMIN]
    client = Client()
    client.force_login(user)
    own = _own(world, ledger.model)
    assert own is not None
    template = _form_data(ledger.form(instance=own, user=_superuser()))
    problems = []
    for name, field in _choice_fields(ledger.form(user=_superuser())):
        target = field.queryset.model
        row = _foreign_row(target, world) if has_policy(target) else None
        if row is None:
            continue
        for url, action in (
            (reverse(ledger.url_name("add")), ADD),
            (reverse(ledger.url_name("edit"), args=[own.pk]), CHANGE),
        ):
            if not can(user, ledger.model, action):
                continue
            data = {**template, name: _bad_value(field, row)}
            outcome = judge(client, "post", url, data=data, watch=own, look=True)
            editing = ledger.form(instance=own, user=user) if action == CHANGE else None
            if editing is not None and editing.fields[name].disabled:
                # A placement they may not change here: the value sent is ignored.
                attname = ledger.model._meta.get_field(name).attname
                if outcome.status >= 400 or attname in outcome.changed:
                    problems.append(f"POST {url} {name}={row!r}: {outcome.status}, changed {outcome.changed}")
            elif outcome.status != 200 or outcome.written:
                problems.append(f"POST {url} {name}={row!r}: {outcome.status}, wrote {outcome.written}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewset", VIEWSETS, ids=lambda v: v.__name__)
def test_api_refuses_a_foreign_id(world: AccessWorld, viewset: Any) -> None:
    """Through the API, the county administrator creating a row (a copy of their own) or
    changing their own with a foreign row in any related field gets 400 (or 404), and
    nothing is written."""
    from tongxin.testing.routes import Route

    serializer_class = viewset.serializer_class
    model = serializer_class.Meta.model
    routes = [r for r in all_routes() if r.view_class is viewset and not r.is_format_suffix]
    create = next((r for r in routes if (r.viewset_actions or {}).get("post") == "create"), None)
    detail: Route | None = next((r for r in routes if (r.viewset_actions or {}).get("get") == "retrieve"), None)
    own = _own(world, model)
    user = world.users[Role.COUNTY_ADMIN]
    client = Client()
    client.force_login(user)
    admin_client = Client()
    admin_client.force_login(_superuser())
    if own is None or detail is None:
        pytest.skip(f"{model._meta.label}: no own row in the world")
    representation = admin_client.get(detail.url(pk=own.pk)).json()
    context = {"request": _drf_request(_superuser())}
    problems = []
    tried = 0
    for name, relation in _related_fields(serializer_class(context=context)):
        target = relation.queryset.model
        row = _foreign_row(target, world) if has_policy(target) else None
        if row is None:
            continue
        many = isinstance(serializer_class(context=context).fields[name], serializers.ManyRelatedField)
        value = [row.pk] if many else row.pk
        writes = []
        if create is not None and (create.viewset_actions or {}).get("post") == "create":
            body = {k: v for k, v in representation.items() if k != "id"}
            writes.append(("post", create.url(), {**body, name: value}))
        if "patch" in (detail.viewset_actions or {}) and "patch" in detail.methods():
            writes.append(("patch", detail.url(pk=own.pk), {name: value, "version": own.version}))  # type: ignore[attr-defined]
        for method, url, body in writes:
            tried += 1
            outcome = judge(client, method, url, data=body, json=True, watch=own)
            if outcome.status not in (400, 404) or outcome.written:
                problems.append(f"{method.upper()} {url} {name}={row!r}: {outcome.status} {outcome.content[:200]!r}")
    assert not problems, "\n".join(problems)
    assert tried or not any(
        has_policy(r.queryset.model) for _n, r in _related_fields(serializer_class(context=context))
    )


def test_world_has_foreign_rows_for_every_choice_target(world: AccessWorld) -> None:
    """The checks above have something to catch: every model a choice field points at has
    rows in the other county (and, where it lies under townships, in the sibling one)."""
    targets: set[type[models.Model]] = set()
    for form_class in FORMS:
        targets |= {f.queryset.model for _n, f in _choice_fields(form_class(user=_superuser()))}
    missing = [t._meta.label for t in targets if has_policy(t) and not reach(t, world).foreign]
    assert not missing, missing
