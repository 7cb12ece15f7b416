"""Bulk actions where work comes in batches: review several proposals, accept several
reports. Each item goes through the very service that acts on one (its own checks: scope,
stage, status, separation of duties), in a savepoint of its own: the items that are
refused are reported by name with the reason, the others are done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from tongxin.core.exceptions import OutOfScopeError, StaleObjectError, WorkflowError
from tongxin.core.scope import VIEW, restrict
from tongxin.pairing.models import Campaign, Pair, Report
from tongxin.pairing.services.errors import PairingError
from tongxin.pairing.services.reports import report_accept
from tongxin.pairing.services.review import (
    _require_reason,
    pair_approve,
    pair_reject,
    pair_return,
    pair_township_approve,
)

MAX_ITEMS = 500
# Bulk review actions by their policy action: (service, needs a reason).
REVIEW_ACTIONS: dict[str, tuple[Callable[..., Pair], bool]] = {
    "review": (pair_township_approve, False),
    "return": (pair_return, True),
    "approve": (pair_approve, False),
    "reject": (pair_reject, True),
}


@dataclass(frozen=True)
class Refusal:
    """An item the bulk action did not do: its id, its name (only for a row the person
    may see; otherwise its number), why, and the refusal's code."""

    id: int
    name: str
    reason: str
    code: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "reason": self.reason, "code": self.code}


@dataclass
class BulkResult:
    """What a bulk action did (``done``: the rows as the service returned them) and what it refused."""

    done: list[Any] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"done": [row.pk for row in self.done], "refused": [r.as_dict() for r in self.refused]}


def clean_ids(ids: Iterable[Any]) -> list[int]:
    """The ids in the order given, each once; refuses a batch that is empty or too long."""
    seen: dict[int, None] = {}
    for value in ids:
        seen[int(value)] = None
    if not seen:
        raise PairingError(_("Choose at least one."), "empty")
    if len(seen) > MAX_ITEMS:
        raise PairingError(_("Choose at most %(n)d at a time.") % {"n": MAX_ITEMS}, "too_many")
    return list(seen)


def _reason_of(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, WorkflowError):
        return str(exc.message), exc.code
    if isinstance(exc, PermissionDenied):
        return _("You may not do this."), "forbidden"
    if isinstance(exc, StaleObjectError | OutOfScopeError):
        return str(exc.message), "conflict"
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages), "invalid"
    return _("Not found."), "not_found"


def each(ids: list[int], rows: Mapping[int, Any], step: Callable[[Any], Any]) -> BulkResult:
    """``step`` for every row of ``ids`` (``rows``: those the person may see), each in a
    savepoint; refusals are collected, anything else unexpected rolls the whole batch back."""
    result = BulkResult()
    with transaction.atomic():
        for pk in ids:
            row = rows.get(pk)
            if row is None:
                result.refused.append(Refusal(pk, _("No. %(id)s") % {"id": pk}, _("Not found."), "not_found"))
                continue
            try:
                with transaction.atomic():
                    result.done.append(step(row))
            except (
                WorkflowError,
                PermissionDenied,
                Http404,
                StaleObjectError,
                OutOfScopeError,
                ValidationError,
            ) as exc:
                reason, code = _reason_of(exc)
                result.refused.append(Refusal(pk, str(row), reason, code))
    return result


def pairs_review_bulk(
    *, user: Any, action: str, ids: Iterable[Any], reason: str = "", campaign: Campaign | None = None
) -> BulkResult:
    """The township's approval or return, or the county's approval or rejection, of several
    proposals (of ``campaign`` when given), each by its own service."""
    if action not in REVIEW_ACTIONS:
        raise PairingError(_("Unknown action."), "action")
    service, needs_reason = REVIEW_ACTIONS[action]
    if needs_reason:
        reason = _require_reason(reason)
    wanted = clean_ids(ids)
    pairs = Pair.objects.filter(pk__in=wanted)
    if campaign is not None:
        pairs = pairs.filter(campaign=campaign)
    rows = restrict(pairs, user, VIEW).select_related("enterprise", "village").in_bulk()
    if needs_reason:
        return each(wanted, rows, lambda pair: service(pair=pair, user=user, reason=reason))
    return each(wanted, rows, lambda pair: service(pair=pair, user=user))


def reports_accept_bulk(*, user: Any, ids: Iterable[Any]) -> BulkResult:
    """Accept several submitted reports, each by :func:`report_accept`."""
    wanted = clean_ids(ids)
    reports = restrict(Report.objects.filter(pk__in=wanted), user, VIEW)
    rows = reports.select_related("pair__enterprise", "pair__village").in_bulk()
    return each(wanted, rows, lambda report: report_accept(report=report, user=user))
