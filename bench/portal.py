"""Benchmark of the public portal's cached pages: ``python -m bench.portal``.

In-process (Django's test client: the whole middleware stack, no network), on a scratch
database (the test settings' SQLite file, or PostgreSQL when ``DATABASE_URL`` names one)
holding a small county with pairs and reports and the demo portal (about 30 articles).
The cache is a file cache in a temporary folder, as a laptop install runs (``--cache
locmem`` for memory).

For each public page — home, a column, an article, the pairing results, the RSS feed,
the sitemap — the page is made once (a miss), then requested ``--requests`` times from
the cache; the server time of each request (the test client's call, which runs the whole
request through Django) gives p50, p95 and p99. The yardstick, measured in the same run
the same way, is a bare Django view: one small template with twenty titles from a list,
no database. The same pages made every time (cache off) are shown for comparison.

The issue's target: every cached page's p95 ≤ 50 ms (exit status 1 when one is not).
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

TARGET_P95_MS = 50.0

# This module is also the URLconf of the run: the project's URLs plus the yardstick.
urlpatterns: list[Any] = []


def _bare(request: Any) -> Any:
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string(
        "<!doctype html><html><head><meta charset='utf-8'><title>bare</title></head><body><ul>"
        "{% for title in titles %}<li><a href='/x/{{ forloop.counter }}/'>{{ title }}</a></li>{% endfor %}"
        "</ul></body></html>"
    )
    titles = [f"县委统战部召开村企共建工作推进会{n}" for n in range(20)]
    return HttpResponse(template.render({"titles": titles}))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _measure(get: Callable[[], Any], requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = get()
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"answered {response.status_code}")
    return times


def _setup(cache: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings.test")
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = __name__
    if cache == "file":
        folder = tempfile.mkdtemp(prefix="tongxin-bench-portal-cache-")
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": folder}
        }
    from django.urls import path

    from tongxin import urls

    urlpatterns[:] = [path("bench/bare/", _bare), *urls.urlpatterns]


def _world() -> dict[str, str]:
    """A county with pairs and reports (the test world) and the demo portal; the URLs."""
    from django.urls import reverse

    from tongxin.portal.choices import Column
    from tongxin.portal.demo import load_portal
    from tongxin.portal.models import Article
    from tongxin.testing.factories import build_world, user
    from tongxin.testing.pairing import build_pairing_world

    world = build_world()
    build_pairing_world(world)
    load_portal(world.county, user("bench_editor"), user("bench_publisher"), 2027)
    article = Article.objects.live().order_by("-publish_at").first()
    assert article is not None
    return {
        "yardstick: bare Django view": "/bench/bare/",
        "home": reverse("portal:home"),
        "column (news)": reverse("portal:column", args=[Column.NEWS]),
        "article (the source article)": article.get_public_url(),
        "results of the pairing": reverse("portal:results"),
        "RSS feed": reverse("portal:feed_rss"),
        "sitemap": "/sitemap.xml",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=300, help="requests per page (default 300)")
    parser.add_argument("--cache", choices=("file", "locmem"), default="file")
    args = parser.parse_args(argv)
    _setup(args.cache)

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    started = time.perf_counter()
    names = setup_databases(verbosity=0, interactive=False)
    try:
        urls = _world()
        print(f"database {connection.vendor}, cache {args.cache}, set up in {time.perf_counter() - started:.1f} s")
        client = Client()
        rows = []
        failed = []
        for label, url in urls.items():
            get = functools.partial(client.get, url)
            cache.clear()
            first = _measure(get, 1)[0]
            cached = _measure(get, args.requests)
            made: list[float] = []
            for _ in range(max(20, args.requests // 10)):
                cache.clear()
                made += _measure(get, 1)
            p95 = _percentile(cached, 0.95)
            yardstick = label.startswith("yardstick")
            if not yardstick and p95 > TARGET_P95_MS:
                failed.append(label)
            rows.append((label, url, first, cached, made, p95))
        base = statistics.median(rows[0][3])
        header = f"{'page':32} {'p50':>7} {'p95':>7} {'p99':>7} {'×bare':>6} {'uncached p50':>13}"
        print(f"\n{header}  (ms, {args.requests} requests)")
        for label, _url, _first, cached, made, p95 in rows:
            p50 = statistics.median(cached)
            print(
                f"{label:32} {p50:7.2f} {p95:7.2f} {_percentile(cached, 0.99):7.2f} {p50 / base:6.1f} "
                f"{statistics.median(made):13.2f}"
            )
        verdict = "FAILED: " + ", ".join(failed) if failed else "met"
        print(f"\ntarget: p95 from cache ≤ {TARGET_P95_MS:.0f} ms — {verdict}")
        return 1 if failed else 0
    finally:
        teardown_databases(names, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
