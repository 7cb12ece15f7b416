"""Pages render for real users, list pages have a fixed number of queries (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.accounts.choices import Role
from tongxin.testing import factories
from tongxin.testing.factories import World


def _staff(world: World) -> Client:
    client = Client()
    client.force_login(world.users[Role.COUNTY_STAFF])
    return client


@pytest.mark.django_db
def test_every_page_renders(world: World) -> None:
    """Dashboard, search, lists, details, forms and the import page answer 200."""
    client = _staff(world)
    urls = [
        reverse("core:home"),
        reverse("core:search") + "?q=东溪",
        reverse("regions:township_list"),
        reverse("regions:village_list") + "?needs=capital&q=村",
        reverse("regions:village_add"),
        reverse("regions:village_import"),
        reverse("regions:village_detail", args=[world.village.pk]),
        reverse("regions:village_edit", args=[world.village.pk]),
        reverse("enterprises:enterprise_list") + "?industry=C",
        reverse("enterprises:enterprise_detail", args=[world.enterprise.pk]),
        reverse("enterprises:enterprise_import"),
        reverse("surveys:survey_list"),
        reverse("surveys:survey_add"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "东溪村" in client.get(reverse("core:search") + "?q=东溪").content.decode()
    assert "江宁" not in client.get(reverse("core:search") + "?q=东山").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "extra", "expected"),
    [  # one COUNT per page: only the table paginates
        ("regions:village_list", "villages", 11),
        ("enterprises:enterprise_list", "enterprises", 9),
        ("regions:township_list", "townships", 6),
        ("surveys:survey_list", "surveys", 7),  # villages and enterprises are chosen by number
    ],
)
def test_list_query_count_is_pinned(
    world: World, django_assert_num_queries: Any, url_name: str, extra: str, expected: int
) -> None:
    """The list page costs the same number of queries for 3 rows or 40 (no N+1)."""
    for number in range(40):
        if extra == "villages":
            factories.village(world.township, 300 + number)
        elif extra == "enterprises":
            factories.enterprise(world.township)
        elif extra == "townships":
            factories.township(world.county, 110 + number)
        else:
            factories.survey(world.village)
    client = _staff(world)
    client.get(reverse(url_name))  # warm caches (content types, session)
    with django_assert_num_queries(expected):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_api_list_query_count_is_pinned(world: World, django_assert_num_queries: Any) -> None:
    """The village API list is a fixed number of queries however many rows it returns
    (one of them reads the person's hats, however many they hold)."""
    for number in range(40):
        factories.village(world.township, 300 + number)
    client = _staff(world)
    client.get(reverse("village-list"))
    with django_assert_num_queries(7):
        assert client.get(reverse("village-list")).status_code == 200


@pytest.mark.django_db
def test_chinese_by_default_english_by_switch(world: World) -> None:
    """Pages are in Chinese whatever the browser asks for; the switch turns them English."""
    client = _staff(world)
    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "工作台" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("core:home")).content.decode()
    assert "Dashboard" in page and "工作台" not in page


def test_every_message_has_a_chinese_translation() -> None:
    """The zh-Hans catalogue is complete: no empty or fuzzy entries."""
    from pathlib import Path

    catalogue = Path(__file__).resolve().parents[3] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries = catalogue.read_text(encoding="utf-8").split("\n\n")[1:]
    untranslated = [e for e in entries if 'msgstr ""\n' in e + "\n" and e.rstrip().endswith('msgstr ""')]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not untranslated and not fuzzy, (untranslated[:3], fuzzy[:3])
