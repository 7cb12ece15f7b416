from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with no cached page (ids of rows come back between tests)."""
    cache.clear()
    yield
    cache.clear()
