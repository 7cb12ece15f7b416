"""Excel import: hostile-file checks, then every row through the model's import form.

The whole file is written in one transaction or not at all. A dry run does the same work
and rolls back. Rows are matched to existing records by their natural key (a division
code, a credit code), so importing the same file twice updates instead of duplicating; a
key that appears twice in one file is an error on its second row.

A row whose key names a record the user may not change, and a new row placed outside the
user's scope, get one and the same error ("only inside your own area") and are never
written: an import never tells whether a key exists elsewhere. Every row of the sheet is
read whatever its declared dimension says, up to the row limit.

Scale (``make bench-excel`` imports 100,000 villages): the sheet is streamed and handled
in chunks of :data:`CHUNK` rows. Every row still goes through the import form — every field's
cleaning, the model's ``clean_fields()`` and ``clean()``, the unique checks — but what
Django would ask the database once per row is asked once per import or per chunk:

* **Choices** of the related fields (a township by code or name, the needs by code) are
  read once per import from the very querysets the form would query (scoped by
  :func:`~tongxin.core.links.link_queryset`), then looked up in memory
  (:class:`_CachedChoices`); the model's own existence check of such a foreign key is
  then already answered.
* **The form** is built once per kind of row (new, existing) the normal way; each row
  binds a shallow copy of it to its data (:class:`_RowForms`) instead of deep-copying and
  re-scoping every field.
* **Existing records and the unique check of the key**: one query per chunk reads the
  records the keys name (locked for the rest of the transaction), which the user may
  change and which they may move; a key that is neither there nor earlier in the file is
  unique without asking again.
* **Writes** are batched (:class:`_BulkWriter`): each row's own ``save()`` runs — derived
  fields such as a village's kind, the version bump — but stops before Django's write,
  and the rows, their many-to-many links and the change records the change log's signal
  handlers would have written (one per created or updated row, with the source and
  request id of the current change context) go to the database in bulk. Check and unique
  constraints are enforced by the database on these statements; a batch it refuses is
  redone row by row with Django's own ``validate_unique()``/``validate_constraints()``
  so the error names the row. The scope re-check after the write is one query per chunk.

Models and forms this does not fit (:func:`bulk_writable`: a form with its own
``_clean_fields``, ``_post_clean`` or ``validate_unique``, receivers of the model's save
signals other than the change log, many-to-many fields with their own through model) are
imported row by row with ``form.save()`` as before: slower, same answers.
"""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.forms.models import BaseModelForm, construct_instance, model_to_dict
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from tongxin.core.changelog import on_m2m, on_save, serialize
from tongxin.core.choices import ChangeAction
from tongxin.core.context import ChangeContext, current
from tongxin.core.exceptions import OutOfScopeError
from tongxin.core.fields import field_label
from tongxin.core.forms import NaturalKeyChoiceField, ScopedModelForm
from tongxin.core.identifiers import normalize
from tongxin.core.import_errors import WHOLE_ROW, Place, row_error
from tongxin.core.import_errors import reason as error_reason
from tongxin.core.models import ChangeLoggedModel, ObjectChange
from tongxin.core.scope import ADD, CHANGE, has_policy, policy_of, restrict
from tongxin.core.services import ensure_in_scope
from tongxin.core.statistics import refresh_statistics
from tongxin.core.validation import strip_control_characters

#: Rows read, checked and written together (also the size of every ``IN (…)`` list).
CHUNK = 500
#: Rows written by one import from which the table's planner statistics are refreshed.
STATISTICS_AFTER = 5_000
_LAST = 2**62  # sorts the "too many errors" line after every row's errors


class ImportRefused(Exception):
    """The file is refused before any row is read (not Excel, too large, a zip bomb…)."""


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "errors": self.errors,
        }


def _limit(name: str) -> int:
    return int(settings.TONGXIN[name])


def check_container(data: bytes) -> None:
    """Refuse files that are not a sane .xlsx before parsing them."""
    if len(data) > _limit("IMPORT_MAX_BYTES"):
        raise ImportRefused(
            _("The file is larger than %(mb)d MB.") % {"mb": _limit("IMPORT_MAX_BYTES") // (1024 * 1024)}
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRefused(_("This is not an Excel (.xlsx) file."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ImportRefused(_("This is not an Excel (.xlsx) file.")) from exc
    total = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if total > _limit("IMPORT_MAX_UNCOMPRESSED_BYTES") or total / packed > _limit("IMPORT_MAX_RATIO"):
        raise ImportRefused(_("The file expands to far more data than a spreadsheet of this size should."))


@dataclass
class Sheet:
    """The first sheet of a workbook: its header row and a stream of its data rows."""

    headers: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]
    #: Data rows the sheet declares (its dimension, less the header): for progress only.
    declared: int


def open_sheet(data: bytes) -> Sheet:
    """The header row and a stream of (row number, values); the row limit is enforced
    against the declared size first, then while streaming."""
    check_container(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRefused(_("This is not an Excel (.xlsx) file.")) from exc
    sheet = workbook.worksheets[0]
    max_rows = _limit("IMPORT_MAX_ROWS")
    too_many = _("The sheet has more than %(max)d rows.") % {"max": max_rows}
    declared = sheet.max_row or 0
    if declared > max_rows + 1:
        raise ImportRefused(too_many)
    # The declared dimension (<dimension ref="A1:B2">) may be smaller than the data, and
    # read-only mode would silently stop there: read every row that is really there, and
    # count them while streaming.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
    try:
        header = next(rows)
    except StopIteration as exc:
        raise ImportRefused(_("The sheet is empty.")) from exc
    headers = [_cell_header(value) for value in header]
    width = len(headers)

    def body() -> Iterator[tuple[int, Sequence[Any]]]:
        for number, values in enumerate(rows, start=2):
            if number > max_rows + 1:
                raise ImportRefused(too_many)
            cells = tuple(values or ())[:width]  # cells right of the header row have no column
            if all(value is None or str(value).strip() == "" for value in cells):
                continue
            yield number, cells

    return Sheet(headers, body(), max(0, declared - 1))


def read_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, Sequence[Any]]]]:
    """Header row and an iterator of (row number, values); enforces the row limit."""
    sheet = open_sheet(data)
    return sheet.headers, sheet.rows


def _cell_header(value: Any) -> str:
    return strip_control_characters(str(value), multiline=False).strip() if value is not None else ""


#: Fields of an import form that are never a column of a sheet.
INTERNAL_FIELDS = frozenset({"id", "pk", "version"})


def import_columns(form_class: Any) -> list[str]:
    """The fields a spreadsheet row fills, in the form's order: the import form's fields
    less the internal ones (the optimistic-lock ``version``, ids, hidden inputs)."""
    return [
        name
        for name, form_field in form_class.base_fields.items()
        if name not in INTERNAL_FIELDS and not isinstance(form_field.widget, forms.HiddenInput)
    ]


def header_aliases(model: type[models.Model], field_names: Sequence[str]) -> dict[str, str]:
    """Every accepted header (field name, Chinese and English label) → field name."""
    aliases: dict[str, str] = {}
    for name in field_names:
        aliases[name.lower()] = name
        for language in ("zh-hans", "en"):
            with translation.override(language):
                aliases[field_label(model, name).strip().lower()] = name
    return aliases


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and len(value) > 1 and value[1] in "=+-@":
            return value[1:]
    return value


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- choices read once per import ----------------------------------------------------


class _CachedChoices:
    """The rows of one choice field's queryset, read once, indexed by each lookup key.

    A lookup gives what ``queryset.filter(<key>=value).first()`` would: the value is
    prepared by the key's model field (``"12"`` → 12 for an id; a value it cannot take
    raises ``ValueError``/``TypeError``/``ValidationError`` as the query would), compared
    exactly, and the first row in the queryset's order wins. The rows are read with their
    foreign keys followed (``select_related()``), so a model's ``clean()`` reading the
    chosen row's parents (a village reads its township's county) asks nothing more.
    """

    def __init__(self, queryset: models.QuerySet[Any], keys: Iterable[str]) -> None:
        self.model: type[models.Model] = queryset.model
        opts = self.model._meta
        self.fields: dict[str, Any] = {key: opts.pk if key == "pk" else opts.get_field(key) for key in keys}
        self.index: dict[str, dict[Any, Any]] = {key: {} for key in self.fields}
        rows = queryset if queryset.ordered else queryset.order_by("pk")
        for obj in rows.select_related():
            for key, model_field in self.fields.items():
                self.index[key].setdefault(getattr(obj, model_field.attname), obj)

    @staticmethod
    def cacheable(queryset: Any, keys: Iterable[str]) -> bool:
        """Whether every key is a plain column of the queryset's model (no ``a__b`` paths)."""
        if not isinstance(queryset, models.QuerySet):
            return False
        opts = queryset.model._meta
        for key in keys:
            if key == "pk":
                continue
            try:
                model_field = opts.get_field(key)
            except Exception:  # FieldDoesNotExist, or a path through a relation
                return False
            if not getattr(model_field, "concrete", False) or getattr(model_field, "many_to_many", False):
                return False
        return True

    def find(self, key: str, value: Any) -> Any:
        """The first row whose ``key`` equals ``value``, or None."""
        prepared = self.fields[key].get_prep_value(value)
        return None if prepared is None else self.index[key].get(prepared)


class _CachedChoiceMixin:
    """A model choice field answered from :class:`_CachedChoices` instead of queries.

    ``to_python`` is :meth:`NaturalKeyChoiceField.to_python` (each of ``keys`` in turn,
    then the id) or :meth:`ModelChoiceField.to_python`; ``_check_values`` is
    :meth:`ModelMultipleChoiceField._check_values`, returning the chosen rows as a list.
    """

    cached_choices: _CachedChoices
    natural_keys: tuple[str, ...] = ()

    def to_python(self, value: Any) -> Any:
        field_: Any = self
        if value in field_.empty_values:
            return None
        if self.natural_keys:  # NaturalKeyChoiceField: by code, then by name, then the id
            text = str(value).strip()
            for key in self.natural_keys:
                try:
                    match = self.cached_choices.find(key, text)
                except (ValueError, TypeError, ValidationError):
                    match = None
                if match is not None:
                    return match
        field_.validate_no_null_characters(value)
        key = field_.to_field_name or "pk"
        try:
            if isinstance(value, self.cached_choices.model):
                value = getattr(value, key)
            match = self.cached_choices.find(key, value)
        except (ValueError, TypeError, ValidationError):
            match = None
        if match is None:
            raise ValidationError(
                field_.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return match

    def _check_values(self, value: Any) -> list[Any]:
        field_: Any = self
        key = field_.to_field_name or "pk"
        try:
            values = frozenset(value)
        except TypeError as exc:
            raise ValidationError(field_.error_messages["invalid_list"], code="invalid_list") from exc
        found: dict[Any, Any] = {}
        for item in values:
            field_.validate_no_null_characters(item)
            try:
                found[item] = self.cached_choices.find(key, item)
            except (ValueError, TypeError, ValidationError) as exc:
                raise ValidationError(
                    field_.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                ) from exc
        for item, match in found.items():
            if match is None or str(getattr(match, key)) != str(item):
                raise ValidationError(
                    field_.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return [match for match in found.values() if match is not None]


_CACHED_CLASSES: dict[type, type] = {}


def _inherited(cls: Any, base: Any, name: str) -> bool:
    """Whether ``cls`` uses ``base``'s own ``name`` (the import reproduces that one)."""
    return getattr(cls, name, None) is getattr(base, name, None)


def _cached_field(form_field: forms.Field) -> forms.Field | None:
    """A copy of ``form_field`` that looks its choices up in memory, or None when the field
    is not one whose lookups :class:`_CachedChoiceMixin` reproduces exactly."""
    kind: Any = type(form_field)
    queryset: Any = getattr(form_field, "queryset", None)
    natural: tuple[str, ...] = ()
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        if not _inherited(kind, forms.ModelMultipleChoiceField, "_check_values"):
            return None
    elif isinstance(form_field, forms.ModelChoiceField):
        if kind.to_python is NaturalKeyChoiceField.to_python:
            natural = tuple(getattr(form_field, "keys", ()))
        elif kind.to_python is not forms.ModelChoiceField.to_python:
            return None
    else:
        return None
    key = form_field.to_field_name or "pk"
    if not _CachedChoices.cacheable(queryset, (*natural, key)):
        return None
    cached_class = _CACHED_CLASSES.get(kind)
    if cached_class is None:
        cached_class = _CACHED_CLASSES[kind] = type(f"Cached{kind.__name__}", (_CachedChoiceMixin, kind), {})
    cached: Any = copy.copy(form_field)
    cached.__class__ = cached_class
    cached.cached_choices = _CachedChoices(queryset, dict.fromkeys((*natural, key, "pk")))
    cached.natural_keys = natural
    return cached  # type: ignore[no-any-return]


# --- forms built once, bound per row -------------------------------------------------


class _RowFormMixin:
    """What the import changes in the import form's model validation.

    Django's ``BaseModelForm._post_clean`` asks the database once per row for each foreign
    key (does the chosen row exist?), each check constraint and the unique key. Here the
    foreign keys answered by :class:`_CachedChoices` are not asked again, constraints are
    left to the database's batched write (:class:`_BulkWriter` re-checks a refused batch
    row by row with Django's own checks), and the key's uniqueness — known from the
    chunk's lookup and the keys already seen in the file — is only asked when the cleaned
    key differs from the one looked up.
    """

    import_key_field: str = ""
    import_key: str = ""  # the normalised key the import looked up for this row
    import_checks_unique: bool = True  # False for a row naming a record out of scope
    cached_relations: frozenset[str] = frozenset()
    only_key_unique: bool = False  # no unique check but the key's and the id's

    def _clean_fields(self) -> None:
        """Django's ``_clean_fields``, reading each value from its widget without building a
        BoundField per field and row (a field with its own ``_clean_bound_field`` still
        gets one)."""
        form: Any = self
        for name, form_field in form.fields.items():
            try:
                if not _inherited(type(form_field), forms.Field, "_clean_bound_field"):
                    value = form_field._clean_bound_field(form[name])
                elif form_field.disabled:
                    value = form_field.clean(form.get_initial_for_field(form_field, name))
                else:
                    value = form_field.clean(
                        form_field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
                    )
                form.cleaned_data[name] = value
                if hasattr(form, f"clean_{name}"):
                    form.cleaned_data[name] = getattr(form, f"clean_{name}")()
            except ValidationError as exc:
                form.add_error(name, exc)

    def _construct_instance(self) -> None:
        """Django's ``construct_instance`` for this form (file fields go the usual way)."""
        form: Any = self
        opts = form._meta
        instance = form.instance
        if any(isinstance(f, models.FileField) for f in instance._meta.fields):
            form.instance = construct_instance(form, instance, opts.fields, opts.exclude)
            return
        cleaned = form.cleaned_data
        for model_field in instance._meta.fields:
            name = model_field.name
            if not model_field.editable or isinstance(model_field, models.AutoField) or name not in cleaned:
                continue
            if (opts.fields is not None and name not in opts.fields) or (opts.exclude and name in opts.exclude):
                continue
            # Leave defaults for fields that are not in the data.
            widget = form.fields[name].widget
            if (
                model_field.has_default()
                and widget.value_omitted_from_data(form.data, form.files, form.add_prefix(name))
                and cleaned.get(name) in form.fields[name].empty_values
            ):
                continue
            model_field.save_form_data(instance, cleaned[name])

    def _post_clean(self) -> None:
        form: Any = self
        exclude = form._get_validation_exclusions() | self.cached_relations
        try:
            self._construct_instance()
        except ValidationError as exc:
            form._update_errors(exc)
        try:
            form.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            form._update_errors(exc)
        if form._validate_unique:
            form.validate_unique()

    def validate_unique(self) -> None:
        form: Any = self
        if not self.import_checks_unique:
            return  # its key exists elsewhere: that must not show
        key_field = form.instance._meta.get_field(self.import_key_field)
        key_known = bool(self.import_key) and str(getattr(form.instance, key_field.attname)) == self.import_key
        if key_known and self.only_key_unique:
            return  # nothing but the key (and the id) is unique, and the key is answered
        exclude = form._get_validation_exclusions()
        if key_known:
            exclude.add(self.import_key_field)
        try:
            form.instance.validate_unique(exclude=exclude)
        except ValidationError as exc:
            form._update_errors(exc)


class _RowForms:
    """Bound import forms for the rows of one import.

    The form is built once per kind of row — a new record; an existing record the user
    may move — exactly as for a single row (scoped choices, disabled fields), its choice
    fields are swapped for :func:`_cached_field` copies, and every row binds a shallow
    copy of it: the fields hold no per-row state. An existing record the user may change
    but not move gets a form built for it alone, as always (its placement is fixed).
    """

    def __init__(self, form_class: type[ScopedModelForm], key_field: str, user: Any) -> None:
        metaclass: Any = type(form_class)  # ModelFormMetaclass: the row form keeps the form's fields and Meta
        model = form_class._meta.model
        checks, date_checks = model()._get_unique_checks(exclude={key_field})
        only_key = not date_checks and all(fields == (model._meta.pk.name,) for _model, fields in checks)
        self.row_class: type[ScopedModelForm] = metaclass(
            f"{form_class.__name__}Row",
            (_RowFormMixin, form_class),
            {"import_key_field": key_field, "only_key_unique": only_key},
        )
        self.user = user
        self.model = form_class._meta.model
        self.templates: dict[str, Any] = {}
        self.m2m_names = [
            f.name for f in self.model._meta.many_to_many if f.name in form_class.base_fields and f.editable
        ]

    def _template(self, variant: str, instance: Any) -> Any:
        template: Any = self.templates.get(variant)
        if template is None:
            template = self.row_class(instance=instance, user=self.user)
            cached: set[str] = set()
            for name, form_field in list(template.fields.items()):
                if form_field.disabled:
                    continue
                replacement = _cached_field(form_field)
                if replacement is not None:
                    template.fields[name] = replacement
                    cached.add(name)
            concrete = {f.name for f in self.model._meta.concrete_fields}
            template.cached_relations = frozenset(cached & concrete)
            self.templates[variant] = template
        return template

    def bind(self, data: dict[str, Any], instance: Any, *, movable: bool, key: str, unique: bool) -> Any:
        if instance is not None and not movable:
            form: Any = self.row_class(data=data, instance=instance, user=self.user)
        else:
            template = self._template("new" if instance is None else "existing", instance)
            form = copy.copy(template)
            form.is_bound = True
            form.data = data
            form.files = MultiValueDict()
            form.instance = self.model() if instance is None else instance
            form.initial = {} if instance is None else model_to_dict(instance, form._meta.fields, form._meta.exclude)
            form._errors = None
            form._bound_fields_cache = {}
        form.import_key = key
        form.import_checks_unique = unique
        return form


# --- batched writes ------------------------------------------------------------------

#: Told about a row that is not written: its number and why (None: outside the user's scope).
_Refuse = Callable[[int, ValidationError | None], None]


@dataclass
class _Pending:
    """One checked row waiting for its batched write."""

    number: int
    instance: Any
    m2m: dict[str, list[Any]]
    before: dict[str, Any] | None  # the change log's "before" of an existing record; None: new


def _live_receivers(signal: Any, sender: Any) -> list[Any] | None:
    """The receivers ``signal`` would call for ``sender`` (None if that cannot be told)."""
    try:
        sync_receivers, async_receivers = signal._live_receivers(sender)
    except Exception:  # the dispatcher's internals changed: do not guess
        return None
    return [*sync_receivers, *async_receivers]


def bulk_writable(model: type[models.Model], form_class: Any) -> bool:
    """Whether rows of ``model`` can be written in bulk without losing anything ``save()``
    would do: the change log is the only receiver of its save and many-to-many signals,
    every many-to-many field of the form has Django's own through table, the database
    returns the ids of bulk inserts, and the form keeps Django's model validation."""
    if not issubclass(model, ChangeLoggedModel) or not connection.features.can_return_rows_from_bulk_insert:
        return False
    if not issubclass(form_class, BaseModelForm):
        return False
    for name in ("_clean_fields", "_post_clean", "validate_unique"):
        if not _inherited(form_class, BaseModelForm, name):
            return False
    if _live_receivers(pre_save, model) != [] or _live_receivers(post_save, model) != [on_save]:
        return False
    for m2m in model._meta.many_to_many:
        if m2m.name not in form_class.base_fields:
            continue
        through: Any = m2m.remote_field.through
        if not through._meta.auto_created or _live_receivers(m2m_changed, through) not in ([], [on_m2m]):
            return False
    return True


def _without_writing(instance: models.Model) -> None:
    """Run ``instance.save()`` — the model's own save logic: derived fields, the version
    bump of an update — up to Django's write (``save_base``), which is skipped: the row
    is written in bulk, and its change record with it."""

    def skip_write(*args: Any, **kwargs: Any) -> None:
        return None

    instance.save_base = skip_write  # type: ignore[method-assign]  # this instance, this call only
    try:
        instance.save()
    finally:
        del instance.save_base


class _BulkWriter:
    """Writes checked rows in bulk with the change records ``save()`` would have written."""

    def __init__(self, model: type[models.Model], m2m_names: Sequence[str], user: Any) -> None:
        self.model = model
        self.user = user
        self.m2m: list[Any] = [model._meta.get_field(name) for name in m2m_names]
        self.ctx = current() or ChangeContext(source="system")
        author = self.ctx.get_user()
        self.author = author
        self.author_name = author.get_username() if author is not None else ""
        self.content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        self.columns = [f for f in model._meta.concrete_fields if not f.primary_key]

    def write(self, rows: list[_Pending], refuse: _Refuse) -> list[_Pending]:
        """Write ``rows``; returns those written and in scope. ``refuse(row, error)`` is
        told about each row not written (``error`` None: outside the user's scope)."""
        ready = []
        for row in rows:
            try:
                _without_writing(row.instance)
            except ValidationError as exc:
                refuse(row.number, exc)
                continue
            ready.append(row)
        try:
            with transaction.atomic():
                self._write(ready)
        except DatabaseError:
            ready = self._one_by_one(ready, refuse)
        if not ready:
            return []
        outside = self._outside([r for r in ready if r.before is None], ADD) | self._outside(
            [r for r in ready if r.before is not None], CHANGE
        )
        for row in ready:
            if row.instance.pk in outside:
                refuse(row.number, None)
        return [row for row in ready if row.instance.pk not in outside]

    def _one_by_one(self, rows: list[_Pending], refuse: _Refuse) -> list[_Pending]:
        """A batch the database refused: Django's own checks row by row, then each row alone."""
        written = []
        for row in rows:
            instance = row.instance
            if row.before is None:  # the failed insert may have handed out ids
                instance.pk = None
                instance._state.adding = True
            try:
                instance.validate_unique()
                instance.validate_constraints()
            except ValidationError as exc:
                refuse(row.number, exc)
                continue
            try:
                with transaction.atomic():
                    self._write([row])
            except DatabaseError:
                if row.before is None:
                    instance.pk = None
                    instance._state.adding = True
                refuse(row.number, ValidationError(_("The database refused this row; check its values.")))
                continue
            written.append(row)
        return written

    def _write(self, rows: list[_Pending]) -> None:
        created = [row for row in rows if row.before is None]
        changed = [row for row in rows if row.before is not None]
        manager = self.model._base_manager
        if created:
            manager.bulk_create([row.instance for row in created])
        groups: dict[tuple[str, ...], list[Any]] = {}
        for row in changed:
            groups.setdefault(self._changed_columns(row.instance), []).append(row.instance)
        for names, instances in groups.items():
            manager.bulk_update(instances, list(names))
        self._write_links(created, changed)
        ObjectChange.objects.bulk_create([self._record(row) for row in rows])

    def _changed_columns(self, instance: Any) -> tuple[str, ...]:
        """The columns an update writes: those whose value differs from the row as loaded
        (``version`` and ``last_updated`` always). The row is locked since it was read."""
        loaded = instance._loaded_values or {}
        names = []
        for column in self.columns:
            value = column.pre_save(instance, False)  # auto_now fields take the time here, as in save()
            if column.attname not in loaded or loaded[column.attname] != value:
                names.append(column.name)
        return tuple(names)

    def _write_links(self, created: list[_Pending], changed: list[_Pending]) -> None:
        for m2m in self.m2m:
            through: Any = m2m.remote_field.through
            source, target = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
            replaced = [
                row for row in changed if sorted(str(o.pk) for o in row.m2m[m2m.name]) != (row.before or {})[m2m.name]
            ]
            if replaced:
                through._base_manager.filter(**{f"{source}__in": [row.instance.pk for row in replaced]}).delete()
            links = [
                through(**{source: row.instance.pk, target: obj.pk})
                for row in (*created, *replaced)
                for obj in row.m2m[m2m.name]
            ]
            if links:
                through._base_manager.bulk_create(links)

    def _record(self, row: _Pending) -> ObjectChange:
        """The record the change log's signal handlers leave for this row's save and links."""
        after = serialize(row.instance, with_m2m=False)
        after.update({name: sorted(str(obj.pk) for obj in objs) for name, objs in row.m2m.items()})
        for m2m in row.instance._meta.many_to_many:  # links the form does not touch stay as they were
            after.setdefault(m2m.name, (row.before or {}).get(m2m.name, []))
        return ObjectChange(
            user=self.author,
            user_name=self.author_name,
            request_id=self.ctx.request_id,
            source=self.ctx.source,
            action=ChangeAction.CREATE if row.before is None else ChangeAction.UPDATE,
            changed_object_type=self.content_type,
            changed_object_id=row.instance.pk,
            object_repr=str(row.instance)[:200],
            prechange_data=row.before,
            postchange_data=after,
        )

    def _outside(self, rows: list[_Pending], action: str) -> set[Any]:
        """The ids among ``rows`` the user may not ``action`` as they are now written."""
        wanted = {row.instance.pk for row in rows}
        if not wanted:
            return set()
        inside = restrict(self.model._default_manager.all(), self.user, action).filter(pk__in=wanted)
        return wanted - set(inside.values_list("pk", flat=True))


# --- the importer --------------------------------------------------------------------

# What people write in a yes-or-no column, besides the site's own words for yes and no.
_YES_NO_WORDS = {
    **dict.fromkeys(("true", "yes", "y", "1", "✓", "是", "有"), True),
    **dict.fromkeys(("false", "no", "n", "0", "✗", "否", "无"), False),
}


@functools.cache
def _yes_no_words() -> dict[str, bool]:
    """Yes and no in every language of the site (both at once: nothing depends on who asks)."""
    words = dict(_YES_NO_WORDS)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            words[str(_("yes")).lower()] = True
            words[str(_("no")).lower()] = False
    return words


def yes_or_no(value: Any) -> Any:
    """``True``/``False`` for yes or no in either language (是, 否, yes, no, true, 1, ✓…);
    any other value unchanged (the form judges it)."""
    if isinstance(value, bool) or value is None:
        return value
    return _yes_no_words().get(str(value).strip().lower(), value)


def _chosen(value: Any) -> list[Any]:
    """The rows a many-to-many field's cleaned value names (an empty choice is ``none()``)."""
    if value is None or (isinstance(value, models.QuerySet) and value.query.is_empty()):
        return []
    return list(value)


class _TooManyErrors(Exception):
    """Enough errors to act on: the rest of the file is not checked."""


@dataclass
class _Existing:
    """What one chunk's keys name: records by key, and which the user may change and move."""

    found: dict[str, Any]
    changeable: set[Any]
    movable: set[Any]
    before: dict[Any, dict[str, Any]]


@dataclass
class Importer:
    """Imports rows into ``model`` through ``form_class`` for ``user``.

    ``key_field`` is the natural key used to find an existing record. Many-to-many fields
    take a list separated by commas or 、 of codes or labels.
    """

    model: type[models.Model]
    form_class: type[ScopedModelForm]
    key_field: str
    user: Any
    progress: Callable[[int, int], None] | None = None
    _labels: dict[str, dict[str, Any]] = field(default_factory=dict)

    def run(self, data: bytes, *, dry_run: bool) -> ImportResult:
        result = ImportResult(dry_run=dry_run)
        sheet = open_sheet(data)
        headers = sheet.headers
        field_names = list(self.form_class.base_fields)
        aliases = header_aliases(self.model, field_names)
        columns: dict[int, str] = {}
        for index, header in enumerate(headers):
            name = aliases.get(header.lower())
            if name is not None:
                columns[index] = name
        if self.key_field not in columns.values():
            for _row in sheet.rows:  # a sheet over the row limit is refused whatever else is wrong
                pass
            label = field_label(self.model, self.key_field)
            result.errors.append(_("The sheet has no column “%(label)s”.") % {"label": label})
            return result
        self._places = {name: Place(get_column_letter(i + 1), headers[i]) for i, name in columns.items()}
        self._chunk_rows: dict[int, dict[str, Any]] = {}
        self._errors: list[tuple[int, str]] = []
        self._seen: dict[str, int] = {}
        bulk = bulk_writable(self.model, self.form_class)
        with transaction.atomic():
            if bulk:
                self._forms = _RowForms(self.form_class, self.key_field, self.user)
                self._writer = _BulkWriter(self.model, self._forms.m2m_names, self.user)
            try:
                for chunk in _chunks(sheet.rows, CHUNK):
                    parsed = [(number, self._row(values, columns)) for number, values in chunk]
                    result.total += len(parsed)
                    if bulk:
                        self._bulk_chunk(parsed, result)
                    else:
                        self._row_chunk(parsed, result)
                    if self.progress is not None:
                        self.progress(result.total, max(result.total, sheet.declared))
            except _TooManyErrors:
                pass
            if dry_run or self._errors:
                transaction.set_rollback(True)
        self._errors.sort(key=lambda error: error[0])
        result.errors = [text for _row, text in self._errors]
        if result.errors:
            result.created = result.updated = 0
        elif not dry_run and result.created + result.updated >= STATISTICS_AFTER:
            # A large sheet is a bulk load: the planner learns the table's new size now
            # rather than when autovacuum (or nothing, on SQLite) gets to it.
            refresh_statistics([self.model])
        return result

    @staticmethod
    def _row(values: Sequence[Any], columns: dict[int, str]) -> dict[str, Any]:
        return {name: _cell_text(values[i]) if i < len(values) else "" for i, name in columns.items()}

    # -- errors --

    def _error(self, number: int, place: Place, reason: Any) -> None:
        limit = _limit("IMPORT_MAX_ERRORS")
        if len(self._errors) >= limit:
            # Nothing will be written anyway: the list is long enough to act on.
            text = _("More than %(max)d errors: the rest of the file was not checked.") % {"max": limit}
            self._errors.append((_LAST, text))
            raise _TooManyErrors
        self._errors.append((number, row_error(number, place, reason)))

    def _place(self, name: str) -> Place:
        if name == NON_FIELD_ERRORS:
            return WHOLE_ROW
        return self._places.get(name) or Place(header=field_label(self.model, name))

    def _field_errors(self, number: int, errors: dict[str, list[ValidationError]]) -> None:
        """Each error of each field, with the value of its cell repeated."""
        row = self._chunk_rows.get(number, {})
        for name, field_errors in errors.items():
            place = self._place(name)
            form_field = self.form_class.base_fields.get(name)
            for error in field_errors:
                self._error(number, place, error_reason(form_field, error, row.get(name)))

    def _refuse(self, number: int, error: ValidationError | None = None) -> None:
        """``error`` None: the one answer for a row outside the user's scope, whatever the reason."""
        if error is None:
            self._error(number, WHOLE_ROW, OutOfScopeError.message)
        elif hasattr(error, "error_dict"):
            self._field_errors(number, error.error_dict)
        else:
            for message in error.messages:
                self._error(number, WHOLE_ROW, message)

    # -- rows --

    def _keys(self, rows: list[tuple[int, dict[str, Any]]]) -> list[str]:
        """The normalised key of each row; a key already seen in the file is an error."""
        keys = []
        for number, row in rows:
            key = normalize(str(row.get(self.key_field, "")))
            keys.append(key)
            if not key:
                continue
            first = self._seen.setdefault(key, number)
            if first != number:
                self._error(
                    number,
                    self._place(self.key_field),
                    _("%(value)s already appears in row %(row)d.") % {"value": key, "row": first},
                )
        return keys

    def _existing(self, keys: Iterable[str], *, lock: bool = False) -> _Existing:
        """Existing records by natural key (locked when ``lock``), the pks of those the
        user may change and of those they may move, and their change-log snapshots."""
        wanted = sorted({k for k in keys if k})
        manager = self.model._default_manager
        found: dict[str, Any] = {}
        changeable: set[Any] = set()
        movable: set[Any] = set()
        before: dict[Any, dict[str, Any]] = {}
        m2m = [f.name for f in self.model._meta.many_to_many if f.name in self.form_class.base_fields]
        placement = has_policy(self.model) and any(
            name in self.form_class.base_fields for name in policy_of(self.model)[0].placement
        )
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            records = manager.filter(**{f"{self.key_field}__in": chunk}).prefetch_related(*m2m)
            if lock:
                records = records.select_for_update()
            pks = []
            for obj in records:
                found[str(getattr(obj, self.key_field))] = obj
                pks.append(obj.pk)
                if lock:
                    before[obj.pk] = serialize(obj)
            if not pks:
                continue  # all new: nothing to check the scope of (a sheet of new rows skips two queries)
            # By primary key: a scope's joins filtered by the natural key made the planner
            # walk the county's rows for every chunk.
            scoped = restrict(manager.all(), self.user, CHANGE).filter(pk__in=pks)
            changeable.update(scoped.values_list("pk", flat=True))
            if placement:
                levels = policy_of(self.model)[0].moved_by
                movers = restrict(manager.all(), self.user, CHANGE, levels=levels) if levels else manager.none()
                movable.update(movers.filter(pk__in=pks).values_list("pk", flat=True))
        return _Existing(found, changeable, movable if placement else changeable, before)

    def _form_data(self, row: dict[str, Any], instance: Any) -> dict[str, Any]:
        data = self._defaults(instance)
        data.update({name: self._coerce(name, value) for name, value in row.items()})
        return data

    def _bulk_chunk(self, rows: list[tuple[int, dict[str, Any]]], result: ImportResult) -> None:
        """Check one chunk row by row, then write its good rows in bulk."""
        self._chunk_rows = dict(rows)
        errors_before = len(self._errors)
        keys = self._keys(rows)
        duplicates = {number for number, _text in self._errors[errors_before:]}
        existing = self._existing(keys, lock=True)
        pending: list[_Pending] = []
        with self._read_ahead(keys):
            self._check_chunk(rows, keys, duplicates, existing, pending)
        written = self._writer.write(pending, self._refuse)
        result.created += sum(1 for row in written if row.before is None)
        result.updated += sum(1 for row in written if row.before is not None)

    def _read_ahead(self, keys: list[str]) -> AbstractContextManager[Any]:
        """The model's ``import_read_ahead(keys)`` — reference data its ``clean()`` would
        ask for row by row, read once for the chunk — or nothing."""
        hook = getattr(self.model, "import_read_ahead", None)
        return hook(keys) if hook is not None else nullcontext()

    def _check_chunk(
        self,
        rows: list[tuple[int, dict[str, Any]]],
        keys: list[str],
        duplicates: set[int],
        existing: _Existing,
        pending: list[_Pending],
    ) -> None:
        """Each row of a chunk through its form; the good ones go to ``pending``."""
        for (number, row), key in zip(rows, keys, strict=True):
            if number in duplicates:
                continue
            found = existing.found.get(key) if key else None
            foreign = found is not None and found.pk not in existing.changeable
            instance = None if foreign else found
            form_data = self._form_data(row, instance)
            movable = instance is None or instance.pk in existing.movable
            form = self._forms.bind(form_data, instance, movable=movable, key=key, unique=not foreign)
            if not form.is_valid():
                self._invalid(number, form, form_data)
                continue
            if foreign:
                self._refuse(number)
                continue
            m2m = {name: _chosen(form.cleaned_data.get(name)) for name in self._forms.m2m_names}
            before = existing.before.get(instance.pk) if instance is not None else None
            pending.append(_Pending(number, form.instance, m2m, before))

    def _invalid(self, number: int, form: Any, form_data: dict[str, Any]) -> None:
        if self._placed_elsewhere(form, form_data):
            self._refuse(number)
            return
        self._field_errors(number, form.errors.as_data())

    def _row_chunk(self, rows: list[tuple[int, dict[str, Any]]], result: ImportResult) -> None:
        """Rows the bulk path does not fit: each through its form and ``form.save()``."""
        self._chunk_rows = dict(rows)
        errors_before = len(self._errors)
        keys = self._keys(rows)
        duplicates = {number for number, _text in self._errors[errors_before:]}
        existing = self._existing(keys)
        with self._read_ahead(keys):
            for (number, row), key in zip(rows, keys, strict=True):
                if number in duplicates:
                    continue
                self._import_row(number, row, existing.found.get(key) if key else None, existing.changeable, result)

    def _import_row(
        self, number: int, row: dict[str, Any], existing: Any, changeable: set[Any], result: ImportResult
    ) -> None:
        # A record the user may not change (in another township, another county…) is
        # judged exactly as if the row were new, so the answer never tells whether its key
        # exists elsewhere; whatever the row says, it is refused and never saved.
        foreign = existing is not None and existing.pk not in changeable
        instance = None if foreign else existing
        form_data = self._form_data(row, instance)
        form = self.form_class(data=form_data, instance=instance, user=self.user)
        if foreign:
            form.validate_unique = lambda: None  # type: ignore[method-assign]  # its key exists: that must not show
        if not form.is_valid():
            self._invalid(number, form, form_data)
            return
        if foreign:
            self._refuse(number)
            return
        try:
            with transaction.atomic():
                saved = form.save()
                ensure_in_scope(instance=saved, user=self.user, action=CHANGE if existing else ADD)
        except OutOfScopeError:
            self._refuse(number)
            return
        if existing is None:
            result.created += 1
        else:
            result.updated += 1

    def _placed_elsewhere(self, form: ScopedModelForm, data: dict[str, Any]) -> bool:
        """Whether a field that places the row in the tree was refused although its value
        names an existing place: that place is outside the user's scope."""
        if not has_policy(self.model):
            return False
        for name in policy_of(self.model)[0].placement:
            form_field = form.fields.get(name)
            value = data.get(name)
            if name not in form.errors or not isinstance(form_field, forms.ModelChoiceField):
                continue
            if value in (None, "") or not str(value).strip():
                continue
            places = form_field.queryset.model._default_manager.all()  # type: ignore[union-attr]
            for key in (*getattr(form_field, "keys", ()), form_field.to_field_name or "pk"):
                try:
                    if places.filter(**{key: str(value).strip()}).exists():
                        return True
                except (ValueError, TypeError, ValidationError):
                    continue
        return False

    def _defaults(self, existing: Any) -> dict[str, Any]:
        """Values for the form's fields that the sheet leaves out: the record's current
        value when updating, the model default when creating."""
        if existing is not None:
            return model_to_dict(existing, fields=list(self.form_class.base_fields))
        defaults: list[Any] | None = self.__dict__.get("_default_fields")
        if defaults is None:
            fields: list[Any] = [self.model._meta.get_field(name) for name in self.form_class.base_fields]
            defaults = self._default_fields = [f for f in fields if not f.many_to_many and f.has_default()]
        return {model_field.name: model_field.get_default() for model_field in defaults}

    def _coerce(self, name: str, value: Any) -> Any:
        """Accept labels (Chinese or English) where the form expects codes, and yes / no
        (是 / 否) where it expects a yes-or-no value."""
        form_field = self.form_class.base_fields[name]
        if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
            return yes_or_no(value)
        if isinstance(form_field, forms.ModelMultipleChoiceField):
            tokens = [t.strip() for t in str(value).replace("、", ",").replace("，", ",").split(",") if t.strip()]
            queryset: Any = form_field.queryset
            labels = self._label_map(name, lambda: [(obj.pk, obj) for obj in queryset])
            return [labels.get(token.lower(), token) for token in tokens]
        if isinstance(form_field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
            form_field, forms.ModelChoiceField
        ):
            choices: Any = form_field.choices
            labels = self._label_map(name, lambda: list(choices))
            return labels.get(str(value).strip().lower(), value)
        return value

    def _label_map(self, name: str, choices: Callable[[], list[tuple[Any, Any]]]) -> dict[str, Any]:
        cached = self._labels.get(name)
        if cached is None:
            cached = {}
            for key, label in choices():
                cached[str(key).lower()] = key
                for language in ("zh-hans", "en"):
                    with translation.override(language):
                        cached[str(label).strip().lower()] = key
            self._labels[name] = cached
        return cached
