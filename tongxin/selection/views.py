"""Pages of the selections for signed-in people: the selection and nomination pages with
their workflow steps, the jury's scoring page, the committee's dashboard and its Excel."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from tongxin.core.downloads import dated_name
from tongxin.core.exceptions import WorkflowError
from tongxin.core.files import serve_file
from tongxin.core.scope import EXPORT, VIEW, allowed, get_scoped_or_404
from tongxin.core.views.generic import ObjectDetailView, export_response
from tongxin.core.workbooks import Column, Layout, exported_on
from tongxin.selection.choices import CriterionKind, NominationStatus, Stage
from tongxin.selection.forms import AnswerForm, CheckForm, MarksForm, ReasonForm
from tongxin.selection.models import (
    ADVANCE,
    ANSWER,
    QUALIFY,
    SCORE,
    Criterion,
    Mark,
    Nomination,
    Objection,
    Recusal,
    Selection,
)
from tongxin.selection.services import dashboard, workflow
from tongxin.selection.services.voting import votes_per_candidate
from tongxin.selection.services.watch import votes_watch


def _done(request: HttpRequest, obj: Any, call: Any) -> HttpResponse:
    """Run a service; its refusal is a message on the page, never a 500."""
    try:
        call()
    except WorkflowError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Saved %(object)s.") % {"object": obj})
    return HttpResponseRedirect(obj.get_absolute_url())


class SelectionDetailView(ObjectDetailView):
    """A selection: its timeline, parts and the next step for the committee."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        following = workflow.next_stage(obj)
        user = self.request.user
        return {
            "stages": [(stage, stage == obj.stage) for stage in Stage],
            "next_stage": following if following and allowed(user, obj, ADVANCE) else None,
            "categories": obj.categories.all(),
            "criteria": obj.criteria.all(),
            "jurors": obj.jurors.select_related("user"),
            "counts": dashboard.by_status(obj),
            "is_juror": workflow.juror_of(user, obj) is not None,
            "shortlist": obj.nominations.filter(status=NominationStatus.SHORTLISTED).order_by("ballot"),
        }


class SelectionAdvanceView(LoginRequiredMixin, View):
    """POST: the selection's next stage (``to``), through ``selection_advance``."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        selection = get_scoped_or_404(Selection, request.user, pk=pk)
        to = str(request.POST.get("to", ""))[:30]
        return _done(
            request, selection, lambda: workflow.selection_advance(user=request.user, selection=selection, to=to)
        )


class NominationDetailView(ObjectDetailView):
    """A nomination: deeds, figures, photo, recommendations, checks, objections; the
    reviewer's and the juror's steps when they may take them."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        selection = obj.selection
        eligibility = list(selection.criteria.filter(kind=CriterionKind.ELIGIBILITY))
        checks = {c.criterion_id: c for c in obj.checks.select_related("checked_by")}
        may_qualify = allowed(user, obj, QUALIFY) and selection.stage == Stage.QUALIFICATION
        juror = workflow.juror_of(user, selection)
        return {
            "recommendations": obj.recommendations.select_related("deputy"),
            "check_rows": [(criterion, checks.get(criterion.pk)) for criterion in eligibility],
            "may_qualify": may_qualify,
            "objections": obj.objections.all(),
            "may_answer": allowed(user, obj, ANSWER) and selection.stage == Stage.PUBLICITY,
            "may_score": juror is not None
            and selection.stage == Stage.VOTING
            and obj.status == NominationStatus.SHORTLISTED
            and allowed(user, obj, SCORE),
            "answer_form": AnswerForm(),
            "reason_form": ReasonForm(),
        }


class NominationReviewView(LoginRequiredMixin, View):
    """POST: a step of the qualification review — ``check`` one criterion, ``qualify`` or
    ``reject`` (with the reason the nominee reads)."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        nomination = get_scoped_or_404(Nomination, request.user, pk=pk)
        user = request.user
        if action == "check":
            form = CheckForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the evidence for the check."))
                return HttpResponseRedirect(nomination.get_absolute_url())
            criterion = Criterion.objects.filter(
                pk=form.cleaned_data["criterion"], selection_id=nomination.selection_id
            ).first()
            if criterion is None:
                raise Http404
            data = form.cleaned_data
            return _done(
                request,
                nomination,
                lambda: workflow.nomination_check(
                    user=user, nomination=nomination, criterion=criterion, met=data["met"], evidence=data["evidence"]
                ),
            )
        if action == "qualify":
            return _done(request, nomination, lambda: workflow.nomination_qualify(user=user, nomination=nomination))
        if action == "reject":
            reason = str(request.POST.get("reason", ""))[:300]
            return _done(
                request, nomination, lambda: workflow.nomination_reject(user=user, nomination=nomination, reason=reason)
            )
        raise Http404


class ObjectionAnswerView(LoginRequiredMixin, View):
    """POST: the committee's answer to an objection of the publicity."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        objection = get_scoped_or_404(Objection, request.user, pk=pk)
        form = AnswerForm(request.POST)
        nomination = objection.nomination
        if not form.is_valid():
            messages.error(request, _("Write the answer."))
            return HttpResponseRedirect(nomination.get_absolute_url())
        data = form.cleaned_data
        return _done(
            request,
            nomination,
            lambda: workflow.objection_answer(
                user=request.user, objection=objection, answer=data["answer"], upheld=data["upheld"]
            ),
        )


class NominationScoreView(LoginRequiredMixin, View):
    """A juror marks a candidate on each scoring criterion (GET: the form), or declares a
    conflict of interest (POST with ``conflict``)."""

    def _context(self, nomination: Nomination, form: MarksForm) -> dict[str, Any]:
        juror = workflow.juror_of(self.request.user, nomination.selection)
        return {
            "object": nomination,
            "form": form,
            "reason_form": ReasonForm(),
            "recused": juror is not None and Recusal.objects.filter(juror=juror, nomination=nomination).exists(),
        }

    def _criteria(self, nomination: Nomination) -> list[Criterion]:
        return list(nomination.selection.criteria.filter(kind=CriterionKind.SCORING))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = get_scoped_or_404(Nomination, request.user, SCORE, pk=pk)
        juror = workflow.juror_of(request.user, nomination.selection)
        initial: dict[str, Any] = {}
        if juror is not None:
            for mark in Mark.objects.filter(juror=juror, nomination=nomination):
                initial[f"c{mark.criterion_id}"] = mark.points
        form = MarksForm(initial=initial, criteria=self._criteria(nomination))
        return render(request, "selection/score.html", self._context(nomination, form))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = get_scoped_or_404(Nomination, request.user, SCORE, pk=pk)
        user = request.user
        if "conflict" in request.POST:
            reason = str(request.POST.get("reason", ""))[:300]
            return _done(
                request, nomination, lambda: workflow.conflict_declare(user=user, nomination=nomination, reason=reason)
            )
        form = MarksForm(request.POST, criteria=self._criteria(nomination))
        if not form.is_valid():
            return render(request, "selection/score.html", self._context(nomination, form), status=400)
        return _done(
            request, nomination, lambda: workflow.marks_record(user=user, nomination=nomination, points=form.points())
        )


class NominationPhotoView(View):
    """The nominee's photo: for whoever may view the nomination, and for everybody once
    the candidate is on a public short list."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        nomination = Nomination.objects.select_related("selection").filter(pk=pk).first()
        if nomination is None or not nomination.photo:
            raise Http404
        public = nomination.selection.is_public and nomination.status == NominationStatus.SHORTLISTED
        if not public and not allowed(request.user, nomination, VIEW):
            raise Http404
        return serve_file(nomination.photo)


class DashboardView(LoginRequiredMixin, View):
    """The committee's dashboard of a selection (counts, charts, anomalies)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        selection = get_scoped_or_404(Selection, request.user, pk=pk)
        if not allowed(request.user, selection, ADVANCE):
            raise Http404
        if selection.stage == Stage.VOTING:
            votes_watch(selection=selection)
        over_time = dashboard.votes_over_time(selection)
        chart = {
            "channel": dashboard.by_channel(selection),
            "category": dashboard.by_category(selection),
            "status": dashboard.by_status(selection),
            "votes": [(timezone.localtime(hour).strftime("%m-%d %H:00"), n) for hour, n in over_time],
        }
        context = {
            "object": selection,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "chart": chart,
            "jury": dashboard.jury_progress(selection),
            "anomalies": dashboard.anomalies(selection),
            "votes_total": sum(n for _hour, n in over_time),
        }
        return render(request, "selection/dashboard.html", context)


class DashboardExportView(LoginRequiredMixin, View):
    """The dashboard's candidates as Excel: channel, status, votes, jury completion."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        selection = get_scoped_or_404(Selection, request.user, EXPORT, pk=pk)
        if not allowed(request.user, selection, ADVANCE):
            raise Http404
        votes = votes_per_candidate(selection)
        columns = [
            Column(_("ballot number")),
            Column(_("nominee")),
            Column(_("channel")),
            Column(_("category")),
            Column(_("status")),
            Column(_("recommendations"), "#,##0"),
            Column(_("votes"), "#,##0"),
            Column(_("final score"), "0.00"),
            Column(_("rank"), "#,##0"),
        ]
        rows = []
        nominations = selection.nominations.select_related("category").order_by("ballot", "name", "pk")
        for n in nominations.annotate(recs=Count("recommendations")):
            rows.append(
                [
                    n.ballot,
                    n.name,
                    n.get_channel_display(),
                    n.category.name if n.category else "",
                    n.get_status_display(),
                    n.recs,
                    votes.get(n.pk, 0),
                    float(n.final_score) if n.final_score is not None else None,
                    n.rank,
                ]
            )
        layout = Layout(title=selection.name, columns=columns, notes=[exported_on()])
        return export_response(layout, rows, name=dated_name(selection.name))
