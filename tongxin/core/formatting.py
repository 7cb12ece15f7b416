"""Small formatting helpers shared by pages, tables and the history: one place, typed."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import get_language


def is_chinese() -> bool:
    """Whether the active language is Chinese."""
    return (get_language() or "").lower().startswith("zh")


def list_separator() -> str:
    """The separator of a list of names in the active language (、 in Chinese, ", " in English)."""
    return "、" if is_chinese() else ", "


def join_list(items: Iterable[object]) -> str:
    """Names or labels joined for display as the active language lists them
    (分水镇、横村镇 / "Fenshui, Hengcun"). Every list shown to a person goes through here:
    history values, filter chips and the export's filter line, needs and advantages,
    liaison officers of a pair, the inbox's section labels."""
    return list_separator().join(str(item) for item in items)


def clause_separator() -> str:
    """The separator of clauses in a line (“乡镇=分水镇；状态=已批准”, "a = b; c = d")."""
    return "；" if is_chinese() else "; "


def thousands(value: int | float | Decimal) -> str:
    """A number with "," between groups of three digits (1,234,567.5), in every language.

    Django's Chinese formats have no thousands separator; Chinese statistics and official
    documents group by three with commas, as English does.
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"
