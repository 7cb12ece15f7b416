import django_filters
from django.utils.translation import gettext_lazy as _

from tongxin.core.filtersets import ScopedFilterSet
from tongxin.portal.choices import ArticleStatus, Column
from tongxin.portal.models import Article


class ArticleFilterSet(ScopedFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ArticleStatus.choices, label=_("status"))
    column = django_filters.MultipleChoiceFilter(choices=Column.choices, label=_("column"))

    class Meta:
        model = Article
        fields = ["status", "column", "county"]
        search_fields = ["title", "author"]
