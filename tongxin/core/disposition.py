"""Download file names that browsers keep, in any script (RFC 6266, RFC 8187).

``Content-Disposition: inline; filename="letter-2027-12.pdf";
filename*=UTF-8''%E6%A1%90%E5%BA%90...`` — a browser that reads ``filename*`` saves the
file under its Chinese name; an old client falls back to the ASCII ``filename``.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from urllib.parse import quote

from tongxin.core.validation import strip_control_characters

# Path separators, characters that Windows refuses in a file name, and the header's own
# delimiters: none may reach the header or the saved file's name.
_REFUSED = re.compile(r'[\\/:*?"<>|;]')
_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 150


def safe_file_name(name: str, default: str = "download") -> str:
    """``name`` without control characters, path separators or header delimiters."""
    text = _REFUSED.sub("", strip_control_characters(str(name), multiline=False)).strip(" .")
    return text[:MAX_NAME] or default


def ascii_file_name(name: str, default: str = "download") -> str:
    """An ASCII stand-in for ``name`` (letters, digits, dot, dash, underscore), keeping
    its extension: ``桐庐县联发〔2027〕12号.pdf`` gives ``2027-12.pdf``."""
    stem, extension = posixpath.splitext(safe_file_name(name, default))
    # Accents go (é is e plus a combining mark); any other non-ASCII character separates.
    folded = "".join(c for c in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(c))
    words = _NOT_ASCII_WORD.sub("-", folded).strip("-._")
    extension = _NOT_ASCII_WORD.sub("", extension)
    return (words or default) + (extension if extension != "." else "")


def content_disposition(name: str, *, inline: bool = False, fallback: str = "") -> str:
    """The Content-Disposition value for a download called ``name``.

    ``fallback`` is the ASCII name for clients that ignore ``filename*`` (made from
    ``name`` when not given). ``inline`` shows the file in the browser (a PDF) instead of
    saving it at once; the name is used when it is saved.
    """
    full = safe_file_name(name)
    plain = ascii_file_name(fallback or full)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(full, safe='')}"
