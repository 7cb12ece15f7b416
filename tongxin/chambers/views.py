"""Pages of the chambers beyond the ledgers: detail pages with their workflow steps."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from tongxin.accounts.models import User
from tongxin.chambers.certificate import Certificate, render_certificate
from tongxin.chambers.choices import FINISHED_CASE_STATUSES, TRANSITIONS, ApplicationStatus, CaseStatus, MemberStatus
from tongxin.chambers.forms import (
    AcknowledgeForm,
    FeedbackForm,
    FinishForm,
    HandlerForm,
    NoteForm,
    PaymentForm,
    RaiseDuesForm,
    RateForm,
    ReasonForm,
    ReferForm,
    SignUpForm,
    TransitionForm,
)
from tongxin.chambers.models import (
    APPROVE,
    ASSIGN,
    ATTEND,
    CERTIFY,
    HANDLE,
    PAY,
    RATE,
    REOPEN,
    RETURN,
    REVIEW,
    SIGN_UP,
    TRANSITION,
    TRIAGE,
    ActivitySignup,
    Application,
    BoardPost,
    Chamber,
    Dues,
    MemberActivity,
    Membership,
    Officer,
    RightsCase,
)
from tongxin.chambers.services import cases as case_steps
from tongxin.chambers.services.activities import activity_attendance, activity_feedback, activity_sign_up
from tongxin.chambers.services.applications import application_approve, application_return, application_review
from tongxin.chambers.services.board import board_matches, post_close
from tongxin.chambers.services.dues import dues_pay, dues_raise, dues_totals
from tongxin.chambers.services.members import membership_transition
from tongxin.chambers.services.sla import case_times
from tongxin.core.disposition import content_disposition
from tongxin.core.downloads import dated_name, english
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import ADD, EXPORT, VIEW, allowed, can, get_scoped_or_404, restrict
from tongxin.core.views.generic import ObjectDetailView, export_response
from tongxin.core.workbooks import Column, Layout


def _form_errors(form: Any) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


class ChamberDetailView(ObjectDetailView):
    """A chamber: its sub-chambers, officers in office and members by status."""

    def extra_context(self, obj: Chamber) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        members = restrict(Membership.objects.filter(chamber=obj), user, VIEW)
        by_status = dict(members.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        return {
            "children": restrict(obj.children.all(), user, VIEW).order_by("kind", "name"),
            "officers": restrict(
                Officer.objects.filter(chamber=obj, term_start__lte=today, term_end__gte=today), user, VIEW
            ).select_related("enterprise"),
            "member_counts": [(MemberStatus(status).label, by_status.get(status, 0)) for status in MemberStatus],
        }


class MembershipDetailView(ObjectDetailView):
    """A membership: its dated history, dues, the next lifecycle steps, the certificate."""

    def extra_context(self, obj: Membership) -> dict[str, Any]:
        user = self.request.user
        following = [(s, MemberStatus(s).label) for s in MemberStatus if s in TRANSITIONS[obj.status]]
        form = None
        if following and allowed(user, obj, TRANSITION):
            form = TransitionForm(initial={"on": timezone.localdate()})
            to_field: Any = form.fields["to"]
            to_field.choices = following
        dues = restrict(Dues.objects.filter(membership=obj), user, VIEW).order_by("-year")
        return {
            "events": obj.events.select_related("by").order_by("on", "pk"),
            "dues_rows": dues,
            "transition_form": form,
            "can_certify": bool(obj.number) and allowed(user, obj, CERTIFY),
        }


class MembershipTransitionView(LoginRequiredMixin, View):
    """POST: one step of the membership's lifecycle (the service judges it)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = get_scoped_or_404(Membership, request.user, pk=pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            if not allowed(request.user, membership, TRANSITION):
                raise PermissionDenied
            messages.error(request, _form_errors(form))
            return HttpResponseRedirect(membership.get_absolute_url())
        data = form.cleaned_data
        try:
            membership_transition(
                user=request.user, membership=membership, to=data["to"], on=data["on"], reason=data["reason"]
            )
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": membership})
        return HttpResponseRedirect(membership.get_absolute_url())


class MembershipCertificateView(LoginRequiredMixin, View):
    """GET: the membership certificate (会员证) as a PDF, for a member with a number."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = get_scoped_or_404(Membership, request.user, CERTIFY, pk=pk)
        if not membership.number or membership.joined_on is None:
            raise Http404
        cert = Certificate(
            number=membership.number,
            member=membership.member_name,
            chamber=membership.chamber.name,
            level=membership.level.name,
            since=membership.joined_on,
            issued=timezone.localdate(),
        )
        response = HttpResponse(render_certificate(cert), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(
            f"会员证_{membership.number}.pdf", inline=True, fallback=f"certificate_{membership.number}.pdf"
        )
        return response


class ApplicationDetailView(ObjectDetailView):
    """An application with the steps the reader may take now."""

    def extra_context(self, obj: Application) -> dict[str, Any]:
        user = self.request.user
        open_ = obj.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED)
        return {
            "can_review": obj.status == ApplicationStatus.SUBMITTED and allowed(user, obj, REVIEW),
            "can_approve": obj.status == ApplicationStatus.REVIEWED and allowed(user, obj, APPROVE),
            "can_return": open_ and allowed(user, obj, RETURN),
            "reason_form": ReasonForm(),
        }


_APPLICATION_STEPS: dict[str, Callable[..., Application]] = {
    "review": application_review,
    "approve": application_approve,
    "return": application_return,
}


class ApplicationActionView(LoginRequiredMixin, View):
    """POST: review, approve or return an application (the services judge each step)."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        application = get_scoped_or_404(Application, request.user, pk=pk)
        step = _APPLICATION_STEPS.get(action)
        if step is None:
            raise Http404
        kwargs: dict[str, Any] = {}
        if action == "return":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                if not allowed(request.user, application, RETURN):
                    raise PermissionDenied
                messages.error(request, _form_errors(form))
                return HttpResponseRedirect(application.get_absolute_url())
            kwargs["reason"] = form.cleaned_data["reason"]
        try:
            step(user=request.user, application=application, **kwargs)
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": application})
        return HttpResponseRedirect(application.get_absolute_url())


class DuesDetailView(ObjectDetailView):
    def extra_context(self, obj: Dues) -> dict[str, Any]:
        form = None
        if obj.paid_on is None and allowed(self.request.user, obj, PAY):
            form = PaymentForm(initial={"amount": obj.amount, "on": timezone.localdate()})
        return {"pay_form": form, "overdue": obj.overdue()}


class DuesPayView(LoginRequiredMixin, View):
    """POST: record the payment of one year's dues."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        dues = get_scoped_or_404(Dues, request.user, pk=pk)
        form = PaymentForm(request.POST)
        if not form.is_valid():
            if not allowed(request.user, dues, PAY):
                raise PermissionDenied
            messages.error(request, _form_errors(form))
            return HttpResponseRedirect(dues.get_absolute_url())
        data = form.cleaned_data
        try:
            dues_pay(user=request.user, dues=dues, amount=data["amount"], on=data["on"], receipt=data["receipt"])
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": dues})
        return HttpResponseRedirect(dues.get_absolute_url())


class DuesRaiseView(LoginRequiredMixin, View):
    """GET/POST: raise a year's dues of a chamber's current and grace members; the totals
    of the dues the reader sees."""

    template_name = "chambers/dues_raise.html"

    def _form(self, data: Any = None) -> RaiseDuesForm:
        if not can(self.request.user, Dues, ADD):
            raise Http404
        form = RaiseDuesForm(data, initial={"year": timezone.localdate().year, "due_on": timezone.localdate()})
        chamber_field: Any = form.fields["chamber"]
        chamber_field.queryset = restrict(Chamber.objects.all(), self.request.user, VIEW).order_by("name")
        chamber_field.widget.attrs["class"] = "form-select"
        for name in ("year", "due_on"):
            form.fields[name].widget.attrs["class"] = "form-control"
        return form

    def _render(self, form: RaiseDuesForm) -> HttpResponse:
        totals = dues_totals(restrict(Dues.objects.all(), self.request.user, VIEW))
        return render(self.request, self.template_name, {"form": form, "totals": totals})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        data = form.cleaned_data
        try:
            created = dues_raise(user=request.user, chamber=data["chamber"], year=data["year"], due_on=data["due_on"])
        except WorkflowError as exc:
            form.add_error(None, str(exc.message))
            return self._render(form)
        messages.success(request, _("Raised the dues of %(count)d members.") % {"count": len(created)})
        return HttpResponseRedirect(reverse("chambers:dues_list") + f"?year={data['year']}")


def handlers_for(case: RightsCase) -> Any:
    """The people who may handle ``case``: the chamber's and the county's staff (two
    queries for the policy's answer, one for the names)."""
    from tongxin.inbox.services.notifications import people_who_may

    ids = people_who_may(RightsCase.objects.filter(pk=case.pk), HANDLE).get(case.pk, set())
    return User.objects.filter(pk__in=ids, is_active=True).order_by("username")


def _handler_form(case: RightsCase, data: Any = None) -> HandlerForm:
    form = HandlerForm(data, initial={"handler": case.handler_id})
    field: Any = form.fields["handler"]
    field.queryset = handlers_for(case)
    field.widget.attrs["class"] = "form-select"
    return form


class RightsCaseDetailView(ObjectDetailView):
    """A case: its service levels, timeline and the steps the reader may take now."""

    def extra_context(self, obj: RightsCase) -> dict[str, Any]:
        user = self.request.user
        finished = obj.status in FINISHED_CASE_STATUSES
        handling = obj.status in (CaseStatus.ASSIGNED, CaseStatus.REFERRED)
        forms: dict[str, Any] = {}
        if obj.status == CaseStatus.RECEIVED and allowed(user, obj, TRIAGE):
            forms["acknowledge"] = AcknowledgeForm()
        if not finished and allowed(user, obj, ASSIGN):
            forms["assign"] = _handler_form(obj)
        if handling and allowed(user, obj, HANDLE):
            forms["refer"] = ReferForm()
            forms["note"] = NoteForm()
            forms["finish"] = FinishForm()
        if finished and obj.satisfaction is None and allowed(user, obj, RATE):
            forms["rate"] = RateForm()
        if finished and allowed(user, obj, REOPEN):
            forms["reopen"] = ReasonForm()
        for form in forms.values():
            for field in form.fields.values():
                field.widget.attrs.setdefault("class", "form-control")
        return {
            "times": case_times(obj),
            "timeline": obj.notes.select_related("by").order_by("created", "pk"),
            "step_forms": forms,
        }


def _acknowledge(user: Any, case: RightsCase, data: dict[str, Any]) -> Any:
    return case_steps.case_acknowledge(user=user, case=case, text=data["text"])


def _assign(user: Any, case: RightsCase, data: dict[str, Any]) -> Any:
    return case_steps.case_assign(user=user, case=case, handler=data["handler"])


def _refer(user: Any, case: RightsCase, data: dict[str, Any]) -> Any:
    return case_steps.case_refer(user=user, case=case, department=data["department"], text=data["text"])


def _note(user: Any, case: RightsCase, data: dict[str, Any]) -> Any:
    return case_steps.case_note(user=user, case=case, text=data["text"])


def _finish(user: Any, case: RightsCase, data: dict[str, Any]) -> Any:
    return case_steps.case_finish(
        user=user, case=case, outcome=data["outcome"], recovered=data["recovered"], resolved=data["resolved"]
    )


def _rate(user: Any, case: RightsCase, data: dict[str, Any]) -> Any:
    return case_steps.case_rate(user=user, case=case, satisfaction=data["satisfaction"], text=data["text"])


def _reopen(user: Any, case: RightsCase, data: dict[str, Any]) -> Any:
    return case_steps.case_reopen(user=user, case=case, reason=data["reason"])


#: step → (its form, the policy action, the service)
CASE_STEPS: dict[str, tuple[Callable[..., Any], str, Callable[[Any, RightsCase, dict[str, Any]], Any]]] = {
    "acknowledge": (lambda data, case: AcknowledgeForm(data), TRIAGE, _acknowledge),
    "assign": (lambda data, case: _handler_form(case, data), ASSIGN, _assign),
    "refer": (lambda data, case: ReferForm(data), HANDLE, _refer),
    "note": (lambda data, case: NoteForm(data), HANDLE, _note),
    "finish": (lambda data, case: FinishForm(data), HANDLE, _finish),
    "rate": (lambda data, case: RateForm(data), RATE, _rate),
    "reopen": (lambda data, case: ReasonForm(data), REOPEN, _reopen),
}


class RightsCaseStepView(LoginRequiredMixin, View):
    """POST: one step of a case (the services judge it)."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        case = get_scoped_or_404(RightsCase, request.user, pk=pk)
        if action not in CASE_STEPS:
            raise Http404
        make_form, permission, run = CASE_STEPS[action]
        form = make_form(request.POST, case)
        if not form.is_valid():
            if not allowed(request.user, case, permission):
                raise PermissionDenied
            messages.error(request, _form_errors(form))
            return HttpResponseRedirect(case.get_absolute_url())
        try:
            run(request.user, case, form.cleaned_data)
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": case})
        return HttpResponseRedirect(case.get_absolute_url())


def _signup_form(activity: MemberActivity, user: Any, data: Any = None) -> SignUpForm:
    form = SignUpForm(data)
    field: Any = form.fields["membership"]
    field.queryset = restrict(Membership.objects.filter(chamber=activity.chamber_id), user, VIEW).select_related(
        "enterprise"
    )
    field.widget.attrs["class"] = "form-select"
    return form


class MemberActivityDetailView(ObjectDetailView):
    """An activity: sign-up, the sign-ups (all for the staff, their own for a member),
    attendance and feedback."""

    def extra_context(self, obj: MemberActivity) -> dict[str, Any]:
        user = self.request.user
        mine = restrict(Membership.objects.filter(chamber=obj.chamber_id), user, VIEW)
        signups = ActivitySignup.objects.filter(activity=obj).select_related("membership__enterprise")
        staff = allowed(user, obj, ATTEND)
        if not staff:
            signups = signups.filter(membership__in=mine)
        today = timezone.localdate()
        return {
            "signups": signups.order_by("pk"),
            "signup_form": _signup_form(obj, user)
            if allowed(user, obj, SIGN_UP) and today <= obj.last_signup_day
            else None,
            "may_attend": staff and today >= obj.held_on,
            "feedback_form": FeedbackForm() if allowed(user, obj, SIGN_UP) else None,
            "mine": set(mine.values_list("pk", flat=True)),
        }


class ActivityStepView(LoginRequiredMixin, View):
    """POST: sign up, record attendance, give feedback (the services judge each)."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        activity = get_scoped_or_404(MemberActivity, request.user, pk=pk)
        user = request.user
        try:
            if action == "sign_up":
                form = _signup_form(activity, user, request.POST)
                if not form.is_valid():
                    raise WorkflowError(_form_errors(form), "form")
                activity_sign_up(user=user, activity=activity, membership=form.cleaned_data["membership"])
            elif action == "attendance":
                present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
                activity_attendance(user=user, activity=activity, present=present)
            elif action == "feedback":
                feedback = FeedbackForm(request.POST)
                if not feedback.is_valid():
                    raise WorkflowError(_form_errors(feedback), "form")
                data = feedback.cleaned_data
                signup = ActivitySignup.objects.filter(activity=activity, pk=data["signup"]).first()
                if signup is None:
                    raise Http404
                activity_feedback(user=user, signup=signup, rating=data["rating"], text=data["feedback"])
            else:
                raise Http404
        except WorkflowError as exc:
            if not allowed(user, activity, ATTEND if action == "attendance" else SIGN_UP):
                raise PermissionDenied from exc
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": activity})
        return HttpResponseRedirect(activity.get_absolute_url())


class BoardPostDetailView(ObjectDetailView):
    """A post with its best matches on the board (the matching engine's fit)."""

    def extra_context(self, obj: BoardPost) -> dict[str, Any]:
        return {"matches": board_matches(user=self.request.user, post=obj)}


class BoardPostCloseView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        post = get_scoped_or_404(BoardPost, request.user, pk=pk)
        try:
            post_close(user=request.user, post=post)
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": post})
        return HttpResponseRedirect(post.get_absolute_url())


def _dashboard_tables(request: HttpRequest, action: str) -> dict[str, Any]:
    from tongxin.chambers.services.dashboard import tables

    return tables(request.user, timezone.localdate(), action)


class DashboardView(LoginRequiredMixin, View):
    """Charts of membership, growth and retention, dues, participation, cases and service
    levels, over the rows the reader sees; an Excel file behind each."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, Membership, VIEW):
            raise Http404
        found = _dashboard_tables(request, VIEW)
        charts = {key: table.chart() for key, table in found.items()}
        context = {
            "tables": found,
            "charts_json": json.dumps(charts, ensure_ascii=False, default=str),
            "may_export": can(request.user, Membership, EXPORT),
        }
        return render(request, "chambers/dashboard.html", context)


class DashboardExportView(LoginRequiredMixin, View):
    """The table behind one chart (``?table=``) as .xlsx (the rows the reader may export)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        table = request.GET.get("table", "")
        if not can(request.user, Membership, EXPORT):
            raise Http404
        found = _dashboard_tables(request, EXPORT)
        if table not in found:
            raise Http404
        chosen = found[table]
        columns = [Column(capfirst(str(c.label)), c.number_format) for c in chosen.columns]
        layout = Layout(str(chosen.title), columns)
        values = chosen.cells
        name = dated_name(str(chosen.title))
        return export_response(layout, values, name=name, fallback=dated_name(english(lambda: str(chosen.title))))
