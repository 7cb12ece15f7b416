"""The blank workbook an import starts from (村导入模板.xlsx).

Three sheets:

1. **The sheet to fill in** (first, the only one the import reads): one header row in the
   user's language — the import form's fields, never internal columns such as
   ``version`` or ids — frozen, with a drop-down list for every controlled column (the
   labels of a choice, the townships the user may place a row in, the vocabulary of
   needs and advantages, yes / no) and a whole-number or number check on numeric
   columns; selecting a header cell's column shows the field's help text.
2. **An example** (示例（不导入）): the same header and one filled-in row, with a note
   that the import never reads this sheet. The example sits in its own sheet so that it
   can never be imported by mistake, whether or not the user deletes it.
3. **The lists** behind the drop-downs, hidden (a list of 600 townships does not fit
   in a cell's own list of 255 characters).

The drop-downs offer labels, which the import reads in either language (as it reads
codes); a many-to-many column's list is a suggestion, since a cell may name several
terms separated by 、.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from tongxin.core.fields import field_label
from tongxin.core.formatting import join_list
from tongxin.core.imports import import_columns
from tongxin.core.workbooks import (
    HEADER_BORDER,
    HEADER_FILL,
    HEADER_FONT,
    MAX_WIDTH,
    escape_cell,
    sheet_title,
    text_width,
    value_width,
)

#: The last row the checks of the sheet to fill in cover (Excel's last row).
LAST_ROW = 1_048_576
MIN_WIDTH = 10
EXAMPLE_FONT = Font(italic=True, color="555555")
# Excel's limits for the texts of a data validation.
_TITLE_MAX = 32
_MESSAGE_MAX = 255


def _clip(value: Any, limit: int) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _flat(choices: Any) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat


def choice_labels(form_field: forms.Field) -> list[str] | None:
    """What a controlled column's drop-down offers, in the active language; None for a
    free column. Rows are read from the field's (scoped) queryset; a row with a ``name``
    is offered by its name (the import finds it by name or code)."""
    if isinstance(form_field, forms.ModelChoiceField):  # and ModelMultipleChoiceField
        labels: list[str] = []
        for obj in form_field.queryset or ():
            label = str(getattr(obj, "name", "") or obj)
            if label not in labels:
                labels.append(label)
        return labels
    if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
        return [_("yes"), _("no")]
    if isinstance(form_field, forms.ChoiceField):
        return [str(label) for key, label in _flat(form_field.choices) if key not in ("", None)]
    return None


def example_row(form: forms.BaseForm, names: Sequence[str]) -> dict[str, Any]:
    """One plausible row: the first choice of each controlled column (two terms for a
    many-to-many one), then the import form's own ``import_example(form)`` values."""
    values: dict[str, Any] = {}
    for name in names:
        labels = choice_labels(form.fields[name])
        if labels:
            many = isinstance(form.fields[name], forms.ModelMultipleChoiceField)
            values[name] = join_list(labels[:2]) if many else labels[0]
    declared = getattr(type(form), "import_example", None)
    if callable(declared):
        values.update(declared(form))
    return {name: str(value) if isinstance(value, Promise) else value for name, value in values.items()}


def _validation(form_field: forms.Field, label: str, reference: str | None) -> DataValidation | None:
    """The check of one column: its drop-down list, or its number range; with the
    field's help text shown when a cell is selected."""
    validation: DataValidation | None = None
    if reference is not None:
        many = isinstance(form_field, forms.ModelMultipleChoiceField)
        validation = DataValidation(
            type="list",
            formula1=reference,
            allow_blank=True,
            # Several terms in one cell are allowed for a many-to-many column: only say so.
            errorStyle="information" if many else "stop",
            error=_("Choose a value from the list.")
            if not many
            else _("Choose from the list; several terms are separated by 、."),
        )
    elif isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        whole = isinstance(form_field, forms.IntegerField)
        low = getattr(form_field, "min_value", None)
        high = getattr(form_field, "max_value", None)
        validation = DataValidation(
            type="whole" if whole else "decimal",
            operator="between",
            formula1=str(low if low is not None else -(2**31)),
            formula2=str(high if high is not None else 2**31 - 1),
            allow_blank=True,
            errorStyle="stop",
            error=_("Enter a whole number.") if whole else _("Enter a number."),
        )
    help_text = str(form_field.help_text or "")
    if validation is None and help_text:
        validation = DataValidation(allow_blank=True)
    if validation is None:
        return None
    validation.showErrorMessage = validation.type is not None
    validation.errorTitle = _clip(label, _TITLE_MAX)
    if help_text:
        validation.showInputMessage = True
        validation.promptTitle = _clip(label, _TITLE_MAX)
        validation.prompt = _clip(help_text, _MESSAGE_MAX)
    if validation.error:
        validation.error = _clip(validation.error, _MESSAGE_MAX)
    return validation


def _header(sheet: Any, headers: Sequence[str]) -> None:
    sheet.append([escape_cell(header) for header in headers])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
    sheet.freeze_panes = "A2"


def _widths(sheet: Any, headers: Sequence[str], example: Sequence[Any]) -> None:
    for index, header in enumerate(headers):
        widest = max(text_width(header), value_width(example[index]) if index < len(example) else 0)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))


def build_import_template(model: type[models.Model], form_class: type[Any], user: Any) -> bytes:
    """The import template of ``model`` for ``user`` (choices in their scope), as .xlsx."""
    form = form_class(user=user)
    names = import_columns(form_class)
    headers = [capfirst(field_label(model, name)) for name in names]
    example = example_row(form, names)
    example_values = [example.get(name) for name in names]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(str(model._meta.verbose_name_plural))
    sample = workbook.create_sheet(sheet_title(_("Example (not imported)")))
    lists = workbook.create_sheet(sheet_title(_("Lists")))
    lists.sheet_state = "hidden"

    _header(sheet, headers)
    _widths(sheet, headers, example_values)
    list_column = 0
    for index, name in enumerate(names):
        form_field = form.fields[name]
        labels = choice_labels(form_field)
        reference = None
        if labels:
            list_column += 1
            letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=escape_cell(headers[index]))
            for row, label in enumerate(labels, start=2):
                lists.cell(row=row, column=list_column, value=escape_cell(label))
            reference = f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(labels) + 1}"
        validation = _validation(form_field, headers[index], reference)
        if validation is not None:
            column = get_column_letter(index + 1)
            validation.add(f"{column}2:{column}{LAST_ROW}")
            sheet.add_data_validation(validation)

    _header(sample, headers)
    _widths(sample, headers, example_values)
    sample.append([escape_cell(value) for value in example_values])
    for cell in sample[2]:
        cell.font = EXAMPLE_FONT
    sample.append([])
    note = _("An example of a filled-in row. The import reads only the first sheet; this one is never imported.")
    sample.append([note])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
