"""The change log: one record per create/update/delete, from every write path.

Signals are the right tool here (a cross-cutting concern): they fire for pages, the API,
the admin site, imports and commands alike. Business rules never live in signals.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from tongxin.core.choices import ChangeAction
from tongxin.core.context import ChangeContext, current
from tongxin.core.models import ChangeLoggedModel, ObjectChange


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return result


def _m2m_fields(instance: models.Model) -> list[models.ManyToManyField[Any, Any]]:
    return [f for f in instance._meta.many_to_many if isinstance(f, models.ManyToManyField)]


def _value(field: Any, value: Any) -> Any:
    """A field value for the log; binary content is recorded by its size only, and a
    personal identifier a model lists in ``log_masks`` (field name → mask) masked."""
    mask = getattr(getattr(field, "model", None), "log_masks", {}).get(field.name)
    if mask is not None and value:
        return mask(value)
    if isinstance(field, models.BinaryField) and value is not None:
        return f"<{len(value)} bytes>"
    if isinstance(field, models.FileField):
        return str(value) if value else ""
    return value


def _fields(instance: models.Model) -> dict[str, Any]:
    return {f.attname: _value(f, f.value_from_object(instance)) for f in instance._meta.concrete_fields}


def serialize(instance: models.Model, *, with_m2m: bool = True) -> dict[str, Any]:
    """The instance's concrete field values (and many-to-many keys), JSON-ready."""
    data: dict[str, Any] = _fields(instance)
    if with_m2m and instance.pk is not None:
        for m2m in _m2m_fields(instance):
            prefetched = getattr(instance, "_prefetched_objects_cache", {}).get(m2m.name)
            items = prefetched if prefetched is not None else getattr(instance, m2m.name).all()
            data[m2m.name] = sorted(str(obj.pk) for obj in items)
    return _jsonable(data)


def _loaded_snapshot(instance: ChangeLoggedModel) -> dict[str, Any] | None:
    loaded = instance._loaded_values
    if loaded is None:
        return None
    data = {f.attname: _value(f, loaded[f.attname]) for f in instance._meta.concrete_fields if f.attname in loaded}
    for m2m in _m2m_fields(instance):
        data[m2m.name] = sorted(str(pk) for pk in getattr(instance, m2m.name).values_list("pk", flat=True))
    return _jsonable(data)


def _context() -> ChangeContext:
    ctx = current()
    return ctx if ctx is not None else ChangeContext(source="system")


def _record(instance: models.Model, action: str, before: Any, after: Any) -> ObjectChange:
    ctx = _context()
    user = ctx.get_user()
    return ObjectChange.objects.create(
        user=user,
        user_name=user.get_username() if user is not None else "",
        request_id=ctx.request_id,
        source=ctx.source,
        action=action,
        changed_object_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        changed_object_id=instance.pk,
        object_repr=str(instance)[:200],
        prechange_data=before,
        postchange_data=after,
    )


def _pending(instance: models.Model) -> ObjectChange | None:
    """The record this object's current write belongs to, if one is open.

    Within a request (or import, or command) every write to one object folds into one
    record; outside any context the record travels on the instance itself.
    """
    ctx = current()
    if ctx is not None:
        return ctx.changes.get(_key(instance))
    return getattr(instance, "_pending_change", None)


def _remember(instance: models.Model, change: ObjectChange | None) -> None:
    ctx = current()
    if ctx is not None:
        if change is None:
            ctx.changes.pop(_key(instance), None)
        else:
            ctx.changes[_key(instance)] = change
    instance._pending_change = change  # type: ignore[attr-defined]


def _key(instance: models.Model) -> tuple[int, int]:
    return (ContentType.objects.get_for_model(instance, for_concrete_model=False).pk, instance.pk)


def _reset_snapshot(instance: ChangeLoggedModel) -> None:
    instance._loaded_values = {f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields}


def on_save(sender: type[models.Model], instance: ChangeLoggedModel, created: bool, raw: bool, **_: Any) -> None:
    if raw:
        return
    after = serialize(instance, with_m2m=not created)
    if created:  # a new row has no many-to-many links yet: no need to ask the database
        after.update({m2m.name: [] for m2m in _m2m_fields(instance)})
    existing = _pending(instance) if current() is not None else None
    if existing is not None and existing.action in (ChangeAction.CREATE, ChangeAction.UPDATE):
        # A second save of the same object in the same request: one record, latest state.
        existing.postchange_data = after
        existing.save(update_fields=["postchange_data"])
    else:
        before = None if created else _loaded_snapshot(instance)
        action = ChangeAction.CREATE if created else ChangeAction.UPDATE
        _remember(instance, _record(instance, action, before, after))
    _reset_snapshot(instance)


def on_delete(sender: type[models.Model], instance: ChangeLoggedModel, **_: Any) -> None:
    before = _jsonable(_fields(instance))
    _remember(instance, None)
    _record(instance, ChangeAction.DELETE, before, None)


def on_m2m(sender: Any, instance: models.Model, action: str, reverse: bool, **_: Any) -> None:
    if reverse or not isinstance(instance, ChangeLoggedModel):
        return
    existing = _pending(instance)
    if action in {"pre_add", "pre_remove", "pre_clear"}:
        if existing is None:
            _remember(instance, _record(instance, ChangeAction.UPDATE, serialize(instance), None))
        return
    if action in {"post_add", "post_remove", "post_clear"} and existing is not None:
        existing.postchange_data = serialize(instance)
        existing.save(update_fields=["postchange_data"])


def connect_signals() -> None:
    """Connect the handlers to every concrete change-logged model."""
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, ChangeLoggedModel):
            uid = f"changelog-{model._meta.label_lower}"
            post_save.connect(on_save, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(on_delete, sender=model, dispatch_uid=f"{uid}-delete")
            for m2m in model._meta.many_to_many:
                through = getattr(m2m.remote_field, "through", None)
                if through is not None:
                    m2m_changed.connect(on_m2m, sender=through, dispatch_uid=f"{uid}-{m2m.name}")
