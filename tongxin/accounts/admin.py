from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.accounts.models import User
from tongxin.core.admin import ScopedChoicesMixin


def _is_county_admin(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and (user.is_superuser or user.role == Role.COUNTY_ADMIN))


@admin.register(User)
class UserAdmin(ScopedChoicesMixin, BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "full_name", "role", "county", "township", "village", "enterprise", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Role and scope"),
            {"fields": ("role", "full_name", "mobile", "county", "township", "village", "enterprise")},
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """County administrators manage the users of their own county only."""
        queryset = super().get_queryset(request)
        user: Any = request.user
        return queryset if user.is_superuser else queryset.filter(county=user.county_id, is_superuser=False)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        user: Any = request.user
        if user.is_superuser or obj is None:
            return fieldsets
        # Only superusers grant admin-site rights or Django permissions.
        hidden = {"is_superuser", "groups", "user_permissions"}
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_county_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_county_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_county_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_county_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_county_admin(request)
