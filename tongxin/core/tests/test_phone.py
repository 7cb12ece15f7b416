"""Phones (390 × 844 CSS pixels): no page scrolls sideways, for any demo role.

Each demo login visits the home page, every page its menus reach and one detail page of
each kind (the first row link of each list). A table may scroll inside its own
``.table-responsive`` box; the page itself may not be wider than the screen.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import pytest

from tongxin.core.tests.test_browser import browser_type_launch_args, sign_in  # noqa: F401  (Chromium fixture)
from tongxin.demo.loader import DEMO_PEOPLE
from tongxin.testing.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844
DEMO_LOGINS = tuple(DEMO_PEOPLE)  # one login per role, and the cadre with two hats
# Scripts that change nothing: the page's own width against the screen's.
OVERFLOW = """() => {
  const doc = document.documentElement;
  const wide = [];
  if (doc.scrollWidth > doc.clientWidth) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > doc.clientWidth + 1 && !el.closest('.table-responsive, .dropdown-menu, .visually-hidden')) {
        wide.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + '#' + (el.id || '') + ':' + Math.round(box.right));
        if (wide.length > 4) break;
      }
    }
  }
  return {width: doc.scrollWidth, wide: wide};
}"""


@pytest.fixture
def demo_live(live_server: Any, transactional_db: Any) -> Any:
    from tongxin.demo.loader import load_demo

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo()
    return live_server


def _login(page: Any, base: str, username: str) -> None:
    from tongxin.demo.loader import DEMO_PASSWORD

    page.set_default_timeout(120_000)  # a loaded machine: the demo pages are not small
    sign_in(page, base, username, DEMO_PASSWORD)


def _pages(page: Any, base: str) -> list[str]:
    """The menu's pages (links of the header and the menus), then one detail page of each
    list: the first link of its table's first row."""
    page.goto(f"{base}/")
    links = page.eval_on_selector_all(
        "header a[href], .dropdown-menu a[href], [data-testid=my-pairs-link]",
        "els => els.map(e => e.getAttribute('href'))",
    )
    menu = [href for href in dict.fromkeys(links) if href.startswith("/") and not href.startswith("/admin")]
    details: list[str] = []
    for href in [h for h in menu if h != "/"]:
        page.goto(base + href)
        first = page.eval_on_selector_all(
            "table tbody tr:first-child a[href], .my-pair a[href]", "els => els.map(e => e.getAttribute('href'))"
        )
        found = [h for h in first if h.startswith("/") and "?" not in h and not h.endswith((".pdf", ".xlsx"))]
        if found and urlsplit(found[0]).path not in details:
            details.append(urlsplit(found[0]).path)
    return ["/", *menu, *details]


def test_no_page_scrolls_sideways_on_a_phone(page: Any, demo_live: Any) -> None:
    """Every demo role, at 390 px: the home page, the pages of the menus and a detail page
    of each kind are never wider than the screen (``scrollWidth <= 390``)."""
    base = demo_live.url
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    failures: list[str] = []
    visited = 0
    for username in DEMO_LOGINS:
        _login(page, base, username)
        for href in dict.fromkeys(_pages(page, base)):
            response = page.goto(base + href)
            if response is None or response.status >= 500:
                failures.append(f"{username} {href}: status {response and response.status}")
                continue
            found = page.evaluate(OVERFLOW)
            visited += 1
            if found["width"] > WIDTH:
                failures.append(f"{username} {href}: {found['width']} {found['wide']}")
    assert visited > 9 * 5
    assert not failures, "\n".join(failures)


def test_filters_fold_behind_a_button_on_a_phone(page: Any, live_server: Any, transactional_db: Any) -> None:
    """At 390 px a list's filters are folded behind "Filters"; tapped, they open and
    filter. On a desktop they show at once, even without script."""
    build_world()
    base = live_server.url
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, base, "town1")
    page.goto(f"{base}/regions/villages/")
    assert not page.locator("[data-testid=filters]").is_visible()
    page.click("[data-testid=filters-toggle]")
    page.locator("#id_q").wait_for(state="visible")
    page.fill("#id_q", "东溪")
    page.click("[data-testid=filters] button[type=submit]")
    page.wait_for_url("**q=*")
    assert "东溪村" in page.locator("table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    desktop = page.context.browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        other = desktop.new_page()
        sign_in(other, base, "town1")
        other.goto(f"{base}/regions/villages/")
        assert other.locator("[data-testid=filters]").is_visible()
        assert not other.locator("[data-testid=filters-toggle]").is_visible()
    finally:
        desktop.close()
