"""The client's address, the same for rate limits, django-axes and the security log."""

from __future__ import annotations

import ipaddress
from typing import Any

from rest_framework.throttling import BaseThrottle


def client_ip(request: Any) -> str | None:
    """The address of the client; behind ``NUM_PROXIES`` trusted proxies (DRF setting), the
    one the nearest proxy saw. ``None`` when there is no valid address."""
    if request is None:
        return None
    address = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None
