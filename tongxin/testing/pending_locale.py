"""Translations written but not yet merged into the catalogue, for tests.

New messages are delivered in ``locale/pending/*.po`` until they are merged into
``locale/zh_Hans`` and compiled. :func:`use_pending_translations` adds them to the
Simplified Chinese translation for one test, so that a test can check the Chinese a user
will read (人口（人）, 村台账_2026-11-29.xlsx). Once the files are merged and removed it
changes nothing: the catalogue holds the same messages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from asgiref.local import Local
from django.utils.translation import trans_real as _trans_real

PENDING = Path(__file__).resolve().parents[2] / "locale" / "pending"
trans_real: Any = _trans_real  # its module state is replaced and put back
CONTEXT_SEPARATOR = "\x04"  # how gettext keys a message with a context


def _unquote(line: str) -> str:
    text = line.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a PO string: {line!r}")
    return str(ast.literal_eval(text))


def parse_po(path: Path) -> dict[str, str]:
    """The translated messages of a PO file: ``msgid`` (``msgctxt\\x04msgid`` with a
    context) → ``msgstr``. Fuzzy and untranslated entries and the header are left out;
    plural entries are read as their first form (Chinese has one)."""
    messages: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = ""
        fuzzy = False
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += _unquote(line)
                continue
            keyword, _space, rest = line.partition(" ")
            current = "msgstr" if keyword == "msgstr[0]" else keyword
            fields[current] = _unquote(rest)
        msgid, msgstr = fields.get("msgid"), fields.get("msgstr")
        if not msgid or not msgstr or fuzzy:
            continue
        key = f"{fields['msgctxt']}{CONTEXT_SEPARATOR}{msgid}" if "msgctxt" in fields else msgid
        messages[key] = msgstr
    return messages


def pending_messages() -> dict[str, str]:
    """Every translated message of ``locale/pending/*.po`` (empty when there is none)."""
    messages: dict[str, str] = {}
    for path in sorted(PENDING.glob("*.po")) if PENDING.is_dir() else ():
        messages.update(parse_po(path))
    return messages


@contextmanager
def use_pending_translations(language: str = "zh-hans") -> Iterator[None]:
    """Within the block, ``language`` translates the pending messages too.

    The translation objects are built afresh for the block and the previous ones put
    back afterwards, so nothing of it outlives the block.
    """
    saved_translations = trans_real._translations
    saved_default = trans_real._default
    saved_active = trans_real._active
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()
    try:
        translation = trans_real.translation(language)
        catalog = translation._catalog
        for key, text in pending_messages().items():
            catalog[key] = text
        yield
    finally:
        trans_real._translations = saved_translations
        trans_real._default = saved_default
        trans_real._active = saved_active
