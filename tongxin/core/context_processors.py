"""Template context shared by every page: the ledgers this user may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tongxin.core.ledgers import all_ledgers
from tongxin.core.scope import VIEW, can


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_ledgers": []}
    return {"nav_ledgers": [ledger for ledger in all_ledgers() if can(user, ledger.model, VIEW)]}
