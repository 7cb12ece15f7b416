"""How an import names what is wrong: the row, the column (letter and header), the bad value.

“第3行 E列（人口）：'一千二百' 不是整数” — “Row 3, column E (population): '一千二百' is not a
whole number”. The value is quoted as the sheet holds it (cut at :data:`QUOTE_MAX`
characters), so a person finds the cell without opening the form's rules; the common
mistakes (text where a number goes, a value that is not one of the choices) get their own
sentence, any other reason of the form is said after the quoted value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tongxin.core.validation import strip_control_characters

#: Characters of a bad value repeated in its error.
QUOTE_MAX = 50
_CHOICE_CODES = frozenset({"invalid_choice", "invalid_pk_value", "invalid_list"})


@dataclass(frozen=True)
class Place:
    """Where an error is: a column of the sheet (``letter`` and its ``header``), a field the
    sheet has no column for (``header`` only), or the whole row (neither)."""

    letter: str = ""
    header: str = ""


WHOLE_ROW = Place()


def row_error(number: int, place: Place, reason: Any) -> str:
    """One line of the import's error list."""
    values = {"row": number, "letter": place.letter, "header": place.header, "reason": reason}
    if place.letter:
        return _("Row %(row)d, column %(letter)s (%(header)s): %(reason)s") % values
    if place.header:
        return _("Row %(row)d, %(header)s (no such column in the sheet): %(reason)s") % values
    return _("Row %(row)d (whole row): %(reason)s") % values


def quoted(value: Any) -> str:
    """``value`` as it is repeated in a message: one line, at most :data:`QUOTE_MAX` characters."""
    text = strip_control_characters(str(value), multiline=False).replace("\n", " ").strip()
    return text if len(text) <= QUOTE_MAX else text[:QUOTE_MAX] + "…"


def reason(form_field: forms.Field | None, error: ValidationError, raw: Any) -> str:
    """The reason of ``error`` with the bad value repeated.

    ``raw`` is the cell as read; a choice error names the one item refused (a need of a
    list of needs) when the form says which. An empty cell has nothing to repeat.
    """
    message = " ".join(str(text) for text in error.messages)
    params: dict[str, Any] = getattr(error, "params", None) or {}
    value = params.get("value", params.get("pk", raw)) if error.code in _CHOICE_CODES else raw
    if value is None or not str(value).strip():
        return message
    text = quoted(value)
    if error.code == "invalid" and isinstance(form_field, forms.IntegerField):
        return _("'%(value)s' is not a whole number") % {"value": text}
    if error.code == "invalid" and isinstance(form_field, forms.DecimalField | forms.FloatField):
        return _("'%(value)s' is not a number") % {"value": text}
    if error.code == "invalid" and isinstance(form_field, forms.DateField):
        return _("'%(value)s' is not a date (write it as 2026-11-29)") % {"value": text}
    if error.code in _CHOICE_CODES:
        return _("'%(value)s' is not one of the choices (see the drop-down list of the import template)") % {
            "value": text
        }
    if text in message:
        return message
    return _("'%(value)s': %(reason)s") % {"value": text, "reason": message}
