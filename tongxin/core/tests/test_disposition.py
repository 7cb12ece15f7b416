"""Download names in Content-Disposition: UTF-8 for browsers, ASCII for the rest (RFC 6266)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from tongxin.core.disposition import ascii_file_name, content_disposition, safe_file_name


def test_chinese_name_with_ascii_fallback() -> None:
    """A document number becomes filename* (percent-encoded UTF-8) with an ASCII filename beside it."""
    header = content_disposition("桐庐县联发〔2027〕12号.pdf", inline=True)
    assert header.isascii()
    kind, plain, encoded = header.split("; ")
    assert kind == "inline" and plain == 'filename="2027-12.pdf"'
    assert encoded.startswith("filename*=UTF-8''")
    assert unquote(encoded.removeprefix("filename*=UTF-8''")) == "桐庐县联发〔2027〕12号.pdf"
    given = content_disposition("村台账_2026-11-29.xlsx", fallback="villages-2026-11-29.xlsx")
    assert given.startswith('attachment; filename="villages-2026-11-29.xlsx"; ')


@pytest.mark.parametrize(
    ("name", "safe", "plain"),
    [
        ('a/b\\c"d;e\r\nf.pdf', "abcdef.pdf", "abcdef.pdf"),
        ("../../etc/passwd", "etcpasswd", "etcpasswd"),
        ("Café Ünïon.xlsx", "Café Ünïon.xlsx", "Cafe-Union.xlsx"),
        ("  ", "download", "download"),
        ("统建.pdf", "统建.pdf", "download.pdf"),
    ],
)
def test_names_lose_path_and_header_characters(name: str, safe: str, plain: str) -> None:
    """No path separator, quote, semicolon or line break reaches the header or the saved name."""
    assert safe_file_name(name) == safe
    assert ascii_file_name(name) == plain
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header and header.count('"') == 2
