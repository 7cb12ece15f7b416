"""Template context shared by every page: the ledgers this user may open, and the body
a printed page is issued under."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.roles import hats, issuing_body
from tongxin.core.ledgers import all_ledgers
from tongxin.core.scope import VIEW, can
from tongxin.pairing.services.mine import FILER_ROLES
from tongxin.portal.models import Article

GROUPS = {
    "ledgers": _("Ledgers"),
    "pairing": _("Pairing"),
    "organisation": _("Leading groups"),
    "cadres": _("Non-party cadres"),
    "chambers": _("Chambers of commerce"),
    "selection": _("Selections"),
    "research": _("Research and proposals"),
    "charity": _("Organisations serving society"),
    "investment": _("Investment and talent"),
    "intellectuals": _("Intellectuals serve development"),
}


#: Pages beyond the ledgers, linked from the menu bar: each app may add a function giving,
#: for a person, the (label, URL) of the pages they may open (``AppConfig.ready``).
NAV_PAGES: list[Callable[[Any], list[tuple[Any, str]]]] = []


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menus: ledgers the user may open, grouped."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "my_hats": (), "files_reports": False, "issuing_body": _("Tongxin")}
    groups: dict[str, list[Any]] = {}
    for ledger in all_ledgers():
        if can(user, ledger.model, VIEW):
            groups.setdefault(ledger.group, []).append(ledger)
    my_hats = hats(user)
    return {
        "nav_groups": [(GROUPS.get(key, key), items) for key, items in groups.items()],
        "nav_pages": [page for pages in NAV_PAGES for page in pages(user)],
        "my_hats": my_hats,
        # Liaison officers and enterprise contacts file their pairs' reports: their page.
        "files_reports": any(hat.role in FILER_ROLES for hat in my_hats),
        "issuing_body": issuing_body(user),
        # Editors, publishers and the county: the portal's articles.
        "portal_editorial": can(user, Article, VIEW),
    }
