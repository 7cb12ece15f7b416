"""Rich text is sanitised on every path: the pure cleaner, the model's save, the page and the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.portal.models import Article
from tongxin.portal.sanitize import clean_html, plain_text
from tongxin.testing.factories import World
from tongxin.testing.portal import article

HOSTILE = (
    '<p onclick="steal()">好<script>alert(1)</script><style>p{}</style>'
    '<img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">链接</a>'
    '<a href="JaVaScRiPt:alert(4)">二</a><a href="data:text/html,x">三</a>'
    '<iframe src="https://evil.example"></iframe><a href="https://example.cn/a" target="_blank">好链接</a></p>'
)


def _assert_clean(html: str) -> None:
    lowered = html.lower()
    for bad in (
        "<script",
        "alert(1)",
        "onclick",
        "onerror",
        "javascript:",
        "data:text",
        "<iframe",
        "<style",
        "target=",
    ):
        assert bad not in lowered, (bad, html)


def test_scripts_event_handlers_and_javascript_urls_are_stripped() -> None:
    """Scripts and styles go with their content, event handlers and unsafe URL schemes
    go, safe links stay (with rel="noopener noreferrer")."""
    cleaned = clean_html(HOSTILE)
    _assert_clean(cleaned)
    assert '<a href="https://example.cn/a" rel="noopener noreferrer">好链接</a>' in cleaned
    assert '<img src="x.png">' in cleaned
    assert cleaned.startswith("<p>好")
    assert clean_html(cleaned) == cleaned  # stable: cleaning twice changes nothing


def test_plain_text_for_summaries_and_feeds() -> None:
    assert plain_text("<p>一&amp;二</p><script>x()</script><p>三</p>") == "一&二 三"
    assert plain_text("<p>" + "字" * 50 + "</p>", 10) == "字" * 9 + "…"


@pytest.mark.django_db
def test_the_model_cleans_on_save_whatever_the_path(world: World) -> None:
    """A body saved through the ORM (the admin, the demo, a command) is cleaned too."""
    obj = article(world.county, body=HOSTILE)
    _assert_clean(Article.objects.get(pk=obj.pk).body)
    _assert_clean(obj.revisions.get().body)


@pytest.mark.django_db
def test_the_page_and_the_api_store_only_clean_text(world: World) -> None:
    editor = world.users[Role.EDITOR]
    client = Client()
    client.force_login(editor)
    data = {"county": world.county.pk, "column": "news", "title": "页面稿", "body": HOSTILE}
    response = client.post(reverse("editorial:article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    _assert_clean(Article.objects.get(title="页面稿").body)
    api = APIClient()
    api.force_authenticate(editor)
    response = api.post("/api/portal/articles/", {**data, "title": "接口稿"}, format="json")
    assert response.status_code == 201, response.content
    _assert_clean(response.json()["body"])
    _assert_clean(Article.objects.get(title="接口稿").body)
