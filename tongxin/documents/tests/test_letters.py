"""Tests of the letter renderer: formats, escaping, and the PDFs WeasyPrint makes of them.

The PDFs are rendered once per module (a few tenths of a second each) and read back with
pypdf; one cross-check uses poppler's ``pdftotext`` when it is installed.
"""

from __future__ import annotations

import datetime
import html.parser
import io
import itertools
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pypdf
import pytest

from tongxin.documents import letters
from tongxin.documents.letters import (
    TARGET_COLLECTIVE_INCOME,
    TARGET_FARMER_INCOME,
    TARGET_INVESTMENT,
    TARGET_JOBS,
    TARGET_PROJECTS,
    Letter,
    LetterKind,
    RefusedURLError,
    ReportFrequency,
    appointment_letter,
    chinese_date,
    document_number,
    format_wan_yuan,
    letter_html,
    render_pdf,
    responsibility_letter,
)

DATE = datetime.date(2027, 3, 5)
ISSUER = "示范县村企结对共建工作领导小组办公室"
ENTERPRISE = "示范县青山农业科技有限公司"
VILLAGE = "桃源村"
TOWNSHIP = "青石镇"
A4 = (595.28, 841.89)
# The type area: 28 mm from the left edge, 26 mm from the right (in points).
TYPE_LEFT, TYPE_RIGHT = 28 / 25.4 * 72, A4[0] - 26 / 25.4 * 72
DOC_NUMBER_RE = re.compile(r"^\S+〔\d{4}〕[1-9]\d*号$")
DATE_RE = re.compile(r"^\d{4}年[1-9]\d?月[1-9]\d?日$")


def make_responsibility(**overrides: Any) -> Letter:
    arguments: dict[str, Any] = {
        "issuer": ISSUER,
        "prefix": "示范村企责",
        "year": 2027,
        "number": 12,
        "campaign": "“百企兴百村”行动",
        "enterprise": ENTERPRISE,
        "village": VILLAGE,
        "township": TOWNSHIP,
        "period_start": DATE,
        "period_end": datetime.date(2030, 3, 4),
        "targets": {
            TARGET_INVESTMENT: Decimal("50"),
            TARGET_PROJECTS: 2,
            TARGET_JOBS: 15,
            TARGET_FARMER_INCOME: 12.5,
            TARGET_COLLECTIVE_INCOME: 5,
        },
        "mode": "产业带动＋就业帮扶",
        "liaisons": ["张三", "李四"],
        "report_frequency": "quarterly",
        "date": DATE,
    }
    arguments.update(overrides)
    return responsibility_letter(**arguments)


def make_appointment(**overrides: Any) -> Letter:
    arguments: dict[str, Any] = {
        "issuer": "中共示范县委统战部",
        "prefix": "示范统聘",
        "year": 2027,
        "number": 3,
        "person": "张三",
        "pairs": [(ENTERPRISE, TOWNSHIP + VILLAGE), ("示范县绿源食品有限公司", "青石镇杏花村")],
        "term_start": DATE,
        "term_end": datetime.date(2029, 3, 4),
        "date": DATE,
    }
    arguments.update(overrides)
    return appointment_letter(**arguments)


def squash(text: str) -> str:
    """Text without any whitespace (line breaks, spaces, U+3000), for searching in PDF text."""
    return re.sub(r"\s+", "", text)


def read(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf), strict=True)


def page_texts(pdf: bytes) -> list[str]:
    return [squash(page.extract_text()) for page in read(pdf).pages]


def text_runs(page: pypdf.PageObject) -> list[tuple[float, float, str]]:
    """(x, y, text) of every non-blank text run, in PDF points from the bottom left."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return runs


def many_targets(count: int) -> dict[str, Any]:
    return {f"第{i}项工作目标": f"完成第{i}项约定任务" for i in range(1, count + 1)}


@pytest.fixture(scope="module")
def responsibility() -> Letter:
    return make_responsibility()


@pytest.fixture(scope="module")
def appointment() -> Letter:
    return make_appointment()


@pytest.fixture(scope="module")
def responsibility_pdf(responsibility: Letter) -> bytes:
    return render_pdf(responsibility)


@pytest.fixture(scope="module")
def appointment_pdf(appointment: Letter) -> bytes:
    return render_pdf(appointment)


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return render_pdf(make_responsibility(targets=many_targets(40)))


# ---------------------------------------------------------------------------- formats


def test_document_number_format() -> None:
    """发文字号: full year in 〔〕 (U+3014/U+3015), number without leading zeros or 第."""
    assert document_number("示范统发", 2027, 12) == "示范统发\u3014" + "2027\u301512号"
    assert document_number("示范统发", 2027, 12) == "示范统发〔2027〕12号"
    assert document_number("示范统聘", 2027, 3) == "示范统聘〔2027〕3号"
    assert document_number(" 示范统发 ", 2031, 100) == "示范统发〔2031〕100号"
    for prefix, year, number in [("示范统发", 2027, 1), ("浙组", 2018, 7), ("示范村企责", 2027, 120)]:
        assert DOC_NUMBER_RE.match(document_number(prefix, year, number))
    assert "第" not in document_number("示范统发", 2027, 5)
    assert "[" not in document_number("示范统发", 2027, 5) and "【" not in document_number("示范统发", 2027, 5)


@pytest.mark.parametrize(
    ("prefix", "year", "number"),
    [
        ("", 2027, 1),
        ("  ", 2027, 1),
        ("示范 统发", 2027, 1),
        ("示范〔统〕", 2027, 1),
        ("示范统发", 27, 1),
        ("示范统发", 2027, 0),
        ("示范统发", 2027, -3),
        ("示范统发", 2027, True),
        ("示范统发", 2027.0, 1),
    ],
)
def test_document_number_rejects_bad_parts(prefix: str, year: Any, number: Any) -> None:
    """A blank or bracketed prefix, a two-digit year and a zero/negative/bool number are refused."""
    with pytest.raises(ValueError):
        document_number(prefix, year, number)


def test_chinese_date_format() -> None:
    """成文日期: Arabic numerals, full year, month and day without a leading zero."""
    assert chinese_date(datetime.date(2027, 3, 5)) == "2027年3月5日"
    assert chinese_date(datetime.date(2027, 10, 1)) == "2027年10月1日"
    assert chinese_date(datetime.date(2028, 12, 31)) == "2028年12月31日"
    for day in (datetime.date(2027, 1, 1) + datetime.timedelta(days=n) for n in range(0, 365, 17)):
        text = chinese_date(day)
        assert DATE_RE.match(text), text
        assert "年0" not in text and "月0" not in text


def test_money_in_wan_yuan() -> None:
    """Amounts given in 万元 print as 50万元 / 12.5万元 (no float noise), 亿元 for round large sums."""
    assert format_wan_yuan(50) == "50万元"
    assert format_wan_yuan(Decimal("12.50")) == "12.5万元"
    assert format_wan_yuan(0.1 + 0.2) == "0.3万元"
    assert format_wan_yuan(Decimal("0.00005")) == "0.0001万元"
    assert format_wan_yuan(12000) == "1.2亿元"
    assert format_wan_yuan(10000) == "1亿元"
    assert format_wan_yuan(12345) == "12345万元"
    assert format_wan_yuan(0) == "0万元"
    with pytest.raises(ValueError):
        format_wan_yuan(-1)
    with pytest.raises(ValueError):
        format_wan_yuan(float("nan"))
    with pytest.raises(TypeError):
        format_wan_yuan(True)


# ---------------------------------------------------------------------------- content


def test_responsibility_letter_content(responsibility: Letter) -> None:
    """The 责任书 carries the parties, campaign, period, targets with units, mode, liaisons and signatures."""
    text = responsibility.text()
    assert responsibility.kind is LetterKind.RESPONSIBILITY
    assert responsibility.doc_number == "示范村企责〔2027〕12号"
    assert responsibility.parties == (("甲方", ENTERPRISE), ("乙方", "青石镇桃源村"), ("监督单位", ISSUER))
    for expected in [
        "“百企兴百村”行动",
        "共建期限3年，自2027年3月5日至2030年3月4日。",
        "合作方式为产业带动＋就业帮扶。",
        "1.甲方在乙方投入资金不少于50万元；",
        "2.实施合作项目不少于2个；",
        "3.吸纳本村村民就业不少于15人；",
        "4.带动本村农民增收12.5万元以上；",
        "5.带动村集体经营性收入年均增加5万元以上。",
        "确定张三、李四同志为本结对联络员",
        "一、共建目标",
        "五、其他",
    ]:
        assert expected in text, expected
    assert [(s.role, s.name, s.date) for s in responsibility.signatures] == [
        ("甲方", ENTERPRISE, DATE),
        ("乙方", "青石镇桃源村", DATE),
        (None, ISSUER, DATE),
    ]


def test_responsibility_letter_edge_cases() -> None:
    """No targets, no liaisons, a village already named with its township, None/zero targets, free labels."""
    letter = make_responsibility(
        targets={
            TARGET_JOBS: None,
            TARGET_PROJECTS: 0,
            TARGET_INVESTMENT: Decimal("0.00"),
            "技能培训": "不少于100人次。",
        },
        liaisons=[],
        village="青石镇桃源村",
        mode=" ",
        period_end=datetime.date(2028, 6, 30),
    )
    text = letter.text()
    assert ("乙方", "青石镇桃源村") in letter.parties
    assert "1.技能培训：不少于100人次。" in text and "就业不少于" not in text
    assert "合作项目不少于" not in text and "投入资金" not in text and "0个" not in text
    assert "本结对联络员由" in text and "合作方式" not in text
    assert "共建期限自2027年3月5日至2028年6月30日。" in text
    assert "具体目标由甲乙双方另行商定" in make_responsibility(targets={}).text()
    assert "具体目标由甲乙双方另行商定" in make_responsibility(targets=dict.fromkeys([TARGET_JOBS, "培训"], 0)).text()


@pytest.mark.parametrize(
    ("frequency", "wording"),
    [("monthly", "联络员每月向"), (ReportFrequency.QUARTERLY, "联络员每季度向"), ("quarterly", "联络员每季度向")],
)
def test_responsibility_letter_states_the_campaigns_report_frequency(frequency: str, wording: str) -> None:
    """The reporting interval in 四、联络员与考核 is the one given (the campaign's), not a fixed one."""
    text = make_responsibility(report_frequency=frequency).text()
    assert wording + ISSUER + "报告共建进展。" in text
    other = "每季度" if "每月" in wording else "每月"
    assert f"联络员{other}" not in text


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"report_frequency": "weekly"}, ValueError),
        ({"report_frequency": ""}, ValueError),
        ({"enterprise": " \n "}, ValueError),
        ({"village": ""}, ValueError),
        ({"period_end": datetime.date(2026, 1, 1)}, ValueError),
        ({"liaisons": "张三"}, TypeError),
        ({"targets": {TARGET_JOBS: 1.5}}, TypeError),
        ({"targets": {TARGET_PROJECTS: -1}}, ValueError),
        ({"targets": {TARGET_INVESTMENT: "50"}}, TypeError),
        ({"number": 0}, ValueError),
    ],
)
def test_responsibility_letter_rejects_bad_input(overrides: dict[str, Any], error: type[Exception]) -> None:
    """Blank names, a reversed period, a string for a name list and mistyped targets are refused."""
    with pytest.raises(error):
        make_responsibility(**overrides)


def test_appointment_letter_content(appointment: Letter) -> None:
    """The 聘书 names the person, every pair, the term, the closing formula and the issuer's signature."""
    text = appointment.text()
    assert appointment.kind is LetterKind.APPOINTMENT
    assert appointment.doc_number == "示范统聘〔2027〕3号"
    assert squash(appointment.title) == "聘书"
    assert "兹聘请张三同志为村企结对共建联络员" in text
    assert f"1.{ENTERPRISE}与青石镇桃源村；" in text and "2.示范县绿源食品有限公司与青石镇杏花村。" in text
    assert "聘期自2027年3月5日至2029年3月4日。" in text and "特发此聘书。" in text
    assert [(s.role, s.name, s.date) for s in appointment.signatures] == [(None, "中共示范县委统战部", DATE)]
    single = make_appointment(pairs=[(ENTERPRISE, VILLAGE)]).text()
    assert f"负责联系{ENTERPRISE}与{VILLAGE}结对共建工作。" in single


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"pairs": []}, ValueError),
        ({"pairs": "ab"}, TypeError),
        ({"pairs": [(ENTERPRISE, " ")]}, ValueError),
        ({"person": ""}, ValueError),
        ({"term_end": datetime.date(2027, 3, 4)}, ValueError),
    ],
)
def test_appointment_letter_rejects_bad_input(overrides: dict[str, Any], error: type[Exception]) -> None:
    """No pairs, a blank village or person, and a term that ends before it starts are refused."""
    with pytest.raises(error):
        make_appointment(**overrides)


# ---------------------------------------------------------------------------- HTML

HOSTILE_ENTERPRISE = '<script>alert("x")</script> & Co. "Ltd" \'s'
HOSTILE_VILLAGE = '<img src="http://127.0.0.1:9/x.png" onerror=alert(1)>村'
HOSTILE_ISSUER = '</style><link rel="stylesheet" href="file:///etc/passwd">办公室'


class TagCollector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def hostile_letters() -> list[Letter]:
    return [
        make_responsibility(
            issuer=HOSTILE_ISSUER,
            enterprise=HOSTILE_ENTERPRISE,
            village=HOSTILE_VILLAGE,
            township="<b>镇</b>",
            campaign="<i>行动</i>",
            mode="a & b < c",
            liaisons=["<u>张三</u>"],
            targets={"<em>目标</em>": "<s>x</s>"},
        ),
        make_appointment(issuer=HOSTILE_ISSUER, person="<b>张三</b>", pairs=[(HOSTILE_ENTERPRISE, HOSTILE_VILLAGE)]),
    ]


@pytest.mark.parametrize("letter", hostile_letters(), ids=["responsibility", "appointment"])
def test_html_escapes_hostile_names(letter: Letter) -> None:
    """User text with < > & " ' never becomes markup: only the template's own tags and attributes appear."""
    page = letter_html(letter)
    collector = TagCollector()
    collector.feed(page)
    assert collector.tags <= {"html", "head", "meta", "title", "style", "body", "div", "p", "span", "h1", "h2"} | {
        "table",
        "tr",
        "td",
    }
    assert collector.attributes <= {"lang", "charset", "name", "content", "class", "style"}
    assert "<script" not in page and "<img" not in page and "<link" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co. &quot;Ltd&quot; &#x27;s" in page
    assert page.count("</style>") == 1
    assert "http://" not in page.split("</style>")[0]  # no URL in the stylesheet


def test_html_is_a_complete_page(responsibility: Letter) -> None:
    """The preview HTML is a whole document with its own CSS: A4 page rules, the red in one variable."""
    page = letter_html(responsibility)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert "size: A4" in page and "margin: 37mm 26mm 35mm 28mm" in page
    assert page.count("#FF0000") == 1 and "var(--red)" in page
    assert '"Noto Serif CJK SC"' in page and '"Noto Sans CJK SC"' in page
    assert '— " counter(page) " —' in page


# ---------------------------------------------------------------------------- PDF


def test_responsibility_pdf_text(responsibility_pdf: bytes) -> None:
    """The 责任书 PDF is valid and its text has the names, the document number, the title and the date."""
    assert responsibility_pdf.startswith(b"%PDF-") and responsibility_pdf.rstrip().endswith(b"%%EOF")
    text = "".join(page_texts(responsibility_pdf))
    for expected in [ENTERPRISE, VILLAGE, TOWNSHIP + VILLAGE, "示范村企责〔2027〕12号", "村企结对共建责任书"]:
        assert expected in text, expected
    assert "2027年3月5日" in text and "2030年3月4日" in text and "50万元" in text
    assert "甲方（盖章）" in text and "乙方（盖章）" in text and ISSUER in text
    metadata = read(responsibility_pdf).metadata
    assert metadata is not None and metadata.title == "村企结对共建责任书 示范村企责〔2027〕12号"


def test_appointment_pdf_text(appointment_pdf: bytes) -> None:
    """The 聘书 PDF is valid, fits one page, and has the person, pairs, number, title and date."""
    assert appointment_pdf.startswith(b"%PDF-")
    texts = page_texts(appointment_pdf)
    assert len(texts) == 1
    for expected in ["张三", ENTERPRISE, TOWNSHIP + VILLAGE, "示范县绿源食品有限公司", "示范统聘〔2027〕3号", "聘书"]:
        assert expected in texts[0], expected
    assert "中共示范县委统战部" in texts[0] and texts[0].count("2027年3月5日") == 2


def test_pdf_pages_are_a4(responsibility_pdf: bytes, appointment_pdf: bytes, long_pdf: bytes) -> None:
    """Every page of every letter is A4: 595.28 × 841.89 pt, within 1 pt."""
    for pdf in (responsibility_pdf, appointment_pdf, long_pdf):
        for page in read(pdf).pages:
            assert float(page.mediabox.width) == pytest.approx(A4[0], abs=1)
            assert float(page.mediabox.height) == pytest.approx(A4[1], abs=1)


def test_pdf_fonts_are_embedded(responsibility_pdf: bytes, appointment_pdf: bytes) -> None:
    """Every font is embedded with a ToUnicode map, and only the free CJK families named in the CSS are used."""
    for pdf in (responsibility_pdf, appointment_pdf):
        names: set[str] = set()
        for page in read(pdf).pages:
            resources: Any = page["/Resources"]
            for reference in resources["/Font"].values():
                font: Any = reference.get_object()
                names.add(str(font["/BaseFont"]))
                assert "/ToUnicode" in font, font["/BaseFont"]
                descendants: list[Any] = [d.get_object() for d in font.get("/DescendantFonts", [])]
                descriptors = [d["/FontDescriptor"] for d in descendants]
                descriptors += [font["/FontDescriptor"]] if "/FontDescriptor" in font else []
                assert descriptors, font["/BaseFont"]
                for descriptor in descriptors:
                    assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
        assert names
        for name in names:
            assert re.search(r"Noto-?(Serif|Sans)-?CJK|Fandol|UKai|AR-?PL", name, re.I), (
                f"{name}: is fonts-noto-cjk installed?"
            )


def test_long_target_list_flows_onto_more_pages(responsibility_pdf: bytes, long_pdf: bytes) -> None:
    """40 targets run over several pages; each page is numbered "— n —", odd right and even left."""
    texts = page_texts(long_pdf)
    assert len(texts) > len(page_texts(responsibility_pdf)) >= 2
    first = next(i for i, t in enumerate(texts) if "1.第1项工作目标：完成第1项约定任务；" in t)
    last = next(i for i, t in enumerate(texts) if "40.第40项工作目标：完成第40项约定任务。" in t)
    assert last > first
    for number, text in enumerate(texts, 1):
        assert f"—{number}—" in text
    for number, page in enumerate(read(long_pdf).pages, 1):
        (x, y, _), *_ = [run for run in text_runs(page) if run[2].strip() == f"— {number} —"]
        assert y < 99  # in the bottom margin, below the 35 mm line
        if number % 2:
            assert x > A4[0] / 2, "odd pages: number on the right"
        else:
            assert x == pytest.approx(TYPE_LEFT + 14, abs=0.5), "even pages: one 14pt character in from the left"


def test_full_page_holds_22_lines_on_the_grid(long_pdf: bytes) -> None:
    """A page of body text holds 22 lines at an even 28.95 pt pitch, first line at the top of the type area."""
    page = read(long_pdf).pages[1]
    baselines = sorted({round(y, 2) for x, y, _ in text_runs(page) if y > 99}, reverse=True)
    assert len(baselines) == 22
    pitches = [a - b for a, b in itertools.pairwise(baselines)]
    assert all(p == pytest.approx(28.95, abs=0.05) for p in pitches), pitches


def test_long_pair_list_on_an_appointment() -> None:
    """A liaison with many pairs gets a second page, numbered on the left, with the signature."""
    pairs = [(f"示范县第{i}农业有限公司", f"青石镇第{i}村") for i in range(1, 31)]
    texts = page_texts(render_pdf(make_appointment(pairs=pairs)))
    assert len(texts) >= 2
    assert "—2—" in texts[1] and "30.示范县第30农业有限公司与青石镇第30村。" in "".join(texts)
    assert "特发此聘书。" in texts[-1] and "中共示范县委统战部" in texts[-1]


def test_signatures_are_never_alone_on_a_page() -> None:
    """Whatever the length, the last page shows the end of the text together with every signature."""
    for count in range(0, 22, 3):
        texts = page_texts(render_pdf(make_responsibility(targets=many_targets(count))))
        tail = texts[-1]
        assert "自双方签字盖章之日起生效。" in tail, count
        assert tail.index("生效。") < tail.index("甲方（盖章）") < tail.index("乙方（盖章）"), count
        assert tail.count("2027年3月5日") == 3, count


def test_hostile_names_render_as_text() -> None:
    """Markup in names is printed literally in the PDF, not interpreted."""
    for letter in hostile_letters():
        text = "".join(page_texts(render_pdf(letter)))
        assert squash(HOSTILE_ENTERPRISE) in text
        assert squash(HOSTILE_VILLAGE) in text


def test_same_letter_same_bytes(appointment: Letter, appointment_pdf: bytes) -> None:
    """Rendering is deterministic: the same letter gives byte-identical PDFs (no clock, no random ids)."""
    assert render_pdf(appointment) == appointment_pdf


# ---------------------------------------------------------------------------- offline


@pytest.mark.parametrize(
    "url",
    ["http://example.com/a.css", "https://example.com/seal.png", "ftp://example.com/x", "file:///etc/passwd", "//x/y"],
)
def test_url_fetcher_refuses_external_urls(url: str) -> None:
    """The fetcher handed to WeasyPrint refuses the network and local files."""
    with pytest.raises(RefusedURLError):
        letters._OfflineFetcher().fetch(url)


def test_url_fetcher_allows_inline_data() -> None:
    """Inline data: URLs need no network and stay allowed."""
    response = letters._OfflineFetcher().fetch("data:text/plain,ok")
    assert response.read() == b"ok"


def test_render_pdf_fetches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even HTML that points at remote and local resources renders without one network or file fetch."""
    refused: list[str] = []
    fetch: Callable[..., Any] = letters._OfflineFetcher.fetch

    def spy(self: Any, url: str, headers: Any = None) -> Any:
        try:
            return fetch(self, url, headers)
        except RefusedURLError:
            refused.append(url)
            raise

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access during rendering")

    page = letter_html(make_appointment())
    page = page.replace(
        "</head>",
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><style>@import url("file:///etc/hostname");</style></head>',
    ).replace("</body>", '<img src="https://example.com/seal.png"></body>')
    monkeypatch.setattr(letters, "letter_html", lambda letter: page)
    monkeypatch.setattr(letters._OfflineFetcher, "fetch", spy)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    pdf = render_pdf(make_appointment())
    assert pdf.startswith(b"%PDF-")
    assert sorted(refused) == ["file:///etc/hostname", "http://127.0.0.1:9/x.css", "https://example.com/seal.png"]


def test_module_does_not_import_django() -> None:
    """The renderer is pure Python plus WeasyPrint: importing it loads no Django module."""
    code = "import sys, tongxin.documents; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------------------- poppler


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_pdftotext_reads_the_same_text_and_nothing_overflows(responsibility_pdf: bytes) -> None:
    """poppler reads back the names, number, title and date, and no word of a long Latin name leaves the type area."""
    plain = subprocess.run(["pdftotext", "-", "-"], input=responsibility_pdf, capture_output=True, check=True).stdout
    text = squash(plain.decode())
    for expected in [ENTERPRISE, TOWNSHIP + VILLAGE, "示范村企责〔2027〕12号", "村企结对共建责任书", "2027年3月5日"]:
        assert expected in text, expected

    wide = render_pdf(make_responsibility(enterprise="X" * 90 + "有限公司", village="W" * 60))
    boxes = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=wide, capture_output=True, check=True).stdout
    words = re.findall(rb'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', boxes)
    assert words
    for x_min, x_max in words:
        assert float(x_min) >= TYPE_LEFT - 0.5, (x_min, x_max)
        assert float(x_max) <= TYPE_RIGHT + 0.5, (x_min, x_max)
