"""RSS 2.0 and Atom 1.0 feeds of the published articles (Django's syndication framework)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext_lazy as _

from tongxin.portal.models import Article
from tongxin.portal.sanitize import plain_text

ITEMS = 30


class ArticlesFeed(Feed[Article, None]):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    title = _("Tongxin portal")
    description = _("News, entrepreneur stories, honours and policy.")

    def link(self) -> str:
        return reverse("portal:home")

    def items(self) -> QuerySet[Article]:
        return Article.objects.live().select_related("enterprise").order_by("-publish_at", "-pk")[:ITEMS]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or plain_text(item.body, 300)

    def item_link(self, item: Article) -> str:
        return item.get_public_url()

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Article) -> datetime | None:
        return item.publish_at

    def item_author_name(self, item: Article) -> str | None:
        return item.author or None

    def item_categories(self, item: Article) -> list[Any]:
        return [item.get_column_display()]


class AtomArticlesFeed(ArticlesFeed):
    feed_type = Atom1Feed
    subtitle = ArticlesFeed.description
