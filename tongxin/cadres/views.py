"""Pages of the cadre files. Every read of a person's file is logged; identifiers are
masked unless the viewer holds the unmask right and asks (which is logged too)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from tongxin.cadres.choices import AccessKind, BodyKind, RankLevel, ReserveStage
from tongxin.cadres.forms import IDENTIFIERS, PERSON_FIELDS, ExportPurposeForm, StageForm
from tongxin.cadres.models import Body, Person, StaffingRule
from tongxin.cadres.models.bodies import COUNT
from tongxin.cadres.models.people import ADVANCE, UNMASK
from tongxin.cadres.privacy import masked
from tongxin.cadres.services.access import people_export_log, person_unmask, person_view_log
from tongxin.cadres.services.compliance import body_counts, compliance_report
from tongxin.cadres.services.reserve import current_stage, is_young, next_stages, reserve_advance
from tongxin.cadres.views_data import person_more_context
from tongxin.cadres.views_training import person_training
from tongxin.core.downloads import dated_name, english, ledger_title
from tongxin.core.exceptions import WorkflowError
from tongxin.core.exports import TableSheet
from tongxin.core.filtersets import filters_line
from tongxin.core.scope import EXPORT, VIEW, allowed, can, get_scoped_or_404, restrict
from tongxin.core.views.generic import (
    ObjectDetailView,
    ObjectExportView,
    ObjectHistoryView,
    stream_export_response,
)
from tongxin.core.workbooks import Layout, exported_on

#: The profile shown on a person's page: the file's fields but the identifiers (shown masked apart).
PROFILE_FIELDS = tuple(name for name in PERSON_FIELDS if name not in IDENTIFIERS)


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
        kind = AccessKind.SEARCH if request.GET.get("via") == "search" else AccessKind.PAGE
        person_view_log(user=request.user, person=person, kind=kind)
        context = {
            "object": person,
            "profile": profile_rows(person),
            "posts": person.posts.order_by("-start", "pk"),
            "can_unmask": allowed(request.user, person, UNMASK),
            **self._reserve(person),
            **person_training(request.user, person),
            **person_more_context(request.user, person),
            **self.ledger_context(),
        }
        return render(request, "cadres/person_detail.html", context)

    def _reserve(self, person: Person, form: StageForm | None = None) -> dict[str, Any]:
        stages = list(person.stages.order_by("date", "pk"))
        following = next_stages(stages[-1].stage if stages else None)
        if form is None:
            form = StageForm(initial={"date": timezone.localdate()})
        _offer(form, following)
        return {
            "stages": stages,
            "young": is_young(person, timezone.localdate()),
            "stage_form": form if following and allowed(self.request.user, person, ADVANCE) else None,
        }


def _offer(form: StageForm, following: list[str]) -> None:
    """Offer only the steps that may follow the person's current stage."""
    field: Any = form.fields["stage"]
    field.choices = [(value, label) for value, label in ReserveStage.choices if value in following]


class PersonStageView(LoginRequiredMixin, View):
    """POST: the next step of a person in the reserve pipeline (the service judges it)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_scoped_or_404(Person, request.user, pk=pk)
        form = StageForm(request.POST)
        following = next_stages(current_stage(person))
        _offer(form, following)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reserve_advance(
                    user=request.user,
                    person=person,
                    stage=data["stage"],
                    on=data["date"],
                    note=data["note"],
                    reason=data["reason"],
                )
            except WorkflowError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Saved %(object)s.") % {"object": person})
        else:
            if not allowed(request.user, person, ADVANCE):
                raise PermissionDenied
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(person.get_absolute_url())


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


class ComplianceView(LoginRequiredMixin, View):
    """The staffing rules of the user's counties: met or short, the shortfall a vacancy
    will cause, and ranked reserve candidates for each gap."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, StaffingRule, VIEW):
            raise Http404
        reports = compliance_report(user=request.user)
        shown = [
            {
                "report": report,
                "gaps": [
                    {"gap": gap, "candidates": [(c, [reason_text(r) for r in c.reasons]) for c in gap.candidates]}
                    for gap in report.gaps
                ],
            }
            for report in reports
        ]
        return render(request, "cadres/compliance.html", {"reports": shown})


class BodyCountsView(LoginRequiredMixin, View):
    """Numbers of posts and non-party holders per body (township staff: their township's
    bodies only); nobody is named."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, Body, COUNT):
            raise Http404
        rows = body_counts(user=request.user)
        labels = dict(BodyKind.choices)
        for row in rows:
            row["kind_label"] = labels.get(row["kind"], row["kind"])
        return render(request, "cadres/body_counts.html", {"rows": rows})


REASONS = {
    "field": _lazy("field of expertise matches (%(value)s)"),
    "rank": _lazy("rank level"),
    "age": _lazy("age %(value)s"),
    "retires_soon": _lazy("age %(value)s: retires within two years"),
    "training": _lazy("%(value)s training hours"),
}


def reason_text(reason: Any) -> str:
    """One reason of a candidate's fit, in words, with its points."""
    value = reason.value
    if reason.code == "rank":
        value = dict(RankLevel.choices).get(value, value)
    text = str(REASONS.get(reason.code, reason.code)) % {"value": value}
    return f"{text} (+{reason.points:g})"
