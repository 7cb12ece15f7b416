from typing import Any

from django import template

from tongxin.pairing.choices import FIT_POINTS
from tongxin.pairing.explain import explanation_text

register = template.Library()


@register.filter
def explain(data: Any) -> str:
    return explanation_text(data) if data else ""


@register.filter
def points(value: Any) -> str:
    """A fit score (or part) stored on 0–1, shown on the 0–100 scale: 0.734 → 73.4."""
    if value is None or value == "":
        return ""
    try:
        return f"{float(value) * FIT_POINTS:.1f}"
    except (TypeError, ValueError):
        return ""
