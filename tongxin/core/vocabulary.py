"""Keep the Capability table in step with the Need and Advantage choices."""

from __future__ import annotations

from typing import Any

from tongxin.core.choices import Advantage, CapabilityKind, Need


def sync_vocabulary(capability_model: Any) -> None:
    """Create any missing vocabulary rows (used by the data migration and test set-up)."""
    wanted = dict.fromkeys(Need.values, CapabilityKind.NEED.value)
    wanted.update(dict.fromkeys(Advantage.values, CapabilityKind.ADVANTAGE.value))
    existing = set(capability_model.objects.values_list("code", flat=True))
    capability_model.objects.bulk_create(
        [capability_model(code=code, kind=kind) for code, kind in wanted.items() if code not in existing]
    )
