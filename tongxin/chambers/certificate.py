"""The membership certificate (会员证) as an A4 landscape PDF: plain text in, escaped HTML,
WeasyPrint out, nothing fetched from outside. No Django here (like the letters)."""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass

from weasyprint import HTML

from tongxin.documents.letters import _OfflineFetcher, chinese_date

CERTIFICATE_CSS = """
@page { size: A4 landscape; margin: 18mm; }
body { margin: 0; font: 16pt/1.8 "FandolFang", "Noto Serif CJK SC", serif; color: #000; }
.frame { border: 3pt double #B22222; height: 160mm; padding: 12mm 20mm; box-sizing: border-box; }
h1 { margin: 4mm 0 10mm; text-align: center; color: #B22222; letter-spacing: 12pt;
     font: 700 34pt/1.2 "Noto Serif CJK SC", serif; }
.number { text-align: right; font: 12pt "Noto Sans CJK SC", sans-serif; }
.body { margin-top: 8mm; text-indent: 2em; }
.name { font: 700 20pt "Noto Serif CJK SC", serif; }
.issuer { margin-top: 18mm; text-align: right; }
.date { text-align: right; }
"""


@dataclass(frozen=True)
class Certificate:
    """What the certificate says, as plain text."""

    number: str
    member: str
    chamber: str
    level: str
    since: datetime.date
    issued: datetime.date


def certificate_html(cert: Certificate) -> str:
    """The certificate's HTML; every value is escaped here and nowhere else."""

    def e(text: str) -> str:
        return html.escape(text, quote=True)

    return (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f'<style>{CERTIFICATE_CSS}</style></head><body><div class="frame">'
        f'<p class="number">编号：{e(cert.number)}</p>'
        "<h1>会员证</h1>"
        f'<p class="body"><span class="name">{e(cert.member)}</span>'
        f"于{e(chinese_date(cert.since))}经理事会审议通过，成为{e(cert.chamber)}{e(cert.level)}。特发此证。</p>"
        f'<p class="issuer">{e(cert.chamber)}</p>'
        f'<p class="date">{e(chinese_date(cert.issued))}</p>'
        "</div></body></html>"
    )


def render_certificate(cert: Certificate) -> bytes:
    """The certificate as a PDF (fonts embedded as subsets)."""
    return bytes(HTML(string=certificate_html(cert), url_fetcher=_OfflineFetcher()).write_pdf())
