"""The base model form: scoped choices, the optimistic-lock version, Tabler widgets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxin.core.links import link_queryset


class ScopedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm whose related-object choices are limited to the user's scope.

    Choices follow :func:`~tongxin.core.links.link_queryset`: a field that places the row
    in the tree is shown read-only to anyone who may not move the row. It carries the
    ``version`` the user loaded — required when changing an object — so saving over
    somebody else's newer change raises :class:`~tongxin.core.exceptions.StaleObjectError`
    instead of overwriting it.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)
    # Import forms say False: a spreadsheet row carries no version; the import reads and
    # writes each row inside one transaction instead.
    require_version = True

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is not None:
            self.fields["version"].required = self.require_version
            if not self.is_bound:
                self.initial["version"] = getattr(self.instance, "version", None)
        model = self._meta.model
        for name, form_field in self.fields.items():
            queryset = getattr(form_field, "queryset", None)
            if queryset is not None:
                queryset, editable = link_queryset(user, model, name, queryset, self.instance)
                form_field.queryset = queryset  # type: ignore[attr-defined]
                if not editable:
                    # Shown, kept, never changed: the one current value is the only choice.
                    current = getattr(self.instance, f"{name}_id", None)
                    form_field.disabled = True
                    form_field.queryset = queryset.model._default_manager.filter(pk=current)  # type: ignore[attr-defined]
            widget = form_field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def save(self, commit: bool = True) -> Any:
        version = self.cleaned_data.get("version")
        if version and self.instance.pk is not None:
            self.instance.version = version
        return super().save(commit=commit)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Dry run: check every row, write nothing"), required=False, initial=True)


class NaturalKeyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Choose a related object by its code or its name (for spreadsheets), or its id."""

    def __init__(self, *args: Any, keys: tuple[str, ...] = ("code", "name"), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = keys

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        queryset: Any = self.queryset
        for key in self.keys:
            match = queryset.filter(**{key: text}).first()
            if match is not None:
                return match
        return super().to_python(value)
