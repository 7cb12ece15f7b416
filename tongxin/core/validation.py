"""Input checks shared by every path in: text, integers, query parameters, periods.

Pure helpers that raise Django's :class:`~django.core.exceptions.ValidationError` with a
translated message; the model ladder (``ChangeLoggedModel.clean_fields``), the filter
sets, the API parser and pagination and the views turn them into field errors or 400s.

* **Text** may not contain control characters: C0 (U+0000–U+001F) and DEL, C1
  (U+0080–U+009F), the non-characters U+FFFE/U+FFFF and lone surrogates. A text area
  (``TextField``) may contain tab, line feed and carriage return; a single-line field
  (``CharField``: names, codes, titles) none of them.
* **Integers** must fit the database column on *every* supported database: the ranges of
  :attr:`BaseDatabaseOperations.integer_field_ranges` (PostgreSQL's), so that a value
  SQLite would store is not a 500 on PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext_lazy as _

# Control characters refused everywhere, and the three line characters a text area allows.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff"
_LINE = "\t\n\r"
MULTI_LINE_REFUSED = re.compile(f"[{_CONTROL}]")
SINGLE_LINE_REFUSED = re.compile(f"[{_CONTROL}{_LINE}]")

# The widest integer any column or id holds (PostgreSQL bigint).
BIGINT_MIN, BIGINT_MAX = BaseDatabaseOperations.integer_field_ranges["BigIntegerField"]

CONTROL_MESSAGE = _("Remove the invisible control character %(char)s: it cannot be stored.")
LINE_BREAK_MESSAGE = _("This field takes a single line: remove the line break or tab.")
SURROGATE_MESSAGE = _("The text contains a broken character (%(char)s): re-type it.")


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X}"


def text_error(value: str, *, multiline: bool) -> ValidationError | None:
    """The error for the first refused character of ``value``, or None if it is clean."""
    match = (MULTI_LINE_REFUSED if multiline else SINGLE_LINE_REFUSED).search(value)
    if match is None:
        return None
    char = match.group()
    if char in _LINE:
        return ValidationError(LINE_BREAK_MESSAGE, code="line_break")
    if "\ud800" <= char <= "\udfff":
        return ValidationError(SURROGATE_MESSAGE, code="surrogate", params={"char": _char_name(char)})
    return ValidationError(CONTROL_MESSAGE, code="control_character", params={"char": _char_name(char)})


def validate_text(value: Any, *, multiline: bool = False) -> None:
    """Raise a ValidationError if ``value`` (a str) contains a refused character."""
    if isinstance(value, str):
        error = text_error(value, multiline=multiline)
        if error is not None:
            raise error


def validate_single_line(value: Any) -> None:
    """A validator for a single-line form or serializer field outside the models."""
    validate_text(value, multiline=False)


def validate_multiline(value: Any) -> None:
    """A validator for a text-area form or serializer field outside the models (reasons…)."""
    validate_text(value, multiline=True)


def strip_control_characters(value: str, *, multiline: bool = True) -> str:
    """``value`` without the characters :func:`validate_text` refuses (for exports of old data)."""
    return (MULTI_LINE_REFUSED if multiline else SINGLE_LINE_REFUSED).sub("", value)


def integer_range(field: models.Field[Any, Any]) -> tuple[int, int] | None:
    """The (min, max) every supported database stores for an integer field or a key to one."""
    target: Any = field
    while target.is_relation and not target.many_to_many and target.target_field is not target:
        target = target.target_field
    internal = target.get_internal_type()
    ranges = BaseDatabaseOperations.integer_field_ranges
    if internal in ranges:
        return ranges[internal]
    if isinstance(target, models.IntegerField | models.AutoField):
        return BIGINT_MIN, BIGINT_MAX
    return None


def range_error(value: Any, bounds: tuple[int, int]) -> ValidationError | None:
    """The min/max error for an integer ``value`` outside ``bounds`` (Django's own messages)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    low, high = bounds
    if value > high:
        return ValidationError(
            _("Ensure this value is less than or equal to %(limit_value)s."),
            code="max_value",
            params={"limit_value": high, "value": value},
        )
    if value < low:
        return ValidationError(
            _("Ensure this value is greater than or equal to %(limit_value)s."),
            code="min_value",
            params={"limit_value": low, "value": value},
        )
    return None


def field_input_error(field: models.Field[Any, Any], value: Any) -> ValidationError | None:
    """What is wrong with ``value`` for model ``field`` beyond Django's own checks, if anything."""
    if isinstance(field, models.TextField):
        return text_error(value, multiline=True) if isinstance(value, str) else None
    if isinstance(field, models.CharField):
        return text_error(value, multiline=False) if isinstance(value, str) else None
    if isinstance(field, models.IntegerField) and not field.is_relation:
        bounds = integer_range(field)
        return range_error(value, bounds) if bounds else None
    return None


def parse_id(value: Any) -> int:
    """A database id from a query parameter: an integer from 1 to the largest id."""
    text = str(value).strip()
    if not re.fullmatch(r"\+?\d{1,19}", text):
        raise ValidationError(_("Give the number (id) of a record."), code="invalid")
    number = int(text)
    if not 1 <= number <= BIGINT_MAX:
        raise ValidationError(_("There is no record with this number."), code="out_of_range")
    return number


def parse_positive_int(value: Any, *, maximum: int) -> int:
    """A whole number from 1 to ``maximum`` (page numbers, page sizes)."""
    text = str(value).strip()
    if not re.fullmatch(r"\+?\d{1,19}", text):
        raise ValidationError(_("Give a whole number."), code="invalid")
    number = int(text)
    if not 1 <= number <= maximum:
        raise ValidationError(_("Give a whole number from 1 to %(max)s."), code="out_of_range", params={"max": maximum})
    return number


def parse_period(value: Any, *, allowed: Sequence[date]) -> date:
    """A reporting period given as ``YYYY-MM`` (or a date in that month), one of ``allowed``.

    ``allowed`` are the first days of the periods that exist (a campaign's periods); a
    month inside a quarter is not a period.
    """
    text = str(value).strip()[:40]
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
        chosen = date(year, month, day).replace(day=1)
    except ValueError as exc:
        raise ValidationError(_("Give the period as year and month, for example 2026-03."), code="invalid") from exc
    periods = sorted(allowed)
    if chosen in periods:
        return chosen
    if not periods:
        raise ValidationError(_("There are no reporting periods yet."), code="out_of_range")
    raise ValidationError(
        _("%(value)s is not a reporting period: choose one from %(first)s to %(last)s."),
        code="out_of_range",
        params={"value": text, "first": periods[0].strftime("%Y-%m"), "last": periods[-1].strftime("%Y-%m")},
    )
