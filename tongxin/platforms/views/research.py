"""Pages of platform 1 (research and proposals) beyond the ledgers: a topic with its
group and reports, a proposal with its answer, instructions and milestones, the answer
itself, the performance record. Names of people are shown only to readers of their files
(the cadres policy); opening a participation is logged like the file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from tongxin.cadres.models import Person
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import VIEW, allowed, can, get_scoped_or_404, restrict
from tongxin.core.views.generic import ObjectDetailView, ObjectHistoryView
from tongxin.platforms.forms import AnswerForm
from tongxin.platforms.models import Participation, Proposal, ResearchTopic
from tongxin.platforms.models.research import ANSWER
from tongxin.platforms.services.research import (
    is_overdue,
    members_of,
    participation_view_log,
    performance,
    progress_of,
    proposal_answer,
)


class TopicDetailView(ObjectDetailView):
    """A topic: its research group (names for readers of the files only), reports and
    proposals in the reader's scope."""

    def extra_context(self, obj: ResearchTopic) -> dict[str, Any]:
        user = self.request.user
        return {
            "members": members_of(user, obj.participations.all()),
            "reports": restrict(obj.reports.all(), user, VIEW).order_by("-date", "pk"),
            "proposals": restrict(obj.proposals.all(), user, VIEW).order_by("code"),
        }


class ProposalDetailView(ObjectDetailView):
    """A proposal: who proposed it (names for readers of the files only), the answer (and
    its form for whoever may give it), leaders' instructions, milestones and progress."""

    def extra_context(self, obj: Proposal) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        may_answer = not obj.answered and allowed(user, obj, ANSWER)
        return {
            "members": members_of(user, obj.participations.all()),
            "instructions": restrict(obj.instructions.all(), user, VIEW).order_by("date", "pk"),
            "milestones": restrict(obj.milestones.all(), user, VIEW).order_by("planned_on", "pk"),
            "progress": progress_of(obj),
            "overdue": is_overdue(obj, today),
            "answer_form": AnswerForm(initial={"date": today}) if may_answer else None,
        }


class ProposalAnswerView(LoginRequiredMixin, View):
    """POST: the department's official answer (the service judges it)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = get_scoped_or_404(Proposal, request.user, VIEW, pk=pk)
        form = AnswerForm(request.POST)
        if not form.is_valid():
            if not allowed(request.user, proposal, ANSWER):
                raise PermissionDenied
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return HttpResponseRedirect(proposal.get_absolute_url())
        data = form.cleaned_data
        try:
            proposal_answer(
                user=request.user, proposal=proposal, state=data["state"], on=data["date"], text=data["text"]
            )
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": proposal})
        return HttpResponseRedirect(proposal.get_absolute_url())


class ParticipationDetailView(ObjectDetailView):
    """A participation names a person: the read is logged like the file's page."""

    def extra_context(self, obj: Participation) -> dict[str, Any]:
        participation_view_log(user=self.request.user, participation=obj)
        return {}


class ParticipationHistoryView(ObjectHistoryView):
    """The change log of a participation; the read is logged like the file's."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = super().get(request, pk)
        participation_view_log(user=request.user, participation=self.get_object(pk))
        return response


class PerformanceView(LoginRequiredMixin, View):
    """Each person's record on the platform (topics, reports, proposals, adoption), for
    readers of the files only (cadre officers: their county's); ``?year=`` narrows it.
    A person's line links to their participations, where each read is logged."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, Person, VIEW):
            raise Http404
        status = 200
        year: int | None = None
        raw = request.GET.get("year", "")
        if raw:
            try:
                year = int(raw)
                if not 2000 <= year <= 2100:
                    raise ValueError
            except ValueError:
                messages.error(request, _("Enter a year between 2000 and 2100."))
                year, status = None, 400
        rows = performance(user=request.user, year=year)
        return render(request, "platforms/performance.html", {"rows": rows, "year": year}, status=status)
