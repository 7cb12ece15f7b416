from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tongxin.core.admin import ScopedAdmin
from tongxin.core.exceptions import WorkflowError
from tongxin.portal.models import Article
from tongxin.portal.services import article_publish, article_submit


def _each(request: HttpRequest, queryset: QuerySet[Article], step: Any) -> None:
    """Run a workflow step on each chosen article through its service (the same rules as
    the page and the API: a refused one is reported, the others go ahead)."""
    done = 0
    for article in queryset:
        try:
            step(article=article, user=request.user)
        except (WorkflowError, PermissionDenied, Http404) as exc:
            reason = getattr(exc, "message", None) or gettext("You may not do this.")
            messages.error(request, f"{article}: {reason}")
        else:
            done += 1
    if done:
        messages.success(request, gettext("%(count)d article(s) done.") % {"count": done})


@admin.register(Article)
class ArticleAdmin(ScopedAdmin):
    """Articles under the same policy; status moves only through the actions (services)."""

    list_display = ("title", "column", "status", "publish_at", "county")
    list_filter = ("status", "column")
    search_fields = ("title", "author")
    readonly_fields = ("status", "publish_at", "published_by", "submitted_by", "created_by")
    actions = ("submit_selected", "publish_selected")

    @admin.action(description=_("Send the chosen articles for review"))
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        _each(request, queryset, article_submit)

    @admin.action(description=_("Publish the chosen articles now"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        _each(request, queryset, article_publish)
