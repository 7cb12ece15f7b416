"""Template helpers of the ledger list page: the filter form's drop-downs rendered in Python.

A filter on a related model (a pair, a village, an enterprise) is a ``<select>`` with one
option per row in scope, and Django renders every option through two templates
(``select_option.html`` and ``attrs.html``): on the survey list that is more than 800
template renders for one form, more than the table itself. ``{{ filter.form|fast_selects }}``
gives the form a renderer that writes Django's stock ``<select>`` markup directly (same
attributes, same escaping, same whitespace) and leaves every other widget to the form's
own renderer. If a project ever overrides the stock select templates, the override wins:
the Python path is only taken for Django's own templates.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import django.forms
from django import template
from django.forms.renderers import BaseRenderer
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
ATTRS = "django/forms/widgets/attrs.html"
_DJANGO_WIDGETS = Path(django.forms.__file__).resolve().parent / "templates" / "django" / "forms" / "widgets"


@functools.cache
def _stock_templates(renderer: BaseRenderer) -> bool:
    """Whether ``renderer`` renders selects with Django's own, unmodified templates."""
    for name in (SELECT, OPTION, ATTRS):
        try:
            origin = getattr(renderer.get_template(name), "origin", None)
        except Exception:  # any renderer that cannot say: use it as it is
            return False
        if origin is None or Path(str(origin.name)).resolve() != _DJANGO_WIDGETS / Path(name).name:
            return False
    return True


def _text(value: Any, context: Context) -> str:
    """``{{ value }}`` in a widget template."""
    if type(value) is str:  # plain text: nothing to localize, escape it
        return escape(value)
    return render_value_in_context(value, context)


def _formatted(value: Any, context: Context) -> str:
    """``{{ value|stringformat:'s' }}`` in a widget template."""
    text = stringformat(value, "s")
    if isinstance(value, SafeData):  # the filter is is_safe=True
        text = mark_safe(text)
    return _text(text, context)


def _attrs(attrs: dict[str, Any], context: Context) -> str:
    """``{% include "django/forms/widgets/attrs.html" %}``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {_text(name, context)}" if value is True else f' {_text(name, context)}="{_formatted(value, context)}"'
        )
    return "".join(parts)


class FastSelectRenderer(BaseRenderer):
    """A form renderer that writes the stock ``<select>`` markup in Python and passes every
    other template to the renderer it wraps."""

    def __init__(self, base: BaseRenderer) -> None:
        self.base = base
        self.form_template_name = base.form_template_name
        self.formset_template_name = base.formset_template_name
        self.field_template_name = base.field_template_name
        self.bound_field_class = getattr(base, "bound_field_class", None)

    def get_template(self, template_name: str) -> Any:
        return self.base.get_template(template_name)

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if template_name == SELECT and isinstance(widget, dict) and _stock_templates(self.base):
            html = self._select(widget)
            if html is not None:
                return html
        return str(self.base.render(template_name, context, request))

    @staticmethod
    def _select(widget: dict[str, Any]) -> str | None:
        """``select.html`` (with its option includes), stripped as BaseRenderer.render does."""
        context = Context()
        parts = [f'<select name="{_text(widget["name"], context)}"{_attrs(widget["attrs"], context)}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name, context)}">')
            for option in group_choices:
                if option.get("template_name") != OPTION:
                    return None  # a custom option template: render the whole select with templates
                parts.append(
                    f'\n  <option value="{_formatted(option["value"], context)}"{_attrs(option["attrs"], context)}>'
                    f"{_text(option['label'], context)}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>\n")
        return "".join(parts).strip()


@register.filter
def fast_selects(form: Any) -> Any:
    """The form, its select widgets rendered by :class:`FastSelectRenderer` from now on."""
    renderer = getattr(form, "renderer", None)
    if renderer is not None and not isinstance(renderer, FastSelectRenderer):
        form.renderer = FastSelectRenderer(renderer)
    return form


def _options(bound_field: Any) -> list[tuple[str, str, bool]]:
    """A multiple choice's options as (value, label, chosen) text, read once per bound
    field (one query for a model choice) straight from the field's choices: Django's
    ``subwidgets`` builds an option dict per choice (a province's 1,387 townships: about
    60 ms of every list page)."""
    cached: list[tuple[str, str, bool]] | None = getattr(bound_field, "_tongxin_options", None)
    if cached is not None:
        return cached
    current = bound_field.value()
    if current is None:
        current = []
    elif not isinstance(current, list | tuple):
        current = [current]
    chosen = {str(getattr(value, "value", value)) for value in current}
    options = []
    for value, label in bound_field.field.choices:
        pairs = label if isinstance(label, list | tuple) else [(value, label)]  # an optgroup's choices
        for one, text in pairs:
            raw = getattr(one, "value", one)
            text_value = "" if raw is None else str(raw)
            options.append((text_value, str(text), text_value in chosen))
    bound_field._tongxin_options = options
    return options


@register.filter
def too_many_chips(bound_field: Any) -> bool:
    """Whether a multiple choice has more options than chips can show (then: one
    searchable drop-down). Reads the options the template renders anyway (kept on the
    bound field), so it costs no query."""
    from tongxin.core.filtersets import CHIPS_MAX

    return len(_options(bound_field)) > CHIPS_MAX


@register.filter
def is_chips(bound_field: Any) -> bool:
    """Whether a filter field is a row of chips (a multiple choice, see ScopedFilterSet)."""
    return isinstance(getattr(bound_field.field, "widget", None), django.forms.CheckboxSelectMultiple)


@register.filter
def chip_options(bound_field: Any, kind: str = "option") -> SafeData:
    """A multiple choice's options written in Python: ``<option>``s for the searchable
    drop-down (``kind`` "option"), or the chips' checkbox labels ("chip"). A province's
    1,387 townships through the template engine cost about half a second per list page."""
    name = escape(bound_field.html_name)
    parts = []
    for raw_value, raw_label, selected in _options(bound_field):
        value = escape(raw_value)
        label = escape(raw_label)
        if kind == "chip":
            parts.append(
                f'<label class="form-selectgroup-item"><input type="checkbox" class="form-selectgroup-input" '
                f'name="{name}" value="{value}"{" checked" if selected else ""}>'
                f'<span class="form-selectgroup-label">{label}</span></label>'
            )
        else:
            parts.append(f'<option value="{value}"{" selected" if selected else ""}>{label}</option>')
    return mark_safe("".join(parts))  # every value and label is escaped above
