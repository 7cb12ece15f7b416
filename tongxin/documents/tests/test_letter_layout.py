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

from tongxin.documents import Letter, letters, render_pdf
from tongxin.documents.static_css import PARTY_NAME_WIDTH_PT
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


# ---------------------------------------------------------------------------- signatures


def lines_of(pdf: bytes) -> list[str]:
    """Every text line of the PDF as poppler lays it out (one line of the page a line), squashed."""
    plain = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [squash(line) for line in plain.decode().splitlines() if line.strip()]


def pages_of(pdf: bytes) -> list[str]:
    """The squashed text of each page, by pdftotext."""
    plain = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [squash(page) for page in plain.split("\f") if page.strip()]


def test_signature_names_fit_their_column() -> None:
    """A name that fits keeps the body size; a longer one is set smaller down to 五号; a
    name too long even then is left to wrap (None)."""
    assert letters._name_size("示范县青山农业科技有限公司", PARTY_NAME_WIDTH_PT) == 15.0
    assert letters._name_size("青石镇桃源村", PARTY_NAME_WIDTH_PT) == 16.0
    size = letters._name_size("示范县青山绿水农业科技发展有限公司", PARTY_NAME_WIDTH_PT)
    assert size is not None and 10.5 <= size < 16.0
    assert letters._name_size("X" * 90 + "有限公司", PARTY_NAME_WIDTH_PT) is None


@needs_poppler
@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"enterprise": "示范县青山绿水农业科技发展有限公司", "village": "桃源村股份经济合作社"},
        {
            "enterprise": "Qingshan Agri-Tech Co., Ltd.",
            "issuer": "中共示范县委示范县人民政府村企结对共建工作领导小组办公室",
        },
    ],
)
def test_names_never_break_inside_a_signature_block(overrides: dict[str, str]) -> None:
    """Each party's and the issuer's name is one whole line of the signature blocks, even
    when it is longer than the column at the body size."""
    letter: Letter = make_responsibility(**overrides)
    lines = lines_of(render_pdf(letter))
    tail = lines[lines.index(next(line for line in lines if line.startswith("甲方（盖章）"))) :]
    for signature in letter.signatures:
        name = squash(signature.name)
        assert any(name in line for line in tail), (name, tail)
    enterprise, village, issuer = (squash(s.name) for s in letter.signatures)
    assert any(enterprise in line and village in line for line in tail), "the parties' names stand side by side"
    assert issuer in tail


@needs_poppler
def test_no_page_holds_only_the_closing_line_and_signatures() -> None:
    """However many pairs a 聘书 lists (its body filling all or almost all of a page), the
    last page holds body text besides the closing formula and the signature."""
    closing, issuer, date = "特发此聘书。", "中共示范县委统战部", "2027年3月5日"
    overflowing = 0
    for count in range(1, 13):
        pairs = [(f"示范县第{i}农业有限公司", f"青石镇第{i}村") for i in range(1, count + 1)]
        pages = pages_of(render_pdf(make_appointment(pairs=pairs)))
        last = pages[-1]
        assert closing in last and last.index(closing) < last.rindex(issuer), count
        body = re.sub(r"—\d+—", "", last.split(closing)[0])
        assert body, f"{count} pairs: page {len(pages)} holds only the closing line and the signature"
        assert "聘期自" in body, count
        assert last.endswith(f"{issuer}{date}—{len(pages)}—"), count
        overflowing += len(pages) > 1
    assert overflowing, "no letter of the series ran onto a second page"
