"""Rich text of the portal, made safe: what an editor's HTML may keep (pure, no Django).

Every body is cleaned with ``nh3`` (a maintained sanitiser, html5ever underneath) when
the article is saved, whatever the path (page, API, admin, demo): scripts and styles go
with their content, event handlers (``on…``) and every attribute not listed go, links keep
only http, https and mailto (``javascript:`` and ``data:`` go) and get
``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import html
import re

import nh3

TAGS = frozenset(
    {
        "a", "b", "blockquote", "br", "caption", "code", "em", "figcaption", "figure", "h2", "h3", "h4",
        "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
        "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed with everything inside them (the others lose the tag and keep the text).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript"})


def clean_html(text: str) -> str:
    """The body an editor wrote, with only the allowed tags, attributes and URL schemes."""
    if not text:
        return ""
    return nh3.clean(
        text,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain_text(text: str, limit: int | None = None) -> str:
    """The words of an HTML fragment (summaries, feeds, share cards), at most ``limit``
    characters with an ellipsis."""
    kept = nh3.clean(text or "", tags=set(TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT), attributes={})
    words = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", kept))).strip()
    if limit is not None and len(words) > limit:
        return words[: limit - 1].rstrip() + "…"
    return words


def paragraphs(text: str) -> str:
    """Plain text (one paragraph per blank-line-separated block) as HTML paragraphs."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    return "".join(f"<p>{html.escape(block)}</p>" for block in blocks)
