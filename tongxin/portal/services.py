"""The editorial workflow: draft → in review → published (now or at a set time), returned
to draft with a reason, unpublished with a reason; revisions restored.

Every rule lives here, so the page, the API and the admin obey it alike: who may take a
step is the article's policy (:data:`~tongxin.portal.models.ARTICLE_PERMISSIONS`), which
state allows it is checked below, and **nobody publishes an article they wrote** — its
creator, whoever sent it for review and whoever saved any revision of its text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.exceptions import StaleObjectError, WorkflowError
from tongxin.core.scope import CHANGE, allowed, require
from tongxin.portal import cache
from tongxin.portal.choices import EDITABLE, ArticleStatus
from tongxin.portal.models import PUBLISH, RETURN, SUBMIT, UNPUBLISH, Article, ArticleRevision

#: Publication times outside these years are refused (before any arithmetic on them).
PUBLISH_YEARS = (2000, 2100)


class EditorialError(WorkflowError):
    """An editorial step that is not allowed now."""


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


def writers(article: Article) -> set[int]:
    """Everyone who wrote the article: its creator, who sent it for review, who saved a revision."""
    people = {article.created_by_id, article.submitted_by_id}
    people |= set(ArticleRevision.objects.filter(article=article).values_list("saved_by_id", flat=True))
    return {pk for pk in people if pk is not None}


def _fresh(article: Article, version: int | None) -> Article:
    """The row locked for the step; 409 when the caller started from an older version."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if version is not None and version != locked.version:
        raise StaleObjectError
    return locked


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise EditorialError(_("Give a reason."), "reason")
    return text


def _check_publish(article: Article, user: Any) -> None:
    if article.status != ArticleStatus.REVIEW:
        raise EditorialError(_("Only an article in review can be published."), "status")
    if user.pk in writers(article):
        raise EditorialError(_("You wrote this article: someone else must publish it."), "separation")


def can_publish(user: Any, article: Article) -> Verdict:
    """Whether ``user`` may publish the article now (for the button), and if not, why."""
    if not allowed(user, article, PUBLISH):
        return Verdict(False)
    try:
        _check_publish(article, user)
    except EditorialError as exc:
        return Verdict(False, str(exc.message))
    return Verdict(True)


@transaction.atomic
def article_submit(*, article: Article, user: Any, version: int | None = None) -> Article:
    """Send a draft (or an unpublished article) for review."""
    require(user, article, SUBMIT)
    article = _fresh(article, version)
    if article.status not in EDITABLE:
        raise EditorialError(_("Only a draft can be sent for review."), "status")
    article.status = ArticleStatus.REVIEW
    article.submitted_by = user
    article.return_reason = ""
    article.save()
    return article


@transaction.atomic
def article_return(*, article: Article, user: Any, reason: str, version: int | None = None) -> Article:
    """Send an article in review back to its editors with a reason."""
    require(user, article, RETURN)
    article = _fresh(article, version)
    if article.status != ArticleStatus.REVIEW:
        raise EditorialError(_("Only an article in review can be returned."), "status")
    article.return_reason = _reason(reason)
    article.status = ArticleStatus.DRAFT
    article.save()
    return article


@transaction.atomic
def article_publish(
    *, article: Article, user: Any, publish_at: datetime | None = None, version: int | None = None
) -> Article:
    """Publish an article in review now, or at ``publish_at`` (it then appears by itself:
    the public pages ask for published articles that are due)."""
    require(user, article, PUBLISH)
    article = _fresh(article, version)
    _check_publish(article, user)
    now = timezone.now()
    if publish_at is not None and timezone.is_naive(publish_at):
        raise EditorialError(_("Give the publication time with its time zone."), "publish_at")
    if publish_at is not None and not (PUBLISH_YEARS[0] <= publish_at.year <= PUBLISH_YEARS[1]):
        raise EditorialError(_("Give a publication time between 2000 and 2100."), "publish_at")
    article.publish_at = publish_at if publish_at is not None and publish_at > now else now
    article.status = ArticleStatus.PUBLISHED
    article.published_by = user
    article.unpublish_reason = ""
    article.save()
    cache.bump()
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user: Any, reason: str, version: int | None = None) -> Article:
    """Take a published (or scheduled) article off the portal, with a reason; its editors
    may then change it and send it for review again."""
    require(user, article, UNPUBLISH)
    article = _fresh(article, version)
    if article.status != ArticleStatus.PUBLISHED:
        raise EditorialError(_("Only a published article can be unpublished."), "status")
    article.unpublish_reason = _reason(reason)
    article.status = ArticleStatus.UNPUBLISHED
    article.save()
    cache.bump()
    return article


@transaction.atomic
def revision_restore(*, revision: ArticleRevision, user: Any) -> Article:
    """Make an earlier revision's text the article's text again (a new revision)."""
    article = revision.article
    require(user, article, CHANGE)
    article = _fresh(article, None)
    if article.status not in EDITABLE:
        raise EditorialError(
            _("An article in review or published is locked; it is changed after it is returned or unpublished."),
            "locked",
        )
    article.title, article.summary, article.body = revision.title, revision.summary, revision.body
    article.full_clean()
    article.save()
    return article


#: The steps the page and the API take by name.
ACTIONS: dict[str, Callable[..., Article]] = {
    SUBMIT: article_submit,
    RETURN: article_return,
    PUBLISH: article_publish,
    UNPUBLISH: article_unpublish,
}
