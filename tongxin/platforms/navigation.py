"""The platform pages beyond the ledgers in the menu bar: each dashboard and the
performance record, for those who may open them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.models import Person
from tongxin.core.scope import VIEW, can
from tongxin.platforms.services.dashboards import BOARDS


def pages(user: Any) -> list[tuple[Any, str]]:
    found: list[tuple[Any, str]] = []
    for key, board in BOARDS.items():
        if can(user, board.model, VIEW):
            found.append((board.title, reverse(f"platforms:{key}_dashboard")))
    if can(user, Person, VIEW):
        found.append((_("Performance record"), reverse("platforms:performance")))
    return found
