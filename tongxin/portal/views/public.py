"""The public portal: no sign-in, published and due articles only, every page cached
(:mod:`tongxin.portal.cache`). A draft, an article in review, a scheduled or an
unpublished article answers 404, as an id that names nothing."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tongxin.core.files import serve_file
from tongxin.portal.cache import cached_page
from tongxin.portal.choices import Column
from tongxin.portal.models import Article, ArticleImage
from tongxin.portal.results import pairing_results

HEADLINES = 5
PER_COLUMN = 6
PER_PAGE = 20


def live_articles() -> QuerySet[Article]:
    """Published, due articles with what a list shows (county, enterprise, the cover)."""
    return (
        Article.objects.live()
        .select_related("county", "enterprise")
        .prefetch_related(Prefetch("images", queryset=ArticleImage.objects.order_by("pk")))
        .order_by("-publish_at", "-pk")
    )


def render_public(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context)


@require_safe
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    """Headlines, then the latest of each column and the pairing's results in brief."""
    headlines = list(live_articles().filter(headline=True)[:HEADLINES])
    columns = [
        (value, label, list(live_articles().filter(column=value)[:PER_COLUMN])) for value, label in Column.choices
    ]
    results = pairing_results()
    return render_public(
        request, "portal/home.html", {"headlines": headlines, "columns": columns, "results": results[:1]}
    )


@require_safe
@cached_page
def column(request: HttpRequest, column: str) -> HttpResponse:
    if column not in Column.values:
        raise Http404
    paginator = Paginator(live_articles().filter(column=column), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render_public(
        request, "portal/column.html", {"column": column, "column_label": Column(column).label, "page": page}
    )


@require_safe
@cached_page
def article(request: HttpRequest, pk: int) -> HttpResponse:
    found = live_articles().filter(pk=pk).first()
    if found is None:
        raise Http404
    images = list(found.images.all())
    cover = images[0] if images else None
    return render_public(
        request,
        "portal/article.html",
        {
            "article": found,
            "images": images,
            "cover_url": request.build_absolute_uri(cover.get_public_url()) if cover else "",
            "canonical": request.build_absolute_uri(found.get_public_url()),
        },
    )


@require_safe
@cached_page
def results(request: HttpRequest) -> HttpResponse:
    """Results of the pairing: aggregates per campaign and township, and the stories."""
    stories = list(live_articles().filter(column=Column.STORIES)[:PER_COLUMN])
    return render_public(request, "portal/results.html", {"results": pairing_results(), "stories": stories})


@require_safe
def image(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A picture of a live article (anything else: 404), sent as an inert file."""
    picture = ArticleImage.objects.filter(pk=pk, article__in=Article.objects.live()).first()
    if picture is None:
        raise Http404
    return serve_file(picture.image)
