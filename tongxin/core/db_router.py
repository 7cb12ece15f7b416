"""Reads of progress reports and dashboards from a streaming replica; everything else on the primary.

Configured by ``DATABASE_REPLICA_URL`` (the ``replica`` alias, ``TONGXIN_READ_REPLICA``);
without it the router and the middleware do nothing. What is read from the replica:

* in a read-only request (GET, HEAD, OPTIONS; ``ReplicaReadsMiddleware``), the models of
  ``TONGXIN_REPLICA_MODELS`` (progress reports): the report list, detail and API;
* in a read-only request to a view of ``TONGXIN_REPLICA_VIEWS`` (the campaign dashboard,
  its exports, the late list, the reporting API), every model but those of
  ``TONGXIN_PRIMARY_APPS`` (people, sessions, sign-in locks, tokens, tasks);
* anywhere, the queries inside ``with using_replica():`` (same exceptions).

What always stays on the primary: every write; every read inside a transaction on the
primary (a service that reads, decides and writes sees its own transaction); every read of
a request that changes something (POST, PUT, PATCH, DELETE) or has written anything; every
read of a browser for ``DATABASE_REPLICA_PIN_SECONDS`` after it changed something (a cookie),
so the page after a save shows the save; task workers, the scheduler and management
commands (no request), unless they say ``using_replica()``; and migrations (only
``default`` is migrated). Objects loaded from either alias relate to each other freely:
both hold the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PIN_COOKIE = "tongxin_primary"


@dataclass
class _Reads:
    """Where the reads of the current request or block may go."""

    models: bool = False  # the replica models (TONGXIN_REPLICA_MODELS)
    everything: bool = False  # every model but those of TONGXIN_PRIMARY_APPS
    wrote: bool = False  # something was written: read your own writes from now on


_reads: ContextVar[_Reads | None] = ContextVar("tongxin_replica_reads", default=None)


def replica_alias() -> str | None:
    """The replica's alias when one is configured (``TONGXIN_READ_REPLICA``), else None."""
    alias = getattr(settings, "TONGXIN_READ_REPLICA", None)
    return alias if alias and alias in settings.DATABASES else None


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


@contextmanager
def using_replica() -> Iterator[None]:
    """Read every model but people, sessions and tasks from the replica inside the block.

    For dashboard-like reads (aggregates over many reports) outside the views listed in
    ``TONGXIN_REPLICA_VIEWS``: a task that builds a report, an export. Without a replica,
    inside a transaction on the primary, or once the block has written anything, reads stay
    on the primary.
    """
    outer = _reads.get()
    inner = _Reads(models=True, everything=True, wrote=outer is not None and outer.wrote)
    token = _reads.set(inner)
    try:
        yield
    finally:
        _reads.reset(token)
        if outer is not None and inner.wrote:
            outer.wrote = True


@contextmanager
def using_primary() -> Iterator[None]:
    """Read everything from the primary inside the block, even in a read-only request."""
    token = _reads.set(None)
    try:
        yield
    finally:
        _reads.reset(token)


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module docstring for what goes where."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        replica = replica_alias()
        reads = _reads.get()
        if replica is None or reads is None or reads.wrote:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        label = _label(model)
        if reads.models and label in settings.TONGXIN_REPLICA_MODELS:
            return replica
        if reads.everything and label.partition(".")[0] not in settings.TONGXIN_PRIMARY_APPS:
            return replica
        # Anything else: Django's own choice (the alias the related instance came from, or default).
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        if replica_alias() is None:
            return None
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        replica = replica_alias()
        if replica is None:
            return None
        same_rows = {DEFAULT_DB_ALIAS, replica}
        return (obj1._state.db in same_rows and obj2._state.db in same_rows) or None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        replica = replica_alias()
        if replica is None:
            return None
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Lets the router read from the replica during read-only requests; pins a browser to the
    primary for a few seconds after it changed something (a cookie)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if replica_alias() is None:
            return self.get_response(request)
        read_only = request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES
        reads = _Reads(models=True) if read_only else None
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in SAFE_METHODS or (reads is not None and reads.wrote):
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.TONGXIN_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        reads = _reads.get()
        match = request.resolver_match
        if reads is not None and match is not None and match.view_name in settings.TONGXIN_REPLICA_VIEWS:
            reads.everything = True
