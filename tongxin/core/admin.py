"""Admin site: scoped for everyone who is not a superuser, change records read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from tongxin.core.exceptions import OutOfScopeError
from tongxin.core.links import may_move
from tongxin.core.models import ImportJob, ObjectChange
from tongxin.core.scope import ADD, CHANGE, DELETE, VIEW, can, has_policy, policy_of, restrict
from tongxin.core.services import save_in_scope


class ScopedChoicesMixin:
    """Related-object choices in admin forms limited to the user's scope."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if has_policy(related):
            kwargs["queryset"] = restrict(related._default_manager.all(), request.user, VIEW)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class VersionedAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """Admin forms carry the version they were loaded with, like every other edit path."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].required = True
            if not self.is_bound:
                self.initial["version"] = getattr(self.instance, "version", None)

    def save(self, commit: bool = True) -> Any:
        version = self.cleaned_data.get("version")
        if version and self.instance.pk is not None:
            self.instance.version = version
        return super().save(commit=commit)


class ScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """The admin obeys the same scope and role permissions as every other path: rows and
    choices through the policy, placement fields read-only for whoever may not move the
    row, the version required, the save re-checked and refused out of scope."""

    form = VersionedAdminForm

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # ``version`` is rendered (hidden) with the fieldsets but is a declared form field,
        # not an editable model field.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != "version"]
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and has_policy(self.model) and not may_move(self.model, request.user, obj):
            fields += [name for name in policy_of(self.model)[0].placement if name not in fields]
        return fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return restrict(super().get_queryset(request), request.user, VIEW)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, self.model, VIEW)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, self.model, VIEW)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can(request.user, self.model, ADD)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            save_in_scope(
                user=request.user,
                instance=obj,
                save=lambda: super(ScopedAdmin, self).save_model(request, obj, form, change) or obj,
                adding=not change,
            )
        except OutOfScopeError as exc:
            raise PermissionDenied from exc

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
