from django.db import models
from django.utils.translation import gettext_lazy as _


class Column(models.TextChoices):
    """The columns of the portal's home page."""

    NEWS = "news", _("News")
    STORIES = "stories", _("Entrepreneur stories")
    HONOURS = "honours", _("Honours")
    POLICY = "policy", _("Policy")


class ArticleStatus(models.TextChoices):
    """draft → in review → published; returned to draft with a reason; unpublished with a reason."""

    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


#: An editor changes the text only in these states (a reviewed or published text is locked).
EDITABLE = (ArticleStatus.DRAFT, ArticleStatus.UNPUBLISHED)
