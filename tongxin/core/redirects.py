"""Where to go back to after a form: the one check for every ``next`` parameter."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(request: HttpRequest, url: str | None) -> bool:
    """Whether ``url`` stays on this site (same host; https when the request is secure).

    Refuses other hosts (``https://evil/``, ``//evil/x``, ``/\\evil``), other schemes
    (``javascript:``) and anything with control characters.
    """
    if not url:
        return False
    return url_has_allowed_host_and_scheme(
        url.strip(), allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The ``next`` of the submitted form (or the query string) if it is safe, else ``default``."""
    url = request.POST.get(field) or request.GET.get(field) or ""
    return url.strip() if is_safe_next(request, url) else default
