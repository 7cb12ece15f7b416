"""Browser journey in Chromium (Playwright): the township and county views of the ledgers."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tongxin.testing.factories import PASSWORD, build_world
from tongxin.testing.pending_locale import use_pending_translations
from tongxin.testing.sheets import table_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world_live(live_server: Any, transactional_db: Any) -> Any:
    return build_world()


def sign_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form (signed out first) and land on the home page."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


_login = sign_in


def test_township_staff_filters_opens_and_exports(page: Any, live_server: Any, world_live: Any) -> None:
    """Township staff see only their villages, filter them, open one, export the filtered
    list to Excel; county staff then see every township of the county."""
    base = live_server.url
    _login(page, base, "town1")
    page.goto(f"{base}/regions/villages/")
    table = page.locator("table")
    assert "东溪村" in table.inner_text()
    assert "西岭村" not in table.inner_text()  # another township
    page.fill("#id_q", "东溪")
    page.click("[data-testid=filters] button[type=submit]")
    page.wait_for_url("**q=*")
    page.click("text=东溪村")
    assert page.locator("[data-testid=object-title]").inner_text() == "东溪村"
    page.go_back()
    with page.expect_download() as download_info:
        page.click("[data-testid=export]")
    path = download_info.value.path()
    rows = table_rows(load_workbook(io.BytesIO(Path(path).read_bytes())).active)
    assert len(rows) == 2 and "东溪村" in rows[1]
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_url("**/accounts/login/")

    _login(page, base, "staff1")
    page.goto(f"{base}/regions/townships/")
    text = page.locator("table").inner_text()
    assert "分水镇" in text and "横村镇" in text
    assert "东山街道" not in text  # another county


def test_downloads_keep_chinese_names_and_lists_print_on_a4(page: Any, live_server: Any, world_live: Any) -> None:
    """Chromium keeps the export's Chinese file name (村台账_<date>.xlsx); printed, a list
    shows the issuing body and the date, hides navigation, filters and buttons, fits its
    table to the paper's width, and the PDF carries the page numbers and running header."""
    from django.utils import timezone
    from pypdf import PdfReader

    base = live_server.url
    today = timezone.localdate().isoformat()
    with use_pending_translations():
        _login(page, base, "staff1")
        page.goto(f"{base}/regions/villages/")
        with page.expect_download() as download_info:
            page.click("[data-testid=export]")
        assert download_info.value.suggested_filename == f"村台账_{today}.xlsx"
        assert page.locator("[data-testid=print]").is_visible()
        assert not page.locator("[data-testid=print-header]").is_visible()

        page.emulate_media(media="print")
        header = page.locator("[data-testid=print-header]")
        assert header.is_visible() and "桐庐县" in header.inner_text() and today in header.inner_text()
        assert "筛选：无" in page.locator("[data-testid=print-filters]").inner_text()
        for hidden in ("[data-testid=print]", "[data-testid=filters]", "[data-testid=export]", "header.navbar"):
            assert not page.locator(hidden).first.is_visible(), hidden
        for width in (1032, 703):  # A4 landscape and portrait less the margins, in CSS pixels
            page.set_viewport_size({"width": width, "height": 900})
            right = page.evaluate("document.querySelector('table').getBoundingClientRect().right")
            assert right <= width, (width, right)
        pages = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages
        assert len(pages) == 1 and pages[0].mediabox.width > pages[0].mediabox.height  # one A4 page, landscape
        text = pages[0].extract_text()
        assert (
            "1 / 1" in text
            and "桐庐县" in text
            and today in text
            and world_live.village_b.code in text.replace("\n", "")
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(executable):
        if os.environ.get("TONGXIN_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required here but {executable} is missing")
        pytest.skip(f"Chromium not installed at {executable}")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
