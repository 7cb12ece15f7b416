"""API rate limits (DRF throttles) whose rates are read from the settings at request time.

DRF binds ``DEFAULT_THROTTLE_RATES`` to its throttle classes when they are imported, so
a changed setting (``override_settings`` in a test) would go unseen; these read the
current value. The counters live in the default cache.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class _RateFromSettings(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
        if str(self.scope) not in rates:
            raise ImproperlyConfigured(f"No rate in DEFAULT_THROTTLE_RATES for the throttle scope {self.scope!r}.")
        rate = rates[str(self.scope)]
        return None if rate is None else str(rate)


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    """Anonymous clients, by address (scope ``anon``)."""


class UserThrottle(_RateFromSettings, UserRateThrottle):
    """Signed-in users, by user (scope ``user``); anonymous clients by address."""


class TokenThrottle(_RateFromSettings):
    """The token endpoint (scope ``token``), by client address: password guessing through
    the API is slowed down before django-axes locks the username."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
