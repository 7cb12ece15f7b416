"""Shared table pieces (django-tables2), and the fast body renderer of the ledger tables.

django-tables2 keeps the columns, the ordering, the pagination and the export
(``as_values``). Its stock template renders every cell through the template engine, with
the library's per-cell machinery around it (an accessor parsed and resolved twice, the
model field looked up, the render method's signature inspected, the cell attributes
recomputed, date columns compiling a template per cell), which on a page of 50 rows and
15 columns is most of the page's time. :class:`ScopedTable` renders the body rows in
Python instead: what can be decided once per column (how the value is read, whether a
choice label is shown, which arguments the render method takes, the cell attributes, the
link) is decided once per rendering, then each cell is one short call. The output is what
the stock template gives: the same value (choice labels, the table's default for empty
values), the same ``render_<column>`` methods and column ``render`` methods, the same links,
localized and escaped exactly as ``{{ cell }}`` in a template would be (see
:func:`django.template.base.render_value_in_context`). Columns the fast path does not
understand (link columns with a fixed text, callable cell attributes, pinned rows) go
through the library's own cell path, unchanged.

The table shell (headers with sort links, pagination) is the small template
``core/_table.html``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.db import models
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.utils import formats
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django_tables2.columns.base import Column, library
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundPinnedRow, BoundRow
from django_tables2.utils import Accessor, signature

from tongxin.core import units
from tongxin.core.formatting import thousands

# The template django-tables2 gives DateColumn, DateTimeColumn and TimeColumn.
_DATE_TEMPLATE = re.compile(r'\{\{ value\|date:"(?P<format>[^"]*)"\|default:default \}\}')
_CELL_ARGUMENTS = frozenset({"value", "record", "column", "bound_column", "bound_row", "table"})


class _Missing(Exception):
    """An accessor that does not resolve (the library reads it as an empty value)."""


def _step(current: Any, bit: str) -> Any:
    """One step of :meth:`Accessor.resolve`: key, attribute, then index lookup.

    Objects that cannot be subscripted (model instances) go straight to the attribute,
    which is where the library's order ends up for them too, minus two raised exceptions.
    """
    if hasattr(type(current), "__getitem__"):
        try:
            return current[bit]
        except (TypeError, AttributeError, KeyError):
            try:
                return getattr(current, bit)
            except (TypeError, AttributeError):
                try:
                    return current[int(bit)]
                except (IndexError, ValueError, KeyError, TypeError):
                    raise _Missing(bit) from None
    try:
        return getattr(current, bit)
    except (TypeError, AttributeError):
        raise _Missing(bit) from None


def _resolve(accessor: Accessor, bits: tuple[str, ...], context: Any) -> Any:
    """:meth:`Accessor.resolve` (``safe=True``) without re-parsing the accessor each time."""
    if isinstance(context, dict) and accessor in context:
        return context[accessor]
    current = context
    for bit in bits:
        current = _step(current, bit)
        if callable(current):
            if getattr(current, "alters_data", False):
                raise _Missing(bit)
            if not getattr(current, "do_not_call_in_templates", False):
                current = current(*accessor.callable_args, **accessor.callable_kwargs)
        if current is None:
            break
    return current


def _render_value(value: Any, localize: bool | None, context: Context) -> str:
    """``{{ cell }}`` (or ``{{ cell|localize }}``, ``{{ cell|unlocalize }}``) of the stock template."""
    if localize is not None:
        value = str(formats.localize(value, use_l10n=localize))
    elif type(value) is str and context.autoescape:  # plain text: nothing to localize, escape it
        return escape(value)
    return render_value_in_context(value, context)


class _ColumnRenderer:
    """Renders the ``<td>`` cells of one bound column; built once per table rendering."""

    def __init__(self, table: ScopedTable, bound_column: Any, context: Context) -> None:
        self.table = table
        self.bound_column = bound_column
        self.column = column = bound_column.column
        self.name = bound_column.name
        self.context = context
        self.localize = bound_column.localize
        self.accessor = Accessor(bound_column.accessor)
        self.bits = tuple(self.accessor.bits)
        self.last = self.bits[-1] if self.bits else ""
        self.penultimate_accessor = Accessor(self.accessor.rpartition(self.accessor.SEPARATOR)[0])
        self.penultimate_bits = tuple(self.penultimate_accessor.bits)
        self.empty_values = column.empty_values
        self.is_many = isinstance(column, ManyToManyColumn)
        self.choices_by_type: dict[type, bool] = {}
        self.dates: dict[Any, str] = {}
        self.td = self._static_td_attrs()
        self.generic = isinstance(column, BaseLinkColumn) or self.td is None
        self.render = self._render_function()
        link = bound_column.link
        self.link = link
        self.plain_link = link is not None and link.url is None and not link.reverse_args and not link.attrs
        link_accessor = Accessor(link.accessor if link is not None and link.accessor is not None else self.name)
        self.link_accessor = link_accessor
        self.link_bits = tuple(link_accessor.bits)

    def _static_td_attrs(self) -> str | None:
        """The cell attributes as HTML when they do not depend on the row (None when they do)."""
        attrs = dict(self.table.attrs)
        attrs.update(dict(self.column.attrs))
        td = attrs.get("td", attrs.get("cell", {}))
        if any(callable(value) for value in td.values()):
            return None
        bound = self.bound_column
        bound.current_record = bound.current_value = None
        html = bound.attrs["td"].as_html()
        return f"<td {html}>" if html else "<td>"

    def _render_function(self) -> Callable[[Any, Any, BoundRow], Any]:
        """The column's render step (``render_<name>`` of the table, or the column's ``render``)."""
        render = self.bound_column.render
        template_code = getattr(self.column, "template_code", None)
        if getattr(render, "__func__", None) is Column.render:
            return lambda value, record, row: value
        if (
            template_code
            and getattr(render, "__func__", None) is tables.TemplateColumn.render
            and type(self.column).get_context_data is tables.TemplateColumn.get_context_data
            and not self.column.extra_context
            and (match := _DATE_TEMPLATE.fullmatch(template_code))
        ):
            date_format = match.group("format")
            return lambda value, record, row: self._date(value, date_format)
        names, catch_all = signature(render)
        if not catch_all and any(name not in _CELL_ARGUMENTS for name in names):
            return lambda value, record, row: None  # what call_with_appropriate does
        wanted = _CELL_ARGUMENTS if catch_all else frozenset(names)

        def call(value: Any, record: Any, row: BoundRow) -> Any:
            available = {
                "value": value,
                "record": record,
                "column": self.column,
                "bound_column": self.bound_column,
                "bound_row": row,
                "table": self.table,
            }
            return render(**{key: item for key, item in available.items() if key in wanted})

        return call

    def _date(self, value: Any, date_format: str) -> SafeString:
        """``{{ value|date:"<format>"|default:default }}`` rendered in the table's context.

        A page repeats dates (periods, due dates), so each distinct value is formatted once.
        """
        try:
            text = self.dates[value]
        except KeyError:
            text = self.dates[value] = date_filter(template_localtime(value, self.context.use_tz), date_format)
        except TypeError:  # not hashable
            text = date_filter(template_localtime(value, self.context.use_tz), date_format)
        return mark_safe(render_value_in_context(text or self.bound_column.default, self.context))

    def _value(self, record: Any) -> tuple[bool, Any]:
        """(found, value) as ``BoundRow._get_and_render_with`` reads it; not found: the default."""
        value = None
        if self.bits and isinstance(record, models.Model) and self._has_choices(record):
            try:
                penultimate = _resolve(self.penultimate_accessor, self.penultimate_bits, record)
            except Exception:  # the library resolves this part quietly
                penultimate = None
            display = getattr(penultimate, f"get_{self.last}_display", None)
            if isinstance(penultimate, models.Model) and display is not None:
                value = display()
                return self._found(value)
        try:
            value = _resolve(self.accessor, self.bits, record)
        except Exception:  # the library reads a failing accessor as no value
            value = None
        return self._found(value)

    def _found(self, value: Any) -> tuple[bool, Any]:
        if value in self.empty_values or (self.is_many and not value.exists()):
            return False, None
        return True, value

    def _has_choices(self, record: models.Model) -> bool:
        kind = type(record)
        known = self.choices_by_type.get(kind)
        if known is None:
            field = self.accessor.get_field(record)
            known = self.choices_by_type[kind] = bool(getattr(field, "choices", ()))
        return known

    def _link(self, content: Any, record: Any, value: Any, row: BoundRow) -> Any:
        if not self.plain_link:
            return self.link(
                content,
                value=value,
                record=record,
                column=self.column,
                bound_column=self.bound_column,
                bound_row=row,
                table=self.table,
            )
        target = _resolve(self.link_accessor, self.link_bits, record)
        if not hasattr(target, "get_absolute_url"):
            if not hasattr(record, "get_absolute_url"):
                raise TypeError(f"for linkify=True, '{target}' must have a method get_absolute_url")
            target = record
        href = target.get_absolute_url()
        if href is None:
            return content
        return format_html('<a href="{}">{}</a>', href, content)

    def cell(self, record: Any, row: BoundRow) -> str:
        """``<td …>content</td>`` of this column for one row."""
        if self.generic:
            return self._generic_cell(row)
        found, value = self._value(record)
        if not found:
            content = self.bound_column.default
        else:
            content = self.render(value, record, row)
            if self.link is not None:
                content = self._link(content, record, value, row)
        return f"{self.td}{_render_value(content, self.localize, self.context)}</td>"

    def _generic_cell(self, row: BoundRow) -> str:
        """The library's own cell path (any column, any attributes)."""
        bound = self.bound_column
        bound.current_value = content = row.get_cell(self.name)
        bound.current_record = row.record
        html = bound.attrs["td"].as_html()
        td = f"<td {html}>" if html else "<td>"
        return f"{td}{_render_value(content, self.localize, self.context)}</td>"


class ScopedTable(tables.Table):  # type: ignore[misc]
    """Base table: Tabler styling, sortable columns, fast body; export uses the same columns."""

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped table-sm"}
        template_name = "core/_table.html"
        per_page = 50

    #: The page sizes offered under the table (``?per_page=``).
    page_sizes = (25, 50, 100, 200)

    def _row_attrs(self, row: BoundRow) -> str:
        if self.row_attrs or isinstance(row, BoundPinnedRow):
            html = row.attrs.as_html()
            return f"<tr {html}>" if html else "<tr>"
        return '<tr class="odd">' if row.row_counter % 2 else '<tr class="even">'

    def _rows(self, context: Context) -> Iterator[str]:
        renderers = [_ColumnRenderer(self, bound_column, context) for bound_column in self.columns]
        count = 0
        for row in self.paginated_rows:
            count += 1
            if isinstance(row, BoundPinnedRow):
                cells = [renderer._generic_cell(row) for renderer in renderers]
            else:
                record = row.record
                cells = [renderer.cell(record, row) for renderer in renderers]
            yield f"{self._row_attrs(row)}{''.join(cells)}</tr>"
        if not count and self.empty_text:
            yield format_html('<tr><td colspan="{}">{}</td></tr>', len(self.columns), self.empty_text)

    def render_body(self, context: Context | None = None) -> SafeString:
        """The ``<tbody>`` rows of the current page as HTML, every cell escaped.

        ``context`` is the template context the table is rendered in (localization,
        autoescape and what template columns see); by default the one ``{% render_table %}``
        attaches to the table.
        """
        context = context or getattr(self, "context", None) or Context()
        return mark_safe("".join(self._rows(context)))

    @property
    def body_html(self) -> SafeString:
        """:meth:`render_body` for templates: ``{{ table.body_html }}``."""
        return self.render_body()


class CapabilityColumn(tables.ManyToManyColumn):  # type: ignore[misc]
    """Vocabulary terms joined with 、 (prefetched; never a query per row)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("separator", "、")
        kwargs.setdefault("orderable", False)
        super().__init__(**kwargs)


#: Integer fields that are not quantities: shown as they are (2026, not 2,026).
NOT_QUANTITIES = frozenset({"year"})


def is_quantity(field: Any) -> bool:
    """Whether a model field holds a quantity: a number, not a key, code, year or choice."""
    return (
        isinstance(field, models.IntegerField | models.DecimalField | models.FloatField)
        and not field.primary_key
        and not field.is_relation
        and not field.choices
        and field.name not in NOT_QUANTITIES
    )


@library.register
class NumberColumn(tables.Column):  # type: ignore[misc]
    """A quantity: right-aligned, with thousands separators (1,234,567), rendered in Python.

    Registered with django-tables2, so every table column made for a numeric model field
    (see :func:`is_quantity`) is one. The export keeps the number itself (``value``).
    """

    def __init__(self, **kwargs: Any) -> None:
        attrs = dict(kwargs.pop("attrs", None) or {})
        for part in ("th", "td", "tf"):
            cell = dict(attrs.get(part, {}))
            cell["class"] = " ".join(filter(None, [cell.get("class", ""), "text-end"]))
            attrs[part] = cell
        super().__init__(attrs=attrs, **kwargs)

    def render(self, value: Any) -> str:
        return thousands(value) if isinstance(value, int | float | Decimal) else str(value)

    def value(self, value: Any) -> Any:
        return value

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> NumberColumn | None:
        if is_quantity(field):
            return cls(**kwargs)
        return None


class QuantityColumn(NumberColumn):
    """A quantity with its unit in the header (人口（人）) and its Excel number format.

    ``label`` is the field's label (the model's verbose name, the same message) and
    ``unit`` its unit from :mod:`tongxin.core.units`; a field whose label already names its
    unit (金额（万元）) gives neither and keeps its header. ``number_format`` is how the
    export shows the number: :data:`~tongxin.core.units.COUNT` (thousands separators) by
    default, :data:`~tongxin.core.units.MONEY` (two decimals) for amounts. On the page it
    is a :class:`NumberColumn`.
    """

    def __init__(self, label: Any = None, *, unit: Any = None, number_format: str = units.COUNT, **kwargs: Any) -> None:
        if label is not None:
            # Capitalised like the headers the library takes from the model's fields.
            kwargs.setdefault("verbose_name", capfirst(units.with_unit(label, unit) if unit is not None else label))
        super().__init__(**kwargs)
        self.number_format = number_format
