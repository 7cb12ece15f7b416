"""The base model form: scoped choices, the optimistic-lock version, Tabler widgets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxin.core.scope import VIEW, restrict


class ScopedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm whose related-object choices are limited to the user's scope.

    It carries the ``version`` the user loaded, so saving over somebody else's newer change
    raises :class:`~tongxin.core.exceptions.StaleObjectError` instead of overwriting it.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = getattr(self.instance, "version", None)
        for form_field in self.fields.values():
            queryset = getattr(form_field, "queryset", None)
            if queryset is not None and hasattr(queryset.model, "scope") and user is not None:
                form_field.queryset = restrict(queryset, user, VIEW)  # type: ignore[attr-defined]
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
