"""The public portal (no sign-in): /portal/…; the sitemap is at /sitemap.xml."""

from django.urls import path

from tongxin.portal.cache import cached_page
from tongxin.portal.feeds import ArticlesFeed, AtomArticlesFeed
from tongxin.portal.views import public

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("columns/<str:column>/", public.column, name="column"),
    path("articles/<int:pk>/", public.article, name="article"),
    path("results/", public.results, name="results"),
    path("images/<int:pk>/", public.image, name="image"),
    path("feed/rss/", cached_page(ArticlesFeed()), name="feed_rss"),
    path("feed/atom/", cached_page(AtomArticlesFeed()), name="feed_atom"),
]
