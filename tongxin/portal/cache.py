"""The published pages' cache: one generation for the whole portal.

Every public page (home, columns, articles, results, feeds, sitemap) is kept whole in the
default cache under a key holding the portal's *generation*; publishing or unpublishing
an article starts a new generation (after the commit), so no page published before is
served again. A page is kept at most ``TONGXIN["PORTAL_CACHE_SECONDS"]`` and never past
the moment the next scheduled article comes due, so scheduled publishing needs no worker.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.translation import get_language

GENERATION_KEY = "portal:generation"
HIT_HEADER = "X-Portal-Cache"


def seconds() -> int:
    return int(getattr(settings, "TONGXIN", {}).get("PORTAL_CACHE_SECONDS", 300))


def generation() -> int:
    """The current generation (a new one, never seen before, if the cache lost it)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY, 0)
    return int(value)


def bump() -> None:
    """Start a new generation once the current transaction commits (publish, unpublish)."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, time.time_ns(), None))


def page_key(request: HttpRequest, current: int) -> str:
    path = hashlib.sha256(request.get_full_path().encode("utf-8")).hexdigest()[:32]
    return f"portal:page:{current}:{get_language()}:{path}"


def timeout(now: datetime | None = None) -> int:
    """How long a page made now may be kept: not past the next scheduled article."""
    from tongxin.portal.models import Article

    now = now or timezone.now()
    limit = seconds()
    due = Article.objects.next_due(now)
    if due is not None:
        limit = min(limit, max(1, int((due - now).total_seconds()) + 1))
    return limit


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public GET from the cache; keep 200 answers (never errors, never redirects)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or seconds() <= 0:
            return view(request, *args, **kwargs)
        key = page_key(request, generation())
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response[HIT_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            if isinstance(response, SimpleTemplateResponse):
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), timeout())
            response[HIT_HEADER] = "miss"
        return response

    return wrapper
