"""Writes in scope: the save/delete path shared by pages, the API, imports and the admin.

A write is judged before and after: the user must have been allowed to change the row as
it was (the caller fetched it through ``restrict(user, CHANGE)``), must be allowed the row
as it will be (re-checked here, inside the transaction, after the save), and the fields
that place the row in the tree (``ScopePaths.placement``) change only for a hat bound
above the row's level that contains both the old and the new place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction

from tongxin.core.exceptions import OutOfScopeError
from tongxin.core.scope import ADD, CHANGE, DELETE, policy_of, restrict

M = TypeVar("M", bound=models.Model)


def ensure_in_scope(*, instance: models.Model, user: Any, action: str) -> None:
    """Raise :class:`OutOfScopeError` unless ``user`` may ``action`` ``instance`` now."""
    queryset = restrict(type(instance)._default_manager.all(), user, action)
    if not queryset.filter(pk=instance.pk).exists():
        raise OutOfScopeError


def _placement_attnames(model: type[models.Model]) -> list[str]:
    scope, _permissions = policy_of(model)
    return [model._meta.get_field(name).attname for name in scope.placement]  # type: ignore[union-attr]


def _may_move(model: type[models.Model], user: Any, pk: Any) -> bool:
    scope, _permissions = policy_of(model)
    if not scope.moved_by:
        return False
    return restrict(model._default_manager.all(), user, CHANGE, levels=scope.moved_by).filter(pk=pk).exists()


def save_in_scope(*, user: Any, instance: M, save: Callable[[], M], adding: bool) -> M:
    """Run ``save`` (a form's or serializer's save of ``instance``) and judge it.

    ``instance`` is the object being saved (for a change, the row fetched in the user's
    change scope). Everything runs in one transaction: a refused write leaves nothing.
    """
    model = type(instance)
    with transaction.atomic():
        placement = [] if adding else _placement_attnames(model)
        before: dict[str, Any] = {}
        movable = False
        if placement:
            before = model._default_manager.filter(pk=instance.pk).values(*placement).get()
            movable = _may_move(model, user, instance.pk)
        saved = save()
        ensure_in_scope(instance=saved, user=user, action=ADD if adding else CHANGE)
        moved = placement and any(getattr(saved, name) != before[name] for name in placement)
        if moved and not (movable and _may_move(model, user, saved.pk)):
            raise OutOfScopeError
    return saved


def delete_in_scope(*, user: Any, instance: models.Model) -> None:
    """Delete ``instance`` if it is within the user's delete scope (checked in the transaction)."""
    with transaction.atomic():
        ensure_in_scope(instance=instance, user=user, action=DELETE)
        instance.delete()
