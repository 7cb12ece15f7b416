"""Shared filter pieces: one FilterSet per model builds on these.

Every parameter a filter set reads is validated before any query runs: ids of related
rows and numbers compared with integer columns must fit a database column (an id of
twenty digits is "not one of the available choices", not an ``OverflowError``), and the
search text has a length limit. An invalid parameter is a form error: the list page and
the export answer 400 and name it, the API answers 400 with the field's messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters.utils import get_model_field

from tongxin.core.choices import CapabilityKind
from tongxin.core.formatting import clause_separator, join_list
from tongxin.core.models import Capability
from tongxin.core.scope import VIEW, crosses_many, has_policy, restrict
from tongxin.core.validation import integer_range

SEARCH_MAX_LENGTH = 200
#: Models whose rows a filter chooses by number rather than from a drop-down of every row
#: in scope (a province has ~30,000 pairs, ~25,000 villages, ~30,000 enterprises).
BY_NUMBER = frozenset({"pairing.Pair", "regions.Village", "enterprises.Enterprise"})
#: A multiple choice with more options than this is offered as one searchable drop-down
#: instead of chips (a province's 1,387 townships are not a wall of pills).
CHIPS_MAX = 30


class Chips(forms.CheckboxSelectMultiple):
    """A multiple choice shown as chips, or as one drop-down when it has more than
    :data:`CHIPS_MAX` options: either way every submitted value counts, an empty one
    (the drop-down's "any") does not."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = super().value_from_datadict(data, files, name)
        return [value for value in values if value != ""] if isinstance(values, list) else values


class IntegerKeysMixin:
    """For a choice field of related rows: a submitted id outside the range of the key
    column is an invalid choice, answered before the database sees it."""

    queryset: Any
    to_field_name: str | None
    error_messages: dict[str, Any]

    def clean(self, value: Any) -> Any:
        key_field: Any = self.queryset.model._meta.pk
        if self.to_field_name:
            key_field = self.queryset.model._meta.get_field(self.to_field_name)
        bounds = integer_range(key_field)
        if bounds is not None:
            values = value if isinstance(value, list | tuple) else [value]
            for item in values:
                try:
                    number = int(str(item).strip())
                except (TypeError, ValueError):
                    continue  # not a number: the field's own check names it
                if not bounds[0] <= number <= bounds[1]:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super().clean(value)  # type: ignore[misc]


class BoundedModelChoiceField(IntegerKeysMixin, filter_fields.ModelChoiceField):  # type: ignore[misc]
    pass


class BoundedModelMultipleChoiceField(IntegerKeysMixin, filter_fields.ModelMultipleChoiceField):  # type: ignore[misc]
    pass


_BOUNDED = {
    filter_fields.ModelChoiceField: BoundedModelChoiceField,
    filter_fields.ModelMultipleChoiceField: BoundedModelMultipleChoiceField,
}


def _integer_bounds(model: type[models.Model], field_name: str) -> tuple[int, int] | None:
    try:
        model_field = get_model_field(model, field_name)
    except FieldDoesNotExist:
        return None
    if isinstance(model_field, models.IntegerField | models.AutoField) and not model_field.is_relation:
        return integer_range(model_field)
    return None


class ScopedFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    """A FilterSet whose choices of related objects are limited to the user's scope.

    ``q`` searches the fields named in ``Meta.search_fields``. Ids and integers are checked
    against the column range (see the module docstring).
    """

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=SEARCH_MAX_LENGTH)

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for filter_ in self.filters.values():
            queryset = getattr(filter_, "queryset", None)
            if queryset is None:
                queryset = filter_.extra.get("queryset")
            if callable(queryset) and not isinstance(queryset, QuerySet):
                queryset = queryset(request)
            if isinstance(queryset, QuerySet) and has_policy(queryset.model):
                # Anonymous or not, the choices are what this user may view (none for nobody).
                # Model choice filters rebuild ``extra["queryset"]`` from ``.queryset`` when
                # their field is made: set both.
                filter_.extra["queryset"] = restrict(queryset, user, VIEW)
                label_fields = getattr(queryset.model, "choice_label_fields", ())
                if label_fields:
                    # Only what an option shows: a province's 1,387 whole township rows
                    # (timestamps and all) cost a third of its list pages.
                    filter_.extra["queryset"] = filter_.extra["queryset"].only("pk", *label_fields)
                if hasattr(filter_, "queryset"):
                    filter_.queryset = filter_.extra["queryset"]
                if type(filter_) is django_filters.ModelChoiceFilter and queryset.model._meta.label in BY_NUMBER:
                    # A province holds tens of thousands of these: the filter takes the
                    # row's number (from a link or typed) instead of listing them all; the
                    # value is still checked against the same scoped rows.
                    filter_.extra["widget"] = forms.NumberInput(attrs={"min": 1, "placeholder": _("No.")})
                # A field built earlier (by a copy of the class's filters) keeps the old
                # queryset: drop it so the scoped one is used for choices and validation.
                filter_.__dict__.pop("_field", None)
            self._bound_filter(filter_)
            self._no_needless_distinct(filter_)
        for form_field in self.form.fields.values():
            widget = form_field.widget
            if isinstance(widget, forms.SelectMultiple):
                # No Ctrl-click: a multiple choice is a row of chips (checkboxes styled as
                # Tabler pills), each chosen or not with one click or the space bar.
                chips = Chips(attrs={"class": "form-selectgroup-input"})
                chips.choices = getattr(form_field, "choices", widget.choices)
                form_field.widget = widget = chips
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            if isinstance(form_field, forms.ModelChoiceField) and isinstance(widget, forms.Select):
                # static/js/filter-search.js adds a search box to a long list of choices.
                widget.attrs.setdefault("data-searchable", "")
                widget.attrs.setdefault("data-search-placeholder", _("Type to search"))

    def _no_needless_distinct(self, filter_: Any) -> None:
        """A multiple-choice filter on a column of the row itself, or of a row it points to,
        cannot repeat rows: no ``SELECT DISTINCT`` over every column of the page's query
        (which defeats the index that serves the list's order). Filters through a
        many-valued relation (a village's needs) keep it."""
        if not getattr(filter_, "distinct", False) or filter_.method is not None:
            return
        try:
            many = crosses_many(self._meta.model, filter_.field_name)
        except FieldDoesNotExist:
            return
        if not many:
            filter_.distinct = False

    def _bound_filter(self, filter_: Any) -> None:
        """Ids and integer comparisons within the database column's range."""
        bounded = _BOUNDED.get(filter_.field_class)
        if bounded is not None:
            filter_.field_class = bounded
            filter_.__dict__.pop("_field", None)
        elif issubclass(filter_.field_class, forms.DecimalField | forms.IntegerField):
            bounds = _integer_bounds(self._meta.model, filter_.field_name)
            if bounds is not None:
                filter_.extra.setdefault("min_value", bounds[0])
                filter_.extra.setdefault("max_value", bounds[1])
                filter_.__dict__.pop("_field", None)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        condition = Q()
        for field_name in getattr(self.Meta, "search_fields", ()):
            condition |= Q(**{f"{field_name}__icontains": value.strip()})
        return queryset.filter(condition)


def capability_filter(kind: str, label: Any) -> django_filters.ModelMultipleChoiceFilter:
    """Rows having ALL the chosen vocabulary terms."""
    return django_filters.ModelMultipleChoiceFilter(
        queryset=Capability.objects.filter(kind=kind), conjoined=True, label=label
    )


NEED = CapabilityKind.NEED
ADVANTAGE = CapabilityKind.ADVANTAGE


@dataclass(frozen=True, slots=True)
class ActiveFilter:
    """One filter in force on a list, as the summary above the table shows it."""

    label: str
    value: str
    remove_url: str  # the same list without this filter (or this one chosen value)


def _value_labels(field: forms.Field, cleaned: Any, values: list[str]) -> list[str]:
    """The words for each submitted value of one filter field."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        names = {str(obj.pk): str(obj) for obj in cleaned or ()}
        key = field.to_field_name
        if key:
            names = {str(getattr(obj, key)): str(obj) for obj in cleaned or ()}
        return [names.get(value, value) for value in values]
    if isinstance(field, forms.ModelChoiceField):
        return [str(cleaned) if cleaned is not None else values[0]]
    choices = getattr(field, "choices", None) or getattr(field.widget, "choices", None)
    if choices:
        labels: dict[str, str] = {}
        for key, label in choices:
            if isinstance(label, list | tuple):  # an option group
                labels.update({str(k): str(v) for k, v in label})
            else:
                labels[str(key)] = str(label)
        return [labels.get(value, value) for value in values]
    return values


def active_filters(filterset: ScopedFilterSet, params: QueryDict) -> list[ActiveFilter]:
    """The filters in force (label: value), each with a link that removes it.

    A multiple choice gives one entry per chosen value, each removable on its own. An invalid
    filter set gives none (the form shows its errors instead).
    """
    if not filterset.is_bound or not filterset.is_valid():
        return []
    form = filterset.form
    result: list[ActiveFilter] = []
    for name, field in form.fields.items():
        values = [value for value in params.getlist(name) if value.strip()]
        if not values:
            continue
        labels = _value_labels(field, form.cleaned_data.get(name), values)
        multiple = isinstance(field.widget, forms.SelectMultiple | forms.CheckboxSelectMultiple)
        entries = zip(values, labels, strict=False) if multiple else [(None, join_list(labels))]
        for value, label in entries:
            remaining = params.copy()
            remaining.pop("page", None)
            if value is None:
                remaining.pop(name, None)
            else:
                remaining.setlist(name, [item for item in params.getlist(name) if item != value])
            result.append(ActiveFilter(str(capfirst(field.label or name)), label, f"?{remaining.urlencode()}"))
    return result


def grouped_filters(active: list[ActiveFilter]) -> list[tuple[str, str]]:
    """(label, values) per filter: the chosen values of a multiple choice in one entry,
    joined as the language lists them (分水镇、横村镇)."""
    grouped: dict[str, list[str]] = {}
    for entry in active:
        grouped.setdefault(entry.label, []).append(entry.value)
    return [(label, join_list(values)) for label, values in grouped.items()]


def filters_text(active: list[tuple[str, str]]) -> str:
    """Filters in one line, for the top of an export or a printed list:
    “筛选：乡镇=分水镇；状态=已批准”, “Filters: Township = 分水镇; Status = approved”."""
    if not active:
        return str(_("Filters: none (every record you may see)"))
    parts = [str(_("%(label)s = %(value)s") % {"label": label, "value": value}) for label, value in active]
    return str(_("Filters: %(filters)s") % {"filters": clause_separator().join(parts)})


def filters_line(filterset: ScopedFilterSet, params: QueryDict) -> str:
    """:func:`filters_text` of the filters a filter set applies with ``params``."""
    return filters_text(grouped_filters(active_filters(filterset, params)))
