from typing import Any

from django import template

from tongxin.pairing.explain import explanation_text

register = template.Library()


@register.filter
def explain(data: Any) -> str:
    return explanation_text(data) if data else ""
