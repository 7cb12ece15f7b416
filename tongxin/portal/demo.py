"""Demo portal for ``seed_demo``: the source article as the first news item (with its
author), about thirty news items, entrepreneur stories, honours and policy texts of the
demo county, written by ``editor`` and published by ``publisher``; a few drafts, one in
review, one scheduled and one unpublished. Deterministic for a seed; fictional throughout."""

from __future__ import annotations

import io
import random
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.accounts.services import grant_for_setup
from tongxin.core.context import change_context
from tongxin.enterprises.models import Enterprise
from tongxin.portal.choices import Column
from tongxin.portal.models import Article, ArticleImage
from tongxin.portal.sanitize import paragraphs
from tongxin.portal.services import article_publish, article_return, article_submit, article_unpublish

SEED_FILE = Path(__file__).resolve().parent / "fixtures" / "seed_article.txt"
_AUTHOR = re.compile(r"\(Author:\s*([^)]*)\)")
# Where the translated article starts a new point ("1. …", "First, …", "The second is …").
_POINT = re.compile(r"\s+(?=(?:\d[.,]\s|First,|Second,|Third,|The second|The third|Fourth,)\s?)")


def seed_article() -> tuple[str, str, str]:
    """(title, body as paragraphs, author) of the source article kept in the repository.

    The file is a web page's text: a site line, the title, then the article, its byline
    ``(Author: …)`` and, after it, a repeated copy (ignored)."""
    text = SEED_FILE.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[1]
    rest = text.split(title, 2)[-1]
    match = _AUTHOR.search(rest)
    body = rest[: match.start()] if match else rest
    author = match.group(1).strip() if match else ""
    blocks = [block.strip() for block in _POINT.split(body.strip()) if block.strip()]
    return title, paragraphs("\n\n".join(blocks)), author


NEWS = (
    "县委统战部召开村企共建工作推进会",
    "{township}举行村企结对签约仪式",
    "县工商联组织民营企业家赴{township}考察对接",
    "{enterprise}与{village}共建产业基地",
    "“万企兴万村”行动上半年工作通报",
    "党外知识分子“五送”下乡活动走进{township}",
    "县委统战部举办结对联络员业务培训班",
    "{township}召开村企党组织联建座谈会",
    "民营企业家代表走访{village}共商发展",
    "县工商联商会服务站在{township}挂牌",
    "{village}乡村振兴项目开工",
    "县“同心”助农直播月启动",
    "{township}村企联谊篮球赛举行",
    "县委统战部调研{township}结对工作",
)
STORIES = (
    "{enterprise}：扎根乡土的创业路",
    "从作坊到龙头：{enterprise}的二十年",
    "{enterprise}带动{village}群众就近就业",
    "一片茶叶富一方：{enterprise}的共富实践",
    "返乡创业者的新答卷——记{enterprise}",
    "{enterprise}：把车间搬到村口",
    "科技赋能农业：{enterprise}的创新之路",
    "诚信经营三十年：{enterprise}的坚守",
)
HONOURS = (
    "{enterprise}获评省级“守合同重信用”企业",
    "县工商联获评全省工商联系统先进集体",
    "{enterprise}入选市级农业产业化龙头企业",
    "{township}村企共建案例入选全市优秀案例",
    "{enterprise}获评“万企兴万村”行动先进民营企业",
)
POLICY = (
    "关于深化“万企兴万村”行动的实施意见（演示）",
    "民营企业参与乡村振兴扶持办法（演示）",
    "村企结对联络员工作规范（演示）",
    "关于加强新时代商会建设的若干措施（演示）",
)
SENTENCES = (
    "会议总结了前一阶段村企结对工作，部署了下一步重点任务。",
    "结对双方围绕产业发展、就业增收、党建联建等方面深入交流。",
    "企业负责人表示，将发挥自身优势，带动村集体经济发展壮大。",
    "村两委表示，将积极配合企业做好土地流转、用工组织等工作。",
    "县委统战部要求各乡镇压实责任，定期通报结对进展，展示结对成果。",
    "活动采取“公司+基地+协会+农户”模式，让群众共享发展红利。",
    "县工商联将进一步发挥商会平台作用，引导民营经济健康发展。",
    "下一步，双方将围绕特色种植和农产品加工开展深度合作。",
    "结对以来，企业累计为村里提供就业岗位数十个，带动农户增收。",
    "与会人员实地察看了合作项目进展情况，并就存在的问题提出意见建议。",
    "此次活动进一步密切了村企联系，增进了相互了解。",
    "各结对单位要按照“四位一体”要求，组织联建、班子联带、服务联办、活动联谊。",
)


def _body(rng: random.Random) -> str:
    return "".join(f"<p>{''.join(rng.sample(SENTENCES, 3))}</p>" for _ in range(rng.randint(2, 4)))


def _picture(rng: random.Random) -> bytes:
    """A small generated picture (a gradient in the portal's colours)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), (32, 107, 196))
    draw = ImageDraw.Draw(image)
    hue = rng.randint(0, 120)
    for y in range(0, 360, 8):
        draw.rectangle((0, y, 640, y + 8), fill=(40 + hue, 110 + y // 6, 180 - y // 4))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def _write(editor: Any, county: Any, column: str, title: str, body: str, **fields: Any) -> Article:
    with change_context(user=editor, source="command"):
        article = Article(county=county, column=column, title=title, body=body, created_by=editor, **fields)
        article.full_clean()
        article.save()
    return article


def load_portal(county: Any, editor: Any, publisher: Any, seed: int) -> dict[str, int]:
    """The demo county's portal, written by ``editor`` and published by ``publisher``."""
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    grant_for_setup(editor, Role.EDITOR, county)
    grant_for_setup(publisher, Role.PUBLISHER, county)
    now = timezone.now()
    townships = list(county.townships.order_by("code").values_list("name", flat=True))
    villages = list(
        county.townships.order_by("code").values_list("villages__name", flat=True).exclude(villages__name=None)[:60]
    )
    enterprises = list(Enterprise.objects.filter(township__county=county).order_by("name", "pk")[:40])
    published = 0

    def words() -> dict[str, str]:
        return {
            "township": rng.choice(townships),
            "village": rng.choice(villages),
            "enterprise": rng.choice(enterprises).name,
        }

    def publish(article: Article, days_ago: float) -> None:
        nonlocal published
        article_submit(article=article, user=editor)
        done = article_publish(article=article, user=publisher)
        done.publish_at = now - timedelta(days=days_ago)  # as if published back then
        done.save(update_fields=["publish_at"])
        published += 1

    items: list[tuple[str, str, Enterprise | None]] = []
    for title in NEWS:
        items.append((Column.NEWS, title.format(**words()), None))
    for title in STORIES:
        enterprise = rng.choice(enterprises)
        items.append((Column.STORIES, title.format(**{**words(), "enterprise": enterprise.name}), enterprise))
    for title in HONOURS:
        items.append((Column.HONOURS, title.format(**words()), None))
    for title in POLICY:
        items.append((Column.POLICY, title, None))
    articles = []
    for number, (column, title, enterprise) in enumerate(items):
        summary = rng.choice(SENTENCES)
        article = _write(
            editor,
            county,
            column,
            title,
            _body(rng),
            summary=summary,
            author=rng.choice(("县委统战部", "县工商联", "县融媒体中心")),
            enterprise=enterprise,
            headline=number in (3, 15, 20),
        )
        if number % 4 == 0:
            picture = ArticleImage(article=article, caption=title[:40])
            picture.image.save("demo.jpg", SimpleUploadedFile("demo.jpg", _picture(rng), "image/jpeg"), save=False)
            picture.save()
        articles.append(article)
    # The workflow in every state: most published over the last months, the rest waiting.
    draft, review, returned, scheduled, unpublished = articles[-5:]
    for number, article in enumerate(articles[:-5]):
        publish(article, days_ago=2 + number * 3.5 + rng.random())
    article_submit(article=review, user=editor)
    article_submit(article=returned, user=editor)
    article_return(article=returned, user=publisher, reason="请补充项目投资和带动就业的具体数字。")
    article_submit(article=scheduled, user=editor)
    article_publish(article=scheduled, user=publisher, publish_at=now + timedelta(days=2))
    publish(unpublished, days_ago=40)
    article_unpublish(article=unpublished, user=publisher, reason="文中数据有误，核实后重新发布。")
    del draft  # stays a draft
    # The source article: the newest news item and a headline, with its author.
    title, body, author = seed_article()
    first = _write(editor, county, Column.NEWS, title, body, author=author, headline=True)
    publish(first, days_ago=0.05)
    return {"portal articles": len(articles) + 1, "published articles": published}
