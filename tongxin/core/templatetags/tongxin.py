"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from tongxin.core.formatting import join_list
from tongxin.core.ledgers import Ledger

register = template.Library()


@register.simple_tag
def ledger_url(ledger: Ledger, view: str, pk: Any = None) -> str:
    return reverse(ledger.url_name(view), args=[pk] if pk is not None else [])


@register.filter
def plural_name(ledger: Ledger) -> str:
    return str(ledger.model._meta.verbose_name_plural)


@register.filter
def field_rows(obj: models.Model) -> list[tuple[str, Any]]:
    """(label, display value) for every visible field of ``obj``, for detail pages."""
    rows: list[tuple[str, Any]] = []
    for field in obj._meta.get_fields():
        if field.auto_created or not getattr(field, "verbose_name", None):
            continue
        if field.name in {"version", "created", "last_updated"}:
            continue
        if isinstance(field, models.JSONField | models.BinaryField):
            continue  # structured data is shown by the page that owns it
        if isinstance(field, models.ManyToManyField):
            value: Any = join_list(getattr(obj, field.name).all()) or "—"
        elif getattr(field, "choices", None):
            value = getattr(obj, f"get_{field.name}_display")()
        else:
            value = getattr(obj, field.name)
            if isinstance(value, bool):
                value = "✓" if value else "✗"
            elif value is None or value == "":
                value = "—"
        rows.append((capfirst(str(getattr(field, "verbose_name", field.name))), value))
    return rows


@register.simple_tag
def demo_banner() -> str:
    from django.conf import settings

    from tongxin.regions.models import County

    if County.objects.filter(is_demo=True).exists():
        return format_html('<div class="alert alert-warning py-1" role="note">{}</div>', settings.DEMO_BANNER)
    return ""


@register.filter
def capability_labels(codes: Any) -> str:
    """Vocabulary codes as their labels, joined as the language lists them (、 / ", ")."""
    from tongxin.core.choices import Advantage, Need

    labels = {**dict(Need.choices), **dict(Advantage.choices)}
    return join_list(labels.get(code, code) for code in codes or ())


@register.filter(name="join_list")
def join_list_filter(items: Any) -> str:
    """``items`` joined as the active language lists them (、 in Chinese, ", " in English)."""
    return join_list(items or ())


@register.filter
def css_string(value: Any) -> str:
    """``value`` as a quoted CSS string (for generated ``content:``): every character but
    letters, digits and spaces written as a CSS escape (six hex digits and the space that
    ends it), so no quote, backslash or ``</style>`` can leave the string."""
    text = str(value if value is not None else "")
    escaped = "".join(char if char.isalnum() or char == " " else f"\\{ord(char):06x} " for char in text)
    return mark_safe(f'"{escaped}"')  # every character that is not alphanumeric is escaped
