"""Excel export of a filtered, scoped queryset, with formula injection escaped.

The layout of the sheet — title, filters and date above the table, frozen header,
autofilter, widths, number formats — is :mod:`tongxin.core.workbooks`; every text is
cleared of control characters and escaped there if a spreadsheet would read it as a
formula.

Large exports stream (:class:`TableSheet`, :func:`spooled_workbook`): the rows are read
with ``QuerySet.iterator(chunk_size=…)`` (the ledger's prefetches run once per chunk), each
cell is read the way ``Table.as_values()`` reads it, and openpyxl's write-only workbook
writes them to a temporary file that stays in memory only while it is small. Memory does
not grow with the number of rows; 100,000 villages take about as long as openpyxl alone
needs to write the same values (``make bench-excel``).
"""

from __future__ import annotations

import inspect
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from functools import partialmethod
from itertools import islice
from typing import IO, Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django_tables2.columns.base import Column as TableColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import Accessor, signature

from tongxin.core import units
from tongxin.core.tables import NumberColumn, is_quantity
from tongxin.core.workbooks import SHEET_TITLE_MAX as SHEET_TITLE_MAX
from tongxin.core.workbooks import Column, Layout, write_table
from tongxin.core.workbooks import escape_cell as escape_cell
from tongxin.core.workbooks import sheet_title as sheet_title

#: Rows read from the database at a time (and prefetched together).
EXPORT_CHUNK = 1000
#: A finished workbook up to this size stays in memory; a larger one goes to a temporary file.
SPOOL_BYTES = 2 * 1024 * 1024


_PLAIN = frozenset({int, float, Decimal, bool, type(None)})


def build_workbook(layout: Layout, rows: Iterable[Sequence[Any]]) -> bytes:
    """An .xlsx file laid out by ``layout`` holding ``rows`` (for small sheets)."""
    buffer = io.BytesIO()
    write_table(buffer, layout, rows)
    return buffer.getvalue()


def spooled_workbook(layout: Layout, rows: Iterable[Sequence[Any]]) -> IO[bytes]:
    """The .xlsx in a temporary file (in memory while small), rewound, for streaming out."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115  # the response closes it
    try:
        write_table(spool, layout, rows)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


# --- the ledger table's values, streamed ----------------------------------------------


class _Unresolved(Exception):
    """An accessor that does not resolve (the library reads it as no value)."""


def _resolve(bits: Sequence[str], accessor: Accessor, context: Any) -> Any:
    """:meth:`Accessor.resolve` (safe) on pre-split ``bits``: key, attribute, index lookup."""
    if isinstance(context, dict) and accessor in context:
        return context[accessor]
    current = context
    for bit in bits:
        if not hasattr(type(current), "__getitem__"):  # a model instance: straight to the attribute
            try:
                current = getattr(current, bit)
            except (TypeError, AttributeError):
                raise _Unresolved(bit) from None
        else:
            try:
                current = current[bit]
            except (TypeError, AttributeError, KeyError):
                try:
                    current = getattr(current, bit)
                except (TypeError, AttributeError):
                    try:
                        current = current[int(bit)]
                    except (IndexError, ValueError, KeyError, TypeError):
                        raise _Unresolved(bit) from None
        if callable(current):
            if getattr(current, "alters_data", False):
                raise _Unresolved(bit)
            if not getattr(current, "do_not_call_in_templates", False):
                current = current(*accessor.callable_args, **accessor.callable_kwargs)
        if current is None:
            break
    return current


_CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


def _shown_as_is(value: Any, record: Any, row: Callable[[], Any]) -> Any:
    """The value function of a column that exports its value unchanged."""
    return value


# (relations to follow, the value's attribute, choice labels or None)
_FieldPath = tuple[tuple[str, ...], str, dict[Any, Any] | None]
# What every model's get_<field>_display() calls unless the model defines its own.
_DJANGO_DISPLAY = vars(models.Model)["_get_FIELD_display"]


class _CellReader:
    """Reads one column's cell the way ``BoundRow.get_cell_value`` does, with everything
    that does not depend on the row decided once per export: the accessor's parts, whether
    the field shows a choice label (and the labels, in the current language), which value
    function runs with which arguments.

    Two cells are read without the library's per-cell machinery: a choice label of
    Django's own ``get_<field>_display`` (looked up in the field's choices, translated once
    per export), and a plain many-to-many column over a prefetched relation (its items'
    texts joined as ``ManyToManyColumn.render`` joins them; the text of an item is
    computed once per export). A link column with a fixed text takes the library's own
    path, cell by cell.
    """

    def __init__(self, table: Any, bound_column: Any) -> None:
        self.table = table
        self.bound_column = bound_column
        self.name = bound_column.name
        self.column = column = bound_column.column
        self.accessor = Accessor(bound_column.accessor)
        bits = tuple(self.accessor.bits)
        self.bits = bits
        self.path = Accessor(self.accessor.rpartition(Accessor.SEPARATOR)[0])
        self.path_bits = tuple(self.path.bits)
        self.remainder = bits[-1] if bits else ""
        self.empty_values = column.empty_values
        self.is_many = isinstance(column, ManyToManyColumn)
        self.library = isinstance(column, BaseLinkColumn) and column.text is not None
        self.displays: dict[tuple[type, type], tuple[Any, dict[Any, Any]] | None] = {}
        self.value = self._value_function()
        self.shows_value = self.value is _shown_as_is
        self.plain_many = self.is_many and self._plain_many()
        self.item_texts: dict[tuple[type, Any], Any] = {}
        self.links: dict[Any, list[Any]] | None = None  # set per chunk by TableSheet
        self.paths: dict[type, _FieldPath | None] = {}

    def _caller(self, fn: Callable[..., Any]) -> Callable[[Any, Any, Callable[[], Any]], Any]:
        """``call_with_appropriate(fn, …)`` with ``fn``'s signature read once."""
        names, catch_all = signature(fn)
        if not catch_all and any(name not in _CELL_ARGUMENTS for name in names):
            return lambda value, record, row: None
        wanted = _CELL_ARGUMENTS if catch_all else tuple(names)

        def call(value: Any, record: Any, row: Callable[[], Any]) -> Any:
            available = {
                "value": value,
                "record": record,
                "column": self.column,
                "bound_column": self.bound_column,
                "table": self.table,
            }
            if "bound_row" in wanted:
                available["bound_row"] = row()
            return fn(**{name: available[name] for name in wanted})

        return call

    def _value_function(self) -> Callable[[Any, Any, Callable[[], Any]], Any]:
        """The bound column's value function: ``value_<name>``, ``render_<name>`` or the
        column's ``value`` — which by default is ``call_with_appropriate(column.render)``."""
        value_fn = self.bound_column.value
        if getattr(value_fn, "__func__", None) is NumberColumn.value:
            return _shown_as_is  # a number exports as itself, whatever the page shows
        if getattr(value_fn, "__func__", None) is TableColumn.value:
            render = self.column.render
            if getattr(render, "__func__", None) is TableColumn.render:
                return _shown_as_is
            return self._caller(render)
        return self._caller(value_fn)

    def _plain_many(self) -> bool:
        """A many-to-many column whose value is ``ManyToManyColumn.render`` itself."""
        kind = type(self.column)
        return (
            getattr(self.bound_column.value, "__func__", None) is TableColumn.value
            and kind.render is ManyToManyColumn.render
            and kind.filter is ManyToManyColumn.filter
            and not hasattr(self.column, "linkify_item")
            and len(self.bits) == 1
        )

    def _display(self, record: Any, penultimate: models.Model) -> tuple[Any, dict[Any, Any]] | None:
        """(field, {value: label}) when the library would show this column's choice label
        through Django's own ``get_<field>_display``; the display method otherwise; None
        when the column shows no label."""
        kind = (type(record), type(penultimate))
        if kind in self.displays:
            return self.displays[kind]
        try:
            model_field = self.accessor.get_field(record)
        except Exception:  # FieldDoesNotExist: no label
            model_field = None
        display: tuple[Any, dict[Any, Any]] | None = None
        if getattr(model_field, "choices", ()):
            method = inspect.getattr_static(type(penultimate), f"get_{self.remainder}_display", None)
            labels: dict[Any, Any] = {}
            if isinstance(method, partialmethod) and method.func is _DJANGO_DISPLAY:
                for key, label in make_hashable(model_field.flatchoices):  # as dict(): the last label wins
                    labels[key] = force_str(label, strings_only=True)
                display = (model_field, labels)
            else:
                display = (None, labels)
        self.displays[kind] = display
        return display

    def _many(self, record: Any) -> Any:
        """A plain many-to-many cell from the rows read for the chunk (or prefetched); the
        library's path if neither."""
        items: Any
        if self.links is not None:
            items = self.links.get(record.pk, ())
        else:
            items = getattr(record, "_prefetched_objects_cache", {}).get(self.remainder)
            if items is None:
                return self._read(record)
        return self.joined(items)

    def joined(self, items: Iterable[Any]) -> Any:
        """``ManyToManyColumn.render`` of these related rows (None for none)."""
        texts = []
        for item in items:
            key = (type(item), item.pk)
            text = self.item_texts.get(key)
            if text is None:
                text = self.item_texts[key] = conditional_escape(self.column.transform(item))
            texts.append(text)
        if not texts:
            return None
        return mark_safe(conditional_escape(self.column.separator).join(texts))

    def _field_path(self, kind: type) -> _FieldPath | None:
        """For records of ``kind``: when every step of the accessor is a plain field (the
        last one a value, the others single-valued relations), the attributes to follow
        and the choice labels to show — what the library's lookups come to for model
        rows — else None (the general path)."""
        if kind in self.paths:
            return self.paths[kind]
        plan: _FieldPath | None = None
        model: Any = kind
        names: list[str] = []
        if self.bits and hasattr(model, "_meta"):
            for bit in self.bits[:-1]:
                step = _own_field(model, bit)
                if step is None or not step.concrete or not (step.many_to_one or step.one_to_one):
                    model = None
                    break
                names.append(step.name)
                model = step.related_model
            last = _own_field(model, self.bits[-1]) if model is not None else None
            if last is not None and last.concrete and not last.is_relation:
                labels: dict[Any, Any] | None = None
                if getattr(last, "choices", None):
                    method = inspect.getattr_static(model, f"get_{last.name}_display", None)
                    if isinstance(method, partialmethod) and method.func is _DJANGO_DISPLAY:
                        labels = {
                            key: force_str(label, strings_only=True) for key, label in make_hashable(last.flatchoices)
                        }
                        plan = (tuple(names), last.attname, labels)
                else:
                    plan = (tuple(names), last.attname, None)
        self.paths[kind] = plan
        return plan

    def read(self, record: Any, row: Callable[[], Any]) -> Any:
        """The cell's export value for ``record`` (``row()`` gives its BoundRow when needed)."""
        if self.library:
            return row().get_cell_value(self.name)
        if self.plain_many:
            return self._many(record)
        plan = self._field_path(type(record))
        if plan is None:
            return self._read(record, row)
        names, attname, labels = plan
        value: Any = record
        for name in names:
            value = getattr(value, name)
            if value is None:
                break
        else:
            value = getattr(value, attname)
            if labels is not None:
                key = make_hashable(value)
                value = labels[key] if key in labels else force_str(value, strings_only=True)
        if value in self.empty_values:
            return None
        return self.value(value, record, row)

    def _read(self, record: Any, row: Callable[[], Any] | None = None) -> Any:
        value: Any = None
        remainder = self.remainder
        try:
            penultimate = _resolve(self.path_bits, self.path, record)
        except Exception:  # resolved quietly by the library
            penultimate = None
        if isinstance(penultimate, models.Model):
            display = self._display(record, penultimate)
            if display is not None:
                model_field, labels = display
                if model_field is not None:
                    raw = getattr(penultimate, model_field.attname)
                    key = make_hashable(raw)
                    value = labels[key] if key in labels else force_str(raw, strings_only=True)
                    remainder = ""
                else:
                    method = getattr(penultimate, f"get_{remainder}_display", None)
                    if method is not None:
                        value = method()
                        remainder = ""
        if remainder:
            try:
                value = _resolve(self.bits, self.accessor, record)
            except Exception:  # the library reads a failing accessor as no value
                value = None
        if value in self.empty_values or (self.is_many and not value.exists()):
            return None
        if row is None:
            bound: list[BoundRow] = []

            def row() -> BoundRow:
                if not bound:
                    bound.append(BoundRow(record, table=self.table))
                return bound[0]

        return self.value(value, record, row)


def _export_value(value: Any) -> Any:
    """``force_str(value, strings_only=True)``, as ``as_values()`` applies it to each cell."""
    return value if type(value) in _PLAIN or type(value) is str else force_str(value, strings_only=True)


def _own_field(model: type[models.Model], name: str) -> Any:
    """``model``'s own field ``name``, or None (a reverse relation, a property)."""
    try:
        return model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist
        return None


class TableSheet:
    """A ledger table's export: the columns and headers of ``table.as_values()``, its rows
    streamed from the table's queryset chunk by chunk, and a number format per column
    (a decimal field keeps its decimal places, as on the page).

    A plain many-to-many column over one of the model's own many-to-many fields (the
    needs of a village) is filled per chunk with two queries — the links, then the linked
    rows through their default manager, in its order — instead of Django's
    ``prefetch_related``, which builds a manager and a queryset for every row and doubles
    the cost of the export. Any other prefetch of the ledger runs per chunk as declared.
    """

    def __init__(self, table: Any, *, exclude: Sequence[str] = ("actions",), chunk_size: int | None = None) -> None:
        self.table = table
        self.chunk_size = chunk_size or EXPORT_CHUNK
        self.columns = [
            column
            for column in table.columns.iterall()
            if not (column.column.exclude_from_export or column.name in exclude)
        ]
        self.headers = [force_str(column.header, strings_only=True) for column in self.columns]
        data = getattr(table.data, "data", None)
        self.queryset = data if isinstance(data, models.QuerySet) else None
        model = self.queryset.model if self.queryset is not None else getattr(table._meta, "model", None)
        self.number_formats = [self._number_format(model, column) for column in self.columns]
        self.readers = [_CellReader(table, column) for column in self.columns]
        self.links: dict[str, Any] = {}
        if self.queryset is not None:
            self.links = self._own_links(self.queryset.model)
            declared = getattr(self.queryset, "_prefetch_related_lookups", ())
            remaining = [lookup for lookup in declared if lookup not in self.links]
            if len(remaining) != len(declared):
                self.queryset = self.queryset.prefetch_related(None).prefetch_related(*remaining)
        self.lookups, self.plan = self._values_plan()

    def _own_links(self, model: type[models.Model]) -> dict[str, Any]:
        """The many-to-many fields of ``model`` read by plain many-to-many columns."""
        links: dict[str, Any] = {}
        for reader in self.readers:
            if not reader.plain_many:
                continue
            model_field = _own_field(model, reader.remainder)
            if isinstance(model_field, models.ManyToManyField):
                links[reader.remainder] = model_field
        return links

    def _values_plan(self) -> tuple[list[str], list[tuple[_CellReader, int | None, Any]] | None]:
        """When every column is a plain field path shown as it is (or with its choice
        label) or a plain many-to-many column, the rows can be read as tuples
        (``values_list``) instead of model instances: the lookups to read, and per column
        its reader, the tuple index of its value (None: many-to-many) and its labels."""
        queryset = self.queryset
        if queryset is None or queryset.query.annotations or queryset.query.distinct or queryset.query.extra:
            return [], None
        lookups = ["pk"]
        plan: list[tuple[_CellReader, int | None, Any]] = []
        for reader in self.readers:
            if reader.plain_many and reader.remainder in self.links:
                plan.append((reader, None, None))
                continue
            path = reader._field_path(queryset.model)
            if path is None or not reader.shows_value:
                return [], None
            names, attname, labels = path
            lookup = "__".join((*names, attname))
            if lookup not in lookups:
                lookups.append(lookup)
            plan.append((reader, lookups.index(lookup), labels))
        return lookups, plan

    @property
    def layout_columns(self) -> list[Column]:
        """The sheet's columns: the table's headers and each column's number format."""
        return [Column(header, fmt) for header, fmt in zip(self.headers, self.number_formats, strict=True)]

    @staticmethod
    def _number_format(model: Any, bound_column: Any) -> str | None:
        """The column's own format (a :class:`~tongxin.core.tables.QuantityColumn`: counts
        with thousands separators, money with two decimals), else a decimal field's
        places, else thousands separators for a whole-number quantity (as on the page)."""
        declared = getattr(bound_column.column, "number_format", None)
        if declared:
            return str(declared)
        if model is None:
            return None
        try:
            model_field = Accessor(bound_column.accessor).get_field(model)
        except Exception:  # not a field path
            return None
        if isinstance(model_field, models.DecimalField) and not getattr(model_field, "choices", None):
            places = model_field.decimal_places or 0
            return "0." + "0" * places if places else "0"
        if isinstance(model_field, models.IntegerField) and is_quantity(model_field):
            return units.COUNT
        return None

    @staticmethod
    def _linked(model_field: Any, pks: list[Any]) -> dict[Any, list[Any]]:
        """Record pk → its linked rows, as the relation's prefetch would give them."""
        through: Any = model_field.remote_field.through
        source, target = f"{model_field.m2m_field_name()}_id", f"{model_field.m2m_reverse_field_name()}_id"
        pairs = list(through._base_manager.filter(**{f"{source}__in": pks}).values_list(source, target))
        related = model_field.related_model._default_manager.filter(pk__in={t for _s, t in pairs})
        order = {obj.pk: (index, obj) for index, obj in enumerate(related)}
        linked: dict[Any, list[tuple[int, Any]]] = {}
        for source_pk, target_pk in pairs:
            if target_pk in order:
                linked.setdefault(source_pk, []).append(order[target_pk])
        return {pk: [obj for _index, obj in sorted(items, key=lambda item: item[0])] for pk, items in linked.items()}

    def _chunks(self) -> Iterator[list[Any]]:
        if self.queryset is None:
            yield [row.record for row in self.table.rows]
            return
        records = self.queryset.iterator(chunk_size=self.chunk_size)
        while chunk := list(islice(records, self.chunk_size)):
            yield chunk

    def rows(self) -> Iterator[list[Any]]:
        """One list of cell values per record, as ``table.as_values()`` gives them."""
        if self.plan is not None:
            yield from self._value_rows(self.plan)
            return
        readers = self.readers
        table = self.table
        for chunk in self._chunks():
            pks = [record.pk for record in chunk]
            links = {name: self._linked(model_field, pks) for name, model_field in self.links.items()}
            for reader in readers:
                reader.links = links.get(reader.remainder) if reader.plain_many else None
            for record in chunk:
                bound: list[BoundRow] = []

                def row(record: Any = record, bound: list[BoundRow] = bound) -> BoundRow:
                    if not bound:
                        bound.append(BoundRow(record, table=table))
                    return bound[0]

                yield [_export_value(reader.read(record, row)) for reader in readers]
                # A prefetched relation and its record refer to each other: left alone, each
                # chunk would wait for the cycle collector. Let it go now.
                if isinstance(record, models.Model):
                    record.__dict__.pop("_prefetched_objects_cache", None)

    def _value_rows(self, plan: list[tuple[_CellReader, int | None, Any]]) -> Iterator[list[Any]]:
        """The rows read as tuples: each cell its field's value (or choice label), or the
        joined texts of its many-to-many rows; empty values give an empty cell."""
        assert self.queryset is not None
        tuples = self.queryset.values_list(*self.lookups).iterator(chunk_size=self.chunk_size)
        while chunk := list(islice(tuples, self.chunk_size)):
            pks = [values[0] for values in chunk]
            links = {name: self._linked(model_field, pks) for name, model_field in self.links.items()}
            many = {id(reader): links[reader.remainder] for reader, index, _labels in plan if index is None}
            for values in chunk:
                row = []
                for reader, index, labels in plan:
                    if index is None:
                        cell = reader.joined(many[id(reader)].get(values[0], ()))
                    else:
                        cell = values[index]
                        if labels is not None:
                            key = make_hashable(cell)
                            cell = labels[key] if key in labels else force_str(cell, strings_only=True)
                        if cell in reader.empty_values:
                            cell = None
                    row.append(_export_value(cell))
                yield row
