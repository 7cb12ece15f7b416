"""Public pages (no sign-in), made for phones: the short list and the vote of an open
selection, and the published results.

Only selections in a public stage are shown (short-list publicity onwards); anything else
is 404, as for an id that names nothing. The vote: prove a mobile number (proof of work,
then a one-time code), then vote for up to the number of places, once per candidate.
The verified voter is remembered in the session (its id only; never the number).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from tongxin.core.exceptions import WorkflowError
from tongxin.core.network import client_ip
from tongxin.selection import pow
from tongxin.selection.choices import PUBLIC_STAGES, NominationStatus, Stage
from tongxin.selection.forms import CodeForm, PhoneForm
from tongxin.selection.models import Nomination, Selection, Voter
from tongxin.selection.services.voting import code_request, code_verify, phone_key, vote_cast, voted_for

PENDING = "selection-phone-pending"


def public_selection(pk: int, *stages: str) -> Selection:
    """A selection in one of ``stages`` (default: any public stage), else 404."""
    wanted = stages or tuple(PUBLIC_STAGES)
    selection: Selection | None = Selection.objects.select_related("county").filter(pk=pk, stage__in=wanted).first()
    if selection is None:
        raise Http404
    return selection


def session_key(selection: Selection) -> str:
    return f"selection-voter-{selection.pk}"


def voter_in_session(request: HttpRequest, selection: Selection) -> int | None:
    value = request.session.get(session_key(selection))
    return value if isinstance(value, int) else None


def _address(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _ballot_url(selection: Selection) -> str:
    return reverse("selection:public_ballot", args=[selection.pk])


class PublicListView(View):
    """The selections open to the public: short lists, votes and results."""

    def get(self, request: HttpRequest) -> HttpResponse:
        selections = Selection.objects.filter(stage__in=PUBLIC_STAGES).select_related("county").order_by("-year", "pk")
        return render(request, "selection/public_list.html", {"selections": selections})


@method_decorator(never_cache, name="dispatch")
class BallotView(View):
    """The short list; during the vote, the verification and the vote buttons."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        selection = public_selection(pk)
        candidates = (
            selection.nominations.filter(status=NominationStatus.SHORTLISTED)
            .select_related("township", "enterprise")
            .prefetch_related("recommendations__deputy")
            .order_by("ballot")
        )
        voter = voter_in_session(request, selection)
        if voter is not None and not Voter.objects.filter(pk=voter, selection=selection).exists():
            voter = None
        chosen = voted_for(voter)
        context: dict[str, Any] = {
            "selection": selection,
            "candidates": candidates,
            "voting": selection.stage == Stage.VOTING,
            "verified": voter is not None,
            "chosen": chosen,
            "left": max(0, selection.places - len(chosen)),
            "phone_form": PhoneForm(),
            "code_form": CodeForm(),
            "code_sent": bool(request.session.get(PENDING)),
        }
        return render(request, "selection/public_ballot.html", context)


class ChallengeView(View):
    """GET: a proof-of-work challenge (JSON) for the code request form."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        public_selection(pk, Stage.VOTING)
        response = JsonResponse(pow.challenge())
        response["Cache-Control"] = "no-store"
        return response


class CodeRequestView(View):
    """POST: send a one-time code to the number, after the proof of work."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        selection = public_selection(pk, Stage.VOTING)
        form = PhoneForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a mainland mobile number of 11 digits."))
            return HttpResponseRedirect(_ballot_url(selection))
        if not pow.verify(form.cleaned_data["altcha"]):
            messages.error(request, _("The check that you are a person did not pass: try again."))
            return HttpResponseRedirect(_ballot_url(selection))
        try:
            code_request(selection=selection, phone=form.cleaned_data["phone"], address=_address(request))
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            # The number's keyed hash (never the number) waits in the session for the code.
            request.session[PENDING] = phone_key(form.cleaned_data["phone"])
            messages.success(request, _("A code was sent to your phone."))
        return HttpResponseRedirect(_ballot_url(selection))


class CodeVerifyView(View):
    """POST: the code; the voter is then remembered in the session."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        selection = public_selection(pk, Stage.VOTING)
        form = CodeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The code is wrong."))
            return HttpResponseRedirect(_ballot_url(selection))
        pending = request.session.get(PENDING)
        if not isinstance(pending, str):
            messages.error(request, _("The code has expired: ask for a new one."))
            return HttpResponseRedirect(_ballot_url(selection))
        try:
            voter = code_verify(selection=selection, phone_hash=pending, code=form.cleaned_data["code"])
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
        else:
            request.session.cycle_key()
            request.session[session_key(selection)] = voter.pk
            request.session.pop(PENDING, None)
            messages.success(request, _("Your number is verified: you may vote."))
        return HttpResponseRedirect(_ballot_url(selection))


class VoteView(View):
    """POST: one vote for one candidate, from the verified voter of the session."""

    def post(self, request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
        selection = public_selection(pk, Stage.VOTING)
        nomination = Nomination.objects.filter(
            pk=candidate, selection=selection, status=NominationStatus.SHORTLISTED
        ).first()
        if nomination is None:
            raise Http404
        nomination.selection = selection
        try:
            vote_cast(voter_id=voter_in_session(request, selection), nomination=nomination, address=_address(request))
        except WorkflowError as exc:
            messages.error(request, str(exc.message))
            status = 403 if exc.code == "unverified" else 409
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"detail": str(exc.message), "code": exc.code}, status=status)
        else:
            messages.success(request, _("Your vote for %(name)s is counted.") % {"name": nomination.name})
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"ok": True}, status=201)
        return HttpResponseRedirect(_ballot_url(selection) + f"#c{nomination.pk}")


class ResultsView(View):
    """The results, with each candidate's parts: during the result publicity and once
    published."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        selection = public_selection(pk, Stage.RESULT_PUBLICITY, Stage.PUBLISHED)
        results = (
            selection.nominations.filter(rank__isnull=False).select_related("township", "enterprise").order_by("rank")
        )
        return render(
            request,
            "selection/public_results.html",
            {"selection": selection, "results": results, "final": selection.stage == Stage.PUBLISHED},
        )
