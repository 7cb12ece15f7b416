"""Template helpers of the public pages (the portal's and the selections')."""

from __future__ import annotations

from django import template

from tongxin.portal.choices import Column

register = template.Library()


@register.simple_tag
def portal_columns() -> list[tuple[str, str]]:
    """The portal's columns (value, label) for the public navigation, on every public page."""
    return [(value, str(label)) for value, label in Column.choices]
