from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongxin.core.api import ScopedModelViewSet
from tongxin.portal.api.serializers import ActionSerializer, ArticleSerializer, RevisionSerializer
from tongxin.portal.filtersets import ArticleFilterSet
from tongxin.portal.models import PUBLISH, RETURN, SUBMIT, UNPUBLISH, Article
from tongxin.portal.services import ACTIONS


class ArticleViewSet(ScopedModelViewSet):
    """Portal articles of the caller's counties: editors write, publishers (never the
    writer) publish — the same services as the pages and the admin."""

    queryset = Article.objects.select_related("county")
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilterSet
    ordering_fields = ["publish_at", "last_updated", "title"]

    def _step(self, request: Request, name: str) -> Response:
        article = self.get_object()
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        options: dict[str, Any] = {"version": values.get("version")}
        if name in (RETURN, UNPUBLISH):
            options["reason"] = values.get("reason", "")
        if name == PUBLISH:
            options["publish_at"] = values.get("publish_at")
        article = ACTIONS[name](article=article, user=request.user, **options)
        return Response(ArticleSerializer(article, context=self.get_serializer_context()).data)

    @extend_schema(request=ActionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        """Send a draft for review."""
        return self._step(request, SUBMIT)

    @extend_schema(request=ActionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        """Publish now or at ``publish_at`` (never by the article's writer)."""
        return self._step(request, PUBLISH)

    @extend_schema(request=ActionSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        """Return an article in review to its editors, with a reason."""
        return self._step(request, RETURN)

    @extend_schema(request=ActionSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, pk: Any = None) -> Response:
        """Take a published article off the portal, with a reason."""
        return self._step(request, UNPUBLISH)

    @extend_schema(responses=RevisionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def revisions(self, request: Request, pk: Any = None) -> Response:
        """Every revision of the article's text, newest first."""
        article = self.get_object()
        return Response(RevisionSerializer(article.revisions.order_by("-number"), many=True).data)
