"""Excel import: hostile-file checks, then every row through the model's import form.

The whole file is written in one transaction or not at all. A dry run does the same work
and rolls back. Rows are matched to existing records by their natural key (a division
code, a credit code), so importing the same file twice updates instead of duplicating.

A row whose key names a record the user may not change, and a new row placed outside the
user's scope, get one and the same error ("only inside your own area") and are never
written: an import never tells whether a key exists elsewhere. Every row of the sheet is
read whatever its declared dimension says, up to the row limit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from tongxin.core.exceptions import OutOfScopeError
from tongxin.core.fields import field_label
from tongxin.core.forms import ScopedModelForm
from tongxin.core.identifiers import normalize
from tongxin.core.scope import ADD, CHANGE, has_policy, policy_of, restrict
from tongxin.core.services import ensure_in_scope
from tongxin.core.validation import strip_control_characters


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


def read_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, Sequence[Any]]]]:
    """Header row and an iterator of (row number, values); enforces the row limit."""
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

    return headers, body()


def _cell_header(value: Any) -> str:
    return strip_control_characters(str(value), multiline=False).strip() if value is not None else ""


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
        headers, row_iter = read_rows(data)
        rows = list(row_iter)  # enforces the row limit before anything else
        field_names = list(self.form_class.base_fields)
        aliases = header_aliases(self.model, field_names)
        columns: dict[int, str] = {}
        for index, header in enumerate(headers):
            name = aliases.get(header.lower())
            if name is not None:
                columns[index] = name
        if self.key_field not in columns.values():
            label = field_label(self.model, self.key_field)
            result.errors.append(_("The sheet has no column “%(label)s”.") % {"label": label})
            return result
        letters = {name: f"{get_column_letter(i + 1)} ({headers[i]})" for i, name in columns.items()}
        parsed = [
            (number, {name: _cell_text(values[i]) if i < len(values) else "" for i, name in columns.items()})
            for number, values in rows
        ]
        existing, changeable = self._existing([str(row.get(self.key_field, "")) for _n, row in parsed])
        with transaction.atomic():
            for number, row in parsed:
                result.total += 1
                key = normalize(str(row.get(self.key_field, "")))
                self._import_row(number, row, existing.get(key), changeable, letters, result)
                if self.progress is not None and result.total % 25 == 0:
                    self.progress(result.total, len(parsed))
            if dry_run or result.errors:
                transaction.set_rollback(True)
        if result.errors:
            result.created = result.updated = 0
        return result

    def _existing(self, keys: list[str]) -> tuple[dict[str, Any], set[Any]]:
        """Existing records by natural key, and the pks of those the user may change."""
        wanted = sorted({normalize(k) for k in keys if k.strip()})
        manager = self.model._default_manager
        found: dict[str, Any] = {}
        changeable: set[Any] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for obj in manager.filter(**{f"{self.key_field}__in": chunk}):
                found[str(getattr(obj, self.key_field))] = obj
            changeable.update(
                restrict(manager.all(), self.user, CHANGE)
                .filter(**{f"{self.key_field}__in": chunk})
                .values_list("pk", flat=True)
            )
        return found, changeable

    def _import_row(
        self,
        number: int,
        row: dict[str, Any],
        existing: Any,
        changeable: set[Any],
        letters: dict[str, str],
        result: ImportResult,
    ) -> None:
        # A record the user may not change (in another township, another county…) is
        # judged exactly as if the row were new, so the answer never tells whether its key
        # exists elsewhere; whatever the row says, it is refused and never saved.
        foreign = existing is not None and existing.pk not in changeable
        instance = None if foreign else existing
        form_data = self._defaults(instance)
        form_data.update({name: self._coerce(name, value) for name, value in row.items()})
        form = self.form_class(data=form_data, instance=instance, user=self.user)
        if foreign:
            form.validate_unique = lambda: None  # type: ignore[method-assign]  # its key exists: that must not show
        if not form.is_valid():
            if self._placed_elsewhere(form, form_data):
                self._refuse(number, result)
                return
            for name, messages in form.errors.items():
                column = letters.get(name) or (field_label(self.model, name) if name != "__all__" else _("(whole row)"))
                for message in messages:
                    result.errors.append(
                        _("row %(row)d, column %(col)s: %(reason)s") % {"row": number, "col": column, "reason": message}
                    )
            return
        if foreign:
            self._refuse(number, result)
            return
        try:
            with transaction.atomic():
                saved = form.save()
                ensure_in_scope(instance=saved, user=self.user, action=CHANGE if existing else ADD)
        except OutOfScopeError:
            self._refuse(number, result)
            return
        if existing is None:
            result.created += 1
        else:
            result.updated += 1

    def _refuse(self, number: int, result: ImportResult) -> None:
        """The one answer for a row outside the user's scope, whatever the reason."""
        result.errors.append(
            _("row %(row)d, column %(col)s: %(reason)s")
            % {"row": number, "col": _("(whole row)"), "reason": OutOfScopeError.message}
        )

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
        values: dict[str, Any] = {}
        for name in self.form_class.base_fields:
            model_field = self.model._meta.get_field(name)
            if not model_field.many_to_many and model_field.has_default():  # type: ignore[union-attr]
                values[name] = model_field.get_default()  # type: ignore[union-attr]
        return values

    def _coerce(self, name: str, value: Any) -> Any:
        """Accept labels (Chinese or English) where the form expects codes."""
        form_field = self.form_class.base_fields[name]
        if isinstance(form_field, forms.ModelMultipleChoiceField):
            tokens = [t.strip() for t in str(value).replace("、", ",").replace("，", ",").split(",") if t.strip()]
            queryset: Any = form_field.queryset
            labels = self._label_map(name, [(obj.pk, obj) for obj in queryset])
            return [labels.get(token.lower(), token) for token in tokens]
        if isinstance(form_field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
            form_field, forms.ModelChoiceField
        ):
            choices: Any = form_field.choices
            labels = self._label_map(name, list(choices))
            return labels.get(str(value).strip().lower(), value)
        return value

    def _label_map(self, name: str, choices: list[tuple[Any, Any]]) -> dict[str, Any]:
        cached = self._labels.get(name)
        if cached is None:
            cached = {}
            for key, label in choices:
                cached[str(key).lower()] = key
                for language in ("zh-hans", "en"):
                    with translation.override(language):
                        cached[str(label).strip().lower()] = key
            self._labels[name] = cached
        return cached
