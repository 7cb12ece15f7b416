"""Names of people on platform pages: shown only to readers of the person's file (the
cadres policy), on lists and exports alike."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongxin.core.context import current
from tongxin.platforms.services.research import readable_people

HIDDEN = _("(name shown to the keepers of the files)")


class PersonNameColumn(tables.Column):  # type: ignore[misc]
    """A person's name (``record.person``), or a placeholder when the person reading the
    page or the export may not read the file. The readable ids are asked once per table
    (one query: the files of the reader's counties, a few hundred at most)."""

    def render(self, value: Any, record: Any, table: Any) -> Any:
        shown: set[int] | None = getattr(table, "_people_shown", None)
        if shown is None:
            context = current()
            user = context.get_user() if context is not None else None
            shown = readable_people(user) if user is not None else set()
            table._people_shown = shown
        return value if record.person_id in shown else str(HIDDEN)
