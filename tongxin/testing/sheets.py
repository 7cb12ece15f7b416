"""Reading exported workbooks back in tests."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import load_workbook


def header_row(sheet: Any) -> int:
    """The row of an exported sheet's header: the one just above the frozen pane (an
    export freezes its title, filter lines and header). Fails when nothing is frozen."""
    pane = sheet.freeze_panes
    assert pane, "an exported sheet keeps its header in view (frozen pane)"
    return int(re.sub(r"[A-Z]+", "", pane)) - 1


def table_rows(sheet: Any, *, values_only: bool = True) -> list[Any]:
    """The header row and the data rows of an exported sheet (without the lines above)."""
    return list(sheet.iter_rows(min_row=header_row(sheet), values_only=values_only))


def exported_sheet(content: bytes) -> Any:
    """The first sheet of an exported workbook (read fully: panes, filters, formats)."""
    return load_workbook(io.BytesIO(content)).active
