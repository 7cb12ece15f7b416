"""The demo portal: the source article first, with its author; every workflow state."""

from __future__ import annotations

import pytest

from tongxin.accounts.choices import Role
from tongxin.portal.choices import ArticleStatus, Column
from tongxin.portal.demo import load_portal, seed_article
from tongxin.portal.models import Article
from tongxin.testing.factories import World, user


def test_the_source_article_is_read_from_the_repository() -> None:
    title, body, author = seed_article()
    assert title == "How to do well the United front work of grass-roots party under the new situation"
    assert author.startswith("Deng Zongxiang")
    assert body.startswith("<p>United front work at county level") and body.count("<p>") > 5
    assert "(Author:" not in body


@pytest.mark.django_db
def test_demo_portal(world: World) -> None:
    editor, publisher = user("editor_demo"), user("publisher_demo")
    counts = load_portal(world.county, editor, publisher, 2027)
    assert counts["portal articles"] >= 30
    news = list(Article.objects.live().filter(column=Column.NEWS).order_by("-publish_at"))
    assert news[0].title == seed_article()[0] and news[0].author.startswith("Deng Zongxiang") and news[0].headline
    statuses = set(Article.objects.values_list("status", flat=True))
    assert statuses == set(ArticleStatus.values)
    assert Article.objects.scheduled().count() == 1
    stories = Article.objects.live().filter(column=Column.STORIES)
    assert stories.count() >= 5 and all(s.enterprise_id for s in stories)
    assert all(a.published_by_id == publisher.pk for a in Article.objects.live())
    assert set(editor.assignments.values_list("role", flat=True)) == {Role.EDITOR}
    assert Article.objects.count() == counts["portal articles"]
