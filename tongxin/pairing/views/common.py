"""Helpers shared by the pairing pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from tongxin.core.exceptions import OutOfScopeError, StaleObjectError, WorkflowError


def run_service(request: HttpRequest, action: Callable[[], Any], success: str, back: str) -> HttpResponse:
    """Call a workflow service; show its refusal as an error message instead of a 500."""
    try:
        action()
    except WorkflowError as exc:
        messages.error(request, str(exc.message))
    except (StaleObjectError, OutOfScopeError) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return HttpResponseRedirect(back)
