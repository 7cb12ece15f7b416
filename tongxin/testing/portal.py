"""Portal articles for tests: drafts and published articles of a county, with pictures."""

from __future__ import annotations

import io
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tongxin.core.context import change_context
from tongxin.portal.choices import ArticleStatus, Column
from tongxin.portal.models import Article, ArticleImage
from tongxin.regions.models import County

_numbers = itertools.count(1)


def png(size: tuple[int, int] = (4, 4)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def article(county: County, *, writer: Any = None, title: str | None = None, **fields: Any) -> Article:
    """A draft of ``county`` written by ``writer`` (who saved its first revision)."""
    number = next(_numbers)
    values: dict[str, Any] = {
        "county": county,
        "column": Column.NEWS,
        "title": title or f"测试文章{number}",
        "summary": "摘要",
        "body": f"<p>正文{number}</p>",
        "author": "县委统战部",
    }
    values.update(fields)
    with change_context(user=writer, source="command"):
        obj = Article(created_by=writer, **values)
        obj.full_clean()
        obj.save()
    return obj


def published(county: County, *, writer: Any = None, **fields: Any) -> Article:
    """An article that is live now (its status set directly: for tests of reading)."""
    from django.utils import timezone

    obj = article(county, writer=writer, **fields)
    obj.status = ArticleStatus.PUBLISHED
    obj.publish_at = timezone.now()
    obj.save()
    return obj


def picture(of: Any, caption: str = "图片") -> ArticleImage:
    """A picture of the article ``of``."""
    image = ArticleImage(article=of, caption=caption)
    image.image.save("p.png", SimpleUploadedFile("p.png", png(), content_type="image/png"), save=False)
    image.save()
    return image
