"""Who is changing data right now: user, request id and source, held in a context variable.

The request middleware opens a context per request; imports and management commands open
their own with :func:`change_context`. The change log reads it when it writes a record.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass
class ChangeContext:
    """The author of the writes made while this context is active."""

    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    source: str = "system"
    request: HttpRequest | None = None
    user: Any = None
    # (content type id, object pk) -> ObjectChange written in this context, so that
    # many-to-many changes made after the row's save are folded into the same record.
    changes: dict[tuple[int, int], Any] = field(default_factory=dict)

    def get_user(self) -> Any:
        """The acting user; for requests resolved late so DRF's token auth is seen."""
        user = self.user
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user
        return None


_current: ContextVar[ChangeContext | None] = ContextVar("tongxin_change_context", default=None)


def current() -> ChangeContext | None:
    return _current.get()


@contextmanager
def change_context(
    *, user: Any = None, source: str = "command", request: HttpRequest | None = None
) -> Iterator[ChangeContext]:
    """Attribute every write inside the block to ``user`` with one request id."""
    ctx = ChangeContext(source=source, request=request, user=user)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
