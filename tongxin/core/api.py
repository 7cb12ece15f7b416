"""The base of every API endpoint: scoped viewsets, model-validated serializers, errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from tongxin.core.exceptions import OutOfScopeError, StaleObjectError, WorkflowError
from tongxin.core.links import link_queryset
from tongxin.core.scope import ADD, CHANGE, DELETE, VIEW, has_policy, restrict
from tongxin.core.services import delete_in_scope, save_in_scope

_ACTIONS = {
    "list": VIEW,
    "retrieve": VIEW,
    "create": ADD,
    "update": CHANGE,
    "partial_update": CHANGE,
    "destroy": DELETE,
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler plus: stale edit → 409, write out of scope → 400, a model's own
    validation raised by a service (Django's ValidationError) → 400 with its messages."""
    if isinstance(exc, StaleObjectError):
        return Response({"detail": str(exc.message), "code": "stale"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, WorkflowError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OutOfScopeError):
        return Response({"detail": str(exc.message), "code": "out_of_scope"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        return Response(serializers.as_serializer_error(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class StillReferenced(APIException):
    """A delete refused because other records still point at the row (409 Conflict)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record is still referenced by other records.")
    default_code = "protected"


class ScopedModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Runs the model's own validation (identifiers, parents) and checks the version.

    ``version`` is required when changing an object: it must be the version the client
    read, otherwise the answer is 409 Conflict.
    """

    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def get_fields(self) -> dict[str, Any]:
        """Related fields offer and accept only what this user may link (and placement
        fields are read-only for anyone who may not move the row)."""
        fields: dict[str, Any] = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        model: Any = self.Meta.model
        instance = self.instance if isinstance(self.instance, models.Model) else None
        for name, field in fields.items():
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if getattr(field, "read_only", False) or queryset is None:
                continue
            scoped, editable = link_queryset(user, model, field.source or name, queryset, instance)
            relation.queryset = scoped
            if not editable:
                field.read_only = True
                self._immovable = {*getattr(self, "_immovable", set()), name}
        return fields

    def to_internal_value(self, data: Any) -> Any:
        """A value sent for a placement field this user may not change is refused, not
        silently dropped (sending the current value is fine). A NUL character anywhere is
        refused first: PostgreSQL cannot compare or store it (a related row looked up by a
        text key would fail with a server error)."""
        with_nul = _fields_with_nul(data)
        if with_nul:
            raise serializers.ValidationError({name: [_("Remove the NUL character.")] for name in with_nul})
        value = super().to_internal_value(data)
        immovable: set[str] = getattr(self, "_immovable", set())
        if immovable and isinstance(data, dict) and isinstance(self.instance, models.Model):
            refused = {
                name: [_("You may not move this record to another place.")]
                for name in immovable
                if name in data and str(data[name]) != str(getattr(self.instance, f"{name}_id", None))
            }
            if refused:
                raise serializers.ValidationError(refused)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": _("Send the version you read to change this object.")})
        model: Any = self.Meta.model
        m2m = {f.name for f in model._meta.many_to_many}
        candidate = model() if self.instance is None else model._default_manager.get(pk=self.instance.pk)
        for name, value in attrs.items():
            if name not in m2m and name != "version":
                setattr(candidate, name, value)
        try:
            candidate.full_clean(exclude=[*m2m, "version"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        for name in list(attrs):
            if name not in m2m and name != "version":
                attrs[name] = getattr(candidate, name)
        return attrs

    def update(self, instance: models.Model, validated_data: dict[str, Any]) -> Any:
        instance.version = validated_data.pop("version")  # type: ignore[attr-defined]
        return super().update(instance, validated_data)

    def create(self, validated_data: dict[str, Any]) -> Any:
        validated_data.pop("version", None)
        return super().create(validated_data)


class ScopedModelViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """A few lines per resource: ``queryset`` (unscoped), serializer and filterset.

    The queryset is always narrowed with ``restrict(user, action)``; writes are re-checked
    against scope inside their transaction.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        queryset = getattr(cls, "queryset", None)
        if queryset is not None and not has_policy(queryset.model):
            raise TypeError(f"{cls.__name__}: {queryset.model._meta.label} declares no access policy")

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        action = _ACTIONS.get(self.action or "", VIEW)
        return restrict(queryset, self.request.user, action)

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        instance = serializer.Meta.model()  # type: ignore[attr-defined]
        save_in_scope(user=self.request.user, instance=instance, save=serializer.save, adding=True)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        assert serializer.instance is not None
        save_in_scope(user=self.request.user, instance=serializer.instance, save=serializer.save, adding=False)

    def perform_destroy(self, instance: models.Model) -> None:
        try:
            delete_in_scope(user=self.request.user, instance=instance)
        except (models.ProtectedError, models.RestrictedError) as exc:
            raise StillReferenced from exc


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    return False


def _fields_with_nul(data: Any) -> list[str]:
    """The names of the fields of ``data`` (a dict or a QueryDict) whose value holds a NUL
    character (``non_field_errors`` for one in a name)."""
    if not hasattr(data, "items"):
        return []
    items = data.lists() if hasattr(data, "lists") else data.items()
    found = []
    for key, value in items:
        if _has_nul(key):
            found.append(api_settings.NON_FIELD_ERRORS_KEY)
        elif _has_nul(value):
            found.append(str(key))
    return sorted(set(found))
