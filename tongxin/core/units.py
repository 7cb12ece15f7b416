"""Units of the numbers people read in lists and exports, and how Excel shows them.

A column header carries its unit in the user's language — 人口（人）, Population (persons) —
through :func:`with_unit`; the Excel number format follows the kind of number: whole
counts with thousands separators, money with two decimals, percentages with one.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy

#: Excel number formats.
COUNT = "#,##0"
MONEY = "#,##0.00"
PERCENT = "0.0"

PERSONS = pgettext_lazy("unit", "persons")
PERCENT_SIGN = pgettext_lazy("unit", "%")


def _with_unit(label: Any, unit: Any) -> str:
    return gettext("%(label)s (%(unit)s)") % {"label": label, "unit": unit}


#: ``label`` followed by its unit, in the language active when the text is read (lazy).
with_unit = lazy(_with_unit, str)
