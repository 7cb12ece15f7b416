"""Audit of the keys: people in the change log, sign-ins in the security log.

``User`` is not a change-logged model (it stands on Django's ``AbstractUser``), so its
creates, changes and deletes are written to the same change log here, through the change
log's own helpers. The password hash is never written: a changed password shows as
``"(changed)"``; ``last_login`` is left out (every sign-in would be a change otherwise).

Sign-ins, sign-outs, failed sign-ins and django-axes lock-outs become ``SecurityEvent``
rows with the user name as typed and the client address.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from tongxin.accounts.choices import SecurityEventKind
from tongxin.accounts.models import SecurityEvent, User
from tongxin.core import changelog
from tongxin.core.choices import ChangeAction
from tongxin.core.context import current
from tongxin.core.network import client_ip

PASSWORD_CHANGED = "(changed)"  # noqa: S105 (a marker, not a password)
# Never in the log: the hash itself, and the time of the last sign-in (noise).
_LEFT_OUT = frozenset({"password", "last_login"})
_USERNAME_MAX = 150


def snapshot(user: models.Model) -> dict[str, Any]:
    """The person's fields for the log, without the password hash and ``last_login``; times
    in UTC, so a value read from the database and one from a form compare equal."""
    data: dict[str, Any] = {}
    for field in user._meta.concrete_fields:
        if field.attname in _LEFT_OUT:
            continue
        value = field.value_from_object(user)
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = value.astimezone(UTC)
        data[field.attname] = value
    return changelog._jsonable(data)


def _m2m_snapshot(user: models.Model) -> dict[str, Any]:
    return {
        m2m.name: sorted(str(pk) for pk in getattr(user, m2m.name).values_list("pk", flat=True))
        for m2m in user._meta.many_to_many
    }


def _is_rehash(instance: Any, update_fields: Any) -> bool:
    """Django re-hashing a password at sign-in (a new hasher or more iterations): not a change."""
    return update_fields is not None and set(update_fields) == {"password"} and instance._password is None


def on_user_pre_save(sender: type[models.Model], instance: Any, raw: bool, update_fields: Any, **_: Any) -> None:
    instance._audit_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    if _is_rehash(instance, update_fields):
        return
    previous = type(instance)._default_manager.filter(pk=instance.pk).first()
    if previous is not None:
        instance._audit_before = (snapshot(previous), previous.password)


def on_user_save(sender: type[models.Model], instance: Any, created: bool, raw: bool, **_: Any) -> None:
    if raw:
        return
    after = snapshot(instance)
    if created:
        after.update({m2m.name: [] for m2m in instance._meta.many_to_many})
        if instance.password:
            after["password"] = PASSWORD_CHANGED
        _write(instance, ChangeAction.CREATE, None, after)
        return
    state = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if state is None:
        return
    before, old_hash = state
    if instance.password != old_hash:
        after["password"] = PASSWORD_CHANGED
    if before == after:
        return  # nothing worth recording changed
    _write(instance, ChangeAction.UPDATE, before, after)


def _write(instance: Any, action: str, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    """One record per person and request: a second save folds into the open record."""
    existing = changelog._pending(instance) if current() is not None else None
    if existing is not None and existing.action in (ChangeAction.CREATE, ChangeAction.UPDATE):
        # The latest state; the many-to-many keys and a password change already noted stay.
        existing.postchange_data = {**(existing.postchange_data or {}), **after}
        existing.save(update_fields=["postchange_data"])
        return
    if action == ChangeAction.UPDATE and before is not None:
        before = {**before, **_m2m_snapshot(instance)}
        after = {**after, **_m2m_snapshot(instance)}
    changelog._remember(instance, changelog._record(instance, action, before, after))


def on_user_delete(sender: type[models.Model], instance: Any, **_: Any) -> None:
    changelog._remember(instance, None)
    changelog._record(instance, ChangeAction.DELETE, snapshot(instance), None)


def on_user_m2m(sender: Any, instance: Any, action: str, reverse: bool, **_: Any) -> None:
    """Groups and Django permissions of a person (superusers only grant these)."""
    if reverse or not isinstance(instance, User):
        return
    existing = changelog._pending(instance)
    if action in {"pre_add", "pre_remove", "pre_clear"}:
        if existing is None:
            state = {**snapshot(instance), **_m2m_snapshot(instance)}
            changelog._remember(instance, changelog._record(instance, ChangeAction.UPDATE, state, None))
        return
    if action in {"post_add", "post_remove", "post_clear"} and existing is not None:
        existing.postchange_data = {**(existing.postchange_data or snapshot(instance)), **_m2m_snapshot(instance)}
        existing.save(update_fields=["postchange_data"])


def _event(kind: str, request: Any, *, user: Any = None, username: str = "") -> None:
    account = user if getattr(user, "pk", None) is not None else None
    name = username or (account.get_username() if account is not None else "")
    SecurityEvent(kind=kind, user=account, username=str(name)[:_USERNAME_MAX], ip_address=client_ip(request)).save()


def on_logged_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    _event(SecurityEventKind.LOGIN, request, user=user)


def on_logged_out(sender: Any, request: Any, user: Any, **_: Any) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        _event(SecurityEventKind.LOGOUT, request, user=user)


def _typed_username(credentials: dict[str, Any] | None) -> str:
    """The user name as typed (never the password, which Django has already masked)."""
    field = get_user_model().USERNAME_FIELD
    value = (credentials or {}).get(field) or (credentials or {}).get("username") or ""
    return str(value)[:_USERNAME_MAX]


def axes_username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """The user name django-axes locks (``AXES_USERNAME_CALLABLE``): as typed, cut to 150
    characters. Its own column holds 255 and the login form does not limit the length, so
    an overlong name would otherwise fail the sign-in with a database error (PostgreSQL)."""
    if credentials:
        value = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username")
    return None if value is None else str(value)[:_USERNAME_MAX]


def _known(username: str) -> Any:
    if not username:
        return None
    return get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()


def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any) -> None:
    username = _typed_username(credentials)
    _event(SecurityEventKind.LOGIN_FAILED, request, user=_known(username), username=username)


def on_locked_out(sender: Any, request: Any = None, username: str | None = None, **_: Any) -> None:
    typed = str(username or "")[:_USERNAME_MAX]
    _event(SecurityEventKind.LOCKED_OUT, request, user=_known(typed), username=typed)


def connect_signals() -> None:
    """Connect the audit handlers (called once from the app's ``ready``)."""
    post_save.connect(on_user_save, sender=User, dispatch_uid="audit-user-save")
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid="audit-user-pre-save")
    post_delete.connect(on_user_delete, sender=User, dispatch_uid="audit-user-delete")
    for m2m in User._meta.many_to_many:
        through = getattr(m2m.remote_field, "through", None)
        if through is not None:
            m2m_changed.connect(on_user_m2m, sender=through, dispatch_uid=f"audit-user-{m2m.name}")
    user_logged_in.connect(on_logged_in, dispatch_uid="security-login")
    user_logged_out.connect(on_logged_out, dispatch_uid="security-logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="security-login-failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="security-locked-out")
