"""Pages of platform 4 (non-party intellectuals serve development) beyond the ledgers: a
profile (the name only for readers of the file, whose read is logged; the history without
the person for everyone else), a service request with its ranked volunteers, proposing one
and recording the acceptance."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from tongxin.cadres.choices import AccessKind
from tongxin.cadres.services.access import person_view_log
from tongxin.core.exceptions import WorkflowError
from tongxin.core.history import history_entries
from tongxin.core.models import ObjectChange
from tongxin.core.scope import VIEW, allowed, get_scoped_or_404, restrict
from tongxin.core.views.generic import ObjectDetailView, ObjectHistoryView
from tongxin.platforms.choices import RequestStatus
from tongxin.platforms.forms import AcceptForm, MatchForm
from tongxin.platforms.models import Intellectual, ServiceRequest
from tongxin.platforms.models.intellectuals import ACCEPT, MATCH
from tongxin.platforms.people import HIDDEN
from tongxin.platforms.services.intellectuals import candidates, request_accept, request_match
from tongxin.platforms.services.research import readable_people

PROFILE = ("field", "speciality", "unit", "township", "volunteer")


def _reads_file(user: Any, profile: Intellectual) -> bool:
    """Whether ``user`` may read the person's file; if so, the read is logged."""
    if not allowed(user, profile.person, VIEW):
        return False
    person_view_log(user=user, person=profile.person, kind=AccessKind.PAGE)
    return True


class IntellectualDetailView(ObjectDetailView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = self.get_object(pk)
        rows = []
        for name in PROFILE:
            field: Any = Intellectual._meta.get_field(name)
            value = getattr(profile, f"get_{name}_display")() if field.choices else getattr(profile, name)
            if isinstance(value, bool):
                value = "✓" if value else "✗"
            rows.append((capfirst(str(field.verbose_name)), value if value not in (None, "") else "—"))
        context = {
            "object": profile,
            "name": profile.person.name if _reads_file(request.user, profile) else None,
            "hidden": HIDDEN,
            "rows": rows,
            "activities": restrict(profile.activities.all(), request.user, VIEW).order_by("-date")[:50],
            **self.ledger_context(),
        }
        return render(request, "platforms/intellectual_detail.html", context)


class IntellectualHistoryView(ObjectHistoryView):
    """The change log of a profile: the person shown only to readers of the file (the read
    logged); for everyone else the person's field reads as hidden."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = self.get_object(pk)
        changes = ObjectChange.objects.filter(
            changed_object_type=ContentType.objects.get_for_model(profile), changed_object_id=profile.pk
        ).select_related("user")
        entries = history_entries(changes)
        if not _reads_file(request.user, profile):
            label = capfirst(str(Intellectual._meta.get_field("person").verbose_name))
            hidden = str(HIDDEN)
            entries = [
                dataclasses.replace(
                    entry,
                    fields=[
                        dataclasses.replace(f, before=hidden if f.before else "", after=hidden if f.after else "")
                        if f.label == label
                        else f
                        for f in entry.fields
                    ],
                )
                for entry in entries
            ]
        context = {"object": profile, "entries": entries, **self.ledger_context()}
        return render(request, self.template_name, context)


class ServiceRequestDetailView(ObjectDetailView):
    """A request: the volunteer proposed (named for readers of the files only) and, for
    whoever may propose, the volunteers ranked by the fit engine."""

    def extra_context(self, obj: ServiceRequest) -> dict[str, Any]:
        user = self.request.user
        may_match = obj.status != RequestStatus.ACCEPTED and allowed(user, obj, MATCH)
        ranked = candidates(user=user, request=obj) if may_match else []
        readable = readable_people(user)
        volunteer = obj.volunteer
        return {
            "candidates": [
                (s, s.intellectual.person.name if s.intellectual.person_id in readable else None) for s in ranked
            ],
            "may_match": may_match,
            "may_accept": obj.status == RequestStatus.MATCHED and allowed(user, obj, ACCEPT),
            "volunteer_name": volunteer.person.name if volunteer and volunteer.person_id in readable else None,
            "hidden": HIDDEN,
            "today": timezone.localdate(),
        }


class _RequestStep(LoginRequiredMixin, View):
    action = MATCH

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = get_scoped_or_404(ServiceRequest, request.user, VIEW, pk=pk)
        if not allowed(request.user, service, self.action):
            raise PermissionDenied
        try:
            self.step(request, service)
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        return HttpResponseRedirect(service.get_absolute_url())

    def step(self, request: HttpRequest, service: ServiceRequest) -> None:
        raise NotImplementedError


class RequestMatchView(_RequestStep):
    """POST ``volunteer``: propose that volunteer (one of the ranked)."""

    def step(self, request: HttpRequest, service: ServiceRequest) -> None:
        form = MatchForm(request.POST)
        if not form.is_valid():
            raise WorkflowError(_("Choose a volunteer of the village's county."), "volunteer")
        found = Intellectual.objects.filter(pk=form.cleaned_data["volunteer"]).first()
        if found is None:
            raise WorkflowError(_("Choose a volunteer of the village's county."), "volunteer")
        request_match(user=request.user, request=service, intellectual=found)
        messages.success(request, _("Saved %(object)s.") % {"object": service})


class RequestAcceptView(_RequestStep):
    """POST ``date``: the proposed volunteer accepted."""

    action = ACCEPT

    def step(self, request: HttpRequest, service: ServiceRequest) -> None:
        form = AcceptForm(request.POST)
        if not form.is_valid():
            raise WorkflowError(_("Enter the date of the acceptance."), "date")
        request_accept(user=request.user, request=service, on=form.cleaned_data["date"])
        messages.success(request, _("Saved %(object)s.") % {"object": service})
