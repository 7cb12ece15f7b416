"""Masking of the personal identifiers kept on cadre files (pure functions).

ID numbers are shown as ``330122********051X`` (the birth date hidden) and mobiles as
``138****8000`` on every path — page, API, export, change log — unless the viewer holds
the ``unmask`` right and asks for the full value, which is logged.
"""

from __future__ import annotations

from tongxin.core.identifiers import mask_resident_id

__all__ = ["keep_if_masked", "mask_mobile", "mask_resident_id"]


def mask_mobile(value: str) -> str:
    """``138****8000``: the middle four digits hidden; never raises."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


MASKS = {"resident_id": mask_resident_id, "mobile": mask_mobile}


def masked(name: str, value: str | None) -> str:
    """The display form of identifier field ``name`` ("" for no value)."""
    if not value:
        return ""
    return MASKS[name](value)


def keep_if_masked(name: str, submitted: str | None, current: str | None) -> str | None:
    """What to store when ``submitted`` comes back from a form or API client that only saw
    the masked value: the masked form of the current value means "unchanged"."""
    if current and submitted == masked(name, current):
        return current
    return submitted
