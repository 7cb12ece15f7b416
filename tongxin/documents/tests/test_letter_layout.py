"""Tests of how the letters are set: the 仿宋 body face, signature blocks, page breaks.

They read the rendered PDFs back with pypdf (the font of each text run) and with poppler's
``pdffonts`` and ``pdftotext`` (installed by ``.ci/run``; skipped locally without them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from typing import Any

import pytest

from tongxin.documents import Letter, render_pdf
from tongxin.documents.tests.test_letters import make_appointment, make_responsibility, read, squash

#: The 仿宋 (FangSong) faces the body may be set in: the free FandolFang we ship, or a
#: licensed 仿宋_GB2312 / FangSong put first in the stack.
FANGSONG = re.compile(r"Fandol-?Fang|Fang-?Song|仿宋", re.I)
#: Noto Serif CJK SC Regular: the 宋体 of the page numbers, and the face the body falls
#: back to when no FangSong face is installed.
SONG_REGULAR = re.compile(r"Noto-?Serif-?CJK-?SC$", re.I)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdffonts, pdftotext) is not installed",
)


def text_by_font(pdf: bytes) -> dict[str, str]:
    """All text of the PDF, grouped by the font it is set in (subset tag dropped), squashed."""
    by_font: dict[str, list[str]] = defaultdict(list)

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip() and font is not None:
            name = str(font["/BaseFont"]).lstrip("/")
            by_font[name.split("+", 1)[-1]].append(text)

    for page in read(pdf).pages:
        page.extract_text(visitor_text=visit)
    return {name: squash("".join(parts)) for name, parts in by_font.items()}


def fangsong_text(pdf: bytes) -> str:
    return "".join(text for name, text in text_by_font(pdf).items() if FANGSONG.search(name))


@pytest.fixture(scope="module")
def appointment_pdf() -> bytes:
    return render_pdf(make_appointment())


@pytest.fixture(scope="module")
def responsibility_pdf() -> bytes:
    return render_pdf(make_responsibility())


# ---------------------------------------------------------------------------- 仿宋 body


def test_body_is_set_in_fangsong(appointment_pdf: bytes, responsibility_pdf: bytes) -> None:
    """The body of both letters is set in a FangSong face (FandolFang): it fails when the
    body falls back to 宋体 (Noto Serif CJK SC), which then sets nothing but page numbers."""
    body = {
        appointment_pdf: ["兹聘请张三同志为村企结对共建联络员", "聘期自2027年3月5日至2029年3月4日。", "特发此聘书。"],
        responsibility_pdf: ["为深入推进“百企兴百村”行动", "本责任书一式三份", "示范村企责〔2027〕12号"],
    }
    for pdf, sentences in body.items():
        fonts = text_by_font(pdf)
        assert any(FANGSONG.search(name) for name in fonts), (
            f"no FangSong face in {sorted(fonts)}: run scripts/install-letter-fonts.sh"
        )
        fang = fangsong_text(pdf)
        for sentence in sentences:
            assert sentence in fang, sentence
        song = "".join(text for name, text in fonts.items() if SONG_REGULAR.search(name))
        assert re.sub(r"—\d+—", "", song) == "", f"body text set in 宋体: {song[:80]}"


@needs_poppler
def test_pdffonts_lists_an_embedded_fangsong_face(appointment_pdf: bytes, responsibility_pdf: bytes) -> None:
    """poppler's pdffonts lists a FangSong face, embedded (as a subset) with a ToUnicode map."""
    for pdf in (appointment_pdf, responsibility_pdf):
        listing = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
        fang = [row for row in rows if FANGSONG.search(row[0])]
        assert fang, listing
        for row in fang:
            emb, sub, uni = row[-5:-2]
            assert (emb, sub, uni) == ("yes", "yes", "yes"), row
