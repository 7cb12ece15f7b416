"""Role questions asked by views and services (typed loosely: request.user may be anonymous)."""

from __future__ import annotations

from typing import Any

from tongxin.accounts.choices import COUNTY_ROLES, Role


def is_county(user: Any) -> bool:
    """County administrator or county staff (or a superuser)."""
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", None) in COUNTY_ROLES)


def is_staff_role(user: Any) -> bool:
    """County or township staff (or a superuser)."""
    return is_county(user) or getattr(user, "role", None) == Role.TOWNSHIP_STAFF
