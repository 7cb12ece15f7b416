"""The API's JSON parser: strict, with limits on nesting, size and integer width.

DRF's own parser hands any body to :func:`json.loads`; ten thousand nested lists make
that a ``RecursionError`` (a 500), an integer of a hundred digits reaches the database
as an ``OverflowError``, ``1e999`` becomes infinity. This one answers 400 with what is
wrong before any view or serializer sees the data.
"""

from __future__ import annotations

import codecs
import json
import math
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from tongxin.core.validation import BIGINT_MAX, BIGINT_MIN


def nesting_depth(data: Any, limit: int) -> int:
    """How deeply lists and dicts nest in ``data`` (stops counting past ``limit``)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, list | dict) else []
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, list | dict))
    return deepest


class _Refused(ValueError):
    """A value the parser refuses while decoding (carries the translated reason)."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > 19:
        raise _Refused(_("A number in the request is beyond the range any field accepts."))
    value = int(text)
    if not BIGINT_MIN <= value <= BIGINT_MAX:
        raise _Refused(_("A number in the request is beyond the range any field accepts."))
    return value


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refused(_("A number in the request is beyond the range any field accepts."))
    return value


def _parse_constant(name: str) -> Any:
    raise _Refused(_("%(name)s is not a number JSON allows.") % {"name": name})


class SafeJSONParser(JSONParser):
    """Strict JSON with at most ``max_depth`` levels of nesting, ``max_bytes`` of body and
    integers that fit a 64-bit column (anything else: 400 with the reason)."""

    max_depth = 32

    @property
    def max_bytes(self) -> int:
        return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440)

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        if stream is None:
            return None
        raw = stream.read(self.max_bytes + 1)
        if len(raw) > self.max_bytes:
            raise ParseError(_("The request body is larger than %(mb)d MB.") % {"mb": self.max_bytes // (1024 * 1024)})
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("The request body is not valid %(encoding)s text.") % {"encoding": encoding}) from exc
        try:
            data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
        except _Refused as exc:
            raise ParseError(str(exc)) from exc
        except RecursionError as exc:  # far deeper than the limit: the decoder itself gave up
            raise ParseError(self._too_deep()) from exc
        except ValueError as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from exc
        if nesting_depth(data, self.max_depth) > self.max_depth:
            raise ParseError(self._too_deep())
        return data

    def _too_deep(self) -> str:
        return _("The JSON is nested more than %(depth)d levels deep.") % {"depth": self.max_depth}
