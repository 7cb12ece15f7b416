"""Pages of training (培养) and friend-making (交友).

Only the county's cadre officers see any of it (everyone else: 404). Every page, file or
export that shows one person's training or friend-making is logged in the access log like
a read of their file; lists are not (as the list of files is not)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from tongxin.cadres.choices import AccessKind, EnrolmentStatus
from tongxin.cadres.forms import ExportPurposeForm
from tongxin.cadres.forms_training import AttendForm, CompleteForm, EnrolForm, RecommendForm, YearForm, YearsForm
from tongxin.cadres.models import (
    Course,
    Enrolment,
    FriendContact,
    FriendPair,
    Person,
    Recommendation,
)
from tongxin.cadres.services.access import people_export_log, person_view_log
from tongxin.cadres.services.friends import county_view, overdue_pairs, pair_states
from tongxin.cadres.services.training import (
    NOT_TRAINED_DEFAULT_YEARS,
    enrolment_attend,
    enrolment_complete,
    enrolment_enrol,
    hours_in_year,
    not_trained,
    person_hours_by_year,
    person_recommend,
)
from tongxin.core.downloads import dated_name, english, ledger_title
from tongxin.core.exceptions import OutOfScopeError, WorkflowError
from tongxin.core.exports import TableSheet
from tongxin.core.files import serve_file
from tongxin.core.filtersets import filters_line
from tongxin.core.scope import ADD, CHANGE, VIEW, allowed, can, get_scoped_or_404, restrict
from tongxin.core.views.generic import (
    ObjectDetailView,
    ObjectExportView,
    ObjectHistoryView,
    export_response,
    stream_export_response,
)
from tongxin.core.workbooks import Column, Layout, exported_on

#: How a row of each ledger names the person it is about (its reads are logged).
PERSON_PATH: dict[type[models.Model], str] = {
    Enrolment: "person",
    Recommendation: "person",
    FriendPair: "person",
    FriendContact: "pair__person",
}


def person_of(obj: models.Model) -> Person:
    target: Any = obj
    for bit in PERSON_PATH[type(obj)].split("__"):
        target = getattr(target, bit)
    return target  # type: ignore[no-any-return]


def _messages(request: HttpRequest, form: Any) -> None:
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))


def _done(request: HttpRequest, call: Any, target: str, **kwargs: Any) -> HttpResponse:
    """Run a service; its refusal is shown as a message. Back to ``target``."""
    try:
        saved = call(user=request.user, **kwargs)
    except (WorkflowError, OutOfScopeError) as exc:
        messages.error(request, str(exc.message))
    except ValidationError as exc:  # the model's own checks, on every path
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved %(object)s.") % {"object": saved})
    return HttpResponseRedirect(target)


# -- ledger pages that show one person: the read is logged ------------------------------------


class LoggedDetailView(ObjectDetailView):
    """The detail page of a row about one person: the read is logged."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        person_view_log(user=request.user, person=person_of(obj), kind=AccessKind.PAGE)
        return super().get(request, pk)


class LoggedHistoryView(ObjectHistoryView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = super().get(request, pk)
        person_view_log(user=request.user, person=person_of(self.get_object(pk)), kind=AccessKind.PAGE)
        return response


class LoggedExportView(ObjectExportView):
    """The export of rows that name people asks for a purpose first and is logged with it
    (how many people per county), like the export of the files."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        model = self.ledger.model
        if not can(request.user, model, "export"):
            raise Http404
        form = ExportPurposeForm(request.GET if "purpose" in request.GET else None)
        if not form.is_bound:
            return self._ask(request, form)
        if not form.is_valid():
            return self._ask(request, form, status=400)
        filterset = self.ledger.filterset(request.GET, queryset=self.scoped(), request=request)
        if not filterset.is_valid():
            return self._ask(request, form, status=400, problems=filterset.errors)
        queryset = filterset.qs
        people = Person.objects.filter(pk__in=queryset.values(PERSON_PATH[model]))
        try:
            with transaction.atomic():
                people_export_log(user=request.user, people=people, purpose=form.cleaned_data["purpose"])
        except WorkflowError as exc:
            form.add_error("purpose", str(exc.message))
            return self._ask(request, form, status=400)
        sheet = TableSheet(self.ledger.table(queryset), exclude=("actions",))
        plural = model._meta.verbose_name_plural
        title = ledger_title(plural)
        notes = [filters_line(filterset, request.GET), exported_on(), _("Purpose: %(purpose)s") % form.cleaned_data]
        layout = Layout(title, sheet.layout_columns, notes=notes)
        fallback = dated_name(english(lambda: ledger_title(plural)))
        return stream_export_response(layout, sheet.rows(), name=dated_name(title), fallback=fallback)

    def _ask(self, request: HttpRequest, form: Any, *, status: int = 200, problems: Any = None) -> HttpResponse:
        return ask_purpose(request, form, self.ledger_context(), status=status, problems=problems)


def ask_purpose(
    request: HttpRequest, form: Any, context: dict[str, Any], *, status: int = 200, problems: Any = None
) -> HttpResponse:
    """The page asking for the purpose of an export (the other parameters kept)."""
    query = request.GET.copy()
    for name in ("purpose", "unmask"):
        query.pop(name, None)
    context = {"form": form, "filters": query, "problems": problems or {}, "can_unmask": False, **context}
    return render(request, "cadres/person_export.html", context, status=status)


# -- training ----------------------------------------------------------------------------------


class CourseDetailView(ObjectDetailView):
    """A course: its enrolments (names only, like a list) and the form to enrol someone."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        may_enrol = can(user, Enrolment, ADD)
        return {
            "enrolments": obj.enrolments.select_related("person").order_by("person__code", "pk"),
            "enrol_form": EnrolForm(user=user, course=obj) if may_enrol else None,
        }


class CourseEnrolView(LoginRequiredMixin, View):
    """POST: enrol a person in the course (the service judges it)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = get_scoped_or_404(Course, request.user, pk=pk)
        form = EnrolForm(request.POST, user=request.user, course=course)
        if not form.is_valid():
            if not can(request.user, Enrolment, ADD):
                raise Http404
            _messages(request, form)
            return HttpResponseRedirect(course.get_absolute_url())
        return _done(
            request, enrolment_enrol, course.get_absolute_url(), course=course, person=form.cleaned_data["person"]
        )


class EnrolmentDetailView(LoggedDetailView):
    """An enrolment (the person's read is logged): attendance and completion forms."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        open_ = obj.status == EnrolmentStatus.ENROLLED and allowed(self.request.user, obj, CHANGE)
        return {
            "attend_form": AttendForm(initial={"hours": obj.hours_attended}) if open_ else None,
            "complete_form": CompleteForm(initial={"on": min(obj.course.end, timezone.localdate())}) if open_ else None,
        }


class EnrolmentStepView(LoginRequiredMixin, View):
    """POST: record attendance (``attend``) or completion (``complete``, with the certificate)."""

    step = "attend"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrolment = get_scoped_or_404(Enrolment, request.user, pk=pk)
        target = enrolment.get_absolute_url()
        if self.step == "attend":
            form: Any = AttendForm(request.POST)
            if form.is_valid():
                return _done(request, enrolment_attend, target, enrolment=enrolment, hours=form.cleaned_data["hours"])
        else:
            form = CompleteForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                return _done(
                    request,
                    enrolment_complete,
                    target,
                    enrolment=enrolment,
                    on=data["on"],
                    certificate_number=data["certificate_number"],
                    certificate_date=data["certificate_date"],
                    certificate_file=data["certificate_file"] or None,
                )
        if not allowed(request.user, enrolment, CHANGE):
            raise Http404
        _messages(request, form)
        return HttpResponseRedirect(target)


class CertificateFileView(LoginRequiredMixin, View):
    """The certificate file of an enrolment the user may view (logged as a read of the
    person's file); any other is 404."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        enrolment = get_scoped_or_404(Enrolment, request.user, pk=pk)
        if not enrolment.certificate_file:
            raise Http404
        person_view_log(user=request.user, person=enrolment.person, kind=AccessKind.PAGE)
        return serve_file(enrolment.certificate_file)


class PersonRecommendView(LoginRequiredMixin, View):
    """POST: record a recommendation of the person to a socialist college."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_scoped_or_404(Person, request.user, pk=pk)
        form = RecommendForm(request.POST)
        if not form.is_valid():
            if not can(request.user, Recommendation, ADD):
                raise Http404
            _messages(request, form)
            return HttpResponseRedirect(person.get_absolute_url())
        data = form.cleaned_data
        return _done(
            request,
            person_recommend,
            person.get_absolute_url(),
            person=person,
            college=data["college"],
            on=data["on"],
            recommended_by=data["recommended_by"],
            note=data["note"],
        )


def person_training(user: Any, person: Person) -> dict[str, Any]:
    """The training and friend-making sections of a person's file (its page logs the read)."""
    return {
        "hours_by_year": person_hours_by_year(person),
        "enrolments": person.enrolments.select_related("course").order_by("-course__start", "pk"),
        "recommendations": person.recommendations.order_by("-date", "pk"),
        "recommend_form": RecommendForm(initial={"on": timezone.localdate()})
        if can(user, Recommendation, ADD)
        else None,
        "friend_states": pair_states(person.friend_pairs.all(), timezone.localdate()),
    }


def _need(user: Any, model: type[models.Model]) -> None:
    if not can(user, model, VIEW):
        raise Http404


class HoursView(LoginRequiredMixin, View):
    """Training hours per person in a year (``?year=``, default this year)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _need(request.user, Enrolment)
        form = YearForm(request.GET)
        today = timezone.localdate()
        if not form.is_valid():
            return render(request, "cadres/training_hours.html", {"form": form, "rows": []}, status=400)
        year = form.cleaned_data["year"] or today.year
        people = restrict(Person.objects.all(), request.user, VIEW)
        rows = hours_in_year(people, year).filter(hours__gt=0).order_by("-hours", "code", "pk")  # type: ignore[misc]
        context = {"form": form, "rows": rows, "year": year}
        return render(request, "cadres/training_hours.html", context)


def _years(request: HttpRequest) -> tuple[YearsForm, int | None]:
    form = YearsForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data["years"] or NOT_TRAINED_DEFAULT_YEARS


class NotTrainedView(LoginRequiredMixin, View):
    """Serving and reserve people with no completed course in the last ``?years=`` (3)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _need(request.user, Enrolment)
        form, years = _years(request)
        if years is None:
            return render(request, "cadres/not_trained.html", {"form": form, "rows": []}, status=400)
        rows = not_trained(user=request.user, years=years, today=timezone.localdate())
        return render(request, "cadres/not_trained.html", {"form": form, "rows": rows, "years": years})


def not_trained_layout(years: int, purpose: str) -> tuple[Layout, list[str]]:
    title = _("Not trained in the last %(years)d years") % {"years": years}
    labels = [
        str(getattr(Person._meta.get_field(name), "verbose_name", name))
        for name in ("code", "name", "status", "work_unit", "post")
    ]
    columns = [Column(label.capitalize()) for label in [*labels, _("last trained")]]
    notes = [exported_on(), _("Purpose: %(purpose)s") % {"purpose": purpose}]
    return Layout(title, columns, notes=notes), labels


class NotTrainedExportView(LoginRequiredMixin, View):
    """The "not trained" list as Excel: asks for a purpose; logged with it."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        _need(request.user, Enrolment)
        if not can(request.user, Person, "export"):
            raise Http404
        context = {"opts": Person._meta, "ledger": _people_ledger()}
        form = ExportPurposeForm(request.GET if "purpose" in request.GET else None)
        if not form.is_bound:
            return ask_purpose(request, form, context)
        years_form, years = _years(request)
        if not form.is_valid() or years is None:
            return ask_purpose(request, form, context, status=400, problems=years_form.errors)
        people = not_trained(user=request.user, years=years, today=timezone.localdate())
        people = restrict(people, request.user, "export")
        try:
            with transaction.atomic():
                people_export_log(user=request.user, people=people, purpose=form.cleaned_data["purpose"])
        except WorkflowError as exc:
            form.add_error("purpose", str(exc.message))
            return ask_purpose(request, form, context, status=400)
        layout, _labels = not_trained_layout(years, form.cleaned_data["purpose"])
        rows = (
            [p.code, p.name, p.get_status_display(), p.work_unit, p.post, p.last_trained]  # type: ignore[attr-defined]
            for p in people
        )
        name = dated_name(layout.title)
        return export_response(layout, rows, name=name, fallback=dated_name(f"not-trained-{years}-years"))


def _people_ledger() -> Any:
    from tongxin.cadres.ledgers import people

    return people


# -- friend-making -----------------------------------------------------------------------------


class LeaderDetailView(ObjectDetailView):
    """Per leading cadre: their pairs, when each is due, which are overdue, contacts this year."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        today = timezone.localdate()
        states = pair_states(obj.pairs.order_by("person__code", "pk"), today)
        return {
            "states": states,
            "overdue": sum(1 for s in states if s.overdue),
            "contacts_this_year": sum(s.contacts_this_year for s in states),
            "today": today,
        }


class FriendPairDetailView(LoggedDetailView):
    """A pair (the person's read is logged): its state and its contacts."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        today = timezone.localdate()
        (state,) = pair_states(FriendPair.objects.filter(pk=obj.pk), today)
        return {
            "state": state,
            "contacts": obj.contacts.order_by("-date", "-pk"),
            "can_add_contact": can(self.request.user, FriendContact, ADD),
            "add_contact": reverse("cadres:friendcontact_add") + f"?pair={obj.pk}",
        }


class FriendsView(LoginRequiredMixin, View):
    """The county's friend-making: pairs, overdue pairs, contacts this year; per leader."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _need(request.user, FriendPair)
        today = timezone.localdate()
        return render(
            request, "cadres/friends.html", {"view": county_view(user=request.user, today=today), "today": today}
        )


class OverdueView(LoginRequiredMixin, View):
    """The pairs overdue for a contact today (as the inbox counts them)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _need(request.user, FriendPair)
        today = timezone.localdate()
        pairs = overdue_pairs(user=request.user, today=today)
        states = pair_states(FriendPair.objects.filter(pk__in=pairs.values("pk")).order_by("since", "pk"), today)
        states.sort(key=lambda s: (s.due, s.pair.pk))
        return render(request, "cadres/friends_overdue.html", {"states": states, "today": today})


def training_urls() -> list[Any]:
    """The URL patterns of training and friend-making (added to ``cadres.urls``)."""
    from django.urls import path

    from tongxin.cadres import ledgers_training as ledgers
    from tongxin.core.urls_helpers import ledger_urls

    def logged(ledger: Any, prefix: str, detail: Any = LoggedDetailView) -> list[Any]:
        """A ledger whose rows name a person: detail and history logged, export with a purpose."""
        own = {"detail": detail, "history": LoggedHistoryView, "export": LoggedExportView}
        patterns = ledger_urls(ledger, prefix=prefix)
        for index, pattern in enumerate(patterns):
            view = own.get((pattern.name or "").rsplit("_", 1)[-1])
            if view is not None:
                patterns[index] = path(str(pattern.pattern), view.as_view(ledger=ledger), name=pattern.name)
        return patterns

    return [
        *ledger_urls(ledgers.courses, prefix="courses/", detail_view=CourseDetailView),
        path("courses/<int:pk>/enrol/", CourseEnrolView.as_view(), name="course_enrol"),
        *logged(ledgers.enrolments, "enrolments/", EnrolmentDetailView),
        path("enrolments/<int:pk>/attend/", EnrolmentStepView.as_view(step="attend"), name="enrolment_attend"),
        path("enrolments/<int:pk>/complete/", EnrolmentStepView.as_view(step="complete"), name="enrolment_complete"),
        path("enrolments/<int:pk>/certificate/", CertificateFileView.as_view(), name="enrolment_certificate"),
        *logged(ledgers.recommendations, "recommendations/"),
        path("people/<int:pk>/recommend/", PersonRecommendView.as_view(), name="person_recommend"),
        path("training/hours/", HoursView.as_view(), name="training_hours"),
        path("training/not-trained/", NotTrainedView.as_view(), name="not_trained"),
        path("training/not-trained/export/", NotTrainedExportView.as_view(), name="not_trained_export"),
        *ledger_urls(ledgers.leaders, prefix="leaders/", detail_view=LeaderDetailView),
        *logged(ledgers.friend_pairs, "friend-pairs/", FriendPairDetailView),
        *logged(ledgers.friend_contacts, "friend-contacts/"),
        path("friends/", FriendsView.as_view(), name="friends"),
        path("friends/overdue/", OverdueView.as_view(), name="friends_overdue"),
    ]
