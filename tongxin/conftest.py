"""Project-wide pytest fixtures."""

from __future__ import annotations

from typing import Any

import pytest

from tongxin.testing.factories import World, build_world


@pytest.fixture
def world(db: Any) -> World:
    return build_world()
