from typing import Any

from rest_framework import serializers

from tongxin.core.api import ScopedModelSerializer
from tongxin.portal.forms import ARTICLE_FIELDS, story_enterprises
from tongxin.portal.models import Article, ArticleRevision


class ArticleSerializer(ScopedModelSerializer):
    """An article; status and the workflow fields change only through the actions."""

    class Meta:
        model = Article
        fields = [
            "id",
            *ARTICLE_FIELDS,
            "status",
            "publish_at",
            "return_reason",
            "unpublish_reason",
            "version",
            "last_updated",
        ]
        read_only_fields = ["last_updated"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        enterprise = fields.get("enterprise")
        if enterprise is not None and not enterprise.read_only:
            # As on the form: the enterprises of the counties the user writes for, by name.
            enterprise.queryset = story_enterprises(getattr(request, "user", None))
        return fields


class ActionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A workflow step: a reason (return, unpublish), a publication time (publish), and the
    version the client read (optional; 409 when stale)."""

    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    publish_at = serializers.DateTimeField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class RevisionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ArticleRevision
        fields = ["id", "number", "title", "summary", "body", "saved_at"]
