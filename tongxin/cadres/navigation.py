"""The cadre pages beyond the ledgers in the menu bar (compliance, structure, training,
friend-making), for those who may open them: the cadre officers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.models import FriendPair, Person, StaffingRule
from tongxin.core.scope import VIEW, can


def pages(user: Any) -> list[tuple[Any, str]]:
    found: list[tuple[Any, str]] = []
    if can(user, StaffingRule, VIEW):
        found.append((_("Staffing compliance"), reverse("cadres:compliance")))
    if can(user, Person, VIEW):
        found.append((_("Structure of the non-party cadres"), reverse("cadres:structure")))
        found.append((_("Training hours"), reverse("cadres:training_hours")))
        found.append((_("Not trained"), reverse("cadres:not_trained")))
    if can(user, FriendPair, VIEW):
        found.append((_("Friend-making"), reverse("cadres:friends")))
    return found
