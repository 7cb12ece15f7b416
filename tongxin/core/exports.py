"""Excel export of a filtered, scoped queryset, with formula injection escaped.

Every text written is first cleared of control characters (an old value stored before
input was checked never breaks a file), then escaped if a spreadsheet would read it as a
formula. Sheet titles and download file names are sanitised the same way.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tongxin.core.validation import strip_control_characters

# A cell starting with one of these would be read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel: a sheet title has at most 31 characters, none of []:*?/\ and no apostrophe at
# either end; "History" is reserved.
SHEET_TITLE_MAX = 31
_SHEET_TITLE_REFUSED = re.compile(r"[\[\]:*?/\\]")
_FILE_NAME_REFUSED = re.compile(r'[\\/:*?"<>|;]')
DEFAULT_SHEET_TITLE = "Sheet1"


def escape_cell(value: Any) -> Any:
    """Make ``value`` safe to write: control characters removed, text that looks like a
    formula prefixed with '."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str):
        value = strip_control_characters(value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def sheet_title(title: str) -> str:
    """A title Excel accepts for a sheet: never empty, at most 31 characters."""
    text = _SHEET_TITLE_REFUSED.sub("", strip_control_characters(str(title), multiline=False))
    text = text.strip().strip("'").strip()[:SHEET_TITLE_MAX].strip().strip("'")
    if not text or text.lower() == "history":
        return DEFAULT_SHEET_TITLE
    return text


def file_name(title: str, suffix: str = ".xlsx") -> str:
    """A download file name built from ``title`` (no path or header characters)."""
    text = _FILE_NAME_REFUSED.sub("", strip_control_characters(str(title), multiline=False)).strip(" .")
    return (text[:100] or "export") + suffix


def attachment_header(name: str) -> str:
    """The Content-Disposition value for downloading a file called ``name`` (any script)."""
    return str(content_disposition_header(True, file_name(name, suffix="")))


def build_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """An .xlsx file with one sheet: a bold header row, then ``rows``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=escape_cell(str(header)))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([escape_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
