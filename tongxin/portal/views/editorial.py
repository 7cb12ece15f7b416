"""The editorial side: articles of the counties a person works for, their workflow,
revisions and pictures. Every row through the article's policy; every step through
:mod:`tongxin.portal.services` (the same as the API and the admin)."""

from __future__ import annotations

import difflib
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from tongxin.core.exceptions import OutOfScopeError, StaleObjectError, WorkflowError
from tongxin.core.files import serve_file
from tongxin.core.scope import ADD, CHANGE, VIEW, allowed, can, get_scoped_or_404, require, restrict
from tongxin.core.services import save_in_scope
from tongxin.portal.choices import EDITABLE, ArticleStatus
from tongxin.portal.forms import ActionForm, ArticleFilterForm, ArticleForm, ImageForm
from tongxin.portal.models import PUBLISH, RETURN, SUBMIT, UNPUBLISH, Article, ArticleImage, ArticleRevision
from tongxin.portal.services import ACTIONS, can_publish, revision_restore

PER_PAGE = 50


class ArticleListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        articles = restrict(Article.objects.all(), request.user, VIEW).select_related("county")
        form = ArticleFilterForm(request.GET or None)
        if form.is_valid():
            data = form.cleaned_data
            if data["status"]:
                articles = articles.filter(status=data["status"])
            if data["column"]:
                articles = articles.filter(column=data["column"])
            if data["q"]:
                articles = articles.filter(Q(title__icontains=data["q"]) | Q(author__icontains=data["q"]))
        page = Paginator(articles.order_by("-last_updated", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
        context = {"page": page, "form": form, "can_add": can(request.user, Article, ADD)}
        return render(
            request,
            "portal/editorial/article_list.html",
            context,
            status=200 if form.is_valid() or not form.is_bound else 400,
        )


class ArticleEditView(LoginRequiredMixin, View):
    """Write a new article (``pk`` None) or change a draft; the save is judged in scope."""

    def _instance(self, pk: int | None) -> Article:
        if pk is None:
            if not can(self.request.user, Article, ADD):
                raise Http404
            return Article()
        return get_scoped_or_404(Article, self.request.user, CHANGE, pk=pk)

    def _render(self, form: ArticleForm, obj: Article) -> HttpResponse:
        return render(self.request, "portal/editorial/article_form.html", {"form": form, "object": obj})

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._instance(pk)
        return self._render(ArticleForm(instance=obj, user=request.user), obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._instance(pk)
        form = ArticleForm(data=request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                saved = save_in_scope(user=request.user, instance=obj, save=form.save, adding=pk is None)
            except (StaleObjectError, OutOfScopeError) as exc:
                form.add_error(None, exc.message)
                return self._render(form, obj)
            messages.success(request, _("Saved %(object)s.") % {"object": saved})
            return HttpResponseRedirect(saved.get_absolute_url())
        return self._render(form, obj)


class ArticleDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = get_scoped_or_404(Article, request.user, VIEW, pk=pk)
        user = request.user
        editable = article.status in EDITABLE
        publish = can_publish(user, article)
        context = {
            "article": article,
            "revisions": list(article.revisions.select_related("saved_by").order_by("-number")[:50]),
            "images": list(article.images.all()),
            "can_change": editable and allowed(user, article, CHANGE),
            "can_submit": editable and allowed(user, article, SUBMIT),
            "can_publish": publish.ok,
            "publish_refused": publish.reason,
            "can_return": article.status == ArticleStatus.REVIEW and allowed(user, article, RETURN),
            "can_unpublish": article.status == ArticleStatus.PUBLISHED and allowed(user, article, UNPUBLISH),
            "action_form": ActionForm(initial={"version": article.version}),
            "image_form": ImageForm(),
        }
        return render(request, "portal/editorial/article_detail.html", context)


class ArticleActionView(LoginRequiredMixin, View):
    """POST a workflow step (submit, publish, return, unpublish) through its service."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        service = ACTIONS.get(action)
        if service is None:
            raise Http404
        article = get_scoped_or_404(Article, request.user, VIEW, pk=pk)
        form = ActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return HttpResponseRedirect(article.get_absolute_url())
        data = form.cleaned_data
        options: dict[str, Any] = {"version": data.get("version")}
        if action in (RETURN, UNPUBLISH):
            options["reason"] = data.get("reason") or ""
        if action == PUBLISH:
            options["publish_at"] = data.get("publish_at")
        try:
            service(article=article, user=request.user, **options)
        except StaleObjectError as exc:
            messages.error(request, str(exc.message))
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Done: %(object)s.") % {"object": article})
        return HttpResponseRedirect(article.get_absolute_url())


_BLOCK_END = re.compile(r"(</(?:p|h2|h3|h4|li|blockquote|pre|tr|table|figure|ul|ol)>|<br>|<hr>)")


def _lines(text: str) -> list[str]:
    return [line for line in _BLOCK_END.sub(r"\1\n", text or "").splitlines() if line.strip()]


def revision_diff(older: ArticleRevision | None, newer: ArticleRevision) -> list[tuple[str, str]]:
    """(kind, line) of the text from ``older`` to ``newer``: "+" added, "-" removed, " " kept."""
    before = [older.title, older.summary, *_lines(older.body)] if older else []
    after = [newer.title, newer.summary, *_lines(newer.body)]
    lines = []
    for line in difflib.ndiff(before, after):
        if line[:1] in ("+", "-", " "):
            lines.append((line[:1], line[2:]))
    return lines


class RevisionDetailView(LoginRequiredMixin, View):
    """One revision, and what changed from the one before."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        revision = get_scoped_or_404(ArticleRevision, request.user, VIEW, pk=pk)
        article = revision.article
        context = {
            "revision": revision,
            "article": article,
            "diff": revision_diff(revision.previous(), revision),
            "can_restore": article.status in EDITABLE and allowed(request.user, article, CHANGE),
        }
        return render(request, "portal/editorial/revision_detail.html", context)


class RevisionRestoreView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        revision = get_scoped_or_404(ArticleRevision, request.user, VIEW, pk=pk)
        try:
            revision_restore(revision=revision, user=request.user)
        except (WorkflowError, ValidationError) as exc:
            messages.error(request, str(getattr(exc, "message", exc)))
        else:
            messages.success(request, _("Revision %(number)s restored.") % {"number": revision.number})
        return HttpResponseRedirect(revision.article.get_absolute_url())


class ImageUploadView(LoginRequiredMixin, View):
    """Add a picture to a draft (type checked by its content, at most 5 MB)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = get_scoped_or_404(Article, request.user, VIEW, pk=pk)
        require(request.user, article, CHANGE)
        if article.status not in EDITABLE:
            messages.error(request, _("Pictures are added to drafts only."))
            return HttpResponseRedirect(article.get_absolute_url())
        form = ImageForm(request.POST, request.FILES, instance=ArticleImage(article=article))
        if form.is_valid():
            form.save()
            messages.success(request, _("Picture added."))
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(article.get_absolute_url())


class ImagePreviewView(LoginRequiredMixin, View):
    """A picture of an article the person may read, before or after it is published."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        picture = ArticleImage.objects.filter(
            pk=pk, article__in=restrict(Article.objects.all(), request.user, VIEW)
        ).first()
        if picture is None:
            raise Http404
        return serve_file(picture.image)
