"""Pages of platform 3 (investment and talent) beyond the ledgers: a project with its
steps, the form for the next step (the service judges it) and the stale flag; an
association with its projects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import VIEW, allowed, get_scoped_or_404, restrict
from tongxin.core.views.generic import ObjectDetailView
from tongxin.platforms import pipeline
from tongxin.platforms.choices import LeadStage
from tongxin.platforms.forms import StepForm
from tongxin.platforms.models import Association, InvestmentLead
from tongxin.platforms.models.investment import ADVANCE
from tongxin.platforms.services.investment import is_stale, lead_advance


class LeadDetailView(ObjectDetailView):
    """A project: its steps, the stale flag and, for whoever may, the next step's form."""

    def extra_context(self, obj: InvestmentLead) -> dict[str, Any]:
        today = timezone.localdate()
        following = pipeline.next_stages(obj.stage)
        may = bool(following) and allowed(self.request.user, obj, ADVANCE)
        return {
            "steps": obj.steps.order_by("date", "pk"),
            "stale": is_stale(obj, today),
            "step_form": StepForm(initial={"date": today}, following=following) if may else None,
        }


class LeadStepView(LoginRequiredMixin, View):
    """POST: the next step of a project (the service judges it)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        lead = get_scoped_or_404(InvestmentLead, request.user, VIEW, pk=pk)
        form = StepForm(request.POST, following=pipeline.next_stages(lead.stage))
        if not form.is_valid():
            if not allowed(request.user, lead, ADVANCE):
                raise PermissionDenied
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return HttpResponseRedirect(lead.get_absolute_url())
        data = form.cleaned_data
        try:
            lead_advance(
                user=request.user,
                lead=lead,
                stage=data["stage"],
                on=data["date"],
                note=data["note"],
                reason=data["reason"],
            )
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": lead})
        return HttpResponseRedirect(lead.get_absolute_url())


class AssociationDetailView(ObjectDetailView):
    """An association with its projects by stage (those the reader may view)."""

    def extra_context(self, obj: Association) -> dict[str, Any]:
        leads = restrict(obj.leads.all(), self.request.user, VIEW)
        counts = dict(leads.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
        return {
            "stages": [(label, counts[value]) for value, label in LeadStage.choices if value in counts],
            "leads": leads.order_by("-stage_on", "code")[:50],
        }
