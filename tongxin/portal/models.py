"""The public portal's articles (news, entrepreneur stories, honours, policy), their
revisions and pictures.

An article is written by an editor of its county, reviewed and published by someone else
(a publisher, or the county administrator): the workflow lives in
:mod:`tongxin.portal.services`. Whatever the path (page, API, admin, demo), the body is
sanitised on save and every change of its text is kept as a revision.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.models import ChangeLoggedModel, ScopedModel
from tongxin.core.scope import ADD, CHANGE, DELETE, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.portal.choices import EDITABLE, ArticleStatus, Column
from tongxin.portal.sanitize import clean_html

SUBMIT, PUBLISH, RETURN, UNPUBLISH = "submit", "publish", "return", "unpublish"
APPROVE = frozenset({VIEW, EXPORT, PUBLISH, RETURN, UNPUBLISH})
#: Editors write (and send for review); publishers — and the county administrator, who
#: answers for what the county publishes — approve, publish and unpublish. County staff
#: read. Nobody publishes an article they wrote (the service's rule, on every path).
ARTICLE_PERMISSIONS = RolePermissions.of(
    {
        Role.EDITOR: frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT, SUBMIT}),
        Role.PUBLISHER: APPROVE,
        Role.COUNTY_ADMIN: APPROVE,
        Role.COUNTY_STAFF: frozenset({VIEW, EXPORT}),
    }
)
#: Revisions are read by whoever reads the article inside the editorial side.
READERS = RolePermissions.of(
    {role: {VIEW} for role in (Role.EDITOR, Role.PUBLISHER, Role.COUNTY_ADMIN, Role.COUNTY_STAFF)}
)
#: The text of an article: a change of any of these is a new revision.
TEXT_FIELDS = ("title", "summary", "body")


class ArticleQuerySet(models.QuerySet["Article"]):
    def live(self, now: datetime | None = None) -> ArticleQuerySet:
        """Published and due: what the public sees."""
        return self.filter(status=ArticleStatus.PUBLISHED, publish_at__lte=now or timezone.now())

    def scheduled(self, now: datetime | None = None) -> ArticleQuerySet:
        """Published for a later time, not yet shown."""
        return self.filter(status=ArticleStatus.PUBLISHED, publish_at__gt=now or timezone.now())

    def next_due(self, now: datetime | None = None) -> datetime | None:
        """When the next scheduled article appears (None: none is waiting)."""
        found: datetime | None = self.scheduled(now).order_by("publish_at").values_list("publish_at", flat=True).first()
        return found


def _user(label: Any) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


def _acting_user() -> Any:
    from tongxin.core.context import current

    context = current()
    return context.get_user() if context is not None else None


class Article(ScopedModel):
    """A news item, an entrepreneur story (linked to its enterprise), an honour or a policy
    text of a county's portal."""

    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="articles"
    )
    column = models.CharField(_("column"), max_length=16, choices=Column.choices, default=Column.NEWS)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True, help_text=_("Shown in lists and share cards"))
    body = models.TextField(_("text"), help_text=_("Rich text; scripts, event handlers and unsafe links are removed"))
    author = models.CharField(_("author"), max_length=200, blank=True, help_text=_("The byline as printed"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
        help_text=_("For an entrepreneur story: the enterprise, shown by its name"),
    )
    headline = models.BooleanField(_("headline"), default=False, help_text=_("Shown at the top of the home page"))
    status = models.CharField(
        _("status"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT, editable=False
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True, editable=False)
    published_by = _user(_("published by"))
    submitted_by = _user(_("sent for review by"))
    created_by = _user(_("written by"))
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    unpublish_reason = models.TextField(_("reason for unpublishing"), blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()  # type: ignore[assignment,misc]

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", placement=("county",))
    permissions: ClassVar[RolePermissions] = ARTICLE_PERMISSIONS

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "-publish_at"], name="portal_article_live_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ArticleStatus.PUBLISHED) | models.Q(publish_at__isnull=False),
                name="portal_article_published_has_time",
                violation_error_message=_("A published article has a publication time."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Sanitise the body; keep a revision when the text changed (every path)."""
        self.body = clean_html(self.body)
        adding = self._state.adding
        if adding and self.created_by_id is None:
            self.created_by = _acting_user()
        changed = adding or self._text_changed()
        super().save(*args, **kwargs)
        if changed:
            ArticleRevision.record(self, _acting_user())
            self._loaded_values = {**(self._loaded_values or {}), **{k: getattr(self, k) for k in TEXT_FIELDS}}

    def get_absolute_url(self) -> str:
        return reverse("editorial:article_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("portal:article", args=[self.pk])

    def _text_changed(self) -> bool:
        loaded = self._loaded_values
        if loaded is None:
            return True
        return any(loaded.get(name) != getattr(self, name) for name in TEXT_FIELDS if name in loaded)

    @property
    def stored_status(self) -> str:
        return str((self._loaded_values or {}).get("status") or self.status)

    @property
    def live(self) -> bool:
        return (
            self.status == ArticleStatus.PUBLISHED and self.publish_at is not None and self.publish_at <= timezone.now()
        )

    def clean(self) -> None:
        super().clean()
        self.body = clean_html(self.body)
        if self.pk is not None and self.stored_status not in EDITABLE and self._text_changed():
            raise ValidationError(
                _("An article in review or published is locked; it is changed after it is returned or unpublished."),
                code="locked",
            )
        enterprise = self.enterprise if self.enterprise_id is not None else None
        if enterprise is not None and self.county_id is not None and enterprise.township.county_id != self.county_id:
            raise ValidationError({"enterprise": _("The enterprise is not in the article's county.")})

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.stored_status != ArticleStatus.DRAFT or self.published_by_id is not None:
            raise models.ProtectedError(
                str(_("Only a draft that was never published can be deleted; unpublish it instead.")), {self}
            )
        return super().delete(*args, **kwargs)


class ArticleRevision(models.Model):
    """The text of an article as one save left it (numbered from 1); never changed."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved"), auto_now_add=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="article__county")
    permissions: ClassVar[RolePermissions] = READERS

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"],
                name="portal_revision_once",
                violation_error_message=_("This revision number is already used."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.article} · {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("editorial:revision_detail", args=[self.pk])

    @classmethod
    def record(cls, article: Article, user: Any) -> ArticleRevision:
        last = cls.objects.filter(article=article).aggregate(models.Max("number"))["number__max"] or 0
        return cls.objects.create(
            article=article,
            number=last + 1,
            title=article.title,
            summary=article.summary,
            body=article.body,
            saved_by=user,
        )

    def previous(self) -> ArticleRevision | None:
        return (
            ArticleRevision.objects.filter(article_id=self.article_id, number__lt=self.number)
            .order_by("-number")
            .first()
        )


IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
IMAGE_MAX_BYTES = 5 * 1024 * 1024


def validate_image_size(file: Any) -> None:
    if file.size > IMAGE_MAX_BYTES:
        raise ValidationError(_("A picture may be at most 5 MB."), code="size")


def validate_image_format(file: Any) -> None:
    """Only JPEG, PNG, WEBP and GIF pictures that Pillow can read (not what the name says)."""
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(_("Upload a JPEG, PNG, WEBP or GIF picture."), code="format") from exc
    finally:
        file.seek(0)
    if found not in IMAGE_FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG, WEBP or GIF picture."), code="format")


def image_path(instance: ArticleImage, filename: str) -> str:
    """A random stored name: the uploader's file name never reaches the disk or a URL."""
    suffix = PurePosixPath(filename).suffix.lower()
    suffix = suffix if suffix in IMAGE_FORMATS.values() or suffix == ".jpeg" else ".img"
    return f"portal/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ArticleImage(ChangeLoggedModel):
    """A picture of an article (the first is its cover and share card). Access follows the
    article: everyone once it is live, its county's editorial people before."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("picture"), upload_to=image_path, validators=[validate_image_size, validate_image_format]
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["article", "pk"]

    def __str__(self) -> str:
        return self.caption or str(_("Picture %(number)s") % {"number": self.pk})

    def get_public_url(self) -> str:
        return reverse("portal:image", args=[self.pk])

    def get_preview_url(self) -> str:
        return reverse("editorial:image", args=[self.pk])
