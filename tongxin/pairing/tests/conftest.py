"""Fixtures of the pairing tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tongxin.testing.pending_locale import use_pending_translations


@pytest.fixture
def chinese() -> Iterator[None]:
    """Pages in the site's language, with the messages not yet merged into the catalogue."""
    with use_pending_translations():
        yield
