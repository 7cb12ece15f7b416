"""The change log in people's words.

A change record stores raw values (``township_id: 12``, ``["capital", "marketing"]``,
``"2026-11-29"``). :func:`describe_changes` turns them into what a person reads: the
field's label, choice labels, related rows by their name, lists joined with the
language's separator, dates and times formatted by the locale in local time, and one
sentence per field ("changed X from A to B", "set X to B", "cleared X").

Related rows are read in one query per related model for all the records described
together, never one per record or per value.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tongxin.core.formatting import is_chinese, join_list, thousands
from tongxin.core.models import ObjectChange

# Bookkeeping columns nobody edits: never shown as a change.
HIDDEN_FIELDS = frozenset({"id", "last_updated", "created", "version"})

Kind = Literal["changed", "set", "cleared"]


def _pair_separator() -> str:
    return "；" if is_chinese() else "; "


def person_name(user: Any, fallback: str = "") -> str:
    """A person as people call them: the full name, else the login name."""
    if user is None:
        return fallback
    return " ".join(str(getattr(user, "full_name", "") or "").split()) or str(user.get_username())


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one change record, in words."""

    label: str
    kind: Kind
    before: str
    after: str

    @property
    def sentence(self) -> str:
        if self.kind == "cleared":
            return _("Cleared %(field)s") % {"field": self.label}
        if self.kind == "set":
            return _("Set %(field)s to %(after)s") % {"field": self.label, "after": self.after}
        return _("Changed %(field)s from %(before)s to %(after)s") % {
            "field": self.label,
            "before": self.before,
            "after": self.after,
        }

    def __str__(self) -> str:
        return self.sentence


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _fields_by_key(model: type[models.Model] | None) -> dict[str, models.Field[Any, Any]]:
    """The model's concrete fields by their stored key (attname) and its many-to-many by name."""
    if model is None:
        return {}
    fields: dict[str, models.Field[Any, Any]] = {}
    for field in model._meta.concrete_fields:
        fields[field.attname] = field
    for m2m in model._meta.many_to_many:
        fields[m2m.name] = m2m
    return fields


def _label(field: models.Field[Any, Any] | None, key: str) -> str:
    if field is None:
        return capfirst(key.replace("_", " ")) or key
    return str(capfirst(field.verbose_name))


def _related_model(field: models.Field[Any, Any]) -> type[models.Model] | None:
    if field.is_relation and (field.many_to_one or field.one_to_one or field.many_to_many):
        related = field.related_model
        if isinstance(related, type) and issubclass(related, models.Model):
            return related
    return None


class _Names:
    """The names of related rows, read in one query per related model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        self.names: dict[type[models.Model], dict[str, str]] = {}

    def want(self, model: type[models.Model], keys: Iterable[Any]) -> None:
        self.wanted[model].update(str(key) for key in keys if key is not None and key != "")

    def load(self) -> None:
        for model, keys in self.wanted.items():
            pk = model._meta.pk
            assert pk is not None
            try:
                values = [pk.to_python(key) for key in keys]
            except Exception:  # a key that no longer fits the column: shown as it was stored
                values = list(keys)
            rows = model._base_manager.filter(pk__in=values)
            self.names[model] = {str(row.pk): str(row) for row in rows}

    def name(self, model: type[models.Model], key: Any) -> str:
        found = self.names.get(model, {}).get(str(key))
        return found if found is not None else _("deleted record %(id)s") % {"id": key}


def _number(value: Any) -> str:
    return thousands(value)


def _text(field: models.Field[Any, Any] | None, value: Any, names: _Names) -> str:
    """One stored value in words (not blank)."""
    if field is None:
        return _plain(value)
    related = _related_model(field)
    if related is not None:
        keys = value if isinstance(value, list) else [value]
        return join_list(names.name(related, key) for key in keys)
    if field.choices:
        labels = {str(key): str(label) for key, label in field.flatchoices}
        if isinstance(value, list):
            return join_list(labels.get(str(item), str(item)) for item in value)
        return labels.get(str(value), str(value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value) if isinstance(value, str) else value
        if isinstance(moment, dt.datetime):
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return str(formats.date_format(moment, "DATETIME_FORMAT"))
    elif isinstance(field, models.DateField):
        day = parse_date(value) if isinstance(value, str) else value
        if isinstance(day, dt.date):
            return str(formats.date_format(day, "DATE_FORMAT"))
    if isinstance(field, models.DecimalField | models.FloatField) and not isinstance(value, bool):
        try:
            return _number(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if isinstance(field, models.IntegerField) and isinstance(value, int):
        return _number(value)
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal):
        return _number(value)
    if isinstance(value, list):
        return join_list(_plain(item) for item in value)
    if isinstance(value, dict):
        return _pair_separator().join(f"{key}: {_plain(item)}" for key, item in value.items())
    return str(value)


def figure_text(value: Any) -> str:
    """A free-standing value (a survey figure) in words: grouped numbers, yes/no, lists."""
    if _is_blank(value):
        return "—"
    return _plain(value)


def _pairs(change: ObjectChange) -> list[tuple[str, Any, Any]]:
    return [(key, before, after) for key, before, after in change.diff() if key not in HIDDEN_FIELDS]


def describe_changes(changes: Sequence[ObjectChange]) -> list[list[FieldChange]]:
    """Every record's changed fields in words, in the records' order.

    Names of related rows are read once for all the records: one query per related model.
    """
    plans: list[tuple[dict[str, models.Field[Any, Any]], list[tuple[str, Any, Any]]]] = []
    names = _Names()
    for change in changes:
        model = ContentType.objects.get_for_id(change.changed_object_type_id).model_class()
        fields = _fields_by_key(model)
        pairs = _pairs(change)
        for key, before, after in pairs:
            field = fields.get(key)
            related = _related_model(field) if field is not None else None
            if related is not None:
                for value in (before, after):
                    names.want(related, value if isinstance(value, list) else [value])
        plans.append((fields, pairs))
    names.load()
    described: list[list[FieldChange]] = []
    for fields, pairs in plans:
        rows: list[FieldChange] = []
        for key, before, after in pairs:
            field = fields.get(key)
            label = _label(field, key)
            old = "" if _is_blank(before) else _text(field, before, names)
            new = "" if _is_blank(after) else _text(field, after, names)
            if not new:
                if not old:
                    continue
                rows.append(FieldChange(label, "cleared", old, ""))
            elif not old:
                rows.append(FieldChange(label, "set", "", new))
            elif old != new:
                rows.append(FieldChange(label, "changed", old, new))
        described.append(rows)
    return described


def describe_change(change: ObjectChange) -> list[FieldChange]:
    """One record's changed fields in words (see :func:`describe_changes`)."""
    return describe_changes([change])[0]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One row of a history page."""

    change: ObjectChange
    person: str
    fields: list[FieldChange]


def history_entries(changes: Iterable[ObjectChange]) -> list[HistoryEntry]:
    """The rows of a history page (``changes`` with ``user`` read along)."""
    records = list(changes)
    described = describe_changes(records)
    return [
        HistoryEntry(change, person_name(change.user, change.user_name), fields)
        for change, fields in zip(records, described, strict=True)
    ]
