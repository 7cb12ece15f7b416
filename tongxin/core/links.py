"""Choices follow the action: which related rows a user may link, for forms, filters,
serializers and the admin alike.

The choices of a relation are the target rows the user may view; for a field that places
the row in the tree (``ScopePaths.placement``), only a hat allowed to move the row offers
choices at all — anyone else keeps the current value (the field is shown read-only). The
same queryset validates the submitted value, so a page and the API cannot differ.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from tongxin.core.scope import CHANGE, VIEW, has_policy, policy_of, restrict


def may_move(model: type[models.Model], user: Any, instance: models.Model | None) -> bool:
    """Whether ``user`` may change the placement fields of ``instance`` (or of a new row)."""
    if instance is None or instance.pk is None:
        return True
    scope, _permissions = policy_of(model)
    if not scope.moved_by:
        return False
    return restrict(model._default_manager.all(), user, CHANGE, levels=scope.moved_by).filter(pk=instance.pk).exists()


def link_queryset(
    user: Any, model: type[models.Model], field_name: str, queryset: models.QuerySet[Any], instance: Any = None
) -> tuple[models.QuerySet[Any], bool]:
    """The rows ``user`` may link through ``model.field_name``, and whether it is editable."""
    target = queryset.model
    if has_policy(target):
        queryset = restrict(queryset, user, VIEW)
    changing = instance is not None and instance.pk is not None
    if changing and has_policy(model) and field_name in policy_of(model)[0].placement:
        if not may_move(model, user, instance):
            return queryset.none(), False
        if has_policy(target):
            queryset = restrict(queryset, user, VIEW, levels=policy_of(model)[0].moved_by)
    return queryset, True
