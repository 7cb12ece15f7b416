from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.roles import hats
from tongxin.core.forms import ScopedModelForm
from tongxin.core.scope import ADD, VIEW, restrict
from tongxin.enterprises.models import Enterprise
from tongxin.portal.choices import ArticleStatus, Column
from tongxin.portal.models import Article, ArticleImage

ARTICLE_FIELDS = ["county", "column", "title", "summary", "body", "author", "enterprise", "headline"]


def story_enterprises(user: Any) -> QuerySet[Enterprise]:
    """The enterprises a story of this user may name: those they may view (editors read
    their county's enterprises) in the counties where they may write articles."""
    visible = restrict(Enterprise.objects.all(), user, VIEW)
    if getattr(user, "is_superuser", False):
        return visible.order_by("name", "pk")
    counties = {hat.county_id for hat in hats(user) if Article.permissions.allows(hat.role, ADD)}
    return visible.filter(township__county_id__in=counties).order_by("name", "pk")


class ArticleForm(ScopedModelForm):
    class Meta:
        model = Article
        fields = ARTICLE_FIELDS
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        field.queryset = story_enterprises(self.user)  # type: ignore[attr-defined]
        field.widget.attrs["data-searchable"] = "1"


class ImageForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ArticleImage
        fields = ["image", "caption"]
        widgets = {"image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})}


class ActionForm(forms.Form):
    """A workflow step: a reason (return, unpublish), a publication time (publish)."""

    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty: now"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)


class ArticleFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *ArticleStatus.choices], required=False)
    column = forms.ChoiceField(label=_("Column"), choices=[("", _("Any")), *Column.choices], required=False)
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
