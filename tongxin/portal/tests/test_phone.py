"""The portal on a phone (390 × 844): no public page, and no editorial page, scrolls sideways."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tongxin.core.tests.test_browser import browser_type_launch_args, sign_in  # noqa: F401  (Chromium fixture)
from tongxin.core.tests.test_phone import HEIGHT, OVERFLOW, WIDTH
from tongxin.testing.factories import PASSWORD, build_world, user
from tongxin.testing.pairing import build_pairing_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_portal_pages_fit_a_phone(page: Any, live_server: Any, transactional_db: Any) -> None:
    """Home, each column, the source article (long English words), the results and the
    editorial list, article page and form fit 390 px."""
    from tongxin.portal.choices import Column
    from tongxin.portal.demo import load_portal
    from tongxin.portal.models import Article

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world = build_world()
    build_pairing_world(world)
    editor = user("phone_editor")
    load_portal(world.county, editor, user("phone_publisher"), 2027)
    first = Article.objects.live().order_by("-publish_at").first()
    assert first is not None
    base = live_server.url
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    public = ["/portal/", *(f"/portal/columns/{c}/" for c in Column.values), first.get_public_url(), "/portal/results/"]
    editorial = ["/editorial/articles/", first.get_absolute_url(), "/editorial/articles/add/"]
    failures = []
    for number, href in enumerate([*public, *editorial]):
        if number == len(public):
            sign_in(page, base, "phone_editor", PASSWORD)
        response = page.goto(base + href)
        assert response is not None and response.status == 200, href
        found = page.evaluate(OVERFLOW)
        if found["width"] > WIDTH:
            failures.append(f"{href}: {found['width']} {found['wide']}")
    assert not failures, "\n".join(failures)
