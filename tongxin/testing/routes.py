"""Every URL pattern of the project, as data: for the generated access tests.

:func:`all_routes` walks the URL resolver and describes each pattern: its full pattern
text (the key the completeness test uses), its name, the view behind it, the keyword
arguments it takes and the HTTP methods it answers. :meth:`Route.url` fills the pattern
in with values, so a test never spells a path by hand and a new pattern cannot be missed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

WRITE_METHODS = ("post", "put", "patch", "delete")
ALL_METHODS = ("get", *WRITE_METHODS)

_PATH_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern with the view it dispatches to."""

    pattern: str  # the full pattern text, prefixes included: the route's identity
    name: str  # "namespace:name" ("" when unnamed)
    callback: Any

    @property
    def kind(self) -> str:
        """``admin``, ``api`` or ``page``."""
        if self.pattern.startswith("admin/"):
            return "admin"
        if self.pattern.startswith("api/"):
            return "api"
        return "page"

    @property
    def kwargs(self) -> tuple[str, ...]:
        names = [m.group("name") for m in _REGEX_GROUP.finditer(self.pattern)]
        names += [m.group("name") for m in _PATH_PARAM.finditer(_REGEX_GROUP.sub("", self.pattern))]
        return tuple(dict.fromkeys(names))

    @property
    def view_class(self) -> Any:
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def initkwargs(self) -> dict[str, Any]:
        return dict(getattr(self.callback, "view_initkwargs", None) or getattr(self.callback, "initkwargs", None) or {})

    @property
    def viewset_actions(self) -> dict[str, str] | None:
        """For a DRF viewset route: HTTP method → viewset action."""
        return getattr(self.callback, "actions", None)

    @property
    def is_format_suffix(self) -> bool:
        return "format" in self.kwargs

    def methods(self) -> tuple[str, ...]:
        """The methods the view implements (GET and the write methods), as far as the view
        says: DRF routes by their action map, class-based views by their handlers. Function
        views say nothing; callers give them explicitly."""
        actions = self.viewset_actions
        cls = self.view_class
        if actions is not None:
            allowed = getattr(cls, "http_method_names", ALL_METHODS)
            return tuple(m for m in ALL_METHODS if m in actions and m in allowed)
        if cls is not None:
            allowed = getattr(cls, "http_method_names", ALL_METHODS)
            return tuple(m for m in ALL_METHODS if m in allowed and hasattr(cls, m))
        return ALL_METHODS

    def url(self, **values: Any) -> str:
        """The path of this pattern with ``values`` filled in (each keyword argument)."""
        missing = set(self.kwargs) - set(values)
        if missing:
            raise KeyError(f"{self.pattern}: no value for {sorted(missing)}")
        text = _REGEX_GROUP.sub(lambda m: str(values[m.group("name")]), self.pattern)
        text = _PATH_PARAM.sub(lambda m: _path_value(m, values), text)
        text = text.replace("^", "").replace("$", "").replace("/?", "").replace("\\.", ".")
        return "/" + text


def _path_value(match: re.Match[str], values: dict[str, Any]) -> str:
    value = str(values[match.group("name")])
    if match.group("converter") == "drf_format_suffix" and not value.startswith("."):
        value = "." + value  # DRF's path converter takes the dot with the suffix
    return value


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(prefix + str(entry.pattern), name, entry.callback)


def all_routes() -> list[Route]:
    """Every URL pattern of the project, in resolver order."""
    return list(_walk(get_resolver().url_patterns, "", ""))
