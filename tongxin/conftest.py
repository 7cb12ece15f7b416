"""Project-wide pytest fixtures."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tongxin.testing.factories import World, build_world
from tongxin.testing.pairing import PairingWorld, build_pairing_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def pworld(world: World) -> PairingWorld:
    return build_pairing_world(world)


@pytest.fixture
def plworld(world: World) -> Any:
    """The world with platform rows in three places (``tongxin.testing.platforms``)."""
    from tongxin.testing.platforms import build_platform_world

    return build_platform_world(world)
