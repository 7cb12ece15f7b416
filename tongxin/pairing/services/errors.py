from __future__ import annotations

from tongxin.core.exceptions import WorkflowError


class PairingError(WorkflowError):
    """A pairing workflow step that is not allowed now."""
