"""The layout of every exported sheet, streamed: what a reader sees when the file opens.

A sheet reads from the top: its title (村台账), the filters that chose its rows
(筛选：乡镇=分水镇；状态=已批准) and the export date, then the table — a header row in
the user's language that stays in view while scrolling (frozen pane) and has the
autofilter's drop-downs, columns as wide as their contents, numbers with their format
(thousands separators, two decimals for money). Printed, the header row repeats on every
page and the table is fitted to the page width.

Everything is written by openpyxl's write-only workbook, so memory does not grow with the
rows: the widths are measured on the first :data:`SAMPLE_ROWS` rows, which are held back
until then, and the autofilter's range is set once the last row is written.

Every text written is first cleared of control characters (an old value stored before
input was checked never breaks a file), then escaped if a spreadsheet would read it as a
formula. Sheet titles are sanitised the same way.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tongxin.core.validation import strip_control_characters

# A cell starting with one of these would be read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel: a sheet title has at most 31 characters, none of []:*?/\ and no apostrophe at
# either end; "History" is reserved.
SHEET_TITLE_MAX = 31
_SHEET_TITLE_REFUSED = re.compile(r"[\[\]:*?/\\]")
DEFAULT_SHEET_TITLE = "Sheet1"

#: Rows read before the column widths are decided (and held back until then).
SAMPLE_ROWS = 100
MIN_WIDTH = 6
MAX_WIDTH = 60
#: More columns than this: the printed sheet is laid out landscape.
PORTRAIT_COLUMNS = 8

TITLE_FONT = Font(bold=True, size=13)
NOTE_FONT = Font(color="555555")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
HEADER_BORDER = Border(bottom=Side(style="thin", color="8899AA"))
HEADER_ALIGNMENT = Alignment(vertical="center")

_PLAIN = frozenset({int, float, Decimal, bool, type(None)})


def escape_cell(value: Any) -> Any:
    """Make ``value`` safe to write: control characters removed, text that looks like a
    formula prefixed with '."""
    if type(value) in _PLAIN:
        return value
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


@dataclass(frozen=True)
class Column:
    """One column of an exported table: its header (with its unit) and the Excel number
    format of its numbers (None: as they come)."""

    header: str
    number_format: str | None = None


@dataclass(frozen=True)
class Layout:
    """What surrounds the rows: the title line, the lines under it (filters, date) and
    the columns. No title and no notes: the header is the first row (import templates)."""

    title: str
    columns: Sequence[Column]
    notes: Sequence[str] = ()
    title_line: bool = True
    #: Fixed widths by column index (an import template has no rows to measure).
    widths: dict[int, float] = field(default_factory=dict)

    @property
    def header_row(self) -> int:
        """The sheet row (1-based) of the header."""
        return (1 if self.title_line else 0) + len(self.notes) + 1


def text_width(text: str) -> int:
    """How many character cells ``text`` takes in a spreadsheet: East Asian wide
    characters count two; the longest line of a multi-line text counts."""
    return max(
        (sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line) for line in text.split("\n")),
        default=0,
    )


def value_width(value: Any, number_format: str | None = None) -> int:
    """The width of ``value`` as the sheet shows it."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, int | float | Decimal):
        if number_format and "," in number_format:
            places = len(number_format.rpartition(".")[2]) if "." in number_format else 0
            return len(f"{value:,.{places}f}")
        return len(str(value))
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date | time):
        return 10
    return text_width(str(value))


def column_widths(layout: Layout, sample: Sequence[Sequence[Any]]) -> list[float]:
    """A width per column: the widest of its header and its sampled values, two spare
    characters, within :data:`MIN_WIDTH` and :data:`MAX_WIDTH`."""
    widths = []
    for index, column in enumerate(layout.columns):
        fixed = layout.widths.get(index)
        if fixed is not None:
            widths.append(fixed)
            continue
        widest = text_width(str(column.header))
        for row in sample:
            if index < len(row):
                widest = max(widest, value_width(row[index], column.number_format))
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))))
    return widths


def prepare_sheet(sheet: Any, layout: Layout, widths: Sequence[float]) -> None:
    """What a write-only sheet needs before its first row: column widths, the frozen
    header, print settings."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{layout.header_row + 1}"
    sheet.print_title_rows = f"{layout.header_row}:{layout.header_row}"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if len(layout.columns) > PORTRAIT_COLUMNS else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _styled(sheet: Any, value: Any, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=escape_cell(value))
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def header_cells(sheet: Any, layout: Layout) -> list[WriteOnlyCell]:
    return [
        _styled(sheet, str(column.header), font=HEADER_FONT, fill=HEADER_FILL, border=HEADER_BORDER)
        for column in layout.columns
    ]


def write_preamble(sheet: Any, layout: Layout) -> None:
    """The title and the note lines above the table."""
    if layout.title_line:
        sheet.append([_styled(sheet, layout.title, font=TITLE_FONT)])
    for note in layout.notes:
        sheet.append([_styled(sheet, note, font=NOTE_FONT)])


class _FormattedCells:
    """The cells of one row: plain values, and for a column with a number format a styled
    cell holding the number (one styled cell per column, refilled: the write-only sheet
    writes each row as it is appended)."""

    def __init__(self, sheet: Any, columns: Sequence[Column]) -> None:
        self.formats: list[tuple[int, WriteOnlyCell]] = []
        for index, column in enumerate(columns):
            if column.number_format:
                cell = WriteOnlyCell(sheet)
                cell.number_format = column.number_format
                self.formats.append((index, cell))

    def row(self, values: Sequence[Any]) -> list[Any]:
        cells: list[Any] = [escape_cell(value) for value in values]
        for index, cell in self.formats:
            if index < len(cells):
                value = cells[index]
                if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    cell.value = value
                    cells[index] = cell
        return cells


def write_table(target: IO[bytes], layout: Layout, rows: Iterable[Sequence[Any]]) -> None:
    """Write an .xlsx with one sheet laid out by ``layout`` to ``target``, streaming ``rows``.

    The workbook is write-only: rows go to a temporary file as they come, never all into
    memory (only the first :data:`SAMPLE_ROWS`, to measure the columns).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(layout.title))
    try:
        stream: Iterator[Sequence[Any]] = iter(rows)
        sample = list(islice(stream, SAMPLE_ROWS))
        prepare_sheet(sheet, layout, column_widths(layout, sample))
        write_preamble(sheet, layout)
        sheet.append(header_cells(sheet, layout))
        cells = _FormattedCells(sheet, layout.columns)
        last = layout.header_row
        for values in chain(sample, stream):
            sheet.append(cells.row(values))
            last += 1
        if layout.columns:
            sheet.auto_filter.ref = f"A{layout.header_row}:{get_column_letter(len(layout.columns))}{last}"
    except BaseException:
        discard(sheet)
        raise
    workbook.save(target)


def discard(sheet: Any) -> None:
    """Remove the temporary file of a write-only sheet that will not be saved (openpyxl
    removes it on save, else only when the process exits)."""
    writer = getattr(sheet, "_writer", None)
    if writer is None:
        return
    with contextlib.suppress(Exception):
        writer.close()
    with contextlib.suppress(Exception):
        writer.cleanup()


def exported_on(day: date | None = None) -> str:
    """The export date line: “导出日期：2026-11-29”, “Exported on 2026-11-29”."""
    return gettext("Exported on %(date)s") % {"date": (day or timezone.localdate()).isoformat()}
