"""Scope by the administrative tree: the one place that decides what a user may touch.

Every scoped model declares a :class:`ScopePaths` (how to reach county, township, village
and enterprise from one of its rows) and a :class:`RolePermissions` (which actions each role
may take). ``Model.objects.restrict(user, action)`` combines both; the base views, the base
API viewset, exports, imports and search all go through it, and :func:`get_scoped_or_404`
is the checked accessor for single objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from tongxin.accounts.choices import COUNTY_ROLES, Role

if TYPE_CHECKING:
    from tongxin.accounts.models import User

VIEW, ADD, CHANGE, DELETE, EXPORT, IMPORT = "view", "add", "change", "delete", "export", "import"
ACTIONS = (VIEW, ADD, CHANGE, DELETE, EXPORT, IMPORT)
ALL = frozenset(ACTIONS)
READ = frozenset({VIEW, EXPORT})


@dataclass(frozen=True)
class ScopePaths:
    """ORM paths from a row to the nodes that bound each role; ``None`` means no access.

    ``county`` is the path to the county id, ``township`` to the township id, ``village``
    to the village id, ``enterprise`` to the enterprise id and ``liaison`` to the user id of
    a liaison officer appointed to the row. Use ``"pk"`` for the model itself.
    """

    county: str | None
    township: str | None = None
    village: str | None = None
    enterprise: str | None = None
    liaison: str | None = None
    # Set when a path crosses a many-valued relation (the filter then uses a subquery so
    # rows are never repeated).
    many: bool = False

    def q_for(self, user: User) -> Q | None:
        role = user.role
        if role in COUNTY_ROLES:
            return _eq(self.county, user.county_id)
        if role == Role.TOWNSHIP_STAFF:
            return _eq(self.township, user.township_id)
        if role == Role.VILLAGE_CONTACT:
            return _eq(self.village, user.village_id)
        if role == Role.ENTERPRISE_CONTACT:
            return _eq(self.enterprise, user.enterprise_id)
        if role == Role.LIAISON:
            return _eq(self.liaison, user.pk)
        # Reviewers see the nominations of selection campaigns (publicity area).
        return None


def _eq(path: str | None, value: int | None) -> Q | None:
    if path is None or value is None:
        return None
    return Q(**{path: value})


@dataclass(frozen=True)
class RolePermissions:
    """Which actions each role may take on a model (within its scope)."""

    grants: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def allows(self, role: str, action: str) -> bool:
        return action in self.grants.get(role, frozenset())

    @classmethod
    def ledger(cls, **overrides: Iterable[str]) -> RolePermissions:
        """Defaults for ledger data: county roles do everything, township staff all but
        delete, contacts view and change their own organisation."""
        grants: dict[str, frozenset[str]] = {
            Role.COUNTY_ADMIN: ALL,
            Role.COUNTY_STAFF: ALL,
            Role.TOWNSHIP_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT, IMPORT}),
            Role.VILLAGE_CONTACT: frozenset({VIEW, CHANGE}),
            Role.ENTERPRISE_CONTACT: frozenset({VIEW, CHANGE}),
        }
        grants.update({role: frozenset(actions) for role, actions in overrides.items()})
        return cls(grants)


_Q = TypeVar("_Q", bound=QuerySet[Any])


def restrict(queryset: _Q, user: Any, action: str = VIEW) -> _Q:
    """The rows of ``queryset`` that ``user`` may ``action``; empty when none."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    model = queryset.model
    permissions: RolePermissions = model.permissions
    if not permissions.allows(user.role, action):
        return queryset.none()
    scope: ScopePaths = model.scope
    q = scope.q_for(user)
    if q is None:
        return queryset.none()
    if scope.many:
        return queryset.filter(pk__in=model._default_manager.filter(q).values("pk"))
    return queryset.filter(q)


_M = TypeVar("_M", bound=Model)


def get_scoped_or_404(model: type[_M], user: Any, action: str = VIEW, **lookup: Any) -> _M:
    """The checked accessor: one object the user may ``action``, else 404 (never 403)."""
    queryset = restrict(model._default_manager.all(), user, action)
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can(user: Any, model: type[Model], action: str) -> bool:
    """Whether the role may take ``action`` on ``model`` at all (for menus and buttons)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(model.permissions.allows(user.role, action))  # type: ignore[attr-defined]
