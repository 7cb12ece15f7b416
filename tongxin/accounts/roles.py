"""The role registry and a person's hats (their active role assignments).

Adding a role is a few declared lines: a member of :class:`~tongxin.accounts.choices.Role`,
one :class:`RoleSpec` below saying what an assignment of it is bound to and through which
scope path of a model it sees rows, and the actions each model's policy grants it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from tongxin.accounts.choices import ADMIN_ROLES, COUNTY_ROLES, Level, Role

# Levels from the top of the tree down; a hat at a level contains every level below it.
TREE = (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)
ABOVE_TOWNSHIP = frozenset({Level.PROVINCE, Level.PREFECTURE, Level.COUNTY})


@dataclass(frozen=True)
class RoleSpec:
    """How an assignment of one role is bound and how it sees rows.

    ``binding`` is the level of the node (or the organisation) the assignment names.
    ``sees`` is the scope path of a model's :class:`~tongxin.core.scope.ScopePaths` the role
    sees rows through: a tree level or an organisation (the row's node must be the bound
    one, or lie under it), ``"liaison"`` (rows of the pairs the person is appointed to) or
    ``"reviewer"`` (rows of the selections the person reviews).
    """

    binding: str
    sees: str


ROLES: dict[str, RoleSpec] = {
    Role.PROVINCE_ADMIN: RoleSpec(Level.PROVINCE, Level.PROVINCE),
    Role.PROVINCE_STAFF: RoleSpec(Level.PROVINCE, Level.PROVINCE),
    Role.PREFECTURE_ADMIN: RoleSpec(Level.PREFECTURE, Level.PREFECTURE),
    Role.PREFECTURE_STAFF: RoleSpec(Level.PREFECTURE, Level.PREFECTURE),
    Role.COUNTY_ADMIN: RoleSpec(Level.COUNTY, Level.COUNTY),
    Role.COUNTY_STAFF: RoleSpec(Level.COUNTY, Level.COUNTY),
    Role.TOWNSHIP_STAFF: RoleSpec(Level.TOWNSHIP, Level.TOWNSHIP),
    Role.VILLAGE_CONTACT: RoleSpec(Level.VILLAGE, Level.VILLAGE),
    Role.ENTERPRISE_CONTACT: RoleSpec(Level.ENTERPRISE, Level.ENTERPRISE),
    # Liaison officers and reviewers belong to a county (which appoints them) but see only
    # what they are appointed to.
    Role.LIAISON: RoleSpec(Level.COUNTY, "liaison"),
    Role.REVIEWER: RoleSpec(Level.COUNTY, "reviewer"),
    # The county UFWD and organisation department keep the files of non-party cadres.
    Role.CADRE_OFFICER: RoleSpec(Level.COUNTY, Level.COUNTY),
    # Staff of one chamber of commerce: its rows and those of its sub-chambers.
    Role.CHAMBER_STAFF: RoleSpec(Level.CHAMBER, Level.CHAMBER),
    # The county's portal: editors write news and stories, publishers approve and publish.
    Role.EDITOR: RoleSpec(Level.COUNTY, Level.COUNTY),
    Role.PUBLISHER: RoleSpec(Level.COUNTY, Level.COUNTY),
    # Staff of one association (台联, 侨联, 海联 …): that association's contacts and projects.
    Role.ASSOCIATION_STAFF: RoleSpec(Level.ASSOCIATION, Level.ASSOCIATION),
}


@dataclass(frozen=True)
class Hat:
    """One active assignment of a person: a role and the ids of the node it is bound to.

    The ancestors of the bound node are filled in (a township hat knows its county,
    prefecture and province), so every scope question is answered without a query.
    """

    assignment_id: int
    user_id: int
    role: str
    province_id: int | None = None
    prefecture_id: int | None = None
    county_id: int | None = None
    township_id: int | None = None
    village_id: int | None = None
    enterprise_id: int | None = None
    chamber_id: int | None = None
    association_id: int | None = None
    node_name: str = ""
    #: The body that issues what this person prints: the county of the hat (its province
    #: or prefecture for a hat bound above the counties).
    body_name: str = ""

    @property
    def spec(self) -> RoleSpec:
        return ROLES[self.role]

    @property
    def label(self) -> str:
        """E.g. "Township staff · 分水镇", for the page header."""
        from tongxin.accounts.choices import Role

        return f"{Role(self.role).label} · {self.node_name}" if self.node_name else str(Role(self.role).label)

    @property
    def level(self) -> str:
        return self.spec.binding

    def node_id(self, level: str) -> int | None:
        """The id of the bound node (or its ancestor) at ``level``; the user for liaisons."""
        if level in ("liaison", "reviewer"):
            return self.user_id
        value: int | None = getattr(self, f"{level}_id")
        return value

    def contains(self, level: str) -> bool:
        """Whether this hat is bound at ``level`` or above it (for moves in the tree)."""
        if self.spec.sees != self.level:
            return False
        return self.level in TREE and level in TREE and TREE.index(self.level) <= TREE.index(level)


_FIELDS = ("id", "user_id", "role", "province_id", "prefecture_id", "county_id", "township_id", "village_id")
_LEVELS = ("province", "prefecture", "county", "township", "village", "enterprise", "chamber", "association")


def _hat(row: tuple[Any, ...]) -> Hat:
    """A hat from one row of ids and names, named after its bound node."""
    (
        assignment_id,
        user_id,
        role,
        province,
        prefecture,
        county,
        township,
        village,
        enterprise,
        chamber,
        association,
    ) = row[:11]
    names = row[11:]
    return Hat(
        assignment_id,
        user_id,
        role,
        province,
        prefecture,
        county,
        township,
        village,
        enterprise,
        chamber,
        association,
        node_name=names[_LEVELS.index(ROLES[role].binding)] or "",
        body_name=names[2] or names[1] or names[0] or "",  # county, prefecture, province
    )


def active_assignments_q(today: Any = None) -> Q:
    """Assignments in force today: not revoked, started, not ended."""
    today = today or timezone.localdate()
    return Q(revoked__isnull=True, valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))


def hats(user: Any) -> tuple[Hat, ...]:
    """The user's active hats, read once per user object (that is, once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ()
    cached: tuple[Hat, ...] | None = getattr(user, "_hats", None)
    if cached is None:
        from tongxin.accounts.models import RoleAssignment

        names = [f"{level}__name" for level in _LEVELS]
        rows = (
            RoleAssignment.objects.filter(active_assignments_q(), user_id=user.pk)
            .order_by("pk")
            .values_list(*_FIELDS, "enterprise_id", "chamber_id", "association_id", *names)
        )
        cached = tuple(_hat(row) for row in rows if row[2] in ROLES)
        user._hats = cached
    return cached


def issuing_body(user: Any) -> str:
    """The name a printed page is issued under: the county (or prefecture, province) of the
    person's highest hat; "Tongxin" for someone without one."""
    ranked = sorted(hats(user), key=lambda hat: TREE.index(hat.level) if hat.level in TREE else len(TREE))
    for hat in ranked:
        if hat.body_name:
            return hat.body_name
    return gettext("Tongxin")


def forget_hats(user: Any) -> None:
    """Drop the cached hats (after granting or revoking in the same request)."""
    if user is not None and hasattr(user, "_hats"):
        del user._hats


def roles_of(user: Any) -> set[str]:
    return {hat.role for hat in hats(user)}


def has_role(user: Any, *roles: str) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(roles_of(user) & set(roles))


def is_county(user: Any) -> bool:
    """Holds a county administrator or county staff hat (or is a superuser)."""
    return has_role(user, *COUNTY_ROLES)


def is_admin(user: Any) -> bool:
    return has_role(user, *ADMIN_ROLES)


def is_staff_role(user: Any) -> bool:
    """County or township staff (or a superuser)."""
    return is_county(user) or has_role(user, Role.TOWNSHIP_STAFF)
