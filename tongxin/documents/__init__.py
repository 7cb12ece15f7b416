"""Printable documents: Chinese official-document style letters (no Django).

* :func:`responsibility_letter` -- the 村企结对共建责任书 of one approved pair.
* :func:`appointment_letter` -- the 聘书 of one liaison officer.
* :func:`letter_html` -- a complete HTML page (preview); :func:`render_pdf` -- the A4 PDF.
* :func:`document_number`, :func:`chinese_date`, :func:`format_wan_yuan` -- the formats.

See ``docs/letters.md``.
"""

from .letters import (
    TARGET_COLLECTIVE_INCOME,
    TARGET_FARMER_INCOME,
    TARGET_INVESTMENT,
    TARGET_JOBS,
    TARGET_PROJECTS,
    Letter,
    LetterKind,
    Paragraph,
    RefusedURLError,
    ReportFrequency,
    Section,
    Signature,
    TargetValue,
    appointment_letter,
    chinese_date,
    document_number,
    format_wan_yuan,
    letter_html,
    render_pdf,
    responsibility_letter,
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
