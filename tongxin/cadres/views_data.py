"""Pages of a person's file beyond the profile: the yearly review of a reserve person,
and the person's own data exported on request (logged with its purpose)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from tongxin.cadres.choices import PersonStatus
from tongxin.cadres.models import Person
from tongxin.cadres.models.people import ADVANCE, UNMASK
from tongxin.cadres.services.access import PURPOSE_MAX
from tongxin.cadres.services.reviews import REVIEW_DAYS, reserve_review, with_last_review
from tongxin.cadres.services.subject import person_data_export
from tongxin.core.disposition import content_disposition
from tongxin.core.downloads import dated_name
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import EXPORT, VIEW, allowed, get_scoped_or_404, require
from tongxin.core.workbooks import XLSX_CONTENT_TYPE


class ReviewForm(forms.Form):
    """The yearly review of a reserve person."""

    date = forms.DateField(label=_lazy("date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    note = forms.CharField(
        label=_lazy("assessment"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class SubjectPurposeForm(forms.Form):
    """Why a person's own data is exported (logged with it)."""

    purpose = forms.CharField(
        label=_lazy("Purpose of this export"),
        max_length=PURPOSE_MAX,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def person_more_context(user: Any, person: Person) -> dict[str, Any]:
    """The review card and the links of a person's page (one query for the last review)."""
    reserve = person.status == PersonStatus.RESERVE
    last = None
    if reserve:
        found: Any = with_last_review(Person.objects.filter(pk=person.pk))
        last = found.values_list("last_review", flat=True).first()
    today = timezone.localdate()
    may_advance = allowed(user, person, ADVANCE)
    return {
        "reviews": list(person.reviews.order_by("-date", "pk")) if reserve else [],
        "last_review": last,
        "review_due": reserve and (last is None or (today - last).days > REVIEW_DAYS),
        "review_form": ReviewForm(initial={"date": today}) if reserve and may_advance else None,
        "may_export_data": allowed(user, person, EXPORT) and allowed(user, person, UNMASK),
    }


class ReserveReviewView(LoginRequiredMixin, View):
    """POST: record the yearly review of a reserve person (the service judges it)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_scoped_or_404(Person, request.user, VIEW, pk=pk)
        require(request.user, person, ADVANCE)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return HttpResponseRedirect(person.get_absolute_url())
        try:
            reserve_review(
                user=request.user, person=person, on=form.cleaned_data["date"], note=form.cleaned_data["note"]
            )
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": person})
        return HttpResponseRedirect(person.get_absolute_url())


class PersonDataView(LoginRequiredMixin, View):
    """GET: everything the files hold on one person, as .xlsx, for that person's request.
    Asks for the purpose first; the export is logged with it. Cadre officers holding the
    export and unmask rights (403 for anyone else who sees the file, 404 out of scope)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_scoped_or_404(Person, request.user, VIEW, pk=pk)
        require(request.user, person, EXPORT)
        require(request.user, person, UNMASK)
        if "purpose" not in request.GET:
            return self._ask(request, person, SubjectPurposeForm())
        form = SubjectPurposeForm(request.GET)
        if not form.is_valid():
            return self._ask(request, person, form, status=400)
        try:
            content = person_data_export(user=request.user, person=person, purpose=form.cleaned_data["purpose"])
        except WorkflowError as exc:
            form.add_error("purpose", str(exc.message))
            return self._ask(request, person, form, status=400)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        name = dated_name(f"{_('Personal data')}_{person.code}")
        response["Content-Disposition"] = content_disposition(name, fallback=dated_name(f"personal-data_{person.code}"))
        return response

    def _ask(self, request: HttpRequest, person: Person, form: SubjectPurposeForm, status: int = 200) -> HttpResponse:
        return render(request, "cadres/person_data.html", {"object": person, "form": form}, status=status)
