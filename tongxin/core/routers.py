"""The API router: DRF's DefaultRouter with format suffixes and file-like actions tamed.

* A format suffix (``/api/pairs/1.json``) is offered on the API root, lists and details
  only; a custom action (``/api/proposals/1/approve/``) answers at its own URL, and
  ``…/approve.json`` is a 404 (the actions take no ``format`` argument).
* An action whose path names a file (``url_path="letter.pdf"``) answers both with and
  without the trailing slash, and its dot matches only a dot; ``reverse()`` gives the
  documented form without the slash (``/api/pairs/1/letter.pdf``).
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import URLPattern, re_path
from rest_framework.routers import DefaultRouter
from rest_framework.urlpatterns import format_suffix_patterns


class ApiRouter(DefaultRouter):
    """See the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suffixes = self.include_format_suffixes
        self.include_format_suffixes = False  # added below, to the routes that take them

    def _actions(self) -> dict[str, str]:
        """URL name → url_path of every custom action of the registered viewsets."""
        found: dict[str, str] = {}
        for _prefix, viewset, basename in self.registry:
            for action in viewset.get_extra_actions():
                extra: Any = action
                found[f"{basename}-{extra.url_name}"] = extra.url_path
        return found

    def get_urls(self) -> list[Any]:
        urls = super().get_urls()
        actions = self._actions()
        result: list[Any] = []
        for url in urls:
            url_path = actions.get(getattr(url, "name", None) or "")
            if url_path is None:
                result.extend(format_suffix_patterns([url]) if self.suffixes else [url])
            elif "." in url_path and isinstance(url, URLPattern):
                result.append(self._file_route(url, url_path))
            else:
                result.append(url)
        return result

    def _file_route(self, url: URLPattern, url_path: str) -> URLPattern:
        regex = str(url.pattern.regex.pattern)
        ending = f"/{url_path}{self.trailing_slash}$"
        if not regex.endswith(ending):
            return url
        regex = regex[: -len(ending)] + "/" + re.escape(url_path) + "/?$"
        return re_path(regex, url.callback, url.default_args, url.name)
