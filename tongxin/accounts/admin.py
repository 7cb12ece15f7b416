"""People and their hats in the admin: administrators manage the people of their node.

New hats go through :func:`~tongxin.accounts.services.assignment_grant` and removed ones
through :func:`~tongxin.accounts.services.assignment_revoke` (kept on the record), so the
admin obeys the same rule as every other path; both are audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.models import RoleAssignment, SecurityEvent, User
from tongxin.accounts.roles import ROLES, hats
from tongxin.accounts.services import assignment_grant, assignment_revoke
from tongxin.core.admin import ScopedChoicesMixin
from tongxin.core.exceptions import OutOfScopeError, WorkflowError
from tongxin.core.scope import ADD, CHANGE, VIEW, allowed, can, restrict
from tongxin.core.services import ensure_in_scope

_NODES = ("province", "prefecture", "county", "township", "village", "enterprise", "association")


class RoleAssignmentInline(ScopedChoicesMixin, admin.TabularInline):  # type: ignore[type-arg]
    """The person's hats as they are: read-only; deleting a row revokes it (kept on record)."""

    model = RoleAssignment
    extra = 0
    fk_name = "user"
    fields = ("role", *_NODES, "valid_from", "valid_to", "granted_by", "revoked")
    readonly_fields = fields
    verbose_name_plural = _("roles (deleting a row revokes it; it stays on the record)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, RoleAssignment, "revoke")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, RoleAssignment, VIEW)


class NewRoleAssignmentInline(ScopedChoicesMixin, admin.TabularInline):  # type: ignore[type-arg]
    """Grant a new hat: the role and the one node it is bound to (ancestors are derived)."""

    model = RoleAssignment
    extra = 1
    fk_name = "user"
    fields = ("role", *_NODES, "valid_from", "valid_to")
    verbose_name_plural = _("grant a role")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).none()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, RoleAssignment, ADD)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, RoleAssignment, ADD)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, RoleAssignment, ADD)


@admin.register(User)
class UserAdmin(ScopedChoicesMixin, BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "full_name", "county", "is_active")
    list_filter = ("is_active",)
    search_fields = ("username", "full_name")
    inlines = (RoleAssignmentInline, NewRoleAssignmentInline)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Administration"), {"fields": ("full_name", "mobile", "province", "county")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """Administrators see the people of their node (superusers are never listed)."""
        queryset = restrict(super().get_queryset(request), request.user, VIEW)
        user: Any = request.user
        return queryset if user.is_superuser else queryset.filter(is_superuser=False)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        user: Any = request.user
        if user.is_superuser or obj is None:
            return fieldsets
        # Only superusers grant admin-site rights or Django permissions.
        hidden = {"is_superuser", "groups", "user_permissions", "is_staff"}
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]}) for name, opts in fieldsets]

    # User management is for administrators (who may change people); staff may only link
    # people (e.g. choose a liaison officer), which the policy's view right covers.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, User, CHANGE)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, User, CHANGE) if obj is None else allowed(request.user, obj, CHANGE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can(request.user, User, ADD)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, User, CHANGE) if obj is None else allowed(request.user, obj, CHANGE)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # people are deactivated, never deleted: their work stays attributed

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor: Any = request.user
        if not change and not actor.is_superuser and obj.county_id is None and obj.province_id is None:
            # A new person belongs to the administration that creates them.
            admin_hat = next((h for h in hats(actor) if ROLES[h.role].binding in ("county", "province")), None)
            if admin_hat is not None:
                obj.county_id = admin_hat.county_id
                obj.province_id = admin_hat.province_id
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            try:
                ensure_in_scope(instance=obj, user=actor, action=CHANGE if change else ADD)
            except OutOfScopeError as exc:
                raise PermissionDenied from exc

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        actor: Any = request.user
        try:
            with transaction.atomic():
                for assignment in formset.save(commit=False):
                    if assignment.pk is not None:
                        raise PermissionDenied  # a hat is revoked and granted anew, never re-bound
                    node = getattr(assignment, ROLES[assignment.role].binding)
                    assignment_grant(
                        granter=actor,
                        user=form.instance,
                        role=assignment.role,
                        node=node,
                        valid_from=assignment.valid_from,
                        valid_to=assignment.valid_to,
                    )
                for assignment in formset.deleted_objects:
                    if assignment.revoked is None:
                        assignment_revoke(granter=actor, assignment=assignment)
        except (OutOfScopeError, WorkflowError) as exc:
            raise PermissionDenied from exc


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("time", "kind", "username", "ip_address")
    list_filter = ("kind",)
    readonly_fields = ("time", "kind", "user", "username", "ip_address")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
