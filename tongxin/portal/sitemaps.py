"""The sitemap: the public pages and every live article."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from tongxin.portal.choices import Column
from tongxin.portal.models import Article


class ArticleSitemap(Sitemap[Article]):
    changefreq = "monthly"
    limit = 5000

    def items(self) -> QuerySet[Article]:
        return Article.objects.live().order_by("-publish_at", "-pk")

    def location(self, item: Article) -> str:
        return item.get_public_url()

    def lastmod(self, item: Article) -> datetime | None:
        return item.last_updated


class PagesSitemap(Sitemap[tuple[str, tuple[str, ...]]]):
    changefreq = "daily"

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        return [("portal:home", ()), ("portal:results", ()), *(("portal:column", (c,)) for c in Column.values)]

    def location(self, item: tuple[str, tuple[str, ...]]) -> str:
        return reverse(item[0], args=item[1])


SITEMAPS = {"pages": PagesSitemap, "articles": ArticleSitemap}
