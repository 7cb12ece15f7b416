"""The public portal: anonymous readers see live articles only (everything else is 404
and absent from lists, feeds and the sitemap), pages are cached and a new generation
starts on publish and unpublish, feeds and sitemap are valid XML, pictures are served
only for live articles and uploads are checked, share cards are present."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.portal.cache import HIT_HEADER
from tongxin.portal.choices import Column
from tongxin.portal.models import Article
from tongxin.portal.services import article_publish, article_return, article_submit, article_unpublish
from tongxin.testing.factories import World
from tongxin.testing.portal import article, picture, png, published

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def states(world: World) -> dict[str, Article]:
    """One article in every state, each with a picture."""
    editor, publisher = world.users[Role.EDITOR], world.users[Role.PUBLISHER]
    made: dict[str, Article] = {
        "live": published(world.county, title="已发布新闻", author="邓宗祥"),
        "draft": article(world.county, title="草稿新闻"),
        "review": article_submit(article=article(world.county, title="待审新闻", writer=editor), user=editor),
        "foreign": published(world.county2, title="外县新闻"),
    }
    returned = article_submit(article=article(world.county, title="退回新闻", writer=editor), user=editor)
    made["returned"] = article_return(article=returned, user=publisher, reason="补充")
    later = article_submit(article=article(world.county, title="定时新闻", writer=editor), user=editor)
    made["scheduled"] = article_publish(article=later, user=publisher, publish_at=timezone.now() + timedelta(days=1))
    gone = article_submit(article=article(world.county, title="撤下新闻", writer=editor), user=editor)
    made["unpublished"] = article_unpublish(
        article=article_publish(article=gone, user=publisher), user=publisher, reason="有误"
    )
    for obj in made.values():
        picture(obj)
    return made


HIDDEN = ("draft", "review", "returned", "scheduled", "unpublished")


@pytest.mark.django_db
def test_anonymous_readers_see_live_articles_only(states: dict[str, Article]) -> None:
    client = Client()
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    text = home.content.decode()
    assert "已发布新闻" in text and "外县新闻" in text  # the portal is public: every county's live news
    news = client.get(reverse("portal:column", args=[Column.NEWS])).content.decode()
    for name in HIDDEN:
        obj = states[name]
        assert client.get(obj.get_public_url()).status_code == 404, name
        assert obj.title not in text and obj.title not in news, name
        image = obj.images.get()
        assert client.get(image.get_public_url()).status_code == 404, name
    assert client.get(states["live"].get_public_url()).status_code == 200
    assert client.get(reverse("portal:column", args=["nothing"])).status_code == 404
    assert client.get(reverse("portal:article", args=[2_000_000_000])).status_code == 404


@pytest.mark.django_db
def test_article_page_has_share_cards_and_byline(states: dict[str, Article]) -> None:
    obj = states["live"]
    page = Client().get(obj.get_public_url()).content.decode()
    assert '<meta property="og:title" content="已发布新闻">' in page
    assert 'property="og:image" content="http://testserver/portal/images/' in page
    assert 'property="og:url" content="http://testserver/portal/articles/' in page
    assert 'itemprop="name"' in page
    assert '<span data-testid="byline">邓宗祥</span>' in page
    assert "<script" not in page  # the portal needs no script


@pytest.mark.django_db
def test_pictures_of_live_articles_are_served_inert(states: dict[str, Article]) -> None:
    response = Client().get(states["live"].images.get().get_public_url())
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_uploads_are_checked_for_type_and_size(world: World, monkeypatch: Any) -> None:
    editor = world.users[Role.EDITOR]
    obj = article(world.county, writer=editor)
    client = Client()
    client.force_login(editor)
    url = reverse("editorial:image_upload", args=[obj.pk])
    fake = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")
    client.post(url, {"image": fake})
    svg = SimpleUploadedFile("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="image/svg+xml")
    client.post(url, {"image": svg})
    assert obj.images.count() == 0
    monkeypatch.setattr("tongxin.portal.models.IMAGE_MAX_BYTES", 10)
    client.post(url, {"image": SimpleUploadedFile("big.png", png((64, 64)), content_type="image/png")})
    assert obj.images.count() == 0
    monkeypatch.undo()
    client.post(url, {"image": SimpleUploadedFile("我的 照片.png", png(), content_type="image/png"), "caption": "合影"})
    stored = obj.images.get()
    assert "我的" not in stored.image.name and stored.image.name.endswith(".png")
    assert client.get(stored.get_preview_url()).status_code == 200  # editors see it before it is live
    assert Client().get(stored.get_public_url()).status_code == 404


@pytest.mark.django_db
def test_feeds_parse_and_hold_live_articles_only(states: dict[str, Article]) -> None:
    client = Client()
    rss = client.get(reverse("portal:feed_rss"))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(rss.content).find("channel")
    assert channel is not None
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert "已发布新闻" in titles and "外县新闻" in titles
    assert not {states[name].title for name in HIDDEN} & set(titles)
    live = next(item for item in channel.findall("item") if item.findtext("title") == "已发布新闻")
    assert live.findtext("link", "").endswith(states["live"].get_public_url())
    assert live.findtext("pubDate")
    atom = client.get(reverse("portal:feed_atom"))
    assert atom.status_code == 200
    feed = ET.fromstring(atom.content)
    entries = feed.findall(f"{ATOM}entry")
    assert {entry.findtext(f"{ATOM}title") for entry in entries} == set(titles)
    author = next(e for e in entries if e.findtext(f"{ATOM}title") == "已发布新闻").find(f"{ATOM}author")
    assert author is not None and author.findtext(f"{ATOM}name") == "邓宗祥"


@pytest.mark.django_db
def test_sitemap_lists_live_articles_only(states: dict[str, Article]) -> None:
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    urls = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert f"http://testserver{states['live'].get_public_url()}" in urls
    assert "http://testserver/portal/results/" in urls
    for name in HIDDEN:
        assert f"http://testserver{states[name].get_public_url()}" not in urls


@pytest.mark.django_db
def test_pages_are_cached_and_a_publish_or_unpublish_starts_afresh(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    editor, publisher = world.users[Role.EDITOR], world.users[Role.PUBLISHER]
    first = published(world.county, title="第一条")
    client = Client()
    home, article_url = reverse("portal:home"), first.get_public_url()
    assert client.get(home)[HIT_HEADER] == "miss"
    assert client.get(home)[HIT_HEADER] == "hit"
    assert client.get(article_url)[HIT_HEADER] == "miss"
    assert client.get(article_url)[HIT_HEADER] == "hit"
    second = article_submit(article=article(world.county, title="第二条", writer=editor), user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=second, user=publisher)
    response = client.get(home)
    assert response[HIT_HEADER] == "miss" and "第二条" in response.content.decode()
    assert client.get(article_url)[HIT_HEADER] == "miss"  # every page of the old generation is gone
    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=second, user=publisher, reason="撤下")
    response = client.get(home)
    assert response[HIT_HEADER] == "miss" and "第二条" not in response.content.decode()
    assert client.get(Article.objects.get(pk=second.pk).get_public_url()).status_code == 404
