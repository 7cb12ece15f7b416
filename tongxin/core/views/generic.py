"""Generic ledger views. Small on purpose: list, detail, edit, delete, history, export, import.

Every view reads its rows through ``restrict(user, action)``; there is no other way in.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from tongxin.core.disposition import content_disposition
from tongxin.core.downloads import dated_name, english, ledger_title, template_name
from tongxin.core.exceptions import OutOfScopeError, StaleObjectError
from tongxin.core.exports import TableSheet, build_workbook, spooled_workbook
from tongxin.core.fields import field_label
from tongxin.core.filtersets import active_filters, filters_line, filters_text, grouped_filters
from tongxin.core.forms import ImportForm
from tongxin.core.history import history_entries
from tongxin.core.import_templates import build_import_template
from tongxin.core.imports import ImportRefused, check_container, import_columns
from tongxin.core.ledgers import Ledger, get_ledger
from tongxin.core.models import ImportJob, ObjectChange
from tongxin.core.pagination import ClampedPaginator
from tongxin.core.scope import ADD, CHANGE, DELETE, EXPORT, IMPORT, VIEW, can, get_scoped_or_404, restrict
from tongxin.core.services import delete_in_scope, save_in_scope
from tongxin.core.tasks import run_import
from tongxin.core.workbooks import XLSX_CONTENT_TYPE, Layout, exported_on


class LedgerMixin(LoginRequiredMixin):
    """Binds a view to one ledger and gives it the scoped queryset for an action."""

    ledger: Ledger = cast(Ledger, None)  # set by ledger_urls()
    action: str = VIEW
    request: HttpRequest

    def scoped(self, action: str | None = None) -> models.QuerySet[Any]:
        queryset = restrict(self.ledger.model._default_manager.all(), self.request.user, action or self.action)
        ordering: Any = self.ledger.model._meta.ordering or ()
        return self.ledger.optimise(queryset).order_by(*ordering)

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.scoped()

    def get_object(self, pk: Any) -> Any:
        """The row in the user's scope for the view's action, else 404, with the ledger's
        related rows read along (a detail page shows them: a fixed number of queries)."""
        queryset = self.ledger.optimise(
            restrict(self.ledger.model._default_manager.all(), self.request.user, self.action)
        )
        try:
            return queryset.get(pk=pk)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc

    def ledger_context(self) -> dict[str, Any]:
        user = self.request.user
        model = self.ledger.model
        return {
            "ledger": self.ledger,
            "opts": model._meta,
            "can_add": can(user, model, ADD) and self.ledger.form is not None,
            "can_change": can(user, model, CHANGE) and self.ledger.form is not None,
            "can_delete": can(user, model, DELETE),
            "can_export": can(user, model, EXPORT),
            "can_import": can(user, model, IMPORT) and self.ledger.import_form is not None,
        }


class ObjectListView(LedgerMixin, SingleTableMixin, FilterView):  # type: ignore[misc]
    """A filterable, sortable, paginated table of the rows in scope.

    Only the table paginates (``?page=``, ``?per_page=``, never an error: see
    :mod:`tongxin.core.pagination`); a filter parameter that is not valid answers 400 with
    the page and the filter's error shown.
    """

    template_name = "core/object_list.html"
    paginate_by = None
    paginator_class = ClampedPaginator

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if self.filterset.is_bound and not self.filterset.is_valid():
            kwargs.setdefault("status", 400)
        return super().render_to_response(context, **kwargs)  # type: ignore[no-any-return]

    def get_filterset_class(self) -> Any:
        return self.ledger.filterset

    def get_table_class(self) -> Any:
        return self.ledger.table

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context.update(self.ledger_context())
        context["querystring"] = self.request.GET.urlencode()
        active = active_filters(self.filterset, self.request.GET)
        context["active_filters"] = active
        context["filters_line"] = filters_text(grouped_filters(active))
        return context


class ObjectDetailView(LedgerMixin, View):
    template_name = "core/object_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        context = {"object": obj, **self.ledger_context(), **self.extra_context(obj)}
        names = [f"{self.ledger.namespace}/{self.ledger.name}_detail.html", self.template_name]
        return render(request, names, context)

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {}


class ObjectEditView(LedgerMixin, View):
    """Create (no pk) or change (pk) one object; the save is re-checked against scope."""

    template_name = "core/object_edit.html"

    def _instance(self, pk: int | None) -> Any:
        if pk is None:
            if not can(self.request.user, self.ledger.model, ADD) or self.ledger.form is None:
                raise Http404
            return self.ledger.model()
        if self.ledger.form is None:
            raise Http404
        return get_scoped_or_404(self.ledger.model, self.request.user, CHANGE, pk=pk)

    def _render(self, form: Any, obj: Any) -> HttpResponse:
        context = {"form": form, "object": obj, **self.ledger_context()}
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._instance(pk)
        assert self.ledger.form is not None
        # A link may preset fields of a new object, e.g. ?pair=12 from the pair's page.
        initial = {k: v for k, v in request.GET.items() if k in self.ledger.form.base_fields} if pk is None else {}
        return self._render(self.ledger.form(instance=obj, user=request.user, initial=initial), obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._instance(pk)
        assert self.ledger.form is not None
        form = self.ledger.form(data=request.POST, files=request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            try:
                saved = save_in_scope(user=request.user, instance=obj, save=form.save, adding=pk is None)
            except StaleObjectError as exc:
                form.add_error(None, exc.message)
                return self._render(form, obj)
            except OutOfScopeError as exc:
                form.add_error(None, exc.message)
                return self._render(form, obj)
            messages.success(request, _("Saved %(object)s.") % {"object": saved})
            return HttpResponseRedirect(saved.get_absolute_url())
        return self._render(form, obj)


class ObjectDeleteView(LedgerMixin, View):
    template_name = "core/object_delete.html"
    action = DELETE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        return render(request, self.template_name, {"object": obj, **self.ledger_context()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        try:
            delete_in_scope(user=request.user, instance=obj)
        except models.ProtectedError:
            messages.error(request, _("%(object)s is still referenced by other records.") % {"object": obj})
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted %(object)s.") % {"object": obj})
        return HttpResponseRedirect(reverse(self.ledger.url_name("list")))


class ObjectHistoryView(LedgerMixin, View):
    """The change log of one object: who changed what, when, before and after."""

    template_name = "core/object_history.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        changes = ObjectChange.objects.filter(
            changed_object_type=ContentType.objects.get_for_model(obj), changed_object_id=obj.pk
        ).select_related("user")
        context = {"object": obj, "entries": history_entries(changes), **self.ledger_context()}
        return render(request, self.template_name, context)


def _file_response(response: HttpResponseBase, name: str, fallback: str | None) -> HttpResponseBase:
    response["Content-Disposition"] = content_disposition(name, fallback=fallback or "")
    return response


def export_response(layout: Layout, rows: Any, *, name: str, fallback: str | None = None) -> HttpResponse:
    """A small sheet (a dashboard table) built in memory, downloaded as ``name``
    (``fallback``: its ASCII name for old clients)."""
    response = HttpResponse(build_workbook(layout, rows), content_type=XLSX_CONTENT_TYPE)
    _file_response(response, name, fallback)
    return response


def stream_export_response(layout: Layout, rows: Any, *, name: str, fallback: str | None = None) -> FileResponse:
    """A sheet of any length: written row by row to a temporary file, then streamed."""
    response = FileResponse(spooled_workbook(layout, rows), content_type=XLSX_CONTENT_TYPE)
    response.block_size = 64 * 1024
    _file_response(response, name, fallback)
    return response


class ObjectExportView(LedgerMixin, View):
    """The filtered rows in scope as .xlsx, with the table's columns and values.

    Streams: the rows are read in chunks and written as they come (see
    :class:`~tongxin.core.exports.TableSheet`), so 100,000 rows need no more memory than
    a hundred. More than ``TONGXIN["EXPORT_MAX_ROWS"]`` rows is a 400 asking for a filter.
    """

    action = EXPORT

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not can(request.user, self.ledger.model, EXPORT):
            raise Http404
        filterset = self.ledger.filterset(request.GET, queryset=self.scoped(), request=request)
        if not filterset.is_valid():  # say what is wrong rather than export nothing
            problems = [f"{name}: {message}" for name, errors in filterset.errors.items() for message in errors]
            return HttpResponseBadRequest("\n".join(problems), content_type="text/plain; charset=utf-8")
        queryset = filterset.qs
        limit = int(settings.TONGXIN["EXPORT_MAX_ROWS"])
        count = queryset.count()
        if count > limit:
            message = _("%(count)d rows match; an export holds at most %(max)d. Narrow the filter and export again.")
            return HttpResponseBadRequest(
                message % {"count": count, "max": limit}, content_type="text/plain; charset=utf-8"
            )
        sheet = TableSheet(self.ledger.table(queryset), exclude=("actions",))
        plural = self.ledger.model._meta.verbose_name_plural
        title = ledger_title(plural)
        layout = Layout(title, sheet.layout_columns, notes=[filters_line(filterset, request.GET), exported_on()])
        name = dated_name(title)
        fallback = dated_name(english(lambda: ledger_title(plural)))
        return stream_export_response(layout, sheet.rows(), name=name, fallback=fallback)


class ObjectImportView(LedgerMixin, View):
    """Upload a spreadsheet; a background job checks (dry run) or imports it."""

    template_name = "core/object_import.html"
    action = IMPORT

    def _check(self) -> None:
        if self.ledger.import_form is None or not can(self.request.user, self.ledger.model, IMPORT):
            raise Http404

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check()
        return render(request, self.template_name, {"form": ImportForm(), **self._context()})

    def _context(self) -> dict[str, Any]:
        assert self.ledger.import_form is not None
        model = self.ledger.model
        columns = [field_label(model, name) for name in import_columns(self.ledger.import_form)]
        return {"columns": columns, **self.ledger_context()}

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check()
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, **self._context()})
        upload = form.cleaned_data["file"]
        data = upload.read(int(self._limit()) + 1)
        try:
            check_container(data)
        except ImportRefused as exc:
            form.add_error("file", str(exc))
            return render(request, self.template_name, {"form": form, **self._context()})
        job = ImportJob.objects.create(
            user=cast(Any, request.user),
            ledger=self.ledger.name,
            file_name=upload.name[:200],
            data=data,
            dry_run=form.cleaned_data["dry_run"],
        )
        run_import.enqueue(job.pk)
        return HttpResponseRedirect(reverse("core:import_job", args=[job.pk]))

    def _limit(self) -> int:
        from django.conf import settings

        return int(settings.TONGXIN["IMPORT_MAX_BYTES"])


class ImportTemplateView(LedgerMixin, View):
    """The import template to fill in: drop-down lists, an example sheet (see
    :mod:`tongxin.core.import_templates`)."""

    action = IMPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        if self.ledger.import_form is None or not can(request.user, self.ledger.model, IMPORT):
            raise Http404
        model = self.ledger.model
        data = build_import_template(model, self.ledger.import_form, request.user)
        plural = model._meta.verbose_name_plural
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
        _file_response(response, template_name(plural), fallback=english(lambda: template_name(plural)))
        return response


class ImportJobView(LoginRequiredMixin, View):
    """One import job; while it runs, htmx polls this view for the progress bar."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = get_object_or_404(ImportJob.objects.defer("data"), pk=pk, user=request.user)
        ledger = get_ledger(job.ledger)
        done, total = cache.get(job.progress_key, (0, 0))
        percent = int(100 * done / total) if total else 0
        context = {"job": job, "ledger": ledger, "done": done, "total": total, "percent": percent}
        template = "core/import_job_status.html" if request.headers.get("HX-Request") else "core/import_job.html"
        return render(request, template, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Apply a successful dry run: import the same file for real."""
        job = get_object_or_404(ImportJob, pk=pk, user=request.user, dry_run=True, status=ImportJob.Status.DONE)
        if job.result.get("errors"):
            raise Http404
        ledger = get_ledger(job.ledger)
        if not can(request.user, ledger.model, IMPORT):
            raise Http404
        applied = ImportJob.objects.create(
            user=cast(Any, request.user), ledger=job.ledger, file_name=job.file_name, data=job.data, dry_run=False
        )
        run_import.enqueue(applied.pk)
        return HttpResponseRedirect(reverse("core:import_job", args=[applied.pk]))
