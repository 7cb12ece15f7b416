"""Scope by the administrative tree: the one place that decides what a user may touch.

A model's *policy* has two declared halves: :class:`ScopePaths` (how a row reaches each
kind of node a role can be bound to) and :class:`RolePermissions` (which actions, standard
and workflow ones, each role may take). A person's scope for a model and an action is the
OR, over their active hats (:mod:`tongxin.accounts.roles`) whose role may take the action,
of the row filter of that hat. Nothing is allowed that is not declared (default deny).

``restrict(queryset, user, action)`` is the only way rows are read for a user: the base
views, the base API viewset, forms, filters, serializers, exports, imports, search, the
admin, services and file downloads all go through it; :func:`get_scoped_or_404` is the
checked accessor for single objects and :func:`require` the one for workflow actions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from tongxin.accounts.choices import Role
from tongxin.accounts.roles import ABOVE_TOWNSHIP, Hat, hats

VIEW, ADD, CHANGE, DELETE, EXPORT, IMPORT = "view", "add", "change", "delete", "export", "import"
ACTIONS = (VIEW, ADD, CHANGE, DELETE, EXPORT, IMPORT)
ALL = frozenset(ACTIONS)
READ = frozenset({VIEW, EXPORT})
SUPERVISORS = (Role.PROVINCE_ADMIN, Role.PROVINCE_STAFF, Role.PREFECTURE_ADMIN, Role.PREFECTURE_STAFF)


@dataclass(frozen=True)
class ScopePaths:
    """ORM paths from a row to the nodes that bind each role; ``None`` means no access.

    ``county`` is the path to the county id, ``township`` to the township id, ``village``
    to the village id, ``enterprise`` to the enterprise id, ``association`` to the id of an
    association (台联, 侨联 …), ``liaison`` to the user id of a
    liaison officer appointed to the row and ``reviewer`` to the user id of a reviewer.
    ``province`` and ``prefecture`` default to the county's own (``<county>__province``).
    Use ``"pk"`` for the model itself.

    ``owner`` is the path to the user a personal row belongs to (a notification's
    recipient): when set, every hat sees only the rows of the person who wears it, and
    no path above applies.

    ``placement`` names the fields that place a row in the tree (a village's township, an
    activity's pair). They change only for a person whose hat is bound above the row's
    own level and contains both the old and the new place (``moved_by``); a contact,
    bound to their own organisation, can never move it.
    """

    county: str | None
    township: str | None = None
    village: str | None = None
    enterprise: str | None = None
    liaison: str | None = None
    reviewer: str | None = None
    # The path to a chamber of commerce a chamber's staff are bound to (through the
    # chamber's ancestry, so that they see its sub-chambers too; set ``many``).
    chamber: str | None = None
    association: str | None = None
    province: str | None = None
    prefecture: str | None = None
    # Set when a path crosses a many-valued relation (the filter then uses a subquery so
    # rows are never repeated).
    many: bool = False
    placement: tuple[str, ...] = ()
    moved_by: frozenset[str] = ABOVE_TOWNSHIP
    owner: str | None = None

    def path(self, sees: str) -> str | None:
        explicit: str | None = getattr(self, sees)
        if explicit is not None or sees not in ("province", "prefecture") or self.county is None:
            return explicit
        return sees if self.county == "pk" else f"{self.county}__{sees}"

    def q_for_hat(self, hat: Hat) -> Q | None:
        if self.owner is not None:
            return Q(**{self.owner: hat.user_id})
        sees = hat.spec.sees
        path = self.path(sees)
        value = hat.node_id(sees)
        if path is None or value is None:
            return None
        return Q(**{path: value})


@dataclass(frozen=True)
class RolePermissions:
    """Which actions each role may take on a model (within its scope). Default deny.

    ``workflow`` names the model's own workflow actions (``approve``, ``submit`` …) so that
    a misspelt action is an error, not a silent "no".
    """

    grants: Mapping[str, frozenset[str]] = field(default_factory=dict)
    workflow: frozenset[str] = frozenset()

    def allows(self, role: str, action: str) -> bool:
        return action in self.grants.get(role, frozenset())

    @property
    def actions(self) -> frozenset[str]:
        return ALL | self.workflow

    def with_grants(self, **more: Iterable[str]) -> RolePermissions:
        grants = dict(self.grants)
        for role, actions in more.items():
            grants[role] = grants.get(role, frozenset()) | frozenset(actions)
        return RolePermissions(grants, self.workflow | {a for acts in more.values() for a in acts} - ALL)

    @classmethod
    def of(cls, grants: Mapping[str, Iterable[str]], *, supervised: bool = True) -> RolePermissions:
        """Grants as given; province and prefecture staff read (view, export) when
        ``supervised``. Workflow actions are the granted names beyond the standard ones."""
        table = {role: frozenset(actions) for role, actions in grants.items()}
        if supervised:
            for role in SUPERVISORS:
                table[role] = table.get(role, frozenset()) | READ
        workflow = frozenset(a for actions in table.values() for a in actions) - ALL
        return cls(table, workflow)

    @classmethod
    def ledger(cls, **overrides: Iterable[str]) -> RolePermissions:
        """Defaults for ledger data: county roles do everything, township staff all but
        delete, contacts view and change their own organisation, supervisors read."""
        grants: dict[str, Iterable[str]] = {
            Role.COUNTY_ADMIN: ALL,
            Role.COUNTY_STAFF: ALL,
            Role.TOWNSHIP_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT, IMPORT}),
            Role.VILLAGE_CONTACT: frozenset({VIEW, CHANGE}),
            Role.ENTERPRISE_CONTACT: frozenset({VIEW, CHANGE}),
        }
        grants.update(overrides)
        return cls.of(grants)


def policy_of(model: type[Model]) -> tuple[ScopePaths, RolePermissions]:
    """The model's policy; a model without one cannot be served (default deny)."""
    scope = getattr(model, "scope", None)
    permissions = getattr(model, "permissions", None)
    if not isinstance(scope, ScopePaths) or not isinstance(permissions, RolePermissions):
        raise TypeError(f"{model._meta.label} declares no access policy (scope and permissions)")
    return scope, permissions


def has_policy(model: Any) -> bool:
    return isinstance(getattr(model, "scope", None), ScopePaths) and isinstance(
        getattr(model, "permissions", None), RolePermissions
    )


def _check_action(permissions: RolePermissions, model: type[Model], action: str) -> None:
    if action not in permissions.actions:
        raise ValueError(f"unknown action {action!r} for {model._meta.label}")


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def _hat_filters(
    model: type[Model], user: Any, action: str, levels: frozenset[str] | None, roles: frozenset[str] | None = None
) -> list[tuple[Q, str]]:
    """(row filter, path) of each of the user's hats that may take ``action``."""
    scope, permissions = policy_of(model)
    _check_action(permissions, model, action)
    found = []
    for hat in hats(user):
        if not permissions.allows(hat.role, action):
            continue
        if roles is not None and hat.role not in roles:
            continue
        if levels is not None and not (hat.level in levels and hat.spec.sees == hat.level):
            continue
        q = scope.q_for_hat(hat)
        path = scope.owner or scope.path(hat.spec.sees)
        if q is not None and path is not None:
            found.append((q, path))
    return found


def hat_filter(model: type[Model], user: Any, action: str, *, levels: frozenset[str] | None = None) -> Q | None:
    """The OR of the row filters of the user's hats that may take ``action`` (None: nothing).

    ``levels`` keeps only hats bound at those levels (for moves in the tree).
    """
    combined: Q | None = None
    for q, _path in _hat_filters(model, user, action, levels):
        combined = q if combined is None else combined | q
    return combined


def crosses_many(model: type[Model], path: str) -> bool:
    """Whether the ORM ``path`` from ``model`` passes a many-valued relation (a reverse
    foreign key or a many-to-many field), so that a join on it could repeat rows."""
    meta = model._meta
    for part in path.split("__"):
        if part == "pk":
            return False
        field = meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation or field.related_model is None:
            return False
        meta = field.related_model._meta
    return False


_Q = TypeVar("_Q", bound=QuerySet[Any])


def restrict(
    queryset: _Q,
    user: Any,
    action: str = VIEW,
    *,
    levels: frozenset[str] | None = None,
    roles: frozenset[str] | None = None,
) -> _Q:
    """The rows of ``queryset`` that ``user`` may ``action``; empty when none.

    ``levels`` keeps only the hats bound at those levels (moves in the tree), ``roles``
    only the hats of those roles (what waits for one hat of a person, in the inbox).
    """
    model = queryset.model
    if not _active(user):
        policy_of(model)
        return queryset.none()
    if user.is_superuser:
        _check_action(policy_of(model)[1], model, action)
        return queryset
    filters = _hat_filters(model, user, action, levels, roles)
    if not filters:
        return queryset.none()
    # A path through a many-valued relation (a pair's liaison officers) is answered by a
    # subquery so rows are never repeated; the others (a province, a county, a township:
    # one node per row) filter by joins, which the planner can combine with the page's
    # ordering and limit instead of collecting every id in scope first.
    direct: Q | None = None
    through_many: Q | None = None
    for q, path in filters:
        if policy_of(model)[0].many and crosses_many(model, path):
            through_many = q if through_many is None else through_many | q
        else:
            direct = q if direct is None else direct | q
    if through_many is not None:
        subquery = Q(pk__in=model._default_manager.filter(through_many).values("pk"))
        direct = subquery if direct is None else direct | subquery
    assert direct is not None
    return queryset.filter(direct)


_M = TypeVar("_M", bound=Model)


def get_scoped_or_404(model: type[_M], user: Any, action: str = VIEW, **lookup: Any) -> _M:
    """The checked accessor: one object the user may ``action``, else 404 (never 403)."""
    queryset = restrict(model._default_manager.all(), user, action)
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def allowed(user: Any, instance: Model, action: str) -> bool:
    """Whether ``user`` may take ``action`` on this very row (for buttons and services)."""
    if instance.pk is None:
        return False
    return restrict(type(instance)._default_manager.all(), user, action).filter(pk=instance.pk).exists()


def require(user: Any, instance: Model, action: str) -> None:
    """The checked accessor for an action on a row: 404 when the row is out of the user's
    view scope, 403 when they see it but may not take the action."""
    if allowed(user, instance, action):
        return
    if action != VIEW and allowed(user, instance, VIEW):
        raise PermissionDenied
    raise Http404


def can(user: Any, model: type[Model], action: str) -> bool:
    """Whether any of the user's hats may take ``action`` on ``model`` at all (menus)."""
    if not _active(user):
        return False
    _scope, permissions = policy_of(model)
    _check_action(permissions, model, action)
    if user.is_superuser:
        return True
    return any(permissions.allows(hat.role, action) for hat in hats(user))
