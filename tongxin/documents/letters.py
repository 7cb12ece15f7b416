"""Chinese official-document style letters: 责任书 (responsibility) and 聘书 (appointment).

Pure Python plus WeasyPrint; nothing here imports Django. A :class:`Letter` holds plain
text only. :func:`letter_html` is the single place where text becomes HTML, and it escapes
every string; :func:`render_pdf` lays that HTML out with WeasyPrint and never fetches a
URL.
"""

from __future__ import annotations

import datetime
import html
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, Final

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .static_css import (
    BODY_PT,
    HEADER_MAX_PT,
    HEADER_MIN_PT,
    ISSUER_NAME_WIDTH_PT,
    LETTER_CSS,
    NAME_MIN_PT,
    PARTY_NAME_WIDTH_PT,
    TYPE_AREA_WIDTH_PT,
)

__all__ = [
    "TARGET_COLLECTIVE_INCOME",
    "TARGET_FARMER_INCOME",
    "TARGET_INVESTMENT",
    "TARGET_JOBS",
    "TARGET_PROJECTS",
    "Letter",
    "LetterKind",
    "Paragraph",
    "RefusedURLError",
    "ReportFrequency",
    "Section",
    "Signature",
    "TargetValue",
    "appointment_letter",
    "chinese_date",
    "document_number",
    "format_wan_yuan",
    "letter_html",
    "render_pdf",
    "responsibility_letter",
]

# --------------------------------------------------------------------------------------
# The letter model: plain text, no markup.


class LetterKind(StrEnum):
    RESPONSIBILITY = "responsibility"  # 村企结对共建责任书, one per pair
    APPOINTMENT = "appointment"  # 聘书, one per liaison officer


class ReportFrequency(StrEnum):
    """How often the liaison officers report: the campaign's choice, written into the 责任书."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph. ``lead`` is an optional run-in heading set in 楷体, e.g. "（一）组织联建。".

    A ``closing`` paragraph is a closing formula such as "特发此聘书。": it never starts a
    page, so a page never holds only the closing line and the signatures.
    """

    text: str
    lead: str = ""
    closing: bool = False


@dataclass(frozen=True)
class Section:
    """A heading of the first level ("一、共建目标", set in 黑体) and its paragraphs.

    A section without a heading is plain body text (a preamble or a closing formula).
    """

    heading: str | None
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Signature:
    """A signature block.

    With a ``role`` ("甲方", "乙方") it is a party's block, laid out in columns: role and
    seal, name, a line for the person in charge, and the date. Without a role it is the
    issuing body's block (GB/T 9704 7.3.5.1): the name centred over the date, the date four
    characters in from the right, with room for a 45 mm seal. A ``date`` of ``None`` leaves
    a blank date to fill in by hand.
    """

    name: str
    date: datetime.date | None
    role: str | None = None
    seal: bool = True


@dataclass(frozen=True)
class Letter:
    """A letter ready to render. Every string is plain text; rendering escapes it."""

    kind: LetterKind
    issuer: str
    doc_number: str
    title: str
    date: datetime.date
    parties: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = ()
    signatures: tuple[Signature, ...] = ()

    def text(self) -> str:
        """All the letter's words in reading order (header to signatures), one block a line."""
        lines = [self.issuer, self.doc_number, self.title]
        lines += [f"{label}：{name}" for label, name in self.parties]
        for section in self.sections:
            if section.heading:
                lines.append(section.heading)
            lines += [p.lead + p.text for p in section.paragraphs]
        for signature in self.signatures:
            lines += _signature_lines(signature)
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Formats.

_DOC_PREFIX_FORBIDDEN = re.compile(r"[\s〔〕\[\]【】()（）]")


def document_number(prefix: str, year: int, number: int) -> str:
    """The 发文字号: ``document_number("示范统发", 2027, 12) == "示范统发〔2027〕12号"``.

    The full year goes in 六角括号 U+3014/U+3015; the serial number has no leading zeros
    and no 第.
    """
    prefix = _clean(prefix)
    if not prefix or _DOC_PREFIX_FORBIDDEN.search(prefix):
        raise ValueError(f"document number prefix must be a non-empty word without brackets or spaces: {prefix!r}")
    if not _is_int(year) or not 1000 <= year <= 9999:
        raise ValueError(f"year must be a four-digit integer: {year!r}")
    if not _is_int(number) or number < 1:
        raise ValueError(f"number must be a positive integer: {number!r}")
    return f"{prefix}\u3014{year}\u3015{number}号"


def chinese_date(d: datetime.date) -> str:
    """The 成文日期 form: Arabic numerals, full year, no leading zeros (2027年3月5日)."""
    return f"{d.year}年{d.month}月{d.day}日"


_TEN_THOUSAND = Decimal(10000)


def format_wan_yuan(amount: Decimal | int | float) -> str:
    """An amount given in 万元, the Chinese way: 50万元, 12.5万元, 1.2亿元 (from 10000万元 up
    when a whole number of 百万元). At most four decimals (one yuan); no digit grouping.
    """
    value = _decimal(amount, "amount")
    if value >= _TEN_THOUSAND and value % 100 == 0:
        return f"{_plain(value / _TEN_THOUSAND)}亿元"
    return f"{_plain(value)}万元"


# --------------------------------------------------------------------------------------
# 村企结对共建责任书.

TARGET_INVESTMENT: Final = "investment"  # 万元 the enterprise invests in the village
TARGET_PROJECTS: Final = "projects"  # number of cooperation projects
TARGET_JOBS: Final = "jobs"  # villagers employed
TARGET_FARMER_INCOME: Final = "farmer_income"  # 万元 added to villagers' income
TARGET_COLLECTIVE_INCOME: Final = "collective_income"  # 万元 a year added to the collective's income

#: A target's value: a number for the keys above; text or a number for any other key,
#: which is then taken as the target's own Chinese label. ``None``, zero and blank text
#: leave the target out (a target of 0 is no target: never "不少于0个").
TargetValue = Decimal | int | float | str | None

_MONEY_TARGETS: Final[dict[str, str]] = {
    TARGET_INVESTMENT: "甲方在乙方投入资金不少于{}",
    TARGET_FARMER_INCOME: "带动本村农民增收{}以上",
    TARGET_COLLECTIVE_INCOME: "带动村集体经营性收入年均增加{}以上",
}
_COUNT_TARGETS: Final[dict[str, str]] = {
    TARGET_PROJECTS: "实施合作项目不少于{}个",
    TARGET_JOBS: "吸纳本村村民就业不少于{}人",
}

_ENTERPRISE_DUTIES: Final = (
    ("组织联建", "与乙方党组织开展结对联建，每年联合开展主题党日等活动不少于2次。"),
    ("班子联带", "企业负责人与乙方村“两委”班子定期交流，帮助理清发展思路，共同研究共建事项。"),
    ("服务联办", "发挥企业在市场、技术、人才等方面的优势，为乙方提供产业发展、技能培训、产品销售等服务。"),
    ("活动联谊", "结合传统节日和重要时间节点，与乙方共同开展走访慰问、文化体育等联谊活动。"),
    ("产业就业", "按本责任书确定的目标实施合作项目，优先吸纳本村村民就业，依法保障务工村民的合法权益。"),
)
_VILLAGE_DUTIES: Final = (
    ("组织联建", "乙方党组织主动对接甲方，共同制定年度共建计划，落实党建共建各项工作。"),
    ("班子联带", "村“两委”班子加强与甲方沟通，及时反映村情民意和发展需求。"),
    ("服务联办", "做好土地、劳动力等要素协调，为甲方在本村实施项目提供便利，营造良好环境。"),
    ("活动联谊", "组织村民参与共建活动，宣传共建成效。"),
    ("资产管理", "管好用好共建形成的集体资产和收益，按规定公开，接受村民监督。"),
)
_ORDINALS: Final = "一二三四五六七八九十"
_REPORT_EVERY: Final[dict[ReportFrequency, str]] = {
    ReportFrequency.MONTHLY: "每月",
    ReportFrequency.QUARTERLY: "每季度",
}


def responsibility_letter(
    *,
    issuer: str,
    prefix: str,
    year: int,
    number: int,
    campaign: str,
    enterprise: str,
    village: str,
    township: str,
    period_start: datetime.date,
    period_end: datetime.date,
    targets: Mapping[str, TargetValue],
    mode: str,
    liaisons: Sequence[str],
    report_frequency: ReportFrequency | str,
    date: datetime.date,
    title: str = "村企结对共建责任书",
) -> Letter:
    """The 责任书 of one approved village–enterprise pair.

    ``prefix``/``year``/``number`` make the document number (see :func:`document_number`).
    ``targets`` maps the ``TARGET_*`` keys (and any free-form Chinese label) to values, in
    the order they should appear; amounts are in 万元. ``mode`` is the cooperation mode
    (left out when blank). ``report_frequency`` is how often the liaison officers report
    (the campaign's ``monthly`` or ``quarterly``). The enterprise (甲方), the village (乙方)
    and the issuer sign.
    """
    issuer = _required(issuer, "issuer")
    campaign = _required(campaign, "campaign")
    enterprise = _required(enterprise, "enterprise")
    village = _required(village, "village")
    township = _clean(township)
    title = _required(title, "title")
    mode = _clean(mode)
    officers = _names(liaisons, "liaisons")
    report_every = _report_every(report_frequency)
    _check_range(period_start, period_end, "period")
    doc_number = document_number(prefix, year, number)
    village_full = village if village.startswith(township) else township + village

    preamble = Section(
        None,
        (
            Paragraph(
                f"为深入推进{campaign}，壮大村集体经济，促进农民增收，经双向选择和组织审核，"
                f"{enterprise}（甲方）与{village_full}（乙方）自愿结对共建。"
                "本着自愿、量力、互利的原则，签订本责任书。"
            ),
        ),
    )

    years = _whole_years(period_start, period_end)
    term = f"共建期限{years}年，" if years else "共建期限"
    goal = f"{term}自{chinese_date(period_start)}至{chinese_date(period_end)}。"
    if mode:
        goal += f"合作方式为{mode}。"
    items = _target_items(targets)
    goals = [Paragraph(goal + ("期内甲乙双方共同完成以下目标：" if items else "具体目标由甲乙双方另行商定。"))]
    goals += [Paragraph(f"{i}.{item}{'。' if i == len(items) else '；'}") for i, item in enumerate(items, 1)]

    names = "、".join(officers)
    liaison = f"{issuer}确定{names}同志为本结对联络员" if officers else f"本结对联络员由{issuer}另行确定"
    review = (
        f"{liaison}，负责日常联络、协调和督促。联络员{report_every}向{issuer}报告共建进展。"
        f"{issuer}每年对本责任书履行情况进行考核，考核结果作为评先评优的重要依据。"
    )
    other = (
        f"本责任书未尽事宜，由甲乙双方协商解决，并报{issuer}备案。本责任书一式三份，"
        f"甲乙双方各执一份，报{issuer}备案一份，自双方签字盖章之日起生效。"
    )

    def duties(rows: Iterable[tuple[str, str]]) -> tuple[Paragraph, ...]:
        return tuple(Paragraph(text, lead=f"（{_ORDINALS[i]}）{area}。") for i, (area, text) in enumerate(rows))

    headed = [
        ("共建目标", tuple(goals)),
        ("甲方责任", duties(_ENTERPRISE_DUTIES)),
        ("乙方责任", duties(_VILLAGE_DUTIES)),
        ("联络员与考核", (Paragraph(review),)),
        ("其他", (Paragraph(other),)),
    ]
    numbered = (Section(f"{_ORDINALS[i]}、{heading}", paragraphs) for i, (heading, paragraphs) in enumerate(headed))
    sections = (preamble, *numbered)
    return Letter(
        kind=LetterKind.RESPONSIBILITY,
        issuer=issuer,
        doc_number=doc_number,
        title=title,
        date=date,
        parties=(("甲方", enterprise), ("乙方", village_full), ("监督单位", issuer)),
        sections=sections,
        signatures=(
            Signature(enterprise, date, role="甲方"),
            Signature(village_full, date, role="乙方"),
            Signature(issuer, date),
        ),
    )


# --------------------------------------------------------------------------------------
# 聘书.


def appointment_letter(
    *,
    issuer: str,
    prefix: str,
    year: int,
    number: int,
    person: str,
    pairs: Sequence[tuple[str, str]],
    term_start: datetime.date,
    term_end: datetime.date,
    date: datetime.date,
    role: str = "村企结对共建联络员",
) -> Letter:
    """The 聘书 of one liaison officer for the (enterprise, village) ``pairs`` they follow."""
    issuer = _required(issuer, "issuer")
    person = _required(person, "person")
    role = _required(role, "role")
    if isinstance(pairs, str):
        raise TypeError("pairs must be a sequence of (enterprise, village) tuples")
    links = [(_required(e, "pair enterprise"), _required(v, "pair village")) for e, v in pairs]
    if not links:
        raise ValueError("an appointment needs at least one pair")
    _check_range(term_start, term_end, "term")
    doc_number = document_number(prefix, year, number)

    opening = f"兹聘请{person}同志为{role}，"
    term = Paragraph(f"聘期自{chinese_date(term_start)}至{chinese_date(term_end)}。")
    if len(links) == 1:
        (enterprise, village), *_ = links
        body = [Paragraph(f"{opening}负责联系{enterprise}与{village}结对共建工作。"), term]
    else:
        body = [Paragraph(f"{opening}负责联系以下{len(links)}对村企结对共建工作：")]
        body += [Paragraph(f"{i}.{e}与{v}{'。' if i == len(links) else '；'}") for i, (e, v) in enumerate(links, 1)]
        body.append(term)
    body.append(Paragraph("特发此聘书。", closing=True))
    return Letter(
        kind=LetterKind.APPOINTMENT,
        issuer=issuer,
        doc_number=doc_number,
        title="聘\u3000书",
        date=date,
        sections=(Section(None, tuple(body)),),
        signatures=(Signature(issuer, date),),
    )


# --------------------------------------------------------------------------------------
# HTML and PDF.


def letter_html(letter: Letter) -> str:
    """The letter as one complete, printable HTML document (inline CSS, no external URL).

    Every string taken from the letter is HTML-escaped. On screen the page is drawn as a
    sheet of A4; in print (and in :func:`render_pdf`) the GB/T 9704 page rules apply.
    """
    e = _escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(letter.title)} {e(letter.doc_number)}</title>",
        f'<meta name="author" content="{e(letter.issuer)}">',
        f'<meta name="dcterms.created" content="{letter.date.isoformat()}">',
        f"<style>{LETTER_CSS}</style>",
        "</head>",
        f'<body class="letter {letter.kind.value}">',
        f'<div class="org" style="font-size: {_header_size(letter.issuer)}pt">{e(letter.issuer)}</div>',
        f'<p class="docno">{e(letter.doc_number)}</p>',
        '<div class="rule"></div>',
        f'<h1><span class="t">{e(letter.title)}</span></h1>',
    ]
    if letter.parties:
        parties = "".join(f"<p>{_line(f'{label}：{name}')}</p>" for label, name in letter.parties)
        parts.append(f'<div class="parties">{parties}</div>')
    for section in letter.sections:
        if section.heading:
            parts.append(f"<h2>{_line(section.heading)}</h2>")
        for paragraph in section.paragraphs:
            lead = f'<span class="lead">{e(paragraph.lead)}</span>' if paragraph.lead else ""
            css_class = ' class="closing"' if paragraph.closing else ""
            parts.append(f'<p{css_class}><span class="t">{lead}{e(paragraph.text)}</span></p>')
    parts.append(_signatures_html(letter.signatures))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


class RefusedURLError(ValueError):
    """Raised by the offline URL fetcher: letters never load anything from outside."""


class _OfflineFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """A WeasyPrint URL fetcher that refuses every URL except inline ``data:`` URLs."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        raise RefusedURLError(f"letters may not load external resources: {url[:80]!r}")


def render_pdf(letter: Letter) -> bytes:
    """The letter as an A4 PDF, fonts embedded as subsets. Nothing is fetched from outside."""
    document = HTML(string=letter_html(letter), url_fetcher=_OfflineFetcher())
    return bytes(document.write_pdf())


# --------------------------------------------------------------------------------------
# Helpers.


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _line(text: str) -> str:
    return f'<span class="t">{_escape(text)}</span>'


def _date_text(d: datetime.date | None) -> str:
    return chinese_date(d) if d else "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"


def _signature_lines(signature: Signature) -> list[str]:
    if signature.role is None:
        return [signature.name, _date_text(signature.date)]
    label = f"{signature.role}（盖章）" if signature.seal else signature.role
    return [label, signature.name, "负责人（签字）：", _date_text(signature.date)]


def _signature_html(signature: Signature, width_pt: float) -> str:
    """The lines of one signature block; the name is one unbroken line of ``width_pt``."""
    out = []
    for text in _signature_lines(signature):
        if text != signature.name:
            out.append(f"<p>{_line(text)}</p>")
            continue
        size = _name_size(text, width_pt)
        if size is None:  # too long even at the smallest size: it wraps, in that size
            out.append(
                f'<p class="name wrap"><span class="t" style="font-size: {NAME_MIN_PT}pt">{_escape(text)}</span></p>'
            )
        elif size < BODY_PT:
            out.append(f'<p class="name"><span class="t" style="font-size: {size}pt">{_escape(text)}</span></p>')
        else:
            out.append(f'<p class="name">{_line(text)}</p>')
    return "".join(out)


def _signatures_html(signatures: Sequence[Signature]) -> str:
    if not signatures:
        return ""
    parties = [s for s in signatures if s.role is not None]
    issuers = [s for s in signatures if s.role is None]
    out = ['<div class="signatures">']
    for start in range(0, len(parties), 2):
        cells = "".join(f"<td>{_signature_html(s, PARTY_NAME_WIDTH_PT)}</td>" for s in parties[start : start + 2])
        if len(parties[start : start + 2]) == 1:
            cells += "<td></td>"
        out.append(f'<table class="sig-parties"><tr>{cells}</tr></table>')
    for s in issuers:
        inner = _signature_html(s, ISSUER_NAME_WIDTH_PT)
        out.append(f'<div class="sig-issuer"><div class="sig-box">{inner}</div></div>')
    out.append("</div>")
    return "".join(out)


def _name_width(text: str) -> float:
    """A generous width in em of a name set in the body face: full-width (CJK) characters
    1 em, others 0.75 em (FandolFang's Latin is wide: W is 1.02 em, M 0.91 em)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.75 for c in text) or 1.0


def _name_size(name: str, width_pt: float) -> float | None:
    """The font size that sets ``name`` on one line of ``width_pt``: the body size when it
    fits, else smaller by half points down to :data:`NAME_MIN_PT`; ``None`` when even that
    is too wide."""
    fitting = math.floor(width_pt * 0.97 / _name_width(name) * 2) / 2
    if fitting >= BODY_PT:
        return BODY_PT
    return fitting if fitting >= NAME_MIN_PT else None


def _display_width(text: str) -> float:
    """Width in em: full-width (CJK) characters count 1, others 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text) or 1.0


def _header_size(issuer: str) -> float:
    """Font size of the red header: 42pt when it fits in 90% of the type area, else smaller
    (by half points) down to 22pt; still longer names wrap."""
    fitting = TYPE_AREA_WIDTH_PT * 0.9 / _display_width(issuer)
    return max(HEADER_MIN_PT, min(HEADER_MAX_PT, math.floor(fitting * 2) / 2))


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _clean(value: str) -> str:
    """User text on one line: control characters become spaces, runs of spaces collapse."""
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return " ".join(_CONTROL.sub(" ", value).split())


def _required(value: str, field: str) -> str:
    cleaned = _clean(value)
    if not cleaned:
        raise ValueError(f"{field} must not be blank")
    return cleaned


def _names(values: Sequence[str], field: str) -> list[str]:
    if isinstance(values, str):
        raise TypeError(f"{field} must be a sequence of names, not a single string")
    return [name for name in (_clean(v) for v in values) if name]


def _report_every(frequency: ReportFrequency | str) -> str:
    """The wording of a report frequency ("每月", "每季度"); an unknown one is refused."""
    try:
        return _REPORT_EVERY[ReportFrequency(frequency)]
    except ValueError:
        choices = ", ".join(f.value for f in ReportFrequency)
        raise ValueError(f"report_frequency must be one of {choices}: {frequency!r}") from None


def _check_range(start: datetime.date, end: datetime.date, field: str) -> None:
    if end < start:
        raise ValueError(f"{field} ends ({end}) before it starts ({start})")


def _add_years(d: datetime.date, years: int) -> datetime.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a common year
        return d.replace(year=d.year + years, day=28)


def _whole_years(start: datetime.date, end: datetime.date) -> int:
    """N when the period is exactly N years (2027-03-05 to 2030-03-04 is 3), else 0."""
    years = end.year - start.year
    if years >= 1 and _add_years(start, years) - datetime.timedelta(days=1) == end:
        return years
    return 0


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal(value: object, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise TypeError(f"{field} must be a number, got {type(value).__name__}")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or number < 0:
        raise ValueError(f"{field} must be a finite number >= 0, got {value!r}")
    return number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 50, 12.5, 0.3."""
    return format(value.normalize(), "f")


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"target {field!r} must be an integer, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"target {field!r} must be >= 0, got {value}")
    return value


def _target_items(targets: Mapping[str, TargetValue]) -> list[str]:
    """One clause per target, without end punctuation, in the mapping's order."""
    items = []
    for key, value in targets.items():
        if value is None:
            continue
        if key in _MONEY_TARGETS:
            amount = _decimal(value, f"target {key!r}")
            if amount:
                items.append(_MONEY_TARGETS[key].format(format_wan_yuan(amount)))
        elif key in _COUNT_TARGETS:
            if count := _count(value, key):
                items.append(_COUNT_TARGETS[key].format(count))
        else:
            label = _required(key, "target label")
            if isinstance(value, str):
                text = _clean(value).rstrip("。；;.，,")
            else:
                number = _decimal(value, f"target {key!r}")
                text = _plain(number) if number else ""
            if text:
                items.append(f"{label}：{text}")
    return items
