"""File names of downloads, in the user's language, that every browser keeps.

Every response that sends a file sets its ``Content-Disposition`` with
:func:`content_disposition`: the RFC 6266 form with both parameters, a plain ASCII
``filename="…"`` for old clients and ``filename*=UTF-8''…`` (RFC 5987, percent-encoded) for
the real name — ``村台账_2026-11-29.xlsx`` stays ``村台账_2026-11-29.xlsx`` in the browser's
downloads. Names are cleared of path, header and control characters first.

The names of ledger exports, dashboard tables and import templates are built here too, so
that they read the same everywhere: the translated title, an underscore, the local date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from urllib.parse import quote

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tongxin.core.validation import strip_control_characters

# Characters no file name keeps: path separators, those Windows refuses, header delimiters.
_REFUSED = re.compile(r'[\\/:*?"<>|;]')
# The quoted ASCII fallback keeps letters, digits and a few harmless marks only.
_FALLBACK_REFUSED = re.compile(r"[^A-Za-z0-9 ._()\-\[\]+,=@&'!#$~]")
NAME_MAX = 100  # characters of the name before its suffix
DEFAULT_STEM = "download"


def clean_name(name: str) -> str:
    """``name`` as a file name: no control, path or header characters, no leading or
    trailing dots and spaces, at most :data:`NAME_MAX` characters before the suffix."""
    text = _REFUSED.sub("", strip_control_characters(str(name), multiline=False))
    stem, dot, suffix = text.rpartition(".")
    if not dot or not suffix.isalnum() or len(suffix) > 5:
        stem, suffix = text, ""
    stem = stem.strip(" .")[:NAME_MAX].strip(" .")
    return f"{stem or DEFAULT_STEM}.{suffix}" if suffix else stem or DEFAULT_STEM


def ascii_name(name: str) -> str:
    """A plain ASCII version of ``name`` for the ``filename`` parameter: accents dropped,
    other characters left out; :data:`DEFAULT_STEM` when nothing is left of the stem."""
    text = unicodedata.normalize("NFKD", clean_name(name)).encode("ascii", "ignore").decode("ascii")
    text = _FALLBACK_REFUSED.sub("", text)
    text = re.sub(r"\s+", " ", text)
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    stem = stem.strip(" ._-")
    if not any(char.isalnum() for char in stem):
        stem = DEFAULT_STEM
    return f"{stem}.{suffix}" if suffix else stem


def content_disposition(name: str, *, fallback: str | None = None, inline: bool = False) -> str:
    """The ``Content-Disposition`` value for sending a file called ``name`` (any script).

    ``fallback`` is the name old clients see (made ASCII); by default ``name`` made ASCII.
    """
    real = clean_name(name)
    plain = ascii_name(fallback if fallback is not None else real)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(real, safe='')}"


def dated_name(title: str, *, suffix: str = ".xlsx", day: date | None = None) -> str:
    """``<title>_<YYYY-MM-DD><suffix>`` with today's local date (or ``day``)."""
    day = day or timezone.localdate()
    return f"{title}_{day.isoformat()}{suffix}"


def ledger_title(plural_name: object) -> str:
    """The title of a ledger's export in the active language: 村台账, Villages ledger."""
    return capfirst(_("%(name)s ledger") % {"name": plural_name})


def template_name(plural_name: object) -> str:
    """The file name of an import template: 村导入模板.xlsx, Villages import template.xlsx."""
    return capfirst(_("%(name)s import template") % {"name": plural_name}) + ".xlsx"


def english(build: Callable[[], object]) -> str:
    """``build()`` in English: a name for the ASCII fallback of a download."""
    with translation.override("en"):
        return str(build())
