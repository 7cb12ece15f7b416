"""Writes in scope: the save/delete path shared by pages, the API, imports and the admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction

from tongxin.core.exceptions import OutOfScopeError
from tongxin.core.scope import ADD, CHANGE, DELETE, restrict

M = TypeVar("M", bound=models.Model)


def ensure_in_scope(*, instance: models.Model, user: Any, action: str) -> None:
    """Raise :class:`OutOfScopeError` unless ``user`` may still ``action`` ``instance``.

    Called after the write, inside the same transaction, so a change that moves an object
    out of the user's own scope is rolled back.
    """
    queryset = restrict(type(instance)._default_manager.all(), user, action)
    if not queryset.filter(pk=instance.pk).exists():
        raise OutOfScopeError


def save_in_scope(*, user: Any, save: Callable[[], M], adding: bool) -> M:
    """Run ``save`` (a form's or serializer's save) and re-check scope in one transaction."""
    with transaction.atomic():
        instance = save()
        ensure_in_scope(instance=instance, user=user, action=ADD if adding else CHANGE)
    return instance


def delete_in_scope(*, user: Any, instance: models.Model) -> None:
    """Delete ``instance`` if it is within the user's delete scope (checked in the transaction)."""
    with transaction.atomic():
        ensure_in_scope(instance=instance, user=user, action=DELETE)
        instance.delete()
