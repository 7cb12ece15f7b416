"""Admin site: scoped for everyone who is not a superuser, change records read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tongxin.core.models import ImportJob, ObjectChange
from tongxin.core.scope import ADD, CHANGE, DELETE, VIEW, can, has_policy, restrict
from tongxin.core.services import ensure_in_scope


class ScopedChoicesMixin:
    """Related-object choices in admin forms limited to the user's scope."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if has_policy(related):
            kwargs["queryset"] = restrict(related._default_manager.all(), request.user, VIEW)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class ScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """The admin obeys the same scope and role permissions as every other path."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return restrict(super().get_queryset(request), request.user, VIEW)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, self.model, VIEW)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, self.model, VIEW)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can(request.user, self.model, ADD)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        ensure_in_scope(instance=obj, user=request.user, action=CHANGE if change else ADD)

    def _may(self, request: HttpRequest, obj: Any, action: str) -> bool:
        if obj is not None:
            return bool(restrict(type(obj)._default_manager.all(), request.user, action).filter(pk=obj.pk).exists())
        return can(request.user, self.model, action)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, CHANGE)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, DELETE)


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("time", "user_name", "source", "action", "changed_object_type", "object_repr")
    list_filter = ("source", "action", "changed_object_type")
    readonly_fields = [f.name for f in ObjectChange._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("created", "user", "ledger", "file_name", "dry_run", "status")
    exclude = ("data",)
