"""The names of downloads, in the user's language: the translated title, an underscore,
the local date (``村台账_2026-11-29.xlsx``), and their English for the ASCII fallback.

The ``Content-Disposition`` that carries them (RFC 6266, both parameters) is
:func:`tongxin.core.disposition.content_disposition`, which every download uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def dated_name(title: str, *, suffix: str = ".xlsx", day: date | None = None) -> str:
    """``<title>_<YYYY-MM-DD><suffix>`` with today's local date (or ``day``)."""
    day = day or timezone.localdate()
    return f"{title}_{day.isoformat()}{suffix}"


def ledger_title(plural_name: object) -> str:
    """The title of a ledger's export in the active language: 村台账, Villages ledger."""
    return capfirst(_("%(name)s ledger") % {"name": plural_name})


def template_name(plural_name: object) -> str:
    """The file name of an import template: 村导入模板.xlsx, Villages import template.xlsx."""
    return capfirst(_("%(name)s import template") % {"name": plural_name}) + ".xlsx"


def english(build: Callable[[], object]) -> str:
    """``build()`` in English: a name for the ASCII fallback of a download."""
    with translation.override("en"):
        return str(build())
