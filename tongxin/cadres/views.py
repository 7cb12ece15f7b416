"""Pages of the cadre files. Every read of a person's file is logged; identifiers are
masked unless the viewer holds the unmask right and asks (which is logged too)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from tongxin.cadres.choices import AccessKind
from tongxin.cadres.forms import ExportPurposeForm
from tongxin.cadres.models import Person
from tongxin.cadres.models.people import UNMASK
from tongxin.cadres.privacy import masked
from tongxin.cadres.services.access import people_export_log, person_unmask, person_view_log
from tongxin.core.downloads import dated_name, english, ledger_title
from tongxin.core.exceptions import WorkflowError
from tongxin.core.exports import TableSheet
from tongxin.core.filtersets import filters_line
from tongxin.core.scope import EXPORT, allowed, can, get_scoped_or_404, restrict
from tongxin.core.views.generic import (
    ObjectDetailView,
    ObjectExportView,
    ObjectHistoryView,
    stream_export_response,
)
from tongxin.core.workbooks import Layout, exported_on

PROFILE_FIELDS = (
    "code",
    "name",
    "gender",
    "birth_date",
    "education",
    "expertise",
    "work_unit",
    "post",
    "rank",
    "affiliation",
    "npc_level",
    "cppcc_level",
    "status",
    "county",
)


def _label(name: str) -> str:
    return str(Person._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def profile_rows(person: Person) -> list[tuple[str, Any]]:
    """(label, value) of the file, identifiers masked."""
    rows: list[tuple[str, Any]] = []
    for name in PROFILE_FIELDS:
        field = Person._meta.get_field(name)
        value = getattr(person, f"get_{name}_display")() if getattr(field, "choices", None) else getattr(person, name)
        rows.append((_label(name), value if value not in (None, "") else "—"))
    for name in ("resident_id", "mobile"):
        rows.append((_label(name), masked(name, getattr(person, name)) or "—"))
    return rows


class PersonDetailView(ObjectDetailView):
    """A person's file: the read is logged; identifiers masked, an unmask button for
    whoever holds the right."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object(pk)
        person_view_log(user=request.user, person=person, kind=AccessKind.PAGE)
        context = {
            "object": person,
            "profile": profile_rows(person),
            "posts": person.posts.order_by("-start", "pk"),
            "can_unmask": allowed(request.user, person, UNMASK),
            **self.ledger_context(),
        }
        return render(request, "cadres/person_detail.html", context)


class PersonHistoryView(ObjectHistoryView):
    """The change log of a file (identifiers are logged masked); the read is logged."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = super().get(request, pk)
        person_view_log(user=request.user, person=self.get_object(pk), kind=AccessKind.PAGE)
        return response


class PersonUnmaskView(LoginRequiredMixin, View):
    """POST: show the full ID number and mobile of one person (logged)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_scoped_or_404(Person, request.user, pk=pk)
        values = person_unmask(user=request.user, person=person)
        rows = [(_label(name), value or "—") for name, value in values.items()]
        return render(request, "cadres/_unmasked.html", {"rows": rows, "object": person})


class PersonExportView(ObjectExportView):
    """The export of cadre files asks for a purpose first; the export is logged with it
    (and with "unmasked" when full identifiers were asked for and allowed)."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not can(request.user, Person, EXPORT):
            raise Http404
        if "purpose" not in request.GET:
            form = ExportPurposeForm()
            return self._ask(request, form)
        form = ExportPurposeForm(request.GET)
        if not form.is_valid():
            return self._ask(request, form, status=400)
        filterset = self.ledger.filterset(request.GET, queryset=self.scoped(), request=request)
        if not filterset.is_valid():
            return self._ask(request, form, status=400, problems=filterset.errors)
        queryset = filterset.qs
        unmask = bool(form.cleaned_data["unmask"])
        if unmask and restrict(queryset, request.user, UNMASK).count() != queryset.count():
            raise PermissionDenied
        try:
            with transaction.atomic():
                people_export_log(
                    user=request.user, people=queryset, purpose=form.cleaned_data["purpose"], unmasked=unmask
                )
        except WorkflowError as exc:
            form.add_error("purpose", str(exc.message))
            return self._ask(request, form, status=400)
        sheet = TableSheet(self.ledger.table(queryset, unmasked=unmask), exclude=("actions",))
        plural = Person._meta.verbose_name_plural
        title = ledger_title(plural)
        notes = [filters_line(filterset, request.GET), exported_on(), _("Purpose: %(purpose)s") % form.cleaned_data]
        layout = Layout(title, sheet.layout_columns, notes=notes)
        fallback = dated_name(english(lambda: ledger_title(plural)))
        return stream_export_response(layout, sheet.rows(), name=dated_name(title), fallback=fallback)

    def _ask(
        self, request: HttpRequest, form: ExportPurposeForm, *, status: int = 200, problems: Any = None
    ) -> HttpResponse:
        query = request.GET.copy()
        for name in ("purpose", "unmask"):
            query.pop(name, None)
        context = {
            "form": form,
            "filters": query,
            "problems": problems or {},
            "can_unmask": can(request.user, Person, UNMASK),
            **self.ledger_context(),
        }
        return render(request, "cadres/person_export.html", context, status=status)
