"""Granting and revoking hats: who may hand out which role, where; every step audited.

An administrator grants roles bound inside the node of their administrator hat: roles
bound below their own level, and the non-administrator roles of their own level (a county
administrator appoints county staff, liaison officers, reviewers, township staff and
contacts of their county, but not another county administrator — that is the
prefecture's or the province's decision).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.accounts.choices import ADMIN_ROLES, Level, Role
from tongxin.accounts.models import RoleAssignment, User
from tongxin.accounts.roles import ROLES, TREE, forget_hats, hats
from tongxin.core.exceptions import OutOfScopeError, WorkflowError

# Depth in the tree; an enterprise sits at the depth of a village (both are organisations
# under a township), a chamber of commerce or an association at the depth of a township (an
# organisation of a county: its staff are appointed by the county).
_RANK: dict[str, int] = {
    Level.CHAMBER: TREE.index(Level.TOWNSHIP),
    **{str(level): index for index, level in enumerate(TREE)},
    Level.ENTERPRISE: len(TREE) - 1,
    Level.ASSOCIATION: TREE.index(Level.TOWNSHIP),
}


def _node_ids(assignment: RoleAssignment) -> dict[str, int | None]:
    return {level: getattr(assignment, f"{level}_id") for level in Level.values}


def may_grant(granter: Any, role: str, assignment: RoleAssignment) -> bool:
    """Whether ``granter`` may grant (or revoke) ``role`` bound as in ``assignment``."""
    if getattr(granter, "is_superuser", False):
        return True
    binding = ROLES[role].binding
    ids = _node_ids(assignment)
    for hat in hats(granter):
        if hat.role not in ADMIN_ROLES:
            continue
        level = hat.level
        if ids.get(level) != hat.node_id(level):
            continue  # the assignment's node is not under this administrator's node
        if _RANK[binding] > _RANK[level] or (_RANK[binding] == _RANK[level] and role not in ADMIN_ROLES):
            return True
    return False


@transaction.atomic
def assignment_grant(
    *,
    granter: Any,
    user: User,
    role: str,
    node: Any,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> RoleAssignment:
    """Give ``user`` the hat ``role`` bound to ``node`` (a tree node or an enterprise)."""
    if role not in ROLES:
        raise WorkflowError(_("Unknown role."), "role")
    binding = ROLES[role].binding
    if node is None or node._meta.model_name != binding:
        raise WorkflowError(_("This role is bound to one %(level)s.") % {"level": Level(binding).label}, "binding")
    assignment = RoleAssignment(user=user, role=role, granted_by=granter if getattr(granter, "pk", None) else None)
    setattr(assignment, binding, node)
    if valid_from is not None:
        assignment.valid_from = valid_from
    assignment.valid_to = valid_to
    assignment.fill_ancestors()
    if granter is not None and not may_grant(granter, role, assignment):
        raise OutOfScopeError
    assignment.full_clean()
    assignment.save()
    if user.county_id is None and user.province_id is None:
        user.county_id = assignment.county_id
        user.province_id = assignment.province_id
        user.save(update_fields=["county", "province"])
    forget_hats(user)
    return assignment


@transaction.atomic
def assignment_revoke(*, granter: Any, assignment: RoleAssignment) -> RoleAssignment:
    """Revoke a hat from now on; the assignment stays on the record."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not may_grant(granter, assignment.role, assignment):
        raise OutOfScopeError
    if assignment.revoked is not None:
        raise WorkflowError(_("This assignment is already revoked."), "revoked")
    assignment.revoked = timezone.now()
    assignment.revoked_by = granter if getattr(granter, "pk", None) else None
    assignment.save()
    forget_hats(assignment.user)
    return assignment


def grant_for_setup(user: User, role: str, node: Any) -> RoleAssignment:
    """Grant without a granter: for commands, migrations of old data and the demo."""
    return assignment_grant(granter=None, user=user, role=role, node=node)


__all__ = ["Role", "assignment_grant", "assignment_revoke", "grant_for_setup", "may_grant"]
